"""Planning (计划): the planner's current cycle's purchase-request draft (订单底稿), a page of its lines at a time
with each part's consumption over the last cycles and the forecast beside it; draft the cycle (a worker: the desk
stays usable meanwhile), change a line's quantity and the jump's reason, take a line off, resubmit a returned
draft, make the orders from the approved one; `o` opens the orders (screens.planning_orders), `t` the orders in
transit with their days late (screens.transit)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.approvals import CLOSED, check_resubmit, may_edit
from core.decimals import fmt_qty
from core.i18n import N_, _, ngettext
from core.labels import CYCLE, REQUEST_STATE, ROLE, label, labels, part_names
from core.models.enums import RequestState
from core.roles import Permission, allows
from core.services.draft_pages import DraftHead, DraftPage, current_draft, draft_page
from core.services.requests import EditedDraft, LineChange, RequestLineInfo
from screens import keys
from screens.forecast import cycle_label
from screens.review import line_cells, line_key
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import FLAGGED_STYLE, OVERDUE_STYLE, short_time
from screens.widgets.tables import Column, Pages, SubjectTable

# Cycles of consumption the lines' column shows (the detail under the table shows every cycle read).
SHOWN_HISTORY = 3


class PlanLinesTable(Pages, SubjectTable):
    """The draft's lines, a page at a time."""


class PlanningScreen(ServiceCalls, Screen[None]):
    """The cycle's draft and its lines; the keys act on the draft shown and the line under the cursor."""

    AUTO_FOCUS = "#plan-lines"
    BINDINGS = [
        Binding(keys.NEW, "new_draft", N_("Draft the cycle"), id="plan_new_draft",
                tooltip=N_("Draft the next cycle's purchase request from the forecast (the desk stays usable)")),
        Binding("e", "edit_line", N_("Edit line"), id="plan_edit_line",
                tooltip=N_("Change the quantity of the line under the cursor, and the reason where it jumps")),
        Binding("delete", "remove_line", N_("Remove line"), id="plan_remove_line",
                tooltip=N_("Take the line under the cursor off the draft (asks first)")),
        Binding("f", "forecast", N_("Forecast"), id="plan_forecast",
                tooltip=N_("The consumption history and forecast of the line's part")),
        Binding(keys.COMMIT, "submit_draft", N_("Resubmit"), id="plan_submit",
                tooltip=N_("Send the returned draft back to the parts manager's review (asks first)")),
        Binding("m", "make_orders", N_("Make orders"), id="plan_make_orders",
                tooltip=N_("One order per supplier from the approved draft (asks first)")),
        Binding("x", "export_sheet", N_("Export sheet"), id="plan_export_sheet",
                tooltip=N_("Write the draft as an XLSX sheet for the spreadsheet")),
        Binding("i", "import_sheet", N_("Import sheet"), id="plan_import_sheet",
                tooltip=N_("Take back the quantities and reasons from the sheet (refused whole if it does not "
                           "match)")),
        Binding("a", "drafts", N_("All drafts"), id="plan_drafts",
                tooltip=N_("Every draft, earlier cycles' too, newest first: Enter shows the one picked")),
        Binding("o", "orders", N_("Orders"), id="plan_orders",
                tooltip=N_("The purchase orders: urgent ones, export, send, chase, close")),
        Binding("t", "transit", N_("In transit"), id="plan_transit",
                tooltip=N_("The orders in transit, the late ones first, with their days late")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_planning", tooltip=N_("Read the draft again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self, select: str | None = None) -> None:
        """The current cycle's draft, or draft `select` (a PRQ number), read once mounted."""
        super().__init__()
        self.number: str | None = select
        self.head: DraftHead | None = None
        self.lines: list[RequestLineInfo] = []
        self.history: dict[str, tuple[Decimal, ...]] = {}
        self.cycles: tuple = ()
        self.drafting = False  # a draft is being worked out: the title says so, and the keys stay live

    def compose(self) -> ComposeResult:
        """Heading, the draft's title, status, its lines and the highlighted line's detail."""
        yield Header()
        with Vertical(id="planning-body"):
            yield Static(_("Planning 计划 — the cycle's purchase-request draft"), classes="heading")
            yield Static(_("reading…"), id="plan-title", classes="waiting")
            yield Static("", id="plan-status")
            # The cells' own colours win over the cursor's: a jump stays marked under the cursor.
            yield PlanLinesTable(id="plan-lines", cursor_foreground_priority="renderable")
            yield Static("", id="plan-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the draft."""
        self.query_one(PlanLinesTable).set_columns(
            Column("mark", " ", 2),
            Column("part_no", _("Part no"), 12),
            Column("name", _("Name"), 24, min_width=8),
            Column("history", Text(_("Last cycles"), justify="right"), 14, gives_way=3),
            Column("forecast", Text(_("Forecast"), justify="right"), 8, gives_way=2),
            Column("suggested", Text(_("Suggested"), justify="right"), 9, gives_way=4),
            Column("qty", Text(_("Qty"), justify="right"), 7),
            Column("reason", _("Reason"), 30, min_width=10, gives_way=1),
        )
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Back from a dialog or the forecast: the keys depend on the draft and line shown."""
        self.refresh_bindings()

    # -- reading -----------------------------------------------------------------------------

    def returned_to(self, number: str | None) -> None:
        """Opened again (its key, the palette): read again; `number` shows that draft."""
        if number:
            self.number = number
        if self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the draft again (a reviewer may have decided meanwhile): the first page, or as many lines as were
        shown (the cursor keeps its line)."""
        table = self.query_one(PlanLinesTable)
        limit = max(PlanLinesTable.PAGE, table.row_count)
        number = self.number

        def read(uow) -> DraftPage | None:
            chosen = number or current_draft(uow=uow)
            return None if chosen is None else draft_page(chosen, uow=uow, limit=limit)

        self.run_read(read, self._fill, group="planning")

    def _fill(self, page: DraftPage | None) -> None:
        table = self.query_one(PlanLinesTable)
        if page is None:
            self.head, self.lines, self.history = None, [], {}
            table.fill_page((), 0)
            self._title()
            self._detail()
            self.refresh_bindings()
            return
        if self.head is None or self.head.number != page.head.number:
            table.clear()  # another draft: from its first line
        self.number = page.head.number
        self.head, self.lines, self.cycles = page.head, page.lines, page.cycles
        self.history = dict(page.history)
        table.fill_page(self._rows(page.lines), page.total)
        self._title()
        self._detail()
        self.refresh_bindings()

    @on(Pages.Wanted, "#plan-lines")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last line read: the next ones."""
        table, offset, number = self.query_one(PlanLinesTable), event.offset, self.number
        if number is None:
            return

        def read(page: DraftPage) -> None:
            if table.page_read(offset, self._rows(page.lines), page.total):
                self.lines = self.lines[:offset] + page.lines
                self.history.update(page.history)

        self.run_read(lambda uow: draft_page(number, uow=uow, limit=table.PAGE, offset=offset), read,
                      group="planning-more")

    def _rows(self, lines: list[RequestLineInfo]):
        history = self.history

        def cells(line: RequestLineInfo) -> list[Any]:
            shown = line_cells(line)  # the review's cells: marks, part, name, figures, reason
            consumed = history.get(line.part_no, ())[-SHOWN_HISTORY:]
            shown.insert(3, Text(" ".join(fmt_qty(q) for q in consumed), justify="right", style="dim"))
            return shown

        # The history of a page comes with the page: the rows are made once it is in `history`.
        return [(line_key(line), cells(line)) for line in lines]

    def _title(self) -> None:
        title = self.query_one("#plan-title", Static)
        head = self.head
        if self.drafting:
            title.update(Text(_("drafting… the forecast of every part is worked out; the desk stays usable"),
                              style="bold"))
            title.set_classes("waiting")
            return
        title.set_classes("")
        if head is None:
            title.update(Text(_("No draft for this cycle yet: {key} drafts it from the forecast").format(
                key=keys.label(keys.NEW))))
            return
        text = Text.assemble(
            (head.number, "bold"), "  ", (label(REQUEST_STATE, head.state), "bold"), "  ",
            f"{label(CYCLE, head.cycle)} {head.cycle_start:%Y-%m-%d}", "  ",
            _("drafted by {author} {at}").format(author=head.author, at=short_time(head.created_at)))
        text.append("\n" + ngettext("{lines} line", "{lines} lines", head.lines).format(lines=head.lines))
        if head.waiting_for and head.state not in CLOSED:
            text.append("  " + _("waiting for: {who}").format(who=labels(ROLE, head.waiting_for)))
        if head.unexplained:
            text.append("  ")
            text.append(ngettext("{count} forecast jump without a reason: e gives it",
                                 "{count} forecast jumps without a reason: e gives them",
                                 head.unexplained).format(count=head.unexplained), style=OVERDUE_STYLE)
        if head.rejection:
            text.append("\n" + _("Sent back: {why}").format(why=head.rejection), style=FLAGGED_STYLE)
        title.update(text)

    @on(DataTable.RowHighlighted, "#plan-lines")
    def _moved(self) -> None:
        self._detail()
        self.refresh_bindings()

    def _line(self) -> RequestLineInfo | None:
        """The line under the cursor."""
        key = self.query_one(PlanLinesTable).subject_key
        return next((line for line in self.lines if line_key(line) == key), None)

    def _detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        line = self._line()
        if line is None:
            detail.update("")
            return
        consumed = self.history.get(line.part_no, ())
        if consumed and self.cycles and self.head is not None:
            first, last = (cycle_label(self.cycles[0], self.head.cycle), cycle_label(self.cycles[-1], self.head.cycle))
            history = _("consumed {first}…{last}: {figures}").format(
                first=first, last=last, figures=" ".join(fmt_qty(q) for q in consumed))
        else:
            history = _("no consumption read yet")
        text = Text.assemble((line.part_no, "bold"), "  ", part_names(line.name, line.name_zh), "\n", history, "\n",
                             _("forecast {forecast} · suggested {suggested} · on the draft {qty}").format(
                                 forecast=fmt_qty(line.forecast), suggested=fmt_qty(line.suggested),
                                 qty=fmt_qty(line.qty)))
        detail.update(text)

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what the draft's state and the operator's roles allow now (core.approvals decides)."""
        actor, head = self.app.actor, self.head
        if actor is None:
            return False
        if action == "new_draft":
            return actor.can(Permission.PLAN_ORDERS) and not self.drafting and (
                head is None or head.state in CLOSED)
        if action in ("edit_line", "remove_line", "forecast", "submit_draft", "make_orders", "export_sheet",
                      "import_sheet") and head is None:
            return False
        line = self._line() if self.is_mounted else None
        if action in ("edit_line", "remove_line"):
            # A shortage's line is the shortage's answer: only the cycle's own lines change here.
            return line is not None and line.shortage is None and may_edit(actor, head.state)
        if action == "import_sheet":
            return may_edit(actor, head.state)
        if action == "forecast":
            return line is not None
        if action == "submit_draft":
            return allows(check_resubmit, actor, RequestState(head.state))
        if action == "make_orders":
            return actor.can(Permission.PLAN_ORDERS) and head.state == RequestState.APPROVED
        return True

    def action_new_draft(self) -> None:
        """Ask, then draft the cycle in a worker: "drafting…" shows meanwhile and every key still works."""
        from core.services.requests import draft_request
        from screens.widgets.dialogs import YesNoDialog

        actor = self.app.actor

        def drafted(number: str) -> None:
            self.drafting = False
            self.number = number
            self.say(_("{number} drafted: check the jumps, then it waits for the parts manager's review").format(
                number=number), "success")
            self.query_one(PlanLinesTable).clear()
            self.action_reload()

        def refused(exc: Exception) -> None:
            self.drafting = False
            self._title()
            self.refresh_bindings()
            self.show_error(exc)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.drafting = True
            self._title()
            self.refresh_bindings()
            self.run_write(lambda uow: draft_request(actor=actor, uow=uow), drafted, failed=refused,
                           group="planning-draft")

        self.app.push_screen(YesNoDialog(
            _("Draft the cycle 订单底稿"),
            _("Work out the forecast of every part and draft the next cycle's purchase request. At a big station "
              "this takes a while; the desk stays usable meanwhile.")), answered)

    def action_edit_line(self) -> None:
        """The line's quantity (core's quantity parser) and the reason where the forecast jumps."""
        from core.approvals import check_edit
        from core.services.requests import change_lines
        from screens.widgets.line_edit import LineEditDialog

        head, line, actor = self.head, self._line(), self.app.actor
        if head is None or line is None:
            return
        number, part_no = head.number, line.part_no
        back_to = check_edit(actor, RequestState(head.state))
        note = ("" if back_to.value == head.state else
                _("The draft goes back to: {state}; approvals given are cleared.").format(
                    state=label(REQUEST_STATE, back_to)))
        if line.flagged and not line.reason:
            note = (note + "\n" if note else "") + _("The forecast jumps against history: give the reason.")

        def edit(qty: Decimal | None, reason: str | None, uow) -> EditedDraft:
            return change_lines(number, [LineChange(part_no, qty, reason)], actor=actor, uow=uow)

        self.app.push_screen(LineEditDialog(number, line, edit, note), partial(self._changed, part_no))

    def _changed(self, part_no: str, info: EditedDraft | None) -> None:
        from core.services.supersession import redirect_notes

        if info is None:
            return
        said = _("{part_no} changed on {number}").format(part_no=part_no, number=self.number)
        # A line of an old number (drafted before it was superseded) goes to the newest: said, never silent.
        self.say(" · ".join([said, *redirect_notes(info.redirected)]), "notice")
        self.action_reload()

    def action_remove_line(self) -> None:
        """Ask, then take the line under the cursor off the draft."""
        from core.services.requests import change_lines
        from screens.widgets.dialogs import YesNoDialog

        head, line, actor = self.head, self._line(), self.app.actor
        if head is None or line is None:
            return
        number, part_no = head.number, line.part_no

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(lambda uow: change_lines(number, [LineChange(part_no, remove=True)], actor=actor,
                                                        uow=uow),
                               lambda _info: self._removed(part_no), group="planning-remove")

        self.app.push_screen(YesNoDialog(
            _("Remove {part_no} from {number}").format(part_no=part_no, number=number),
            _("{name}: {qty} on the draft, forecast {forecast}. The line goes; the history keeps the change.").format(
                name=part_names(line.name, line.name_zh), qty=fmt_qty(line.qty), forecast=fmt_qty(line.forecast)),
            kind="warning"), answered)

    def _removed(self, part_no: str) -> None:
        self.say(_("{part_no} taken off {number}").format(part_no=part_no, number=self.number), "notice")
        self.action_reload()

    def action_submit_draft(self) -> None:
        """Ask (with an optional comment), then send the returned draft back into the chain."""
        from core.services.requests import resubmit_request
        from screens.widgets.decision import DecisionDialog

        head, actor = self.head, self.app.actor
        if head is None:
            return
        number = head.number
        summary = _("It goes back to the parts manager's review, then the order meeting, the accountant and the "
                    "approvals.")
        if head.unexplained:
            summary += "\n" + ngettext("{count} forecast jump still has no reason: the review will refuse it.",
                                       "{count} forecast jumps still have no reason: the review will refuse them.",
                                       head.unexplained).format(count=head.unexplained)

        def submit(comment: str, uow):
            return resubmit_request(number, actor=actor, uow=uow, comment=comment or None)

        def done(info) -> None:
            if info is not None:
                self.say(_("{number} resubmitted: waiting for the parts manager's review").format(number=number),
                         "success")
                self.action_reload()

        self.app.push_screen(DecisionDialog(_("Resubmit {number}").format(number=number), summary,
                                            _("Comment (optional)"), submit), done)

    def action_make_orders(self) -> None:
        """Ask, then make one order per supplier from the approved draft."""
        from core.services.ordering import orders_from_request, request_redirects
        from screens.widgets.dialogs import YesNoDialog

        head, actor = self.head, self.app.actor
        if head is None:
            return
        number = head.number

        def made(result: tuple[dict[str, tuple[str, ...]], list[str]]) -> None:
            from core.services.supersession import redirect_notes

            redirected, orders = result
            said = ngettext("{orders} made from {number}: o opens the orders to export and send",
                            "{orders} made from {number}: o opens the orders to export and send",
                            len(orders)).format(orders=", ".join(orders), number=number)
            self.say(" · ".join([said, *redirect_notes(redirected)]), "success")
            self.action_reload()

        def make(uow) -> tuple[dict[str, tuple[str, ...]], list[str]]:
            # The draft's old numbers, read before the orders carry them to the newest (said, never silent).
            return request_redirects(number, uow=uow), orders_from_request(number, actor=actor, uow=uow)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(make, made, group="planning-orders")

        self.app.push_screen(YesNoDialog(
            _("Make the orders of {number}").format(number=number),
            ngettext("One order per supplier from the {lines} line of the approved draft; the draft is then "
                     "ordered and its lines can no longer change.",
                     "One order per supplier from the {lines} lines of the approved draft; the draft is then "
                     "ordered and its lines can no longer change.", head.lines).format(lines=head.lines)),
            answered)

    def action_export_sheet(self) -> None:
        """Ask for the file, then write the draft there as an XLSX sheet."""
        from core.services.requests import export_request
        from screens.widgets.dialogs import TextDialog

        head = self.head
        if head is None:
            return
        number = head.number

        def chosen(path: str | None) -> None:
            if path:
                self.say(_("writing {path}…").format(path=path), "waiting")
                self.run_read(lambda uow: export_request(number, path, uow=uow),
                              lambda written: self.say(_("written to {path}").format(path=written), "success"),
                              group="planning-export")

        self.app.push_screen(TextDialog(_("Export {number}").format(number=number), _("file (.xlsx)"),
                                        value=f"{number}.xlsx"), chosen)

    def action_import_sheet(self) -> None:
        """Ask for the sheet, then take its quantities and reasons back (all or nothing)."""
        from core.services.requests import import_request
        from screens.widgets.dialogs import TextDialog

        head, actor = self.head, self.app.actor
        if head is None:
            return
        number = head.number

        def chosen(path: str | None) -> None:
            if path:
                self.run_write(lambda uow: import_request(number, path, actor=actor, uow=uow),
                               lambda _info: self._imported(path), group="planning-import")

        self.app.push_screen(TextDialog(_("Import into {number}").format(number=number), _("file (.xlsx or .csv)"),
                                        value=f"{number}.xlsx"), chosen)

    def _imported(self, path: str) -> None:
        self.say(_("{number}: the sheet {path} taken back").format(number=self.number, path=path), "success")
        self.action_reload()

    def action_forecast(self) -> None:
        """The forecast view of the line's part."""
        from screens.forecast import ForecastScreen

        line = self._line()
        if line is not None:
            self.app.push_screen(ForecastScreen(line.part_no))

    def action_drafts(self) -> None:
        """The list of every draft, the one shown under the cursor; the one picked is shown here."""
        from core.services.draft_pages import drafts_page
        from screens.planning_drafts import DraftPicker, DraftsTable

        current = self.number

        def picked(number: str | None) -> None:
            if number:
                self.returned_to(number)

        self.run_read(lambda uow: drafts_page(uow=uow, limit=DraftsTable.PAGE),
                      lambda page: self.app.push_screen(DraftPicker(page, current), picked), group="drafts")

    def action_orders(self) -> None:
        """The purchase orders."""
        from screens.planning_orders import PlanningOrdersScreen

        self.app.push_screen(PlanningOrdersScreen())

    def action_transit(self) -> None:
        """The orders in transit, the late ones first."""
        from screens.transit import TransitScreen

        self.app.push_screen(TransitScreen())

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success, waiting)."""
        if not self.is_attached:
            return
        status = self.query_one("#plan-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
