"""Review (审批): everything waiting for the signed-in person's decision, and the decision.

Above, when any wait, the transfers to check (二审), adjustments and write-offs to approve, urgent orders and claims
to send (screens.review_decisions): C checks or approves the highlighted one, X refuses it, each asking first.
Below, the purchase-request drafts: the cursor in the list picks a draft; its lines show below, those changed since
the last step highlighted and the forecast jumps marked with their reasons, then its history. Review or approve
(whichever the step is), reject with a comment, and at the order meeting change a line.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.approvals import check_edit, may_approve, may_edit, may_give_review, may_reject
from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext
from core.labels import CYCLE, ROLE, label, labels, part_name
from core.models.enums import RequestState
from core.services.decisions import awaiting_decision
from core.services.draft_pages import (
    DraftReview,
    ReviewLines,
    WaitingDraft,
    WaitingDrafts,
    review_draft,
    review_lines,
    waiting_drafts,
)
from core.services.pricing import may_set_prices
from core.services.requests import (
    DecidedDraft,
    EditedDraft,
    LineChange,
    RequestLineInfo,
    approve_request,
    change_lines,
    reject_request,
    review_request,
)
from screens import keys, review_decisions
from screens.review_decisions import DecisionsTable
from screens.widgets.calls import ServiceCalls
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.line_edit import LineEditDialog
from screens.widgets.planning_text import (
    CHANGED_STYLE,
    FLAGGED_STYLE,
    OVERDUE_STYLE,
    action_label,
    short_time,
    step_label,
)
from screens.widgets.tables import Column, FittingTable, Pages, SubjectTable

CHANGED_MARK = "▲"
FLAGGED_MARK = "⚑"


class DraftsTable(Pages, SubjectTable):
    """The drafts waiting for the operator, a page at a time."""


class ReviewLinesTable(Pages, SubjectTable):
    """The highlighted draft's lines, a page at a time (a big station's draft has tens of thousands)."""


class ReviewScreen(ServiceCalls, Screen[None]):
    """Drafts waiting for the operator above, the highlighted draft's lines and history below."""

    AUTO_FOCUS = "#drafts"
    BINDINGS = [
        # Two keys: a draft waits either for a review or for approvals (core.approvals), never both.
        Binding("v", "review", N_("Review"), id="review_draft",
                tooltip=N_("Give your review: the draft moves on to the next step (comment optional)")),
        Binding("a", "approve", N_("Approve"), id="approve_draft",
                tooltip=N_("Approve the draft (it is approved once both the station manager and the director have)")),
        Binding("r", "reject", N_("Reject"), id="reject_draft",
                tooltip=N_("Send the draft back to the planner with a comment saying why")),
        Binding("e", "edit_line", N_("Edit line"), id="edit_line",
                tooltip=N_("Change the quantity or reason of the line under the cursor (order meeting)")),
        Binding("f", "forecast", N_("Forecast"), id="line_forecast",
                tooltip=N_("The consumption history and forecast of the line's part")),
        Binding("c", "decide_row", N_("Check/approve"), id="decide_row",
                tooltip=N_("Check the highlighted transfer (二审), approve the adjustment, send the order or claim: "
                           "asks first")),
        Binding("x", "refuse_row", N_("Refuse"), id="refuse_row",
                tooltip=N_("Refuse the highlighted transfer or adjustment: nothing moves (asks first)")),
        Binding("m", "price_rules", N_("Prices"), id="price_rules",
                tooltip=N_("The station's price rules (价格规则): markup by series or group, the floor")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_review", tooltip=N_("Read the waiting drafts again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self, select: str | None = None) -> None:
        """The review list; `select` puts the cursor on that draft once read."""
        super().__init__()
        self.drafts: list[WaitingDraft] = []
        self.current: DraftReview | None = None  # the highlighted draft: its head, counts and history
        self.lines: list[RequestLineInfo] = []  # its lines read so far, as the lines table shows them
        self._opening: str | None = None  # the draft being read for the lines below (one read, not one per event)
        self.decisions: list = []  # core.services.decisions.Decision, as the second list shows them
        self._drafts_total = 0
        self._select = select
        self.costs: dict[str, Decimal] = {}  # what each part of the lines read costs to buy (their value)

    def compose(self) -> ComposeResult:
        """Heading, status, the drafts, the highlighted draft's lines and history."""
        yield Header()
        with Vertical(id="review-body"):
            yield Static(_("Waiting for your decision 待审批"), id="review-heading", classes="heading")
            yield Static("", id="review-status")
            yield Static("", id="decisions-heading", classes="heading")
            yield DecisionsTable(id="decisions")
            yield DraftsTable(id="drafts")
            yield Static("", id="draft-title")
            # The cells' own colours win over the cursor's: a changed line stays marked under the cursor.
            yield ReviewLinesTable(id="draft-lines", cursor_foreground_priority="renderable")
            yield Static(_("History"), classes="heading")
            yield FittingTable(id="draft-history", cursor_type="none", show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the drafts."""
        self.query_one(DecisionsTable).set_up()
        self._show_decisions([])
        drafts = self.query_one("#drafts", DataTable)
        drafts.set_columns(
            Column("number", _("Request"), 15),
            Column("step", _("Waiting for"), 40, min_width=14),
            Column("cycle", _("Cycle"), 16, gives_way=1),
            Column("author", _("Author"), 7, gives_way=2),
            Column("lines", Text(_("Lines"), justify="right"), 5, gives_way=4),
            Column("changed", Text(_("Changed"), justify="right"), 7, gives_way=3),
            Column("since", _("Since"), 11, gives_way=2),
        )
        lines = self.query_one("#draft-lines", DataTable)
        lines.set_columns(
            Column("mark", " ", 2),
            Column("part_no", _("Part no"), 12),
            Column("name", _("Name"), 26, min_width=10),
            Column("forecast", Text(_("Forecast"), justify="right"), 8, gives_way=2),
            Column("suggested", Text(_("Suggested"), justify="right"), 9),
            Column("qty", Text(_("Qty"), justify="right"), 7),
            Column("value", Text(_("Value"), justify="right"), 10, gives_way=3),
            Column("reason", _("Reason"), 38, min_width=10, gives_way=1),
        )
        history = self.query_one("#draft-history", DataTable)
        history.set_columns(
            Column("at", _("When"), 11),
            Column("who", _("Who"), 8),
            Column("what", _("What"), 9),
            Column("state", _("Then waiting for"), 40, min_width=12, gives_way=1),
            Column("comment", _("Comment"), 36, min_width=10),
        )
        drafts.seek(self._select)
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Back from a dialog or the forecast: the keys depend on the draft shown."""
        self.refresh_bindings()

    # -- reading -----------------------------------------------------------------------------

    def returned_to(self, number: str | None) -> None:
        """Opened again (its key, the to-do, a scan): read again, the cursor on `number`."""
        self.select(number)

    def select(self, number: str | None) -> None:
        """Read the drafts again and put the cursor on `number` (if it still waits for the operator; read on to
        it when it lies past the first page)."""
        if not self.is_mounted:  # on_mount seeks it and reads them
            self._select = number
            return
        self.query_one(DraftsTable).seek(number)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the waiting drafts again (another supervisor may have decided meanwhile): the first page, or as
        many as were shown (the cursor keeps its draft)."""
        limit = max(DraftsTable.PAGE, self.query_one(DraftsTable).row_count)
        # A database fault is said on the status line; the list stays.
        self.run_read(self._reader(0, limit), self._fill, group="review")
        actor = self.app.actor
        self.run_read(lambda uow: awaiting_decision(uow, actor), self._show_decisions, group="review-decisions")

    def _heading(self) -> None:
        """The heading: the drafts waiting, or nothing at all waiting (the second list counts its own)."""
        heading = self.query_one("#review-heading", Static)
        total = self._drafts_total
        if total:
            heading.update(ngettext(
                "Waiting for your decision 待审批: {count} draft",
                "Waiting for your decision 待审批: {count} drafts", total).format(count=total))
        elif self.decisions:
            heading.update(_("No purchase-request draft waiting for your decision"))
        else:
            heading.update(_("Nothing waiting for your decision 无待审批"))

    def _show_decisions(self, decisions: list) -> None:
        """The second list, shown only when something waits in it; it takes the focus when no draft does."""
        if not self.is_attached:
            return
        self.decisions = decisions
        table = self.query_one(DecisionsTable)
        table.reload(review_decisions.rows(decisions))
        self._heading()
        heading = self.query_one("#decisions-heading", Static)
        heading.update(ngettext("Also waiting for you: {count} transfer, adjustment, stocktake, order or claim",
                                "Also waiting for you: {count} transfers, adjustments, stocktakes, orders or claims",
                                len(decisions)).format(count=len(decisions)))
        table.display = heading.display = bool(decisions)
        if decisions and not self.query_one(DraftsTable).row_count:
            table.focus()
        self.refresh_bindings()

    def _decision(self):
        """The row under the cursor of the second list."""
        key = self.query_one(DecisionsTable).subject_key
        return next((d for d in self.decisions if d.number == key), None)

    @on(DataTable.RowHighlighted, "#decisions")
    def _decision_highlighted(self) -> None:
        self.refresh_bindings()

    def action_decide_row(self) -> None:
        """Ask, then check the highlighted transfer, approve the adjustment, approve or send the order, send the
        claim."""
        decision = self._decision()
        if not review_decisions.decides(decision):
            return
        title = _("{action} {number}").format(action=review_decisions.action_word(decision), number=decision.number)
        question = f"{decision.summary}\n{review_decisions.consequence(decision)}"
        call = review_decisions.decide_call(decision, self.app.actor)

        def decided(yes: bool | None) -> None:
            if yes:  # a refusal (stock gone meanwhile, another approved first) is said on the status line
                self.run_write(lambda uow: call("", uow),
                               lambda result: self._row_decided(result, decision.number, _("done")),
                               group="review-decide")

        self.app.push_screen(YesNoDialog(title, question), decided)

    def action_refuse_row(self) -> None:
        """Ask why, then refuse the highlighted transfer or adjustment: nothing moves."""
        decision = self._decision()
        if not review_decisions.refusable(decision):
            return
        self.app.push_screen(
            DecisionDialog(_("Refuse {number}").format(number=decision.number), decision.summary,
                           _("Why? (optional)"), review_decisions.refuse_call(decision, self.app.actor),
                           kind="reject"),
            lambda result: self._row_decided(result, decision.number, _("refused")))

    def _row_decided(self, result, number: str, done: str) -> None:
        if result is None:  # cancelled
            return
        self.say(_("{number} {done}").format(number=number, done=done), "notice")
        self.action_reload()

    def _reader(self, offset: int, limit: int):
        """The read of `limit` drafts waiting for the operator from `offset`: counted, never their lines."""
        actor = self.app.actor
        return lambda uow: waiting_drafts(uow=uow, waiting_for=actor, limit=limit, offset=offset)

    @on(Pages.Wanted, "#drafts")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last draft read, or the one sought lies further down: the next ones."""
        table, offset = self.query_one(DraftsTable), event.offset

        def added(page: WaitingDrafts) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.drafts = self.drafts[:offset] + page.rows

        self.run_read(self._reader(offset, table.PAGE), added, group="review-more")

    def _fill(self, page: WaitingDrafts) -> None:
        self.drafts = page.rows
        table = self.query_one(DraftsTable)
        # The draft sought (Pages.seek) goes first; else the cursor stays on the draft shown.
        table.fill_page(_rows(page.rows), page.total, select=self.current.number if self.current else None)
        self._drafts_total = page.total
        self._heading()
        self._open(table.subject_key)  # read again: another supervisor may have changed it meanwhile

    @on(DataTable.RowHighlighted, "#drafts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        number = event.row_key.value
        if number is not None and number != self._opening and (self.current is None or number != self.current.number):
            self._open(number)

    def _open(self, number: str | None) -> None:
        """Read the draft `number` for the lines below (None: no draft): its head and first lines, or as many
        lines as are shown when it is the draft shown (the cursor keeps its line)."""
        self._opening = number
        if number is None:
            self._show(None)
            return
        table = self.query_one(ReviewLinesTable)
        same = self.current is not None and self.current.number == number
        limit = max(ReviewLinesTable.PAGE, table.row_count) if same else ReviewLinesTable.PAGE
        self.run_read(lambda uow: review_draft(number, uow=uow, limit=limit), self._show, group="review-draft")

    def _show(self, info: DraftReview | None) -> None:
        if not self.is_attached:
            return
        if info is not None and info.number != self.query_one(DraftsTable).subject_key:
            return  # the cursor has moved on to another draft: its own read is on its way
        self._opening = None
        lines = self.query_one(ReviewLinesTable)
        same = info is not None and self.current is not None and info.number == self.current.number
        if not same:
            lines.clear()  # another draft: its first line; the same draft read again: the line the cursor was on
        self.current = info
        history = self.query_one("#draft-history", DataTable)
        history.clear()
        title = self.query_one("#draft-title", Static)
        if info is None:
            title.update("")
            self.lines, self.costs = [], {}
            lines.fill_page((), 0)
            self.refresh_bindings()
            return
        self.lines, self.costs = list(info.page.lines), dict(info.page.costs)
        title.update(self._title(info))
        lines.fill_page(_line_rows(info.page), info.page.total)
        for event in info.history:
            history.add_row(Text(short_time(event.at)), Text(event.operator), Text(action_label(event.action)),
                            Text(step_label(event.state)), Text(event.text))
        history.scroll_end(animate=False)  # the latest steps matter most
        self.refresh_bindings()

    @on(Pages.Wanted, "#draft-lines")
    def _more_lines(self, event: Pages.Wanted) -> None:
        """The cursor reached the last line read: the next ones, with what their parts cost."""
        table, offset, info = self.query_one(ReviewLinesTable), event.offset, self.current
        if info is None:
            return
        number = info.number

        def read(page: ReviewLines) -> None:
            if self.current is None or self.current.number != number:
                return  # another draft is shown now
            if table.page_read(offset, _line_rows(page), page.total):
                self.lines = self.lines[:offset] + page.lines
                self.costs.update(page.costs)

        self.run_read(lambda uow: review_lines(number, uow=uow, limit=table.PAGE, offset=offset), read,
                      group="review-lines")

    @staticmethod
    def _title(info: DraftReview) -> Text:
        changed, flagged = info.changed, info.flagged
        title = Text.assemble(
            (info.number, "bold"), "  ", (step_label(info.state), "bold"), "  ",
            _("drafted by {author} {at}").format(author=info.author, at=short_time(info.created_at)))
        if info.lines:
            title.append("  " + _("value {value}").format(value=fmt_money(info.value)), style="bold")
        if info.approved_by:
            title.append("  " + _("approved by {roles}").format(roles=labels(ROLE, info.approved_by)), style="green")
        title.append("\n")
        title.append(ngettext("{lines} line", "{lines} lines", info.lines).format(lines=info.lines))
        title.append("  ")
        title.append(f"{CHANGED_MARK} " + _("{count} changed since the last step").format(count=changed),
                     style=CHANGED_STYLE if changed else "dim")
        title.append("  ")
        title.append(f"{FLAGGED_MARK} " + ngettext(
            "{count} forecast jump: each needs a reason",
            "{count} forecast jumps: each needs a reason", flagged).format(count=flagged),
                     style=FLAGGED_STYLE if flagged else "dim")
        title.append("  " + _("(Tab: into the lines)"), style="dim")
        return title

    def _line(self) -> RequestLineInfo | None:
        """The line under the cursor of the lines table."""
        if self.current is None or not self.lines:
            return None
        key = self.query_one(ReviewLinesTable).subject_key
        return next((line for line in self.lines if line_key(line) == key), None)

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the decisions the highlighted draft's step allows the operator (core.approvals decides)."""
        info, actor = self.current, self.app.actor
        if action == "decide_row":
            return review_decisions.decides(self._decision())
        if action == "refuse_row":
            return review_decisions.refusable(self._decision())
        if action == "price_rules":
            return may_set_prices(actor)
        if action in ("review", "approve", "reject", "edit_line", "forecast") and (info is None or actor is None):
            return False
        if action == "review":
            return may_give_review(actor, info.author_id, info.state, info.steps)
        if action == "approve":
            return may_approve(actor, info.author_id, info.state, info.approved_by, info.steps)
        if action == "reject":
            return may_reject(actor, info.author_id, info.state, info.approved_by, info.steps)
        if action == "edit_line":
            # A shortage's line is the shortage's answer: the meeting edits the cycle's own lines.
            line = self._line()
            return bool(info.lines) and may_edit(actor, info.state) and (line is None or line.shortage is None)
        if action == "forecast":
            return bool(info.lines)
        return True

    def action_review(self) -> None:
        """Ask for the review's comment, then give the review."""
        info = self.current
        if info is None:
            return
        self._decide(info, _("Review {number}: {step}").format(number=info.number, step=step_label(info.state)),
                     _("Comment (optional)"), review_request, _("reviewed"))

    def action_approve(self) -> None:
        """Ask for the approval's comment, then approve."""
        info = self.current
        if info is None:
            return
        self._decide(info, _("Approve {number}").format(number=info.number), _("Comment (optional)"),
                     approve_request, _("approved"))

    def action_reject(self) -> None:
        """Ask why, then send the draft back to the planner."""
        info = self.current
        if info is None:
            return
        self._decide(info, _("Reject {number}: back to the planner").format(number=info.number),
                     _("Why? (required: the planner reads it)"), reject_request, _("rejected"), kind="reject",
                     then=_("Rejecting sends it back to its planner {author} with your comment, to redraft; "
                            "Enter rejects, Escape keeps it waiting here.").format(author=info.author))

    def _decide(self, info: DraftReview, title: str, label: str, service: Callable[..., DecidedDraft],
                done: str, kind: str = "", then: str = "") -> None:
        actor, number = self.app.actor, info.number
        summary = ngettext(
            "{lines} line, {changed} changed since the last step; now at: {step}",
            "{lines} lines, {changed} changed since the last step; now at: {step}", info.lines).format(
            lines=info.lines, changed=info.changed, step=step_label(info.state))
        if then:  # what the decision does, said before the Enter that makes it
            summary += "\n" + then

        def decide(comment: str, uow) -> DecidedDraft:
            return service(number, actor=actor, uow=uow, comment=comment or None)

        self.app.push_screen(DecisionDialog(title, summary, label, decide, kind=kind),
                             lambda result: self._decided(result, done))

    def _decided(self, result: DecidedDraft | None, done: str) -> None:
        if result is None:  # cancelled
            return
        self.say(_("{number} {done}: now {step}").format(number=result.number, done=done,
                                                         step=step_label(result.state)), "notice")
        self.action_reload()

    def action_edit_line(self) -> None:
        """Change the quantity or reason of the line under the cursor."""
        info, line = self.current, self._line()
        if info is None or line is None:
            return
        actor, number, part_no = self.app.actor, info.number, line.part_no
        back_to = check_edit(actor, RequestState(info.state))
        note = (_("The draft stays at the order meeting.") if back_to.value == info.state else
                _("The draft goes back to: {step}; approvals given are cleared.").format(step=step_label(back_to)))

        def edit(qty: Decimal | None, reason: str | None, uow) -> EditedDraft:
            return change_lines(number, [LineChange(part_no, qty, reason)], actor=actor, uow=uow)

        self.app.push_screen(LineEditDialog(number, line, edit, note), self._edited)

    def _edited(self, result: EditedDraft | None) -> None:
        from core.services.supersession import redirect_notes

        if result is None:
            return
        said = _("{number} changed: now {step}").format(number=result.number, step=step_label(result.state))
        # An old number's line goes to the newest (core.services.requests): said, never silent.
        self.say(" · ".join([said, *redirect_notes(result.redirected)]), "notice")
        self.select(result.number)

    def action_forecast(self) -> None:
        """The forecast view of the line's part."""
        from screens.forecast import ForecastScreen

        line = self._line()
        if line is not None:
            self.app.push_screen(ForecastScreen(line.part_no))

    def action_price_rules(self) -> None:
        """The station's price rules (screens.price_rules)."""
        from screens.price_rules import PriceRulesDialog

        self.app.push_screen(PriceRulesDialog(self.app.actor))

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line under the heading (kind: error, notice)."""
        if not self.is_attached:
            return
        status = self.query_one("#review-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def line_key(line: RequestLineInfo) -> str:
    """A draft line's row key: its part, and the shortage it answers where it is a special order."""
    return line.part_no if line.shortage is None else f"{line.part_no}:{line.shortage}"


def line_cells(line: RequestLineInfo) -> list[Any]:
    """A draft line's cells: changed lines in the highlight style, a jump marked with its reason."""
    base = CHANGED_STYLE if line.changed else ""
    mark = (CHANGED_MARK if line.changed else " ") + (FLAGGED_MARK if line.flagged else "")
    if line.flagged and not line.reason:
        reason = Text(_("forecast jumps: reason needed"), style=OVERDUE_STYLE)
    elif line.flagged:
        reason = Text(line.reason or "", style=FLAGGED_STYLE)
    elif line.shortage is not None:
        # A special order for that customer, said short enough for the column: the repair order, the shortage.
        reason = Text(_("for {ro} · {shortage}").format(ro=line.ro, shortage=line.shortage), style=base or "bold")
    else:
        reason = Text(line.reason or "", style=base)
    return [
        Text(mark, style=FLAGGED_STYLE if line.flagged and not line.changed else base),
        Text(line.part_no, style=base), Text(part_name(line.name, line.name_zh), style=base),
        Text(fmt_qty(line.forecast), justify="right", style=base),
        Text(fmt_qty(line.suggested), justify="right", style=base),
        Text(fmt_qty(line.qty), justify="right", style=base or "bold"),
        reason,
    ]


def valued_cells(line: RequestLineInfo, unit_cost: Decimal | None) -> list[Any]:
    """The review's cells of a draft line: line_cells with its value (cost x quantity; blank until the cost is
    read) before the reason."""
    cells = line_cells(line)
    shown = "" if unit_cost is None else fmt_money(unit_cost * line.qty)
    cells.insert(-1, Text(shown, justify="right", style=CHANGED_STYLE if line.changed else ""))
    return cells


def _rows(drafts: list[WaitingDraft]) -> list:
    """The list's rows of `drafts`: key and cells."""
    return [(d.number, (
        Text(d.number, style="bold"), Text(step_label(d.state)),
        Text(f"{label(CYCLE, d.cycle)} {d.cycle_start:%Y-%m-%d}"), Text(d.author),
        Text(str(d.lines), justify="right"),
        Text(str(d.changed), justify="right", style=CHANGED_STYLE if d.changed else ""),
        Text(short_time(d.since)))) for d in drafts]


def _line_rows(page: ReviewLines) -> list:
    """The lines table's rows of a page of lines: key and cells, each line valued at its part's cost."""
    return [(line_key(line), valued_cells(line, page.costs.get(line.part_no))) for line in page.lines]
