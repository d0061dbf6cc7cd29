"""Claims (索赔单) against the supplier or the carrier: open → sent → settled or rejected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update

from core import clock
from core import tables as t
from core.decimals import parse_money
from core.errors import BadInput, NotFound
from core.i18n import _
from core.models import ClaimState
from core.receiving_rules import check_claim_move
from core.roles import Actor, Permission, require
from core.units import ReadUnit, WriteUnit


@dataclass(frozen=True, slots=True)
class ClaimLineInfo:
    """One claimed difference."""

    part_no: str
    kind: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    note: str | None


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """A claim with its lines and where it stands."""

    number: str
    receipt: str
    shipment_no: str | None
    party: str
    party_code: str
    party_name: str
    state: str
    created_at: datetime
    created_by: str
    changed_at: datetime
    changed_by: str
    note: str | None
    settled_amount: Decimal | None
    lines: tuple[ClaimLineInfo, ...]

    @property
    def amount(self) -> Decimal:
        """What the claim asks for in all."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def _claim_id(conn, number: str) -> tuple[int, str]:
    normalised = (number or "").strip().upper()
    row = conn.execute(select(t.claim.c.id, t.claim.c.state).where(t.claim.c.number == normalised)).first()
    if row is None:
        raise NotFound(_("unknown claim {number}").format(number=normalised or repr(number)))
    return row.id, row.state


def get_claim(number: str, *, uow: ReadUnit) -> ClaimInfo:
    """A claim with its lines."""
    with uow.read() as conn:
        claim_id, _state = _claim_id(conn, number)
        creator = t.operator.alias("creator")
        changer = t.operator.alias("changer")
        head = conn.execute(
            select(t.claim, t.receipt.c.number.label("receipt"), t.receipt.c.shipment_no,
                   func.coalesce(t.supplier.c.code, t.carrier.c.code).label("party_code"),
                   func.coalesce(t.supplier.c.name, t.carrier.c.name).label("party_name"),
                   creator.c.code.label("creator"), changer.c.code.label("changer"))
            .select_from(t.claim.join(t.receipt, t.receipt.c.id == t.claim.c.receipt_id)
                         .outerjoin(t.supplier, t.supplier.c.id == t.claim.c.supplier_id)
                         .outerjoin(t.carrier, t.carrier.c.id == t.claim.c.carrier_id)
                         .join(creator, creator.c.id == t.claim.c.created_by)
                         .join(changer, changer.c.id == t.claim.c.changed_by))
            .where(t.claim.c.id == claim_id)
        ).one()
        lines = conn.execute(select(t.claim_line).where(t.claim_line.c.claim_id == claim_id)
                             .order_by(t.claim_line.c.id)).all()
    return ClaimInfo(
        head.number, head.receipt, head.shipment_no, head.party, head.party_code or "", head.party_name or "",
        head.state, head.created_at, head.creator, head.changed_at, head.changer, head.note, head.settled_amount,
        tuple(ClaimLineInfo(r.part_no, r.kind, r.qty, r.unit_price, r.amount, r.note) for r in lines),
    )


def list_claims(*, uow: ReadUnit, state: str | None = None) -> list[ClaimInfo]:
    """Claims, newest first, optionally in one state."""
    if state and state not in {s.value for s in ClaimState}:
        raise BadInput(_("unknown claim state {state!r}; the states are {states}").format(
            state=state, states=", ".join(s.value for s in ClaimState)))
    with uow.read() as conn:
        statement = select(t.claim.c.number).order_by(t.claim.c.id.desc())
        if state:
            statement = statement.where(t.claim.c.state == state)
        numbers = list(conn.execute(statement).scalars())
    return [get_claim(number, uow=uow) for number in numbers]


def move_claim(
    number: str, to: ClaimState, *, actor: Actor, uow: WriteUnit, note: str | None = None,
    settled_amount: str | Decimal | None = None,
) -> ClaimInfo:
    """Send, settle or reject a claim; only the transitions of core.receiving_rules.CLAIM_TRANSITIONS, each
    stamped."""
    require(actor, Permission.MANAGE_CLAIMS)
    amount = None
    if settled_amount is not None:
        amount = parse_money(settled_amount, _("settled amount"))
        if amount < 0:
            raise BadInput(_("a settled amount cannot be negative"))
    if to is ClaimState.REJECTED and not (note or "").strip():
        raise BadInput(_("rejecting a claim needs a reason"))
    with uow.write() as conn:
        claim_id, state = _claim_id(conn, number)
        check_claim_move(actor, number, state, to)
        values = {"state": to.value, "changed_at": clock.now(), "changed_by": actor.id}
        if note:
            values["note"] = note.strip()[:500]
        if to is ClaimState.SETTLED:
            if amount is None:
                amount = conn.execute(select(func.coalesce(func.sum(t.claim_line.c.amount), 0))
                                      .where(t.claim_line.c.claim_id == claim_id)).scalar_one()
            values["settled_amount"] = amount
        conn.execute(update(t.claim).where(t.claim.c.id == claim_id).values(**values))
    return get_claim(number, uow=uow)
