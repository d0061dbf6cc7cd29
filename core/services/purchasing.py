"""Suppliers, carriers and purchase orders: as much of ordering as receiving needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update

from core import clock
from core import tables as t
from core.codes import normalise_part_no
from core.decimals import parse_money, parse_qty
from core.errors import BadInput, RuleViolation
from core.i18n import _
from core.models import (
    OrderState,
)
from core.order_rules import check_approve, check_close, check_send, check_urgent
from core.records.catalog import check_whole, part_id
from core.records.orders import OrderInfo, insert_order, order_id, orders_page, read_order, served_documents
from core.records.part_audit import audited_part_edit
from core.records.parties import ensure_carrier, insert_supplier, known_supplier, party_code
from core.roles import Actor, Permission, require
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    """A line asked for on `po create --urgent`: part, quantity, and optionally the agreed unit cost."""

    part_no: str
    qty: Decimal
    unit_cost: Decimal | None


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


def add_supplier(code: str, name: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Register a supplier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        code = party_code(code, _("supplier"))
        if conn.execute(select(t.supplier.c.id).where(t.supplier.c.code == code)).first():
            raise RuleViolation(_("supplier {code} already exists").format(code=code))
        insert_supplier(conn, code, name)
    return code


def name_supplier(code: str, name: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Give a registered supplier its full name (planner, parts manager): the station's manufacturer is
    registered at set-up under its code."""
    require(actor, Permission.MANAGE_ORDERS)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise BadInput(_("a supplier's name is 1 to 200 characters"), field="name")
    with uow.write() as conn:
        supplier_id = known_supplier(conn, code)
        conn.execute(update(t.supplier).where(t.supplier.c.id == supplier_id).values(name=name))
    return party_code(code, _("supplier"))


def add_carrier(code: str, name: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Register a carrier with its name (planner, parts manager)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        code = party_code(code, _("carrier"))
        if conn.execute(select(t.carrier.c.id).where(t.carrier.c.code == code)).first():
            raise RuleViolation(_("carrier {code} already exists").format(code=code))
        ensure_carrier(conn, code, name)
    return code


def list_parties(*, uow: ReadUnit) -> dict[str, list[tuple[str, str]]]:
    """Suppliers and carriers as (code, name), by code."""
    with uow.read() as conn:
        return {
            "suppliers": [
                tuple(r) for r in conn.execute(select(t.supplier.c.code, t.supplier.c.name).order_by(t.supplier.c.code))
            ],
            "carriers": [
                tuple(r) for r in conn.execute(select(t.carrier.c.code, t.carrier.c.name).order_by(t.carrier.c.code))
            ],
        }


def create_urgent_order(
    supplier: str, lines: list[OrderLineRequest], serves: list[str], *, actor: Actor, uow: WriteUnit,
    note: str | None = None,
) -> str:
    """An urgent order for a shortage that cannot wait for the cycle's draft (planner, parts manager): it names
    the shortages (SHT-) or repair order (RO-) it serves and starts as a draft the parts manager approves.
    A line without a cost takes the part's list price. Returns its number."""
    require(actor, Permission.MANAGE_ORDERS)
    check_urgent(True, serves)
    if not lines:
        raise BadInput(_("an order needs at least one line"))
    seen: set[str] = set()
    for line in lines:
        if line.part_no in seen:
            raise BadInput(_("part {part_no} is on the order twice").format(part_no=line.part_no))
        seen.add(line.part_no)
    at = clock.now()
    with uow.write() as conn:
        supplier_id = known_supplier(conn, supplier)
        check_whole(conn, [(line.part_no, line.qty) for line in lines])
        priced = []
        for line in lines:
            pid = part_id(conn, line.part_no)
            cost = line.unit_cost
            if cost is None:
                cost = conn.execute(select(t.part.c.list_price).where(t.part.c.id == pid)).scalar_one()
            priced.append((pid, line.qty, cost))
        served = served_documents(conn, serves)
        return insert_order(conn, supplier_id, priced, actor=actor, at=at, note=note, serves=served, urgent=True)


@retried
def approve_order(number: str, *, actor: Actor, uow: WriteUnit) -> OrderInfo:
    """The parts manager approves a drafted order (相关审核), never his own; stamped with who and when."""
    with uow.write() as conn:
        head = _order_head(conn, number)
        check_approve(actor, head.number, head.state, head.created_by)
        conn.execute(update(t.purchase_order).where(t.purchase_order.c.id == head.id).values(
            state=OrderState.APPROVED.value, approved_at=clock.now(), approved_by=actor.id))
        return read_order(conn, head.id)


@retried
def send_order(number: str, *, actor: Actor, uow: WriteUnit) -> OrderInfo:
    """The planner sends an approved order to the maker (发往厂家): from now it is expected, chased and received
    against; stamped with who and when. `po export` writes the order file to send."""
    with uow.write() as conn:
        head = _order_head(conn, number)
        check_send(actor, head.number, head.state)
        conn.execute(update(t.purchase_order).where(t.purchase_order.c.id == head.id).values(
            state=OrderState.SENT.value, sent_at=clock.now(), sent_by=actor.id))
        return read_order(conn, head.id)


def _order_head(conn, number: str):
    oid = order_id(conn, number)
    return conn.execute(select(t.purchase_order.c.id, t.purchase_order.c.number, t.purchase_order.c.state,
                               t.purchase_order.c.created_by)
                        .where(t.purchase_order.c.id == oid).with_for_update()).one()


def get_order(number: str, *, uow: ReadUnit) -> OrderInfo:
    """An order with ordered, received and outstanding per line."""
    with uow.read() as conn:
        return read_order(conn, order_id(conn, number))


# Orders read at a time by iter_orders: what `po list` holds in memory, however many orders the station has.
ORDERS_PAGE = 500


def list_orders(*, uow: ReadUnit, state: str | None = None) -> list[OrderInfo]:
    """Every order, newest first, optionally in one state (an unknown state is BadInput naming the states)."""
    return list(iter_orders(uow=uow, state=state))


def iter_orders(*, uow: ReadUnit, state: str | None = None) -> Iterator[OrderInfo]:
    """The orders of list_orders, yielded a page (ORDERS_PAGE) at a time inside one read block (one snapshot):
    memory stays flat however many orders. An unknown state is BadInput before the first order, even when the
    iterator is only made (the check runs here, not at the first next())."""
    if state and state not in {s.value for s in OrderState}:
        raise BadInput(_("unknown order state {state!r}; the states are {states}").format(
            state=state, states=", ".join(s.value for s in OrderState)))
    return _pages_of_orders(uow, state)


def _pages_of_orders(uow: ReadUnit, state: str | None) -> Iterator[OrderInfo]:
    with uow.read() as conn:
        before = None
        while page := orders_page(conn, before=before, limit=ORDERS_PAGE, state=state):
            for _oid, order in page:
                yield order
            before = page[-1][0]


def close_order(number: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Close an order: what is still outstanding will not come (planner)."""
    require(actor, Permission.MANAGE_ORDERS)
    with uow.write() as conn:
        oid = order_id(conn, number)
        state = conn.execute(select(t.purchase_order.c.state).where(t.purchase_order.c.id == oid)).scalar_one()
        check_close(actor, number, state)
        conn.execute(update(t.purchase_order).where(t.purchase_order.c.id == oid).values(state=OrderState.CLOSED.value))
    return number.upper()


def set_part_supplier(part_no: str, supplier: str | None, *, actor: Actor, uow: WriteUnit) -> str | None:
    """Name the supplier a part is ordered from (None: back to the station's manufacturer); a change is an audit
    row."""
    require(actor, Permission.EDIT_PARTS)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        supplier_id = known_supplier(conn, supplier) if supplier else None
        with audited_part_edit(conn, pid, operator=actor.code):
            conn.execute(update(t.part).where(t.part.c.id == pid).values(supplier_id=supplier_id))
    return supplier.strip().upper() if supplier else None
