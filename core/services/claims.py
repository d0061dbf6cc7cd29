"""Claims (索赔单) against the supplier or the carrier: open → sent → settled or rejected.

损坏的…先办理入库及索赔手续，报财务挂账处理: a claim carries the amount receivable (挂账) while it is open or sent;
its damaged units wait in quarantine (on the books) until the claim's outcome moves them: credited or replaced by
the party, they are written off from quarantine; repaired or accepted as they are, they move to the part's bin.
Each move is a ledger row on the claim's document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select, update

from core import clock, ledger
from core import tables as t
from core.byte_order import byte_order
from core.codes import QUARANTINE_ZONE
from core.decimals import fmt_qty, parse_money
from core.documents import CLAIM, RECEIPT, DocumentRef
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.models import ClaimState, MoveKind
from core.models.enums import ClaimOutcome
from core.receiving_rules import ClaimKind, MissingLocation, check_claim_move, claim_outcome_moves, receivable_of
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
    in_quarantine: Decimal = Decimal(0)  # damaged units of this line still in quarantine
    location: str | None = None  # the quarantine location holding them

    @property
    def receivable(self) -> Decimal:
        """What this line adds to the amount receivable (挂账): not 多发, which the station keeps."""
        return receivable_of(self.kind, self.amount)


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
    outcome: str | None = None

    @property
    def amount(self) -> Decimal:
        """What the claim asks for in all."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def receivable(self) -> Decimal:
        """The amount receivable (挂账): every line but 多发."""
        return sum((line.receivable for line in self.lines), Decimal("0.00"))

    @property
    def outstanding(self) -> Decimal:
        """What is still receivable: all of it while the claim is open or sent, nothing once settled or rejected."""
        return self.receivable if self.state in (ClaimState.OPEN, ClaimState.SENT) else Decimal("0.00")


@dataclass(frozen=True, slots=True)
class PartyReceivable:
    """The receivable outstanding from one party: its open and sent claims."""

    party: str
    party_code: str
    claims: int
    outstanding: Decimal


def receivable_by_party(claims: list[ClaimInfo]) -> list[PartyReceivable]:
    """The receivable outstanding per party (挂账), over the claims given, largest first."""
    totals: dict[tuple[str, str], list] = {}
    for claim in claims:
        if claim.state not in (ClaimState.OPEN, ClaimState.SENT):
            continue
        entry = totals.setdefault((claim.party, claim.party_code), [0, Decimal("0.00")])
        entry[0] += 1
        entry[1] += claim.outstanding
    rows = [PartyReceivable(party, code, count, amount) for (party, code), (count, amount) in totals.items()]
    return sorted(rows, key=lambda row: (-row.outstanding, row.party, row.party_code))


def _quarantine_lots(conn: Connection, claim_id: int) -> dict[str, list]:
    """The claim's damaged units still in quarantine, per part: the lots its receipt put there."""
    head = conn.execute(select(t.receipt.c.number).join(t.claim, t.claim.c.receipt_id == t.receipt.c.id)
                        .where(t.claim.c.id == claim_id)).scalar_one()
    damaged = select(t.claim_line.c.part_no).where(t.claim_line.c.claim_id == claim_id,
                                                   t.claim_line.c.kind == ClaimKind.DAMAGED.value)
    rows = conn.execute(
        select(t.stock_lot.c.id, t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost, t.part.c.part_no,
               t.part.c.id.label("part_id"), t.part.c.default_location_id, t.location.c.code)
        .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
        .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
        .where(t.stock_lot.c.doc_type == RECEIPT.prefix, t.stock_lot.c.doc_no == head,
               t.location.c.zone == QUARANTINE_ZONE, t.stock_lot.c.qty_remaining > 0,
               byte_order(t.part.c.part_no).in_(damaged))
        .order_by(t.stock_lot.c.id)
    ).all()
    lots: dict[str, list] = {}
    for row in rows:
        lots.setdefault(row.part_no, []).append(row)
    return lots


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
        held = _quarantine_lots(conn, claim_id)

    def quarantined(r) -> tuple[Decimal, str | None]:
        lots = held.get(r.part_no, []) if r.kind == ClaimKind.DAMAGED else []
        return sum((lot.qty_remaining for lot in lots), Decimal(0)), lots[0].code if lots else None

    return ClaimInfo(
        head.number, head.receipt, head.shipment_no, head.party, head.party_code or "", head.party_name or "",
        head.state, head.created_at, head.creator, head.changed_at, head.changer, head.note, head.settled_amount,
        tuple(ClaimLineInfo(r.part_no, r.kind, r.qty, r.unit_price, r.amount, r.note, *quarantined(r))
              for r in lines),
        head.outcome,
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
    settled_amount: str | Decimal | None = None, outcome: ClaimOutcome | str | None = None,
) -> ClaimInfo:
    """Send, settle or reject a claim; only the transitions of core.receiving_rules.CLAIM_TRANSITIONS, each
    stamped.

    Settling a claim whose damaged units wait in quarantine needs its `outcome`: credit or replacement writes
    them off from quarantine, repaired or accepted moves them to the part's bin (a ledger row each, on the
    claim's document); without one it is refused and nothing changes.
    """
    require(actor, Permission.MANAGE_CLAIMS)
    if outcome is not None:
        try:
            outcome = ClaimOutcome(str(outcome).strip().lower())
        except ValueError:
            raise BadInput(_("unknown outcome {outcome!r}; the outcomes are {outcomes}").format(
                outcome=outcome, outcomes=", ".join(o.value for o in ClaimOutcome))) from None
        if to is not ClaimState.SETTLED:
            raise BadInput(_("an outcome is given when a claim is settled"))
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
                                      .where(t.claim_line.c.claim_id == claim_id)
                                      .where(t.claim_line.c.kind != ClaimKind.OVER.value)).scalar_one()
            values["settled_amount"] = amount
            values["outcome"] = outcome.value if outcome else None
            _settle_quarantine(conn, claim_id, number.strip().upper(), outcome, actor, values["changed_at"])
        conn.execute(update(t.claim).where(t.claim.c.id == claim_id).values(**values))
    return get_claim(number, uow=uow)


def _settle_quarantine(conn: Connection, claim_id: int, number: str, outcome: ClaimOutcome | None, actor: Actor,
                       at) -> None:
    """Move the claim's damaged units out of quarantine as its outcome says (a ledger row each, on the claim)."""
    held = _quarantine_lots(conn, claim_id)
    if not held:
        return
    if outcome is None:
        units = sum((lot.qty_remaining for lots in held.values() for lot in lots), Decimal(0))
        raise RuleViolation(_("claim {number} has {qty} damaged unit(s) in quarantine: say how it was settled "
                              "(--outcome {outcomes})").format(number=number, qty=fmt_qty(units),
                                                               outcomes="|".join(o.value for o in ClaimOutcome)))
    move = claim_outcome_moves(outcome)
    bins = {}
    if move == "to_bin":
        for part_no, lots in held.items():
            if lots[0].default_location_id is None:
                raise MissingLocation(part_no)
            bins[part_no] = lots[0].default_location_id
    ledger.lock_lots(conn, [lot.id for lots in held.values() for lot in lots])
    document = DocumentRef(CLAIM.prefix, number)
    note = outcome.value  # the code, not words: a ledger row reads the same in every language
    new_lots = []
    for part_no, lots in held.items():
        for lot in lots:
            ledger.take_from_lot(conn, lot.id, lot.qty_remaining, document=document, actor=actor, at=at,
                                 kind=MoveKind.ADJUST, note=note)
            if move == "to_bin":
                new_lots.append(ledger.NewLot(lot.part_id, bins[part_no], lot.qty_remaining, lot.unit_cost,
                                              document))
    ledger.receive_lots(conn, new_lots, actor=actor, at=at, kind=MoveKind.ADJUST, note=note)
