"""Purchase-request drafts (采购申请单 / 订单底稿): drafted from the forecast, edited, reviewed, approved, exported."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, delete, func, insert, select, update

from core import clock, request_events
from core import tables as t
from core.approvals import (
    OPEN,
    ChainSteps,
    check_approval,
    check_edit,
    check_reject,
    check_resubmit,
    check_review,
    waiting_roles,
    waits_for,
)
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.decimals import parse_qty
from core.documents import REQUEST, next_number
from core.errors import BadInput, ImportProblem, ImportRejected, NotFound, RuleViolation
from core.files import write_file
from core.i18n import _, ngettext
from core.labels import REQUEST_STATE, label
from core.models import RequestState
from core.records.batches import batched
from core.records.catalog import check_whole, part_id
from core.records.draft_lines import iter_draft_lines
from core.records.draft_write import LineStage
from core.records.requests import record_event, request_row
from core.records.supersession import newest_numbers
from core.roles import Actor, Permission, Role, require
from core.tabular import RowReader, map_columns, read_table, xlsx_bytes
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class RequestLineInfo:
    """A line of a draft; `changed` when it changed since the last step was taken."""

    part_no: str
    name: str
    forecast: Decimal
    suggested: Decimal
    qty: Decimal
    flagged: bool
    reason: str | None
    changed: bool
    name_zh: str | None = None  # the part's Chinese name, which screens show in Chinese
    # A special order for a customer: the shortage this line answers and its repair order (None: the cycle's own).
    shortage: str | None = None
    ro: str | None = None


@dataclass(frozen=True, slots=True)
class RequestEventInfo:
    """One entry of the history: who did what, when, and the state it left."""

    at: datetime
    operator: str
    action: str
    state: str
    comment: str | None  # what the person typed
    detail: str | None = None  # what the desk wrote itself, as data (core.request_events)

    @property
    def text(self) -> str:
        """The entry as read in the active language: the desk's words for the detail, then the comment."""
        return request_events.history_text(self.detail, self.comment)


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """A draft with its lines, history and who it waits for."""

    number: str
    state: str
    cycle: str
    cycle_start: date
    author: str
    author_id: int  # the operator the chain's rules compare with the actor (core.approvals)
    created_at: datetime
    waiting_for: tuple[str, ...]
    approved_by: tuple[str, ...]
    lines: tuple[RequestLineInfo, ...]
    history: tuple[RequestEventInfo, ...]
    steps: ChainSteps = ChainSteps()  # who took which step of the chain (one person, one step)
    # After an edit: each superseded number it named, with the newest number(s) its line went to instead.
    redirected: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DecidedDraft:
    """A draft just taken a step along its chain (reviewed, approved, rejected, resubmitted): its state now, whom
    it waits for and who has approved, without its lines (get_request reads the whole draft)."""

    number: str
    state: str
    waiting_for: tuple[str, ...]
    approved_by: tuple[str, ...]


# -- drafting ----------------------------------------------------------------------------------


@retried
def draft_request(*, actor: Actor, uow: WriteUnit, cycle: str | None = None) -> str:
    """Draft a request for the next cycle from the forecast (planner): one line per part to order.

    The forecast of every part is worked out under a read unit, so the counter keeps issuing meanwhile; only the
    draft itself is written, in one short write that checks again that no draft of the cycle came first.
    """
    require(actor, Permission.PLAN_ORDERS)
    at = clock.now()
    with uow.read() as conn:
        chosen, current, rows = iter_draft_lines(conn, cycle=cycle)
        _no_open_draft(conn, chosen, current)
        # Already as the quantity columns store them (thousandths), worked out here so the write stays short; by
        # part id, the order of the line indexes' keys: appended, not scattered, while the lock is held.
        stage = LineStage(sorted(rows))
    # Many lines are staged on the write's connection before its lock is taken (core.records.draft_write).
    with uow.write_prepared(stage.prepare) as conn:
        _no_open_draft(conn, chosen, current)  # another planner may have drafted the cycle meanwhile
        number = next_number(conn, REQUEST.prefix, at)
        request_id = conn.execute(insert(t.purchase_request).values(
            number=number, state=RequestState.DRAFT.value, cycle=chosen,
            cycle_start=datetime.combine(current, datetime.min.time(), tzinfo=timezone.utc), author_id=actor.id,
            created_at=at, revision=0)).inserted_primary_key[0]
        stage.write(conn, request_id)
        record_event(conn, request_id, actor, at, "created", RequestState.DRAFT, 0,
                     detail=request_events.created(chosen, len(stage.lines)))
    return number


def _no_open_draft(conn: Connection, cycle: str, start: date) -> None:
    """Refuse a second draft for a cycle that already has one not yet ordered, naming it."""
    request = t.purchase_request
    rows = conn.execute(select(request.c.number, request.c.state, request.c.cycle_start)
                        .where(request.c.cycle == cycle, request.c.state.in_([state.value for state in OPEN]))
                        .order_by(request.c.id)).all()
    # Compared as dates: SQLite hands the stored start back without its time zone.
    open_one = next((r for r in rows if r.cycle_start.date() == start), None)
    if open_one is not None:
        raise RuleViolation(_("request {number} for the {cycle} from {start} is still open ({state}): "
                              "work on it instead of drafting another").format(
            number=open_one.number, cycle=cycle, start=start.isoformat(),
            state=label(REQUEST_STATE, open_one.state)))


def chain_steps(conn: Connection, request_id: int) -> ChainSteps:
    """Who took which step of a draft's chain, from its events."""
    e = t.purchase_request_event.c
    return ChainSteps.from_events(conn.execute(
        select(e.operator_id, e.action, e.state_after, e.as_role).where(e.request_id == request_id)
        .order_by(e.id)).all())


def approved_roles(row) -> set[Role]:
    """The approvals a draft (its purchase_request row) holds since they last started again."""
    roles = set()
    if row.sm_approved_at is not None:
        roles.add(Role.STATION_MANAGER)
    if row.sd_approved_at is not None:
        roles.add(Role.SERVICE_DIRECTOR)
    return roles


# -- editing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineChange:
    """A line to set (qty and optionally reason) or, with remove, to take out."""

    part_no: str
    qty: Decimal | None = None
    reason: str | None = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class EditedDraft:
    """A draft just edited: its number, the state the edit left it in, its new revision and the superseded numbers
    the edit set on their newest numbers instead (old number: the newest ones)."""

    number: str
    state: str
    revision: int
    redirected: dict[str, tuple[str, ...]] = field(default_factory=dict)


@retried
def change_lines(number: str, changes: list[LineChange], *, actor: Actor, uow: WriteUnit,
                 comment: str | None = None, source_file: str | None = None) -> EditedDraft:
    """Change, add or remove lines (the planner, or the station manager at the meeting), reading only the lines
    changed: a screen's edit of one line of a 79,000-line draft reads that line, not the draft.

    A change after a review sends the draft back through the reviews after the point of change.
    """
    if not changes:
        raise BadInput(_("nothing to change"))
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        back_to = check_edit(actor, RequestState(row.state))
        revision = row.revision + 1
        changes, redirected = _newest_changes(conn, row.id, changes)
        _apply(conn, row, changes, revision)
        conn.execute(update(t.purchase_request).where(t.purchase_request.c.id == row.id).values(
            state=back_to.value, revision=revision, sm_approved_at=None, sd_approved_at=None))
        changed = [request_events.ChangedLine(change.part_no, change.qty, change.remove) for change in changes]
        record_event(conn, row.id, actor, at, "edited", back_to, revision, comment,
                     detail=request_events.edited(changed, source_file))
        return EditedDraft(row.number, back_to.value, revision, redirected)


def edit_request(number: str, changes: list[LineChange], *, actor: Actor, uow: WriteUnit,
                 comment: str | None = None, source_file: str | None = None) -> RequestInfo:
    """change_lines, then the whole draft as `request edit` shows it, with the redirects made."""
    edited = change_lines(number, changes, actor=actor, uow=uow, comment=comment, source_file=source_file)
    return replace(get_request(number, uow=uow), redirected=edited.redirected)


def _newest_changes(conn: Connection, request_id: int, changes: list[LineChange],
                    ) -> tuple[list[LineChange], dict[str, tuple[str, ...]]]:
    """A line set for a superseded number set for its newest number(s) instead (a kit's: each kit part, the same
    quantity): a draft orders only the newest numbers. The old number's own line, drafted before it was superseded,
    goes: its quantity is now the newest's, never ordered twice. Removals stay as typed. With the redirects made."""
    newest = newest_numbers(conn, [change.part_no for change in changes if not change.remove])
    if not newest:
        return changes, {}
    line, part = t.purchase_request_line, t.part
    drafted = set(conn.execute(select(part.c.part_no).join(line, line.c.part_id == part.c.id).where(
        line.c.request_id == request_id, line.c.shortage_id.is_(None),
        byte_order(part.c.part_no).in_(newest))).scalars())
    carried: list[LineChange] = []
    redirected: dict[str, tuple[str, ...]] = {}
    for change in changes:
        old = normalise_part_no(change.part_no)
        ends = None if change.remove else newest.get(old)
        if not ends:
            carried.append(change)
            continue
        redirected[old] = ends
        carried.extend(replace(change, part_no=end) for end in ends)
        if old in drafted:
            drafted.discard(old)
            carried.append(LineChange(old, remove=True))
    return carried, redirected


def _apply(conn: Connection, row, changes: list[LineChange], revision: int) -> None:
    check_whole(conn, [(change.part_no, change.qty) for change in changes
                       if not change.remove and change.qty is not None])
    lines = _own_lines(conn, row.id, [normalise_part_no(change.part_no) for change in changes])
    for change in changes:
        part_no = normalise_part_no(change.part_no)
        existing = lines.get(part_no)
        if change.remove:
            if existing is None:
                raise NotFound(_("part {part_no} is not on request {number}").format(part_no=part_no,
                                                                                   number=row.number))
            conn.execute(delete(t.purchase_request_line).where(t.purchase_request_line.c.id == existing))
            continue
        if change.qty is None and change.reason is None:
            raise BadInput(_("{part_no}: give a quantity or a reason").format(part_no=part_no))
        if change.qty is not None and change.qty < 0:
            raise BadInput(_("{part_no}: a quantity cannot be negative").format(part_no=part_no))
        values = {"changed_revision": revision}
        if change.qty is not None:
            values["qty"] = change.qty
        if change.reason is not None:
            values["reason"] = change.reason.strip()[:500] or None
        if existing is None:
            pid = part_id(conn, part_no)
            conn.execute(insert(t.purchase_request_line).values(request_id=row.id, part_id=pid, forecast=Decimal(0),
                                              suggested=Decimal(0), qty=change.qty or Decimal(0), flagged=False,
                                              reason=values.get("reason"), changed_revision=revision))
        else:
            conn.execute(
                update(t.purchase_request_line).where(t.purchase_request_line.c.id == existing).values(**values)
            )


def _own_lines(conn: Connection, request_id: int, part_nos: list[str]) -> dict[str, int]:
    """The ids of the draft's own lines of these part numbers (a shortage's line is the shortage's answer: edits
    change the cycle's own line of the part), read in batches of the numbers asked, never the whole draft."""
    found: dict[str, int] = {}
    line = t.purchase_request_line.c
    for chunk in batched(sorted(set(part_nos))):
        found.update(conn.execute(
            select(t.part.c.part_no, line.id).join(t.part, t.part.c.id == line.part_id)
            .where(line.request_id == request_id, line.shortage_id.is_(None),
                   byte_order(t.part.c.part_no).in_(chunk))).all())
    return found


def parse_line_change(text: str, reason: str | None = None) -> LineChange:
    """PART_NO:QTY as typed on the command line."""
    part, sep, amount = (text or "").partition(":")
    if not sep or not part.strip():
        raise BadInput(_("line {line!r} is not PART_NO:QTY").format(line=text))
    return LineChange(normalise_part_no(part), parse_qty(amount), reason)


# -- the chain ---------------------------------------------------------------------------------


@retried
def review_request(number: str, *, actor: Actor, uow: WriteUnit, comment: str | None = None) -> DecidedDraft:
    """Give the review due now, as the role whose step it is (never the author)."""
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        step = check_review(actor, row.author_id, RequestState(row.state), chain_steps(conn, row.id))
        unexplained = (
            conn.execute(
                select(t.part.c.part_no)
                .join(t.purchase_request_line, t.purchase_request_line.c.part_id == t.part.c.id)
                .where(
                    t.purchase_request_line.c.request_id == row.id,
                    t.purchase_request_line.c.flagged.is_(True),
                    t.purchase_request_line.c.reason.is_(None),
                )
                .order_by(t.part.c.part_no)
            )
            .scalars()
            .all()
        )
        if unexplained:
            raise RuleViolation(_("the forecast of {parts} jumps against history: give each a reason first").format(
                parts=", ".join(unexplained[:5]) + ("…" if len(unexplained) > 5 else "")))
        revision = row.revision + 1
        conn.execute(
            update(t.purchase_request)
            .where(t.purchase_request.c.id == row.id)
            .values(state=step.to_state.value, revision=revision)
        )
        record_event(conn, row.id, actor, at, "reviewed", step.to_state, revision, comment, step.role.value)
        return _decided(conn, number)


@retried
def approve_request(number: str, *, actor: Actor, uow: WriteUnit, comment: str | None = None) -> DecidedDraft:
    """Approve as the station manager or the service director; approved once both have."""
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        role = check_approval(actor, row.author_id, RequestState(row.state), approved_roles(row),
                              chain_steps(conn, row.id))
        column = "sm_approved_at" if role is Role.STATION_MANAGER else "sd_approved_at"
        approved = approved_roles(row) | {role}
        state = RequestState.APPROVED if len(approved) == 2 else RequestState(row.state)
        revision = row.revision + 1
        conn.execute(update(t.purchase_request).where(t.purchase_request.c.id == row.id).values(
            **{column: at}, state=state.value, revision=revision))
        record_event(conn, row.id, actor, at, "approved", state, revision, comment, role.value)
        return _decided(conn, number)


@retried
def reject_request(number: str, *, actor: Actor, uow: WriteUnit, comment: str) -> DecidedDraft:
    """Send the draft back to the planner with the reason (whoever's decision it is now): it is returned,
    out of every reviewer's queue, until the planner resubmits it; the reason stays in its history."""
    if not (comment or "").strip():
        raise BadInput(_("a rejection needs a comment saying why"))
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        check_reject(actor, row.author_id, RequestState(row.state), approved_roles(row), chain_steps(conn, row.id))
        revision = row.revision + 1
        conn.execute(update(t.purchase_request).where(t.purchase_request.c.id == row.id).values(
            state=RequestState.RETURNED.value, revision=revision, sm_approved_at=None, sd_approved_at=None))
        record_event(conn, row.id, actor, at, "rejected", RequestState.RETURNED, revision, comment)
        return _decided(conn, number)


@retried
def resubmit_request(number: str, *, actor: Actor, uow: WriteUnit, comment: str | None = None) -> DecidedDraft:
    """Send a returned draft back to the start of the chain (the planner, after reading why and editing)."""
    require(actor, Permission.PLAN_ORDERS)
    at = clock.now()
    with uow.write() as conn:
        row = request_row(conn, number, lock=True)
        check_resubmit(actor, RequestState(row.state))
        revision = row.revision + 1
        conn.execute(update(t.purchase_request).where(t.purchase_request.c.id == row.id).values(
            state=RequestState.DRAFT.value, revision=revision))
        record_event(conn, row.id, actor, at, "resubmitted", RequestState.DRAFT, revision, comment)
        return _decided(conn, number)


def _decided(conn: Connection, number: str) -> DecidedDraft:
    """The draft's step as just written, read back in the decision's transaction: a line is never read (a big
    station's draft has tens of thousands; each decision read them all back, 1.4 s at 200,000 parts)."""
    row = request_row(conn, number)
    return DecidedDraft(row.number, row.state, tuple(sorted(role.value for role in waiting_for_roles(row))),
                        tuple(sorted(role.value for role in approved_roles(row))))


# -- reading -----------------------------------------------------------------------------------


def get_request(number: str, *, uow: ReadUnit) -> RequestInfo:
    """A draft with its lines (changed ones marked), its history and whom it waits for."""
    with uow.read() as conn:
        return _read(conn, request_row(conn, number))


def _read(conn: Connection, row) -> RequestInfo:
    author = conn.execute(select(t.operator.c.code).where(t.operator.c.id == row.author_id)).scalar_one()
    since = last_step_revision(conn, row.id)
    lines = conn.execute(
        select(t.purchase_request_line, t.part.c.part_no, t.part.c.name, t.part.c.name_zh,
               t.shortage.c.number.label("shortage_no"), t.repair_order.c.ro_no)
        .join(t.part, t.part.c.id == t.purchase_request_line.c.part_id)
        .outerjoin(t.shortage, t.shortage.c.id == t.purchase_request_line.c.shortage_id)
        .outerjoin(t.repair_order, t.repair_order.c.id == t.shortage.c.repair_order_id)
        .where(t.purchase_request_line.c.request_id == row.id)
        .order_by(t.part.c.part_no, t.purchase_request_line.c.id)
    ).all()
    return RequestInfo(
        row.number, row.state, row.cycle, row.cycle_start.date(), author, row.author_id, row.created_at,
        tuple(sorted(role.value for role in waiting_for_roles(row))),
        tuple(sorted(role.value for role in approved_roles(row))),
        tuple(RequestLineInfo(r.part_no, r.name, r.forecast, r.suggested, r.qty, r.flagged, r.reason,
                              since is not None and r.changed_revision > since, r.name_zh, shortage=r.shortage_no,
                              ro=r.ro_no) for r in lines),
        draft_history(conn, row.id),
        chain_steps(conn, row.id),
    )


def draft_history(conn: Connection, request_id: int) -> tuple[RequestEventInfo, ...]:
    """A draft's history, oldest first: who did what, when, and the state it left."""
    event = t.purchase_request_event.c
    return tuple(RequestEventInfo(r.at, r.code, r.action, r.state_after, r.comment, r.detail) for r in conn.execute(
        select(event.at, event.action, event.state_after, event.comment, event.detail, t.operator.c.code)
        .join(t.operator, t.operator.c.id == event.operator_id)
        .where(event.request_id == request_id).order_by(event.id)))


def last_step_revision(conn: Connection, request_id: int) -> int | None:
    """The revision of the draft's last step (review, approval, rejection): its lines changed after it are marked
    "changed since the last step"; None before any step (nothing is "changed" yet)."""
    event = t.purchase_request_event.c
    return conn.execute(select(func.max(event.revision)).where(
        event.request_id == request_id, event.action.in_(("reviewed", "approved", "rejected")))).scalar()


def waiting_for_roles(row) -> set[Role]:
    """Whom a draft (its purchase_request row) waits for: a returned draft its planner, not any reviewer; else the
    roles of its chain's next step."""
    if row.state == RequestState.RETURNED:
        return {Role.PLANNER}
    return waiting_roles(RequestState(row.state), approved_roles(row))


def check_state(state: str | None) -> None:
    """Refuse a state filter that names no request state (BadInput naming the states)."""
    if state and state not in {s.value for s in RequestState}:
        raise BadInput(_("unknown request state {state!r}; the states are {states}").format(
            state=state, states=", ".join(s.value for s in RequestState)))


def list_requests(*, uow: ReadUnit, state: str | None = None) -> list[RequestInfo]:
    """Drafts, newest first, each whole (`request list --json`). An unknown state is BadInput naming the states."""
    check_state(state)
    with uow.read() as conn:
        statement = select(t.purchase_request).order_by(t.purchase_request.c.id.desc())
        if state:
            statement = statement.where(t.purchase_request.c.state == state)
        return [_read(conn, row) for row in conn.execute(statement).all()]


# -- the planner's spreadsheet -----------------------------------------------------------------

SHEET_COLUMNS = {"part_no": ("part_no", "零件号"), "name": ("name", "名称"), "forecast": ("forecast", "预测"),
                 "suggested": ("suggested", "建议"), "qty": ("qty", "订货数量"), "reason": ("reason", "原因")}
SHEET_LENGTHS = {"part_no": t.part.c.part_no.type.length, "reason": t.purchase_request_line.c.reason.type.length}


def export_request(number: str, path: str | Path, *, uow: ReadUnit, force: bool = False) -> Path:
    """The draft as an XLSX sheet for the planner's spreadsheet, text stored as text (core.tabular), written whole
    or not at all; an existing file is replaced only with `force`."""
    info = get_request(number, uow=uow)
    rows: list[list[object]] = [[line.part_no, line.name, line.forecast, line.suggested, line.qty,
                                 line.reason or ""] for line in info.lines if line.shortage is None]
    return write_file(path, xlsx_bytes(info.number, list(SHEET_COLUMNS), rows), force=force)


def import_request(number: str, path: str | Path, *, actor: Actor, uow: ReadUnit) -> RequestInfo:
    """Take back the adjusted quantities and reasons; refused whole if the sheet does not match the draft."""
    table = read_table(path)
    columns = map_columns(table.headers, SHEET_COLUMNS, ("part_no", "qty"), _("the sheet"))
    info = get_request(number, uow=uow)
    # The sheet is the cycle's own lines: a shortage's line is its answer, not the planner's to adjust.
    on_draft = {line.part_no: line for line in info.lines if line.shortage is None}
    problems: list[ImportProblem] = []
    changes: list[LineChange] = []
    seen: set[str] = set()
    for row_no, cells in table.rows:
        row = RowReader(row_no, cells, columns, table.headers, decimal_comma=table.decimal_comma,
                        lengths=SHEET_LENGTHS)
        part_no = normalise_part_no(row.cell("part_no"))
        if part_no not in on_draft:
            row.problem("part_no", _("{part_no} is not on request {number}").format(part_no=part_no or "''",
                                                                                 number=info.number))
        elif part_no in seen:
            row.problem("part_no", _("{part_no} appears twice").format(part_no=part_no))
        seen.add(part_no)
        amount = row.decimal("qty", parse_qty, _("quantity"), default=None)
        if amount is not None and amount < 0:
            row.problem("qty", _("a quantity cannot be negative"))
        problems.extend(row.problems)
        if not row.problems:
            line = on_draft[part_no]
            reason = row.cell("reason") or None
            if amount != line.qty or (reason or None) != (line.reason or None):
                changes.append(LineChange(part_no, amount, reason if reason is not None else ""))
    for part_no in sorted(set(on_draft) - seen):
        problems.append(ImportProblem(0, "part_no", _("{part_no} of the draft is missing from the sheet").format(
            part_no=part_no)))
    if problems:
        raise ImportRejected(ngettext(
            "{file} does not match request {number}: {count} problem, nothing changed",
            "{file} does not match request {number}: {count} problems, nothing changed", len(problems)).format(
            file=Path(path).name, number=info.number, count=len(problems)), problems)
    if not changes:
        return info
    return edit_request(number, changes, actor=actor, uow=uow, source_file=Path(path).name)


# -- the drafts waiting for an operator -----------------------------------------------------------


def waiting_rows(conn: Connection, waiting_for: Actor, number: str | None = None) -> list:
    """The purchase_request rows of the drafts waiting for the operator's decision, newest first (only draft
    `number`, where given): SQL keeps the drafts at a step one of the operator's roles decides and not drafted by
    them, never the approved or ordered history; the chain's own rule (a step of it already the operator's) is
    checked on those. No line is read."""
    approved_sets = ({}, {Role.STATION_MANAGER}, {Role.SERVICE_DIRECTOR}, {Role.STATION_MANAGER, Role.SERVICE_DIRECTOR})
    states = sorted(state.value for state in RequestState
                    if any(waiting_roles(state, set(approved)) & waiting_for.roles for approved in approved_sets))
    r = t.purchase_request.c
    statement = select(t.purchase_request).where(r.state.in_(states), r.author_id != waiting_for.id)
    if number is not None:
        statement = statement.where(r.number == number)
    candidates = conn.execute(statement.order_by(r.id.desc())).all()
    return [row for row in candidates
            if waits_for(waiting_for, row.author_id, row.state, approved_roles(row), chain_steps(conn, row.id))]


def waits_for_operator(number: str, *, uow: ReadUnit, waiting_for: Actor) -> bool:
    """Whether draft `number` waits for the operator's decision (False for no such draft), its lines unread."""
    with uow.read() as conn:
        return bool(waiting_rows(conn, waiting_for, number))
