"""The claims screen's reads: claims a page at a time by state and party, with their age, amount and receivable,
and the receivable outstanding per party (挂账). SQL filters, sums, counts and pages: a screen reads no more
claims than it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, case, func, select, type_coerce

from core import clock
from core import tables as t
from core.decimals import money
from core.errors import BadInput
from core.i18n import _
from core.models import ClaimState
from core.receiving_rules import ClaimKind
from core.services.claims import PartyReceivable
from core.sqltypes import Money
from core.units import ReadUnit

MONEY_SCALE = Money.scale
OUTSTANDING = (ClaimState.OPEN.value, ClaimState.SENT.value)  # a claim's receivable is outstanding in these


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim as the list shows it."""

    number: str
    state: str
    party: str
    party_code: str
    party_name: str
    created_at: datetime
    age_days: int  # whole days since it was made
    amount: Decimal  # what it asks for in all
    receivable: Decimal  # every line but 多发

    @property
    def outstanding(self) -> Decimal:
        """What is still receivable: all of it while open or sent, nothing once settled or rejected."""
        return self.receivable if self.state in OUTSTANDING else Decimal("0.00")


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """A page of claims, how many the filter finds, and the receivable outstanding per party over all claims."""

    rows: list[ClaimRow]
    total: int
    receivable: list[PartyReceivable]


def _money(cents) -> Decimal:
    """A sum of stored cents as money (none: zero)."""
    return money(Decimal(int(cents or 0)).scaleb(-MONEY_SCALE))


def _party_code():
    return func.coalesce(t.supplier.c.code, t.carrier.c.code)


def _joined():
    return (t.claim.outerjoin(t.supplier, t.supplier.c.id == t.claim.c.supplier_id)
            .outerjoin(t.carrier, t.carrier.c.id == t.claim.c.carrier_id))


def claim_parties(*, uow: ReadUnit) -> list[tuple[str, str]]:
    """Every party claims were made against, as (party, code), in order: what the party filter goes through."""
    with uow.read() as conn:
        rows = conn.execute(select(t.claim.c.party, _party_code().label("code")).select_from(_joined())
                            .distinct().order_by(t.claim.c.party, _party_code())).all()
    return [(row.party, row.code or "") for row in rows]


def claims_page(*, uow: ReadUnit, limit: int, offset: int = 0, state: str | None = None,
                party_code: str | None = None) -> ClaimPage:
    """`limit` claims from `offset`, newest first, in `state` and against the party `party_code` when given,
    with how many there are and the receivable outstanding per party (of every claim, whatever the filter)."""
    if state and state not in {s.value for s in ClaimState}:
        raise BadInput(_("unknown claim state {state!r}; the states are {states}").format(
            state=state, states=", ".join(s.value for s in ClaimState)))
    conditions = []
    if state:
        conditions.append(t.claim.c.state == state)
    if party_code:
        conditions.append(_party_code() == party_code)
    line = t.claim_line.c
    # Summed in the stored cents (the Money type's raw integers), turned to money once read.
    cents = type_coerce(line.amount, BigInteger)
    owed_cents = case((line.kind == ClaimKind.OVER.value, 0), else_=cents)
    sums = (select(line.claim_id, func.sum(cents).label("amount"), func.sum(owed_cents).label("receivable"))
            .group_by(line.claim_id).subquery())
    now = clock.now()
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(_joined()).where(*conditions)).scalar_one()
        rows = conn.execute(
            select(t.claim.c.number, t.claim.c.state, t.claim.c.party, t.claim.c.created_at,
                   _party_code().label("code"), func.coalesce(t.supplier.c.name, t.carrier.c.name).label("name"),
                   sums.c.amount, sums.c.receivable)
            .select_from(_joined().outerjoin(sums, sums.c.claim_id == t.claim.c.id))
            .where(*conditions).order_by(t.claim.c.id.desc()).limit(max(0, limit)).offset(max(0, offset))).all()
        owed = conn.execute(
            select(t.claim.c.party, _party_code().label("code"), func.count(func.distinct(t.claim.c.id)),
                   func.coalesce(func.sum(owed_cents), 0))
            .select_from(_joined().outerjoin(t.claim_line, line.claim_id == t.claim.c.id))
            .where(t.claim.c.state.in_(OUTSTANDING)).group_by(t.claim.c.party, _party_code())).all()
    listed = [ClaimRow(r.number, r.state, r.party, r.code or "", r.name or "", r.created_at,
                       max(0, (now - r.created_at).days), _money(r.amount), _money(r.receivable))
              for r in rows]
    receivable = sorted((PartyReceivable(party, code or "", count, _money(amount)) for party, code, count, amount
                         in owed), key=lambda row: (-row.outstanding, row.party, row.party_code))
    return ClaimPage(listed, total, receivable)
