"""The planner's view of a purchase-request draft a page at a time: which draft is the current cycle's, its head
(state, whom it waits for, the jumps still without a reason), and a page of its lines with each part's consumption
over the last cycles beside it. A draft of a big station has tens of thousands of lines: a screen reads only the
page it shows, never the whole draft (core.services.requests.get_request reads it all, for the CLI). The review
reads a draft the same way: its head, counts and value by SQL, its lines a page at a time (review_draft)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, func, literal, select

from core import clock
from core import tables as t
from core.approvals import ChainSteps
from core.decimals import qty
from core.models import RequestState
from core.records.demand import _check_cycle, cycle_start, cycle_sums, history_starts
from core.records.pricing import purchase_cost
from core.records.report_stock import as_int
from core.records.report_stock import raw as stored
from core.records.requests import request_row
from core.records.settings import read_settings
from core.roles import Actor
from core.services.requests import (
    RequestEventInfo,
    RequestLineInfo,
    approved_roles,
    chain_steps,
    check_state,
    draft_history,
    last_step_revision,
    waiting_for_roles,
    waiting_rows,
)
from core.units import ReadUnit

# Completed cycles of consumption shown beside each line (the forecast view shows twelve for one part).
HISTORY_CYCLES = 6
ZERO = Decimal(0)
# A quantity in thousandths times a cost in cents: a value in 1/100,000 of money.
VALUE_PLACES = 5


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What every view of a draft starts with: its number and state, the cycle it plans, who drafted it and when."""

    number: str
    state: str
    cycle: str
    cycle_start: date
    author: str
    author_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DraftHead(DraftFacts):
    """A draft without its lines: what the planning screen's title says about it."""

    waiting_for: tuple[str, ...]
    lines: int
    unexplained: int  # lines whose forecast jumps against history and that have no reason yet
    rejection: str | None  # why it was last sent back, while it is returned


@dataclass(frozen=True, slots=True)
class DraftPage:
    """A page of a draft's lines, each part's consumption over the last cycles, and how many lines in all."""

    head: DraftHead
    lines: list[RequestLineInfo]
    history: dict[str, tuple[Decimal, ...]]  # by part number: consumption per cycle, oldest first
    cycles: tuple[date, ...]  # the starts of the cycles of `history`, oldest first
    total: int


def current_draft(*, uow: ReadUnit) -> str | None:
    """The draft the planner works on now: the newest one not ordered yet, else the newest of the current cycle
    (already ordered), else None (the cycle has none: the planner drafts it)."""
    request = t.purchase_request.c
    with uow.read() as conn:
        open_one = conn.execute(select(request.number).where(request.state != RequestState.ORDERED.value)
                                .order_by(request.id.desc()).limit(1)).scalar()
        if open_one is not None:
            return open_one
        cycle = _check_cycle(None, read_settings(conn))
        start = cycle_start(clock.now().date(), cycle)
        rows = conn.execute(select(request.number, request.cycle_start).where(request.cycle == cycle)
                            .order_by(request.id.desc()).limit(20)).all()
    # Compared as dates: SQLite hands the stored start back without its time zone.
    return next((r.number for r in rows if r.cycle_start.date() == start), None)


def draft_page(number: str, *, uow: ReadUnit, limit: int, offset: int = 0) -> DraftPage:
    """`limit` lines of draft `number` from `offset`, by part number (the review's order), with the head and
    each line's part's consumption over the last HISTORY_CYCLES completed cycles (NotFound for no such draft)."""
    with uow.read() as conn:
        row = request_row(conn, number)
        head = _head(conn, row)
        rows = _line_rows(conn, row.id, last_step_revision(conn, row.id), limit, offset)
        cycles, consumed = _history(conn, row.cycle, {r.part_id: line.part_no for r, line in rows})
    return DraftPage(head, [line for _r, line in rows], consumed, cycles, head.lines)


def _line_rows(conn: Connection, request_id: int, since: int | None, limit: int, offset: int, costs: bool = False):
    """`limit` lines of a draft from `offset`, by part number and line: (row, RequestLineInfo) pairs, each row
    with its part id (and, with `costs`, what the part costs to buy: core.records.pricing.purchase_cost)."""
    line, part = t.purchase_request_line, t.part
    extra = [purchase_cost(line.c.part_id, part.c.list_price).label("cost")] if costs else []
    rows = conn.execute(
        select(line.c.part_id, line.c.forecast, line.c.suggested, line.c.qty, line.c.flagged, line.c.reason,
               line.c.changed_revision, part.c.part_no, part.c.name, part.c.name_zh,
               t.shortage.c.number.label("shortage_no"), t.repair_order.c.ro_no, *extra)
        .join(part, part.c.id == line.c.part_id)
        .outerjoin(t.shortage, t.shortage.c.id == line.c.shortage_id)
        .outerjoin(t.repair_order, t.repair_order.c.id == t.shortage.c.repair_order_id)
        .where(line.c.request_id == request_id)
        .order_by(part.c.part_no, line.c.id)
        .limit(max(0, limit)).offset(max(0, offset))).all()
    return [(r, RequestLineInfo(r.part_no, r.name, r.forecast, r.suggested, r.qty, r.flagged, r.reason,
                                since is not None and r.changed_revision > since, r.name_zh,
                                shortage=r.shortage_no, ro=r.ro_no)) for r in rows]


def _facts(conn: Connection, row) -> tuple:
    """DraftFacts' fields of a purchase_request row, in their order (its author's code read)."""
    author = conn.execute(select(t.operator.c.code).where(t.operator.c.id == row.author_id)).scalar_one()
    return row.number, row.state, row.cycle, row.cycle_start.date(), author, row.author_id, row.created_at


def _head(conn: Connection, row) -> DraftHead:
    line, event = t.purchase_request_line.c, t.purchase_request_event.c
    lines, unexplained = conn.execute(
        select(func.count(), func.count().filter(line.flagged.is_(True), line.reason.is_(None)))
        .where(line.request_id == row.id)).one()
    rejection = None
    if row.state == RequestState.RETURNED:
        rejection = conn.execute(select(event.comment).where(event.request_id == row.id, event.action == "rejected")
                                 .order_by(event.id.desc()).limit(1)).scalar()
    return DraftHead(*_facts(conn, row), _roles(row), lines, unexplained, rejection)


def _roles(row) -> tuple[str, ...]:
    """Whom the draft waits for, as role values in order."""
    return tuple(sorted(role.value for role in waiting_for_roles(row)))


def _history(conn: Connection, cycle: str, parts: dict[int, str]) -> tuple[tuple[date, ...], dict[str, tuple]]:
    """The page's parts' net consumption per cycle over the last HISTORY_CYCLES completed cycles, an old number's
    counted for its newest number (as the forecast counts it)."""
    starts = history_starts(clock.now().date(), cycle)[-(HISTORY_CYCLES + 1):]
    shown = tuple(starts[:-1])
    if not parts:
        return shown, {}
    newest = t.part_newest.c
    # The old numbers of the page's parts: their consumption is the newest number's history too.
    owner = {pid: pid for pid in parts}
    owner.update(conn.execute(select(newest.part_id, newest.newest_part_id)
                              .where(newest.newest_part_id.in_(list(parts)))).all())
    sums: dict[tuple[int, str], int] = {}
    for part_id, started, raw in conn.execute(cycle_sums(conn, cycle, starts, t.stock_move.c.part_id.in_(list(owner)))):
        mine = (owner[part_id], started)
        sums[mine] = sums.get(mine, 0) + int(raw or 0)
    history = {}
    for pid, part_no in parts.items():
        # Issues are negative moves: consumption is what left, net of what came back (thousandths as stored).
        history[part_no] = tuple(qty(ZERO - Decimal(sums.get((pid, start.isoformat()), 0)).scaleb(-3))
                                 for start in shown)
    return shown, history


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """A draft as the list of drafts shows it: number, cycle, state, author, when and how many lines."""

    number: str
    cycle: str
    cycle_start: date
    state: str
    author: str
    created_at: datetime
    lines: int
    waiting_for: tuple[str, ...] = ()  # role values, as DraftHead's


@dataclass(frozen=True, slots=True)
class DraftList:
    """A page of drafts, newest first, and how many there are."""

    rows: list[DraftSummary]
    total: int


def drafts_page(*, uow: ReadUnit, limit: int | None, offset: int = 0, state: str | None = None) -> DraftList:
    """`limit` drafts (None: all) from `offset`, newest first, every state or only `state` (BadInput for no such
    state), each with its line count (counted for the page's drafts only); never a draft's lines themselves."""
    check_state(state)
    request, line = t.purchase_request, t.purchase_request_line
    lines = select(func.count()).where(line.c.request_id == request.c.id).scalar_subquery()
    chosen = [request.c.state == state] if state else []
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(request).where(*chosen)).scalar_one()
        rows = conn.execute(
            select(request.c.number, request.c.cycle, request.c.cycle_start, request.c.state, t.operator.c.code,
                   request.c.created_at, request.c.sm_approved_at, request.c.sd_approved_at, lines.label("lines"))
            .join(t.operator, t.operator.c.id == request.c.author_id).where(*chosen)
            .order_by(request.c.id.desc()).limit(None if limit is None else max(0, limit))
            .offset(max(0, offset))).all()
    return DraftList([DraftSummary(r.number, r.cycle, r.cycle_start.date(), r.state, r.code, r.created_at, r.lines,
                                   _roles(r)) for r in rows], total)


@dataclass(frozen=True, slots=True)
class WaitingDraft:
    """A draft waiting for the operator's decision as the to-do and the review list it: counts, never its lines."""

    number: str
    state: str
    cycle: str
    cycle_start: date
    author: str
    lines: int
    changed: int  # lines changed since its last step (review, approval, rejection); 0 before any step
    since: datetime  # when its last step was taken, or when it was drafted


@dataclass(frozen=True, slots=True)
class WaitingDrafts:
    """A page of the drafts waiting for an operator, newest first, and how many wait."""

    rows: list[WaitingDraft]
    total: int


def waiting_drafts(*, uow: ReadUnit, waiting_for: Actor, limit: int, offset: int = 0) -> WaitingDrafts:
    """`limit` drafts waiting for the operator's decision from `offset`, newest first (waiting_rows), each
    counted by SQL: a draft of a big station has tens of thousands of lines, and the dashboard shows a count."""
    with uow.read() as conn:
        waiting = waiting_rows(conn, waiting_for)
        page = waiting[max(0, offset):max(0, offset) + max(0, limit)]
        return WaitingDrafts([_waiting(conn, row) for row in page], len(waiting))


def _changed(since: int | None):
    """The count of a draft's lines changed since its last step (revision `since`), as SQL over its lines; 0 before
    any step (nothing is "changed" yet), as the lines' own mark says."""
    line = t.purchase_request_line.c
    return func.count().filter(line.changed_revision > since) if since is not None else literal(0)


def _waiting(conn: Connection, row) -> WaitingDraft:
    line, event = t.purchase_request_line.c, t.purchase_request_event.c
    author = conn.execute(select(t.operator.c.code).where(t.operator.c.id == row.author_id)).scalar_one()
    since = last_step_revision(conn, row.id)
    lines, changed = conn.execute(select(func.count(), _changed(since)).where(line.request_id == row.id)).one()
    last = conn.execute(select(event.at).where(event.request_id == row.id).order_by(event.id.desc())
                        .limit(1)).scalar()
    return WaitingDraft(row.number, row.state, row.cycle, row.cycle_start.date(), author, lines, changed,
                        last or row.created_at)


# -- the review: a draft's head and its lines a page at a time ----------------------------------


@dataclass(frozen=True, slots=True)
class ReviewLines:
    """A page of a draft's lines as the review shows them, with what each of their parts costs to buy."""

    lines: list[RequestLineInfo]
    costs: dict[str, Decimal]  # by part number: the unit cost of the lot last received, else the list price
    total: int  # lines of the whole draft


@dataclass(frozen=True, slots=True)
class DraftReview(DraftFacts):
    """A draft as the supervisor reviews it: what the chain's rules ask of it, its counts and value worked out by
    SQL, its history, and the first page of its lines (a draft of a big station has tens of thousands)."""

    approved_by: tuple[str, ...]
    steps: ChainSteps
    lines: int
    changed: int  # lines changed since the last step (review, approval, rejection); 0 before any step
    flagged: int  # lines whose forecast jumps against history
    value: Decimal  # what the whole draft costs to buy: each line's quantity x its part's cost
    history: tuple[RequestEventInfo, ...]
    page: ReviewLines


def review_draft(number: str, *, uow: ReadUnit, limit: int) -> DraftReview:
    """Draft `number` for the review, with its first `limit` lines (NotFound for no such draft)."""
    with uow.read() as conn:
        row = request_row(conn, number)
        line, part = t.purchase_request_line.c, t.part.c
        since = last_step_revision(conn, row.id)
        value = stored(line.qty) * stored(purchase_cost(line.part_id, part.list_price))
        lines, changed, flagged, value = conn.execute(
            select(func.count(), _changed(since), func.count().filter(line.flagged.is_(True)), func.sum(value))
            .select_from(t.purchase_request_line.join(t.part, part.id == line.part_id))
            .where(line.request_id == row.id)).one()
        return DraftReview(
            *_facts(conn, row), tuple(sorted(role.value for role in approved_roles(row))), chain_steps(conn, row.id),
            lines, changed, flagged, Decimal(as_int(value)).scaleb(-VALUE_PLACES), draft_history(conn, row.id),
            _review_lines(conn, row.id, since, lines, limit, 0))


def review_lines(number: str, *, uow: ReadUnit, limit: int, offset: int) -> ReviewLines:
    """`limit` lines of draft `number` from `offset` for the review, with their parts' costs."""
    with uow.read() as conn:
        row = request_row(conn, number)
        total = conn.execute(select(func.count()).where(t.purchase_request_line.c.request_id == row.id)).scalar_one()
        return _review_lines(conn, row.id, last_step_revision(conn, row.id), total, limit, offset)


def _review_lines(conn: Connection, request_id: int, since: int | None, total: int, limit: int,
                  offset: int) -> ReviewLines:
    rows = _line_rows(conn, request_id, since, limit, offset, costs=True)
    return ReviewLines([line for _r, line in rows], {line.part_no: r.cost for r, line in rows}, total)
