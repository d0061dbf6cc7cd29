"""Reading sales orders (销售订单): the order, its lines at their prices, the lots each line was issued from and the
units brought back; inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select

from core import tables as t
from core.decimals import money
from core.documents import SALE, normalise_number
from core.errors import NotFound
from core.i18n import _
from core.models import MoveKind
from core.records.repair_orders import Person, people


@dataclass(frozen=True, slots=True)
class Take:
    """What a sale's check took from one lot: the lot, its location, how many, its cost and received date."""

    lot: int
    location: str
    qty: Decimal
    unit_cost: Decimal
    received_at: datetime


@dataclass(frozen=True, slots=True)
class SaleLineView:
    """A line of a sale: the part, quantity, unit price, what came back, and the lots it left from once checked."""

    line_no: int
    part_no: str
    name: str
    name_zh: str | None
    unit: str
    qty: Decimal
    unit_price: Decimal
    returned: Decimal
    takes: tuple[Take, ...] = ()

    @property
    def amount(self) -> Decimal:
        """The quantity sold at the line's price."""
        return money(self.qty * self.unit_price)

    @property
    def returnable(self) -> Decimal:
        """Sold and not yet brought back."""
        return self.qty - self.returned


@dataclass(frozen=True, slots=True)
class SaleView:
    """A sales order as `sale show`, the screen and the delivery note show it."""

    number: str
    customer: str
    phone: str | None
    state: str
    entered_by: Person
    entered_at: datetime
    checked_by: Person | None
    checked_at: datetime | None
    settled_by: Person | None
    settled_at: datetime | None
    settled_amount: Decimal | None
    cancelled_at: datetime | None
    entered_by_id: int
    lines: tuple[SaleLineView, ...]

    @property
    def total(self) -> Decimal:
        """Every line at its price."""
        return money(sum((line.amount for line in self.lines), Decimal(0)))

    @property
    def returned_value(self) -> Decimal:
        """What came back, at the lines' prices."""
        return money(sum((line.returned * line.unit_price for line in self.lines), Decimal(0)))

    @property
    def net(self) -> Decimal:
        """The total less what came back: what the customer owes."""
        return money(self.total - self.returned_value)

    @property
    def refund(self) -> Decimal:
        """What the station owes the customer back: parts returned after the sale was settled (the settled amount
        stays what was paid; the refund is the part of it that came back)."""
        if self.settled_amount is None:
            return money(Decimal(0))
        return money(max(Decimal(0), self.settled_amount - self.net))


def sale_row(conn: Connection, number: str, *, lock: bool = False):
    """The sales_order row of a number (locked for the caller's write when asked), or NotFound."""
    statement = select(t.sales_order).where(t.sales_order.c.number == normalise_number(number))
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown sale {number}").format(number=normalise_number(number)))
    return row


def issued_takes(conn: Connection, number: str) -> dict[int, list[Take]]:
    """What a sale's check took, per part id, oldest lot first: from the ledger rows on its number."""
    rows = conn.execute(
        select(t.stock_move.c.part_id, t.stock_move.c.lot_id, t.location.c.code, t.stock_move.c.qty,
               t.stock_move.c.unit_cost, t.stock_lot.c.received_at)
        .join(t.location, t.location.c.id == t.stock_move.c.location_id)
        .join(t.stock_lot, t.stock_lot.c.id == t.stock_move.c.lot_id)
        .where(t.stock_move.c.doc_type == SALE.prefix, t.stock_move.c.doc_no == number,
               t.stock_move.c.kind == MoveKind.ISSUE.value)
        .order_by(t.stock_move.c.id)
    ).all()
    takes: dict[int, list[Take]] = {}
    for r in rows:
        takes.setdefault(r.part_id, []).append(Take(r.lot_id, r.code, -r.qty, r.unit_cost, r.received_at))
    return takes


def returned_by_lot(conn: Connection, sale_id: int) -> dict[int, Decimal]:
    """What came back of a sale, per lot."""
    return dict(conn.execute(
        select(t.sales_return.c.lot_id, func.sum(t.sales_return.c.qty))
        .where(t.sales_return.c.sale_id == sale_id).group_by(t.sales_return.c.lot_id)).all())


def sale_view(conn: Connection, row) -> SaleView:
    """The view of a sales_order row, with its lines, their lots and returns."""
    lines = conn.execute(
        select(t.sales_line.c.line_no, t.sales_line.c.part_id, t.sales_line.c.qty, t.sales_line.c.unit_price,
               t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.unit)
        .join(t.part, t.part.c.id == t.sales_line.c.part_id)
        .where(t.sales_line.c.sale_id == row.id).order_by(t.sales_line.c.line_no)
    ).all()
    returned = dict(conn.execute(
        select(t.sales_return.c.part_id, func.sum(t.sales_return.c.qty))
        .where(t.sales_return.c.sale_id == row.id).group_by(t.sales_return.c.part_id)).all())
    takes = issued_takes(conn, row.number)
    who = people(conn, [row.entered_by_id, row.checked_by_id, row.settled_by_id])
    return SaleView(
        number=row.number, customer=row.customer, phone=row.phone, state=row.state,
        entered_by=who[row.entered_by_id], entered_at=row.entered_at, checked_by=who.get(row.checked_by_id),
        checked_at=row.checked_at, settled_by=who.get(row.settled_by_id), settled_at=row.settled_at,
        settled_amount=row.amount, cancelled_at=row.cancelled_at, entered_by_id=row.entered_by_id,
        lines=tuple(SaleLineView(r.line_no, r.part_no, r.name, r.name_zh, r.unit, r.qty, r.unit_price,
                                 returned.get(r.part_id, Decimal("0.000")), tuple(takes.get(r.part_id, ())))
                    for r in lines),
    )
