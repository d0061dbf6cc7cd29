"""Purchase orders inside a transaction: numbered and written, found, read, and received against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from core import tables as t
from core.documents import ORDER, REPAIR_ORDER, SHORTAGE, next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.models import OrderState, ShortageState
from core.records.supersession import order_newest
from core.roles import Actor


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
    author_id: int = 0  # the operator the approval rule compares with the parts manager (core.order_rules)
    urgent: bool = False
    serves: tuple[str, ...] = ()  # the shortages (SHT-) or repair order (RO-) an urgent order serves
    approved_at: datetime | None = None
    approved_by: str | None = None
    sent_at: datetime | None = None
    sent_by: str | None = None


def insert_order(conn: Connection, supplier_id: int, lines: list[tuple[int, Decimal, Decimal]], *, actor: Actor,
                 at: datetime, source_doc: str | None = None, note: str | None = None,
                 serves: tuple[str, ...] = (), urgent: bool = False, approved: bool = False) -> str:
    """Write an order of (part id, qty, unit cost) lines inside the caller's transaction; its number.

    A superseded part's line is its newest number's (core.records.supersession.order_newest).
    Made from an approved draft it is `approved` already: the draft's chain approved it. An `urgent` order starts
    as a draft for the parts manager to approve. `serves` names the shortages or repair order it is for."""
    # Ordering a superseded number orders its newest one(s): the one place every order's lines pass.
    lines = order_newest(conn, lines)
    order_no = next_number(conn, ORDER.prefix, at)
    order_id_ = conn.execute(
        insert(t.purchase_order).values(
            number=order_no,
            supplier_id=supplier_id,
            state=(OrderState.APPROVED if approved else OrderState.DRAFT).value,
            created_at=at,
            created_by=actor.id,
            source_doc=source_doc,
            note=note,
            urgent=urgent,
            serves=", ".join(serves)[:500] or None,
            approved_at=at if approved else None,
            approved_by=actor.id if approved else None,
        )
    ).inserted_primary_key[0]
    conn.execute(insert(t.purchase_order_line), [
        {"order_id": order_id_, "line_no": n, "part_id": pid, "qty_ordered": qty, "qty_received": Decimal(0),
         "unit_cost": cost}
        for n, (pid, qty, cost) in enumerate(lines, start=1)
    ])
    return order_no


def served_documents(conn: Connection, numbers: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The shortages (SHT-) and repair orders (RO-) an urgent order serves, normalised; an unknown one is NotFound,
    a fulfilled shortage or another kind of document a RuleViolation."""
    served: list[str] = []
    for raw in numbers:
        number = (raw or "").strip().upper()
        if not number or number in served:
            continue
        if number.startswith(SHORTAGE.prefix + "-"):
            state = conn.execute(select(t.shortage.c.state).where(t.shortage.c.number == number)).scalar()
            if state is None:
                raise NotFound(_("unknown shortage {number}").format(number=number))
            if state == ShortageState.FULFILLED:
                raise RuleViolation(_("shortage {number} is already fulfilled: no urgent order for it").format(
                    number=number))
        elif number.startswith(REPAIR_ORDER.prefix + "-"):
            if conn.execute(select(t.repair_order.c.id).where(t.repair_order.c.ro_no == number)).scalar() is None:
                raise NotFound(_("unknown repair order {ro}").format(ro=number))
        else:
            raise BadInput(_("an urgent order serves a shortage (SHT-…) or a repair order (RO-…), not {number}")
                           .format(number=number), field="for")
        served.append(number)
    return tuple(served)


def order_id(conn: Connection, number: str) -> int:
    """The id of an order by its number, or NotFound."""
    found = conn.execute(
        select(t.purchase_order.c.id).where(t.purchase_order.c.number == (number or "").strip().upper())
    ).scalar()
    if found is None:
        raise NotFound(_("unknown purchase order {number}").format(number=(number or "").strip().upper()))
    return found


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
        select(
            func.count(),
            func.sum(case((t.purchase_order_line.c.qty_received >= t.purchase_order_line.c.qty_ordered, 1), else_=0)),
            func.count().filter(t.purchase_order_line.c.qty_received > 0),
        ).where(t.purchase_order_line.c.order_id == oid)
    ).one()
    lines, complete, received_any = totals
    state = OrderState.SENT
    if lines and complete == lines:
        state = OrderState.RECEIVED
    elif received_any:
        state = OrderState.PARTLY_RECEIVED
    conn.execute(
        update(t.purchase_order)
        .where(t.purchase_order.c.id == oid, t.purchase_order.c.state != OrderState.CLOSED.value)
        .values(state=state.value)
    )


def order_costs(conn: Connection, oid: int) -> dict[int, Decimal]:
    """The agreed unit cost per part id on an order."""
    return dict(
        conn.execute(
            select(t.purchase_order_line.c.part_id, t.purchase_order_line.c.unit_cost).where(
                t.purchase_order_line.c.order_id == oid
            )
        ).all()
    )


def _heads():
    """The select of orders' heads: the order, its supplier and the operators who made, approved and sent it."""
    po = t.purchase_order
    approver, sender = t.operator.alias("approver"), t.operator.alias("sender")
    return (
        select(po.c.id, po.c.number, po.c.state, po.c.created_at, po.c.created_by, po.c.source_doc, po.c.urgent,
               po.c.serves, po.c.approved_at, po.c.sent_at, t.supplier.c.code, t.supplier.c.name,
               t.operator.c.code.label("operator"), approver.c.code.label("approver"), sender.c.code.label("sender"))
        .join(t.supplier, t.supplier.c.id == po.c.supplier_id)
        .join(t.operator, t.operator.c.id == po.c.created_by)
        .outerjoin(approver, approver.c.id == po.c.approved_by)
        .outerjoin(sender, sender.c.id == po.c.sent_by)
    )


def _lines():
    """The select of orders' lines with their parts, by order then line number."""
    line = t.purchase_order_line
    return (
        select(line.c.order_id, line.c.line_no, t.part.c.part_no, t.part.c.name, line.c.qty_ordered,
               line.c.qty_received, line.c.unit_cost)
        .join(t.part, t.part.c.id == line.c.part_id)
        .order_by(line.c.order_id, line.c.line_no)
    )


def _order_info(head, lines) -> OrderInfo:
    return OrderInfo(
        head.number, head.code, head.name, head.state, head.created_at, head.operator, head.source_doc,
        tuple(OrderLineInfo(r.line_no, r.part_no, r.name, r.qty_ordered, r.qty_received, r.unit_cost) for r in lines),
        head.created_by, head.urgent, tuple(s.strip() for s in (head.serves or "").split(",") if s.strip()),
        head.approved_at, head.approver, head.sent_at, head.sender,
    )


def read_order(conn: Connection, oid: int) -> OrderInfo:
    """An order by id with ordered, received and outstanding per line."""
    head = conn.execute(_heads().where(t.purchase_order.c.id == oid)).one()
    lines = conn.execute(_lines().where(t.purchase_order_line.c.order_id == oid)).all()
    return _order_info(head, lines)


def orders_page(conn: Connection, *, before: int | None, limit: int, state: str | None = None
                ) -> list[tuple[int, OrderInfo]]:
    """Up to `limit` orders (id and order) newest first, those with an id below `before` (None: from the newest),
    optionally in one state: two statements a page (the heads, then the lines of the ids the page spans, the
    same filter joined), whatever the page's size; the next page starts below the last id."""
    po, line = t.purchase_order, t.purchase_order_line
    heads = _heads().order_by(po.c.id.desc()).limit(limit)
    if before is not None:
        heads = heads.where(po.c.id < before)
    if state:
        heads = heads.where(po.c.state == state)
    rows = conn.execute(heads).all()
    if not rows:
        return []
    # The page's ids are a range of the ids in that state: its lines are those of the same range and state.
    lines = _lines().join(po, po.c.id == line.c.order_id).where(line.c.order_id.between(rows[-1].id, rows[0].id))
    if state:
        lines = lines.where(po.c.state == state)
    by_order: dict[int, list] = {}
    for row in conn.execute(lines):
        by_order.setdefault(row.order_id, []).append(row)
    return [(head.id, _order_info(head, by_order.get(head.id, ()))) for head in rows]
