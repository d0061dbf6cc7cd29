"""Suppliers, carriers and purchase orders: as much of ordering as receiving needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from core import clock
from core import tables as t
from core.codes import normalise_part_no
from core.decimals import parse_money, parse_qty
from core.documents import next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.models import (
    OrderState,
)
from core.roles import Actor, Permission, require
from core.services.catalog import part_id
from core.units import ReadUnit, WriteUnit

ORDER = "PO"


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    """A line asked for on `po create`: part, quantity, and optionally the agreed unit cost."""

    part_no: str
    qty: Decimal
    unit_cost: Decimal | None


@dataclass(frozen=True, slots=True)
class OrderLineInfo:
    """One line of an order as `po show` prints it."""

    line_no: int
    part_no: str
    name: str
    ordered: Decimal
    received: Decimal
    unit_cost: Decimal

    @property
    def outstanding(self) -> Decimal:
        """What is still on back-order (never below zero: an over-delivery is a surplus, not a credit)."""
        return max(self.ordered - self.received, Decimal(0))


@dataclass(frozen=True, slots=True)
class OrderInfo:
    """A purchase order with its lines."""

    number: str
    supplier: str
    supplier_name: str
    state: str
    created_at: datetime
    created_by: str
    source_doc: str | None
    lines: tuple[OrderLineInfo, ...]


def parse_order_line(text: str) -> OrderLineRequest:
    """PART_NO:QTY[:UNIT_COST] as typed on the command line."""
    pieces = (text or "").split(":")
    if len(pieces) not in (2, 3) or not pieces[0].strip():
        raise BadInput(_("order line {line!r} is not PART_NO:QTY[:UNIT_COST]").format(line=text))
    qty = parse_qty(pieces[1])
    if qty <= 0:
        raise BadInput(_("order line {line!r}: the quantity must be more than zero").format(line=text))
    cost = None
    if len(pieces) == 3 and pieces[2].strip():
        cost = parse_money(pieces[2], _("unit cost"))
        if cost < 0:
            raise BadInput(_("order line {line!r}: the unit cost is negative").format(line=text))
    return OrderLineRequest(normalise_part_no(pieces[0]), qty, cost)


def _party_code(text: str, what: str) -> str:
    code = (text or "").strip().upper()
    if not code or len(code) > 20:
        raise BadInput(_("{what} code {code!r} must be 1 to 20 characters").format(what=what, code=text))
    return code


def ensure_supplier(conn: Connection, code: str, name: str | None = None) -> int:
    """The id of a supplier by code, created on first use (its name defaults to the code)."""
    code = _party_code(code, _("supplier"))
    found = conn.execute(select(t.supplier.c.id).where(t.supplier.c.code == code)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(t.supplier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]


def ensure_carrier(conn: Connection, code: str, name: str | None = None) -> int:
    """The id of a carrier by code, created on first use."""
    code = _party_code(code, _("carrier"))
    found = conn.execute(select(t.carrier.c.id).where(t.carrier.c.code == code)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(t.carrier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]


def add_supplier(code: str, name: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Register a supplier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        code = _party_code(code, _("supplier"))
        if conn.execute(select(t.supplier.c.id).where(t.supplier.c.code == code)).first():
            raise RuleViolation(_("supplier {code} already exists").format(code=code))
        ensure_supplier(conn, code, name)
    return code


def add_carrier(code: str, name: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Register a carrier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        code = _party_code(code, _("carrier"))
        if conn.execute(select(t.carrier.c.id).where(t.carrier.c.code == code)).first():
            raise RuleViolation(_("carrier {code} already exists").format(code=code))
        ensure_carrier(conn, code, name)
    return code


def list_parties(*, uow: ReadUnit) -> dict[str, list[tuple[str, str]]]:
    """Suppliers and carriers as (code, name), by code."""
    with uow.read() as conn:
        return {
            "suppliers": [tuple(r) for r in conn.execute(select(t.supplier.c.code, t.supplier.c.name).order_by(t.supplier.c.code))],
            "carriers": [tuple(r) for r in conn.execute(select(t.carrier.c.code, t.carrier.c.name).order_by(t.carrier.c.code))],
        }


def create_order(
    supplier: str, lines: list[OrderLineRequest], *, actor: Actor, uow: WriteUnit, source_doc: str | None = None,
    note: str | None = None,
) -> str:
    """Create a purchase order (planner); a line without a cost takes the part's list price. Returns its number."""
    require(actor, Permission.MANAGE_ORDERS)
    if not lines:
        raise BadInput(_("an order needs at least one line"))
    seen: set[str] = set()
    for line in lines:
        if line.part_no in seen:
            raise BadInput(_("part {part_no} is on the order twice").format(part_no=line.part_no))
        seen.add(line.part_no)
    at = clock.now()
    with uow.write() as conn:
        supplier_id = ensure_supplier(conn, supplier)
        priced = []
        for line in lines:
            pid = part_id(conn, line.part_no)
            cost = line.unit_cost
            if cost is None:
                cost = conn.execute(select(t.part.c.list_price).where(t.part.c.id == pid)).scalar_one()
            priced.append((pid, line.qty, cost))
        return insert_order(conn, supplier_id, priced, actor=actor, at=at, source_doc=source_doc, note=note)


def insert_order(conn: Connection, supplier_id: int, lines: list[tuple[int, Decimal, Decimal]], *, actor: Actor,
                 at: datetime, source_doc: str | None = None, note: str | None = None) -> str:
    """Write an order of (part id, qty, unit cost) lines inside the caller's transaction; its number."""
    order_no = next_number(conn, ORDER, at)
    order_id_ = conn.execute(
        insert(t.purchase_order).values(number=order_no, supplier_id=supplier_id, state=OrderState.OPEN.value, created_at=at,
                              created_by=actor.id, source_doc=source_doc, note=note)
    ).inserted_primary_key[0]
    conn.execute(insert(t.purchase_order_line), [
        {"order_id": order_id_, "line_no": n, "part_id": pid, "qty_ordered": qty, "qty_received": Decimal(0),
         "unit_cost": cost}
        for n, (pid, qty, cost) in enumerate(lines, start=1)
    ])
    return order_no


def order_id(conn: Connection, number: str) -> int:
    """The id of an order by its number, or NotFound."""
    found = conn.execute(select(t.purchase_order.c.id).where(t.purchase_order.c.number == (number or "").strip().upper())).scalar()
    if found is None:
        raise NotFound(_("unknown purchase order {number}").format(number=(number or "").strip().upper()))
    return found


def get_order(number: str, *, uow: ReadUnit) -> OrderInfo:
    """An order with ordered, received and outstanding per line."""
    with uow.read() as conn:
        oid = order_id(conn, number)
        head = conn.execute(
            select(t.purchase_order.c.number, t.purchase_order.c.state, t.purchase_order.c.created_at, t.purchase_order.c.source_doc, t.supplier.c.code,
                   t.supplier.c.name, t.operator.c.code.label("operator"))
            .join(t.supplier, t.supplier.c.id == t.purchase_order.c.supplier_id)
            .join(t.operator, t.operator.c.id == t.purchase_order.c.created_by)
            .where(t.purchase_order.c.id == oid)
        ).one()
        lines = conn.execute(
            select(t.purchase_order_line.c.line_no, t.part.c.part_no, t.part.c.name, t.purchase_order_line.c.qty_ordered, t.purchase_order_line.c.qty_received,
                   t.purchase_order_line.c.unit_cost)
            .join(t.part, t.part.c.id == t.purchase_order_line.c.part_id)
            .where(t.purchase_order_line.c.order_id == oid)
            .order_by(t.purchase_order_line.c.line_no)
        ).all()
    return OrderInfo(
        head.number, head.code, head.name, head.state, head.created_at, head.operator, head.source_doc,
        tuple(OrderLineInfo(r.line_no, r.part_no, r.name, r.qty_ordered, r.qty_received, r.unit_cost) for r in lines),
    )


def list_orders(*, uow: ReadUnit, state: str | None = None) -> list[OrderInfo]:
    """Every order, newest first, optionally in one state."""
    with uow.read() as conn:
        statement = select(t.purchase_order.c.number).order_by(t.purchase_order.c.id.desc())
        if state:
            statement = statement.where(t.purchase_order.c.state == state)
        numbers = list(conn.execute(statement).scalars())
    return [get_order(n, uow=uow) for n in numbers]


_RECEIVE_ON_LINE = (
    update(t.purchase_order_line)
    .where(t.purchase_order_line.c.order_id == bindparam("oid"), t.purchase_order_line.c.part_id == bindparam("pid"))
    .values(qty_received=t.purchase_order_line.c.qty_received + bindparam("qty"))
)


def book_received(conn: Connection, oid: int, received: dict[int, Decimal]) -> None:
    """Add received quantities (by part id) to an order's lines and move its state; inside the caller's transaction."""
    rows = [{"oid": oid, "pid": pid, "qty": qty} for pid, qty in received.items() if qty > 0]
    if rows:
        conn.execute(_RECEIVE_ON_LINE, rows)
    totals = conn.execute(
        select(func.count(), func.sum(case((t.purchase_order_line.c.qty_received >= t.purchase_order_line.c.qty_ordered, 1), else_=0)),
               func.count().filter(t.purchase_order_line.c.qty_received > 0))
        .where(t.purchase_order_line.c.order_id == oid)
    ).one()
    lines, complete, received_any = totals
    state = OrderState.OPEN
    if lines and complete == lines:
        state = OrderState.RECEIVED
    elif received_any:
        state = OrderState.PARTLY_RECEIVED
    conn.execute(update(t.purchase_order).where(t.purchase_order.c.id == oid, t.purchase_order.c.state != OrderState.CLOSED.value)
                 .values(state=state.value))


def order_costs(conn: Connection, oid: int) -> dict[int, Decimal]:
    """The agreed unit cost per part id on an order."""
    return dict(conn.execute(select(t.purchase_order_line.c.part_id, t.purchase_order_line.c.unit_cost).where(t.purchase_order_line.c.order_id == oid)).all())


def close_order(number: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Close an order: what is still outstanding will not come (planner)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        oid = order_id(conn, number)
        state = conn.execute(select(t.purchase_order.c.state).where(t.purchase_order.c.id == oid)).scalar_one()
        if state == OrderState.CLOSED:
            raise RuleViolation(_("order {number} is already closed").format(number=number.upper()))
        conn.execute(update(t.purchase_order).where(t.purchase_order.c.id == oid).values(state=OrderState.CLOSED.value))
    return number.upper()


def set_part_supplier(part_no: str, supplier: str | None, *, actor: Actor, uow: WriteUnit) -> str | None:
    """Name the supplier a part is ordered from (None: back to the station's manufacturer)."""
    require(actor, Permission.EDIT_PARTS)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        supplier_id = ensure_supplier(conn, supplier) if supplier else None
        conn.execute(update(t.part).where(t.part.c.id == pid).values(supplier_id=supplier_id))
    return supplier.strip().upper() if supplier else None
