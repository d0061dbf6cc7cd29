"""What the maker owes for warranty repairs (保修索赔): the repair orders whose parts are charged to the warranty,
a page at a time with the amount receivable from the maker over all of them, and one order's warranty lines.

The amounts are the repair orders' own charges (core.records.pricing): as settled where the settlement recorded
them, else as they stand now; nothing here prices a part. SQL counts, sums and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core import tables as t
from core.decimals import money
from core.records.pricing import WARRANTY, ChargeLine, ro_charges, warranty_charges
from core.records.repair_orders import ro_row
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class WarrantyRow:
    """One repair order with parts charged to the maker, as the list shows it."""

    ro_no: str
    plate: str
    vin: str
    state: str
    settled: bool
    at: datetime  # settled, else opened
    lines: int  # parts charged to the warranty
    amount: Decimal  # what the maker owes for them


@dataclass(frozen=True, slots=True)
class WarrantyPage:
    """A page of the repair orders with warranty charges, how many there are and what the maker owes in all."""

    rows: list[WarrantyRow]
    total: int
    receivable: Decimal


@dataclass(frozen=True, slots=True)
class WarrantyClaim:
    """One repair order's parts charged to the maker: each with quantity, unit price (the list price) and
    amount, as settled or as they stand."""

    ro_no: str
    plate: str
    vin: str
    state: str
    settled: bool
    lines: tuple[ChargeLine, ...]

    @property
    def amount(self) -> Decimal:
        """What the maker owes for the order's parts."""
        return money(sum((line.amount for line in self.lines), Decimal(0)))


def _money(cents) -> Decimal:
    """A sum of cents as money (none: zero)."""
    return money(Decimal(int(cents or 0)).scaleb(-2))


def warranty_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> WarrantyPage:
    """`limit` repair orders from `offset` with parts charged to the warranty, newest first (by the day settled,
    else opened), with how many there are and the amount receivable from the maker over all of them."""
    lines = warranty_charges().subquery("lines")
    per_order = (select(lines.c.repair_order_id, func.count().label("lines"), func.sum(lines.c.amount).label("amount"))
                 .group_by(lines.c.repair_order_id).subquery("per_order"))
    order = t.repair_order
    at = func.coalesce(order.c.settled_at, order.c.opened_at)
    with uow.read() as conn:
        total, receivable = conn.execute(select(func.count(), func.sum(per_order.c.amount))).one()
        rows = conn.execute(
            select(order.c.ro_no, order.c.plate, order.c.vin, order.c.state, order.c.settled_at, order.c.opened_at,
                   per_order.c.lines, per_order.c.amount)
            .join(per_order, per_order.c.repair_order_id == order.c.id)
            .order_by(at.desc(), order.c.id.desc()).limit(max(0, limit)).offset(max(0, offset))).all()
    listed = [WarrantyRow(r.ro_no, r.plate, r.vin, r.state, r.settled_at is not None, r.settled_at or r.opened_at,
                          r.lines, _money(r.amount)) for r in rows]
    return WarrantyPage(listed, total, _money(receivable))


def warranty_claim(ro_no: str, *, uow: ReadUnit) -> WarrantyClaim:
    """Repair order `ro_no`'s parts charged to the maker (none: an empty claim); NotFound for an unknown order."""
    with uow.read() as conn:
        row = ro_row(conn, ro_no)
        charges = ro_charges(conn, row)
    return WarrantyClaim(row.ro_no, row.plate, row.vin, row.state, row.settled_at is not None,
                         tuple(line for line in charges.lines if line.payer == WARRANTY))
