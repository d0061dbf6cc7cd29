"""Suppliers, carriers and purchase orders: as much of ordering as receiving needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, case, func, insert, select, update
from sqlmodel import Session

from core import clock
from core.codes import normalise_part_no
from core.decimals import parse_money, parse_qty
from core.documents import next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.models import (
    Carrier,
    Operator,
    OrderState,
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from core.roles import Actor, Permission, require
from core.services.catalog import part_id
from core.services.unit_of_work import read_only, unit_of_work

_supplier = Supplier.__table__
_carrier = Carrier.__table__
_order = PurchaseOrder.__table__
_line = PurchaseOrderLine.__table__
_part = Part.__table__
_operator = Operator.__table__

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
    found = conn.execute(select(_supplier.c.id).where(_supplier.c.code == code)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(_supplier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]


def ensure_carrier(conn: Connection, code: str, name: str | None = None) -> int:
    """The id of a carrier by code, created on first use."""
    code = _party_code(code, _("carrier"))
    found = conn.execute(select(_carrier.c.id).where(_carrier.c.code == code)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(_carrier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]


def add_supplier(code: str, name: str, *, actor: Actor, session: Session) -> str:
    """Register a supplier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with unit_of_work(session) as conn:
        code = _party_code(code, _("supplier"))
        if conn.execute(select(_supplier.c.id).where(_supplier.c.code == code)).first():
            raise RuleViolation(_("supplier {code} already exists").format(code=code))
        ensure_supplier(conn, code, name)
    return code


def add_carrier(code: str, name: str, *, actor: Actor, session: Session) -> str:
    """Register a carrier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with unit_of_work(session) as conn:
        code = _party_code(code, _("carrier"))
        if conn.execute(select(_carrier.c.id).where(_carrier.c.code == code)).first():
            raise RuleViolation(_("carrier {code} already exists").format(code=code))
        ensure_carrier(conn, code, name)
    return code


def list_parties(*, session: Session) -> dict[str, list[tuple[str, str]]]:
    """Suppliers and carriers as (code, name), by code."""
    with read_only(session) as conn:
        return {
            "suppliers": [tuple(r) for r in conn.execute(select(_supplier.c.code, _supplier.c.name).order_by(_supplier.c.code))],
            "carriers": [tuple(r) for r in conn.execute(select(_carrier.c.code, _carrier.c.name).order_by(_carrier.c.code))],
        }


def create_order(
    supplier: str, lines: list[OrderLineRequest], *, actor: Actor, session: Session, source_doc: str | None = None,
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
    with unit_of_work(session) as conn:
        supplier_id = ensure_supplier(conn, supplier)
        priced = []
        for line in lines:
            pid = part_id(conn, line.part_no)
            cost = line.unit_cost
            if cost is None:
                cost = conn.execute(select(_part.c.list_price).where(_part.c.id == pid)).scalar_one()
            priced.append((pid, line.qty, cost))
        return insert_order(conn, supplier_id, priced, actor=actor, at=at, source_doc=source_doc, note=note)


def insert_order(conn: Connection, supplier_id: int, lines: list[tuple[int, Decimal, Decimal]], *, actor: Actor,
                 at: datetime, source_doc: str | None = None, note: str | None = None) -> str:
    """Write an order of (part id, qty, unit cost) lines inside the caller's transaction; its number."""
    order_no = next_number(conn, ORDER, at)
    order_id_ = conn.execute(
        insert(_order).values(number=order_no, supplier_id=supplier_id, state=OrderState.OPEN.value, created_at=at,
                              created_by=actor.id, source_doc=source_doc, note=note)
    ).inserted_primary_key[0]
    conn.execute(insert(_line), [
        {"order_id": order_id_, "line_no": n, "part_id": pid, "qty_ordered": qty, "qty_received": Decimal(0),
         "unit_cost": cost}
        for n, (pid, qty, cost) in enumerate(lines, start=1)
    ])
    return order_no


def order_id(conn: Connection, number: str) -> int:
    """The id of an order by its number, or NotFound."""
    found = conn.execute(select(_order.c.id).where(_order.c.number == (number or "").strip().upper())).scalar()
    if found is None:
        raise NotFound(_("unknown purchase order {number}").format(number=(number or "").strip().upper()))
    return found


def get_order(number: str, *, session: Session) -> OrderInfo:
    """An order with ordered, received and outstanding per line."""
    with read_only(session) as conn:
        oid = order_id(conn, number)
        head = conn.execute(
            select(_order.c.number, _order.c.state, _order.c.created_at, _order.c.source_doc, _supplier.c.code,
                   _supplier.c.name, _operator.c.code.label("operator"))
            .join(_supplier, _supplier.c.id == _order.c.supplier_id)
            .join(_operator, _operator.c.id == _order.c.created_by)
            .where(_order.c.id == oid)
        ).one()
        lines = conn.execute(
            select(_line.c.line_no, _part.c.part_no, _part.c.name, _line.c.qty_ordered, _line.c.qty_received,
                   _line.c.unit_cost)
            .join(_part, _part.c.id == _line.c.part_id)
            .where(_line.c.order_id == oid)
            .order_by(_line.c.line_no)
        ).all()
    return OrderInfo(
        head.number, head.code, head.name, head.state, head.created_at, head.operator, head.source_doc,
        tuple(OrderLineInfo(r.line_no, r.part_no, r.name, r.qty_ordered, r.qty_received, r.unit_cost) for r in lines),
    )


def list_orders(*, session: Session, state: str | None = None) -> list[OrderInfo]:
    """Every order, newest first, optionally in one state."""
    with read_only(session) as conn:
        statement = select(_order.c.number).order_by(_order.c.id.desc())
        if state:
            statement = statement.where(_order.c.state == state)
        numbers = list(conn.execute(statement).scalars())
    return [get_order(n, session=session) for n in numbers]


_RECEIVE_ON_LINE = (
    update(_line)
    .where(_line.c.order_id == bindparam("oid"), _line.c.part_id == bindparam("pid"))
    .values(qty_received=_line.c.qty_received + bindparam("qty"))
)


def book_received(conn: Connection, oid: int, received: dict[int, Decimal]) -> None:
    """Add received quantities (by part id) to an order's lines and move its state; inside the caller's transaction."""
    rows = [{"oid": oid, "pid": pid, "qty": qty} for pid, qty in received.items() if qty > 0]
    if rows:
        conn.execute(_RECEIVE_ON_LINE, rows)
    totals = conn.execute(
        select(func.count(), func.sum(case((_line.c.qty_received >= _line.c.qty_ordered, 1), else_=0)),
               func.count().filter(_line.c.qty_received > 0))
        .where(_line.c.order_id == oid)
    ).one()
    lines, complete, received_any = totals
    state = OrderState.OPEN
    if lines and complete == lines:
        state = OrderState.RECEIVED
    elif received_any:
        state = OrderState.PARTLY_RECEIVED
    conn.execute(update(_order).where(_order.c.id == oid, _order.c.state != OrderState.CLOSED.value)
                 .values(state=state.value))


def order_costs(conn: Connection, oid: int) -> dict[int, Decimal]:
    """The agreed unit cost per part id on an order."""
    return dict(conn.execute(select(_line.c.part_id, _line.c.unit_cost).where(_line.c.order_id == oid)).all())


def close_order(number: str, *, actor: Actor, session: Session) -> str:
    """Close an order: what is still outstanding will not come (planner)."""
    require(actor, Permission.MANAGE_ORDERS)
    with unit_of_work(session) as conn:
        oid = order_id(conn, number)
        state = conn.execute(select(_order.c.state).where(_order.c.id == oid)).scalar_one()
        if state == OrderState.CLOSED:
            raise RuleViolation(_("order {number} is already closed").format(number=number.upper()))
        conn.execute(update(_order).where(_order.c.id == oid).values(state=OrderState.CLOSED.value))
    return number.upper()


def set_part_supplier(part_no: str, supplier: str | None, *, actor: Actor, session: Session) -> str | None:
    """Name the supplier a part is ordered from (None: back to the station's manufacturer)."""
    require(actor, Permission.EDIT_PARTS)
    with unit_of_work(session) as conn:
        pid = part_id(conn, part_no)
        supplier_id = ensure_supplier(conn, supplier) if supplier else None
        conn.execute(update(_part).where(_part.c.id == pid).values(supplier_id=supplier_id))
    return supplier.strip().upper() if supplier else None
