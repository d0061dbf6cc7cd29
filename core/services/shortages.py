"""Shortage registrations (缺件登记): logged by the advisor, answered by the parts department within 30 minutes,
fulfilled when a receipt brings the part."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, case, func, select, update

from core import clock
from core import tables as t
from core.decimals import fmt_qty, parse_qty
from core.documents import SHORTAGE, next_number
from core.errors import BadInput, NotFound
from core.i18n import _
from core.models import ShortageState, Solution
from core.records.catalog import check_whole, part_id
from core.records.orders import insert_order
from core.records.parties import known_supplier
from core.records.settings import read_settings
from core.records.special_orders import add_to_cycle_draft
from core.roles import Actor, Permission, require
from core.shortage_rules import ANSWER_WITHIN, check_answer, check_log
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class ShortageInfo:
    """A shortage with its countdown."""

    number: str
    part_no: str
    part_name: str
    qty: Decimal
    ro: str
    note: str | None
    state: str
    logged_at: datetime
    logged_by: str
    respond_by: datetime
    answered_at: datetime | None
    answered_by: str | None
    solution: str | None
    eta: datetime | None
    answer_note: str | None
    fulfilled_at: datetime | None
    fulfilled_by_doc: str | None
    overdue: bool  # not answered by respond_by (or answered after it)
    minutes_left: int  # until respond_by while unanswered; 0 once due or answered
    part_name_zh: str | None = None  # the part's Chinese name, which screens show in Chinese
    ordered_on: str | None = None  # the draft (PRQ-) or urgent order (PO-) an `order` or `urgent_purchase` opened


@retried
def log_shortage(part_no: str, qty: str | Decimal, ro: str, *, actor: Actor, uow: WriteUnit,
                 note: str | None = None) -> str:
    """Log a shortage against an open repair order (advisor, signed with their PIN). Returns its number."""
    require(actor, Permission.LOG_SHORTAGE)
    amount = parse_qty(qty)
    if amount <= 0:
        raise BadInput(_("a shortage needs a quantity above zero, not {qty}").format(qty=fmt_qty(amount)))
    at = clock.now()
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        check_whole(conn, [(part_no, amount)])
        ro_no = (ro or "").strip().upper()
        row = conn.execute(
            select(t.repair_order.c.id, t.repair_order.c.state).where(t.repair_order.c.ro_no == ro_no)
        ).first()
        if row is None:
            raise NotFound(_("unknown repair order {ro}").format(ro=ro_no or repr(ro)))
        check_log(actor, ro_no, row.state)
        number = next_number(conn, SHORTAGE.prefix, at)
        conn.execute(t.shortage.insert().values(
            number=number, part_id=pid, qty=amount, repair_order_id=row.id, note=(note or "").strip() or None,
            state=ShortageState.OPEN.value, logged_at=at, logged_by=actor.id))
    return number


def parse_eta(text: str) -> datetime:
    """An ETA as typed: ISO date or date and time ('2026-11-27', '2026-11-27 14:00'), local time."""
    raw = (text or "").strip()
    try:
        value = datetime.fromisoformat(raw.replace("T", " ") if "T" in raw else raw)
    except ValueError:
        raise BadInput(_("ETA {value!r} is not a date and time like 2026-11-27 14:00").format(value=text),
                       field="eta") from None
    if value.tzinfo is None:
        value = value.astimezone()  # the station's local time, as people type it
    return value


@retried
def answer_shortage(number: str, solution: str, eta: datetime, *, actor: Actor, uow: WriteUnit,
                    note: str | None = None) -> ShortageInfo:
    """Answer a shortage with a solution and an expected time (planner or parts manager); only once.

    Answered with `order`, its quantity goes on the current cycle's draft (订单底稿) as a line of its own, tagged
    with the shortage and its repair order (a special order for that customer); with `urgent_purchase`, it opens
    an urgent order for it, a draft waiting for the parts manager's approval. Either is refused, with the answer,
    where it cannot be done."""
    require(actor, Permission.ANSWER_SHORTAGE)
    try:
        chosen = Solution(solution)
    except ValueError:
        raise BadInput(_("unknown solution {solution!r}; the solutions are {known}").format(
            solution=solution, known=", ".join(s.value for s in Solution)), field="solution") from None
    at = clock.now()
    if eta <= at:
        raise BadInput(_("the ETA {eta} is in the past").format(eta=eta.astimezone().strftime("%Y-%m-%d %H:%M")),
                       field="eta")
    with uow.write() as conn:
        row = _row(conn, number, lock=True)
        check_answer(actor, row.number, row.state)
        conn.execute(update(t.shortage).where(t.shortage.c.id == row.id).values(
            state=ShortageState.ANSWERED.value, answered_at=at, answered_by=actor.id, solution=chosen.value, eta=eta,
            answer_note=(note or "").strip() or None))
        if chosen == Solution.ORDER:
            add_to_cycle_draft(conn, row, actor, at)
        elif chosen == Solution.URGENT_PURCHASE:
            _urgent_order(conn, row, actor, at)
    return get_shortage(number, uow=uow)


def _urgent_order(conn: Connection, row, actor: Actor, at: datetime) -> str:
    """An urgent order for the shortage: its part and quantity from the part's supplier (else the manufacturer) at
    the list price, a draft for the parts manager to approve."""
    part = conn.execute(select(t.part.c.supplier_id, t.part.c.list_price).where(t.part.c.id == row.part_id)).one()
    supplier_id = part.supplier_id or known_supplier(conn, read_settings(conn)["manufacturer"])
    return insert_order(conn, supplier_id, [(row.part_id, row.qty, part.list_price)], actor=actor, at=at,
                        serves=(row.number,), urgent=True)


def ordered_on(conn: Connection, shortage_id: int, number: str) -> str | None:
    """The draft whose line answers a shortage, else the order that names it, else None."""
    request = conn.execute(
        select(t.purchase_request.c.number)
        .join(t.purchase_request_line, t.purchase_request_line.c.request_id == t.purchase_request.c.id)
        .where(t.purchase_request_line.c.shortage_id == shortage_id)).scalar()
    if request is not None:
        return request
    return conn.execute(select(t.purchase_order.c.number).where(t.purchase_order.c.serves.contains(number))
                        .order_by(t.purchase_order.c.id)).scalars().first()


def _row(conn: Connection, number: str, *, lock: bool = False):
    normalised = (number or "").strip().upper()
    statement = select(t.shortage).where(t.shortage.c.number == normalised)
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown shortage {number}").format(number=normalised or repr(number)))
    return row


def _select():
    logger = t.operator.alias("logger")
    answerer = t.operator.alias("answerer")
    return (
        select(t.shortage, t.part.c.part_no, t.part.c.name.label("part_name"),
               t.part.c.name_zh.label("part_name_zh"), t.repair_order.c.ro_no,
               logger.c.code.label("logger"), answerer.c.code.label("answerer"))
        .select_from(t.shortage.join(t.part, t.part.c.id == t.shortage.c.part_id)
                     .join(t.repair_order, t.repair_order.c.id == t.shortage.c.repair_order_id)
                     .join(logger, logger.c.id == t.shortage.c.logged_by)
                     .outerjoin(answerer, answerer.c.id == t.shortage.c.answered_by))
    )


def _info(row, now: datetime) -> ShortageInfo:
    respond_by = row.logged_at + ANSWER_WITHIN
    if row.answered_at is None:
        # Due at exactly 30 minutes: "within 30 minutes" leaves no 31st.
        overdue = row.state == ShortageState.OPEN and now >= respond_by
        minutes_left = max(0, math.ceil((respond_by - now).total_seconds() / 60))
    else:
        overdue = row.answered_at > respond_by
        minutes_left = 0
    return ShortageInfo(
        row.number, row.part_no, row.part_name, row.qty, row.ro_no, row.note, row.state, row.logged_at, row.logger,
        respond_by, row.answered_at, row.answerer, row.solution, row.eta, row.answer_note, row.fulfilled_at,
        row.fulfilled_by_doc, overdue, minutes_left, row.part_name_zh)


def get_shortage(number: str, *, uow: ReadUnit) -> ShortageInfo:
    """One shortage with its countdown."""
    with uow.read() as conn:
        row = _row(conn, number)
        info = _info(conn.execute(_select().where(t.shortage.c.id == row.id)).one(), clock.now())
        return replace(info, ordered_on=ordered_on(conn, row.id, row.number))


def list_shortages(*, uow: ReadUnit, open_only: bool = False, ro: str | None = None) -> list[ShortageInfo]:
    """Shortages, the most urgent first (unanswered by deadline, then the rest newest first)."""
    statement = _select()
    if open_only:
        statement = statement.where(t.shortage.c.state != ShortageState.FULFILLED.value)
    if ro:
        statement = statement.where(t.repair_order.c.ro_no == ro.strip().upper())
    now = clock.now()
    with uow.read() as conn:
        rows = [_info(r, now) for r in conn.execute(statement.order_by(t.shortage.c.id.desc()))]
    return sorted(rows, key=lambda s: (s.state != ShortageState.OPEN, s.respond_by if s.state == "open" else now,
                                       -s.logged_at.timestamp()))


@dataclass(frozen=True, slots=True)
class ShortagePage:
    """One page of the shortages an operator follows, with the counts of them all."""

    rows: list[ShortageInfo]
    total: int  # every shortage listed (not fulfilled; with `unanswered`, open only)
    open: int  # of them, still to answer
    overdue: int  # of the open ones, past their 30 minutes


def shortages_page(*, uow: ReadUnit, limit: int, offset: int = 0, logged_by: str | None = None,
                   unanswered: bool = False, fulfilled: bool = False) -> ShortagePage:
    """`limit` shortages not fulfilled from `offset`, the most urgent first (as list_shortages orders them), with
    the counts of all of them: only an advisor's own with `logged_by` (his code), only those still to answer with
    `unanswered`. SQL orders, counts and pages: a screen reads no more rows than it shows."""
    now = clock.now()
    shortage = t.shortage
    is_open = shortage.c.state == ShortageState.OPEN.value
    conditions = [is_open] if unanswered else [] if fulfilled else [shortage.c.state != ShortageState.FULFILLED.value]
    if logged_by is not None:
        conditions.append(shortage.c.logged_by.in_(select(t.operator.c.id).where(t.operator.c.code == logged_by)))
    # Open first by their deadline (respond_by is logged_at + 30 minutes), then the answered newest first.
    order = (case((is_open, 0), else_=1), case((is_open, shortage.c.logged_at), else_=None),
             shortage.c.logged_at.desc(), shortage.c.id.desc())
    # Counted and paged on the shortage table alone; only the page's rows are joined to their part and order.
    page = (select(shortage.c.id).where(*conditions).order_by(*order).limit(max(0, limit))
            .offset(max(0, offset)).scalar_subquery())
    with uow.read() as conn:
        total, open_, overdue = conn.execute(select(
            func.count(), func.count().filter(is_open),
            func.count().filter(is_open, shortage.c.logged_at <= now - ANSWER_WITHIN),
        ).select_from(shortage).where(*conditions)).one()
        rows = conn.execute(_select().where(shortage.c.id.in_(page)).order_by(*order)).all() if limit > 0 else []
    return ShortagePage([_info(r, now) for r in rows], total, open_, overdue)
