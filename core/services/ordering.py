"""From approved drafts to orders, the order file for the manufacturer, and chasing orders in transit (催货)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import case, func, insert, select

from core import clock
from core import tables as t
from core.errors import BadInput, RuleViolation
from core.files import write_file
from core.i18n import _
from core.order_rules import EXPECTED_STATES, ON_ORDER_STATES, check_chase
from core.records.orders import insert_order, order_id, read_order
from core.records.parties import known_supplier
from core.records.requests import mark_ordered, request_row
from core.records.settings import read_settings
from core.records.supersession import newest_numbers
from core.roles import Actor, Permission, require
from core.tabular import csv_bytes, xlsx_bytes
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class TransitOrder:
    """An order on its way: its ETA from the last chase, when it was last chased, how late it is."""

    number: str
    supplier: str
    state: str
    created_at: datetime
    outstanding_lines: int
    eta: datetime | None
    last_chased: datetime | None
    last_note: str | None
    days_late: int
    author_id: int = 0  # who made it: never the one who approves it (core.order_rules.check_approve)
    urgent: bool = False
    serves: str | None = None  # the shortages or repair order an urgent order serves


@retried
def orders_from_request(number: str, *, actor: Actor, uow: WriteUnit) -> list[str]:
    """One order per supplier from an approved draft (planner): a part's own supplier, else the manufacturer."""
    require(actor, Permission.PLAN_ORDERS)
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        manufacturer = known_supplier(conn, read_settings(conn)["manufacturer"])
        lines = conn.execute(
            select(
                t.purchase_request_line.c.part_id,
                t.purchase_request_line.c.qty,
                t.part.c.list_price,
                t.part.c.supplier_id,
                t.shortage.c.number.label("shortage"),
            )
            .join(t.part, t.part.c.id == t.purchase_request_line.c.part_id)
            .outerjoin(t.shortage, t.shortage.c.id == t.purchase_request_line.c.shortage_id)
            .where(t.purchase_request_line.c.request_id == row.id, t.purchase_request_line.c.qty > 0)
            .order_by(t.part.c.part_no, t.purchase_request_line.c.id)
        ).all()
        # A part's cycle line and its shortages' lines are one order line; the order names the shortages.
        by_supplier: dict[int, dict[int, list]] = defaultdict(dict)
        serves: dict[int, list[str]] = defaultdict(list)
        for line in lines:
            supplier_id = line.supplier_id or manufacturer
            held = by_supplier[supplier_id].setdefault(line.part_id, [line.part_id, 0, line.list_price])
            held[1] += line.qty
            if line.shortage:
                serves[supplier_id].append(line.shortage)
        codes = dict(conn.execute(select(t.supplier.c.id, t.supplier.c.code)).all())
        if not by_supplier:
            raise RuleViolation(_("request {number} has no line to order").format(number=row.number))
        # The draft's approval chain approved them (审批完《订单底稿》): the planner sends them next.
        orders = [insert_order(conn, supplier_id, [tuple(held) for held in by_supplier[supplier_id].values()],
                               actor=actor, at=at, source_doc=row.number, serves=tuple(serves[supplier_id]),
                               approved=True)
                  for supplier_id in sorted(by_supplier, key=lambda s: codes[s])]
        mark_ordered(conn, number, actor, at, orders)
    return orders


def request_redirects(number: str, *, uow: ReadUnit) -> dict[str, tuple[str, ...]]:
    """The superseded numbers on a draft's lines (set before they were superseded), each with the newest number(s)
    its order line will be (core.records.orders.insert_order): said when the orders are made."""
    with uow.read() as conn:
        row = request_row(conn, number)
        line, part = t.purchase_request_line, t.part
        numbers = conn.execute(select(part.c.part_no).join(line, line.c.part_id == part.c.id)
                               .where(line.c.request_id == row.id, line.c.qty > 0)).scalars().all()
        return newest_numbers(conn, numbers)


def chase_order(number: str, note: str, *, actor: Actor, uow: WriteUnit, eta: datetime | None = None) -> TransitOrder:
    """Log a follow-up with the supplier (planner), with the ETA it gave if any; never on a finished order."""
    require(actor, Permission.MANAGE_ORDERS)
    note = (note or "").strip()
    if not note:
        raise BadInput(_("a follow-up needs a note: who was called and what they said"), field="note")
    at = clock.now()
    if eta is not None and eta <= at:
        raise BadInput(_("the ETA {eta} is in the past").format(eta=eta.astimezone().strftime("%Y-%m-%d %H:%M")),
                       field="eta")
    with uow.write() as conn:
        oid = order_id(conn, number)
        state = conn.execute(select(t.purchase_order.c.state).where(t.purchase_order.c.id == oid)).scalar_one()
        check_chase(actor, number, state)
        conn.execute(insert(t.order_chase).values(order_id=oid, at=at, operator_id=actor.id, note=note[:500], eta=eta))
    return next(order for order in transit_orders(uow=uow) if order.number == number.strip().upper())


def transit_orders(*, uow: ReadUnit, unsent: bool = False) -> list[TransitOrder]:
    """Orders still expected (sent or partly received), the latest first by lateness; with `unsent` also the
    orders not sent yet (draft, approved), for the parts manager to approve and the planner to send."""
    now = clock.now()
    states = ON_ORDER_STATES if unsent else EXPECTED_STATES
    expected = t.purchase_order.c.state.in_(sorted(state.value for state in states))
    # The orders' own ids come from the database: their lines and chases are read through a subquery of the same
    # orders, never as a list of ids (a list as long as the orders is refused past the databases' limits).
    chosen = select(t.purchase_order.c.id).where(expected)
    with uow.read() as conn:
        orders = conn.execute(
            select(
                t.purchase_order.c.id,
                t.purchase_order.c.number,
                t.purchase_order.c.state,
                t.purchase_order.c.created_at,
                t.purchase_order.c.created_by,
                t.purchase_order.c.urgent,
                t.purchase_order.c.serves,
                t.supplier.c.code,
            )
            .join(t.supplier, t.supplier.c.id == t.purchase_order.c.supplier_id)
            .where(expected)
        ).all()
        if not orders:
            return []
        outstanding = dict(
            conn.execute(
                select(t.purchase_order_line.c.order_id, func.count())
                .where(
                    t.purchase_order_line.c.order_id.in_(chosen),
                    t.purchase_order_line.c.qty_received < t.purchase_order_line.c.qty_ordered,
                )
                .group_by(t.purchase_order_line.c.order_id)
            ).all()
        )
        chases: dict[int, list] = defaultdict(list)
        for chase in conn.execute(
            select(t.order_chase).where(t.order_chase.c.order_id.in_(chosen)).order_by(t.order_chase.c.id)
        ):
            chases[chase.order_id].append(chase)
    result = []
    for order in orders:
        history = chases.get(order.id, [])
        etas = [c.eta for c in history if c.eta is not None]
        eta = etas[-1] if etas else None
        late = (now - eta).days if eta is not None and now > eta else 0
        result.append(TransitOrder(order.number, order.code, order.state, order.created_at,
                                   outstanding.get(order.id, 0), eta, history[-1].at if history else None,
                                   history[-1].note if history else None, late, order.created_by, order.urgent,
                                   order.serves))
    return sorted(result, key=lambda order: (-order.days_late, order.eta or order.created_at, order.number))


def export_order(number: str, path: str | Path, *, uow: ReadUnit, force: bool = False) -> Path:
    """The order file for the manufacturer: CSV or XLSX by the file's extension, cells escaped (core.tabular),
    written whole or not at all; an existing file is replaced only with `force`."""
    with uow.read() as conn:
        order = read_order(conn, order_id(conn, number))
    target = Path(path)
    header = ["po", "supplier", "line", "part_no", "description", "qty", "unit_price"]
    rows = [[order.number, order.supplier, line.line_no, line.part_no, line.name, format(line.ordered.normalize(), "f"),
             format(line.unit_cost, "f")] for line in order.lines]
    if target.suffix.lower() == ".xlsx":
        data = xlsx_bytes(order.number, header, rows)
    elif target.suffix.lower() == ".csv":
        data = csv_bytes(header, rows)
    else:
        raise BadInput(_("the order file is .csv or .xlsx, not {name}").format(name=target.name))
    return write_file(target, data, force=force)


@dataclass(frozen=True, slots=True)
class OrderPage:
    """One page of orders, with how many there are in all."""

    rows: list[TransitOrder]
    total: int


def late_orders_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> OrderPage:
    """`limit` orders late in transit (sent or partly received, their last ETA passed) from `offset`, the latest
    first (as transit_orders orders them), with how many are late in all. SQL finds each order's last chase and
    ETA, orders, counts and pages: a screen reads no more rows than it shows."""
    return _orders_page(uow, EXPECTED_STATES, late=True, limit=limit, offset=offset)


def unsent_orders(*, uow: ReadUnit, limit: int = 200) -> OrderPage:
    """The orders not sent yet (draft, approved), oldest ETA first, for the parts manager to approve and the
    planner to send: the first `limit` of them and how many there are, without the orders in transit."""
    return _orders_page(uow, ON_ORDER_STATES - EXPECTED_STATES, late=False, limit=limit, offset=0)


class _OrderSource:
    """What both paged reads of orders select from: each order with its supplier, its last chase, the last chase
    that gave an ETA and how many of its lines are still outstanding, all found in SQL per order."""

    def __init__(self, *, eta_required: bool) -> None:
        order = self.order = t.purchase_order
        self.last, self.with_eta = t.order_chase.alias("last_chase"), t.order_chase.alias("eta_chase")
        newest = select(func.max(t.order_chase.c.id)).where(t.order_chase.c.order_id == order.c.id).correlate(order)
        newest_eta = newest.where(t.order_chase.c.eta.is_not(None))
        outstanding = (select(func.count()).where(
            t.purchase_order_line.c.order_id == order.c.id,
            t.purchase_order_line.c.qty_received < t.purchase_order_line.c.qty_ordered).correlate(order)
            .scalar_subquery())
        joined = order.join(t.supplier, t.supplier.c.id == order.c.supplier_id)
        # A late order has an ETA (inner join); other orders may have none yet.
        joined = (joined.join if eta_required else joined.outerjoin)(
            self.with_eta, self.with_eta.c.id == newest_eta.scalar_subquery())
        self.joined = joined.outerjoin(self.last, self.last.c.id == newest.scalar_subquery())
        self.columns = (order.c.number, order.c.state, order.c.created_at, order.c.created_by, order.c.urgent,
                        order.c.serves, t.supplier.c.code, outstanding.label("outstanding"), self.with_eta.c.eta,
                        self.last.c.at.label("chased_at"), self.last.c.note.label("chase_note"))

    @staticmethod
    def orders(rows, now: datetime) -> list[TransitOrder]:
        """The rows read as the transit list shows them, with their whole days late."""
        return [TransitOrder(r.number, r.code, r.state, r.created_at, r.outstanding, r.eta, r.chased_at, r.chase_note,
                             (now - r.eta).days if r.eta is not None and now > r.eta else 0, r.created_by, r.urgent,
                             r.serves)
                for r in rows]


def _orders_page(uow: ReadUnit, states, *, late: bool, limit: int, offset: int) -> OrderPage:
    now = clock.now()
    source = _OrderSource(eta_required=late)
    where = [source.order.c.state.in_(sorted(state.value for state in states))]
    if late:
        where.append(source.with_eta.c.eta < now)
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(source.joined).where(*where)).scalar_one()
        rows = conn.execute(
            select(*source.columns).select_from(source.joined).where(*where)
            # days late falls as the ETA rises: the ETA ascending is the latest first; no ETA: by creation.
            .order_by(func.coalesce(source.with_eta.c.eta, source.order.c.created_at), source.order.c.number)
            .limit(max(0, limit)).offset(max(0, offset))).all()
    return OrderPage(_OrderSource.orders(rows, now), total)


@dataclass(frozen=True, slots=True)
class TransitPage:
    """One page of the transit list (orders expected and not sent yet), with the counts of the whole list."""

    rows: list[TransitOrder]
    total: int
    late: int  # past their last ETA
    unsent: int  # drafted or approved, not sent to the maker yet


def transit_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> TransitPage:
    """`limit` orders of the transit screen from `offset` (expected and not sent yet), in transit_orders' order
    (most days late first, then by ETA, else creation, then number), with the counts of all of them. SQL finds
    each order's last chase and ETA, orders, counts and pages: the screen reads no more rows than it shows."""
    now = clock.now()
    source = _OrderSource(eta_required=False)
    order, eta = source.order, source.with_eta.c.eta
    where = order.c.state.in_(sorted(state.value for state in ON_ORDER_STATES))
    expected = sorted(state.value for state in EXPECTED_STATES)
    # transit_orders sorts by whole days late, descending, then the ETA: every order a day late or more comes
    # first by its ETA (days late falls as the ETA rises), then the rest by ETA or creation; no date arithmetic
    # in SQL, so the same on every database.
    days_late = case((eta <= now - timedelta(days=1), 0), else_=1)
    with uow.read() as conn:
        counts = conn.execute(
            select(func.count(), func.count().filter(eta < now), func.count().filter(order.c.state.not_in(expected)))
            .select_from(source.joined).where(where)).one()
        rows = conn.execute(
            select(*source.columns).select_from(source.joined).where(where)
            .order_by(days_late, func.coalesce(eta, order.c.created_at), order.c.number)
            .limit(max(0, limit)).offset(max(0, offset))).all()
    return TransitPage(_OrderSource.orders(rows, now), counts[0], counts[1], counts[2])


def order_list_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> OrderPage:
    """`limit` orders in every state from `offset`, the newest first, each with its last chase, ETA and days late
    as the transit list shows them, and how many orders there are: the planner's list of orders, a page at a
    time however many the station has."""
    now = clock.now()
    source = _OrderSource(eta_required=False)
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(t.purchase_order)).scalar_one()
        rows = conn.execute(
            select(*source.columns).select_from(source.joined)
            .order_by(source.order.c.id.desc()).limit(max(0, limit)).offset(max(0, offset))).all()
    return OrderPage(_OrderSource.orders(rows, now), total)
