"""Shortages (缺件登记): each with its 30-minute countdown, the overdue in red; the parts department answers here.

The planner and the parts manager see every shortage not yet fulfilled and answer the open ones;
an advisor sees the shortages they logged, with the answers. The countdowns are read again every
30 seconds, so a shortage turns red on screen when its time is up.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core import clock
from core.decimals import fmt_qty
from core.i18n import N_, _
from core.labels import part_name
from core.services.shortages import ShortageInfo, ShortagePage, answer_shortage, shortages_page
from core.shortage_rules import answers_shortages, may_answer
from screens import keys
from screens.widgets.answer import AnswerDialog
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import (
    OVERDUE_STYLE,
    local_time,
    short_time,
    shortage_countdown,
    shortage_state_label,
    solution_label,
)
from screens.widgets.tables import Column, Pages, SubjectTable

REFRESH_SECONDS = 30.0


def status_cell(shortage: ShortageInfo) -> Text:
    """Where a shortage stands: its countdown while open, else its state (late answers stay marked)."""
    if shortage.state == "open":
        return shortage_countdown(shortage.overdue, shortage.minutes_left, shortage.respond_by, clock.now())
    text = Text(shortage_state_label(shortage.state), style="green" if shortage.state == "fulfilled" else "")
    if shortage.overdue:
        text.append(" " + _("(late)"), style=OVERDUE_STYLE)
    return text


class ShortageTable(Pages, SubjectTable):
    """The shortages, a page at a time."""


class ShortagesScreen(ServiceCalls, Screen[None]):
    """The shortages, most urgent first, with the highlighted one's details and the answer key."""

    AUTO_FOCUS = "#shortage-list"
    BINDINGS = [
        Binding("a", "answer", N_("Answer"), id="answer_shortage",
                tooltip=N_("Answer the highlighted shortage: solution and expected time")),
        Binding("o", "toggle_all", N_("All/open"), id="toggle_fulfilled",
                tooltip=N_("Show the fulfilled shortages too, or only those still open")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_shortages", tooltip=N_("Read the shortages again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self, select: str | None = None) -> None:
        """The shortages; `select` puts the cursor on that one once read."""
        super().__init__()
        self.shortages: list[ShortageInfo] = []
        self.show_all = False
        self._select = select  # until mounted: then the table seeks it

    def compose(self) -> ComposeResult:
        """Heading, status, the list and the details of the highlighted shortage."""
        yield Header()
        with Vertical(id="shortages-body"):
            yield Static(_("Shortages 缺件登记 — each answered within 30 minutes"), classes="heading")
            yield Static("", id="shortages-summary")
            # The cells' own colours win over the cursor's: an overdue one stays red under the cursor.
            yield ShortageTable(id="shortage-list", cursor_foreground_priority="renderable")
            yield Static("", id="shortage-detail")
            yield Static("", id="shortages-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, the shortages, and the timer that keeps the countdowns true."""
        table = self.query_one("#shortage-list", SubjectTable)
        table.set_columns(
            Column("number", _("Shortage"), 15),
            Column("part_no", _("Part no"), 10, gives_way=2),
            Column("name", _("Name"), 18, min_width=10),
            Column("qty", Text(_("Qty"), justify="right"), 4),
            Column("ro", _("Repair order"), 14, gives_way=1),
            Column("logged", _("Logged"), 11, gives_way=3),
            Column("status", _("Status"), 17, min_width=14),
            Column("eta", _("ETA"), 11),
        )
        table.seek(self._select)
        self.set_interval(REFRESH_SECONDS, self.action_reload)
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again (its key, the to-do, a scan): read again, the cursor on `number`."""
        self.select(number)

    def select(self, number: str | None) -> None:
        """Read again and put the cursor on `number` (read on to it when it lies past the first page)."""
        if not self.is_mounted:  # on_mount seeks it and reads them
            self._select = number
            return
        self.query_one(ShortageTable).seek(number)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the shortages again (their countdowns move with the clock): the first page, or as many as were
        shown (the cursor keeps its shortage)."""
        limit = max(ShortageTable.PAGE, self.query_one(ShortageTable).row_count)
        read = self._reader(0, limit)
        # A database fault is said on the status line; the list stays.
        self.run_read(read, self._fill, group="shortages")

    def _reader(self, offset: int, limit: int):
        """The read of `limit` shortages from `offset`: those the operator follows, open or all."""
        actor, show_all = self.app.actor, self.show_all
        mine = None if actor is None or answers_shortages(actor) else actor.code
        return lambda uow: shortages_page(uow=uow, limit=limit, offset=offset, logged_by=mine, fulfilled=show_all)

    @on(Pages.Wanted, "#shortage-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last shortage read, or one sought lies further down: the next ones."""
        table, offset = self.query_one(ShortageTable), event.offset

        def read(page: ShortagePage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.shortages = self.shortages[:offset] + page.rows

        self.run_read(self._reader(offset, table.PAGE), read, group="shortages-more")

    def _fill(self, page: ShortagePage) -> None:
        table = self.query_one(ShortageTable)
        self.shortages = page.rows
        table.fill_page(_rows(page.rows), page.total, select=self._highlighted_number())
        summary = self.query_one("#shortages-summary", Static)
        if not page.total:
            summary.update(_("no shortage to follow"))
        elif page.overdue:
            summary.update(Text(_("{open} waiting for an answer, {overdue} overdue: answer them now").format(
                open=page.open, overdue=page.overdue), style=OVERDUE_STYLE))
        else:
            summary.update(_("{open} waiting for an answer, {total} shown").format(open=page.open, total=page.total))
        self._detail()
        self.refresh_bindings()

    def _highlighted_number(self) -> str | None:
        shortage = self.highlighted()
        return shortage.number if shortage else None

    def highlighted(self) -> ShortageInfo | None:
        """The shortage under the cursor."""
        table = self.query_one("#shortage-list", ShortageTable)
        return next((item for item in self.shortages if item.number == table.subject_key), None)

    @on(DataTable.RowHighlighted, "#shortage-list")
    def _moved(self) -> None:
        self._detail()
        self.refresh_bindings()

    def _detail(self) -> None:
        s = self.highlighted()
        detail = self.query_one("#shortage-detail", Static)
        if s is None:
            detail.update("")
            return
        name = part_name(s.part_name, s.part_name_zh)
        text = Text.assemble((s.number, "bold"), "  ", f"{s.part_no} {name} × {fmt_qty(s.qty)}", "  ",
                             _("for {ro}, logged by {who} at {at}; answer by {by}").format(
                                 ro=s.ro, who=s.logged_by, at=local_time(s.logged_at), by=local_time(s.respond_by)))
        if s.note:
            text.append("\n" + _("Note: {note}").format(note=s.note), style="dim")
        if s.answered_at is not None:
            text.append("\n" + _("Answered by {who} at {at}: {solution}, expected {eta}").format(
                who=s.answered_by or "—", at=local_time(s.answered_at), solution=solution_label(s.solution),
                eta=local_time(s.eta)))
            if s.answer_note:
                text.append(" — " + s.answer_note)
        if s.fulfilled_at is not None:
            text.append("\n" + _("Fulfilled by {doc} at {at}").format(doc=s.fulfilled_by_doc or "—",
                                                                       at=local_time(s.fulfilled_at)), style="green")
        detail.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Answer only for the parts department, on an open shortage."""
        if action == "answer":
            actor = self.app.actor
            shortage = self.highlighted() if self.is_mounted else None
            return actor is not None and shortage is not None and may_answer(actor, shortage.state)
        return True

    def action_answer(self) -> None:
        """The answer dialog for the highlighted shortage."""
        shortage, actor = self.highlighted(), self.app.actor
        if shortage is None or actor is None or not may_answer(actor, shortage.state):
            return
        number = shortage.number

        def answer(solution: str, eta, note: str | None, uow) -> ShortageInfo:
            return answer_shortage(number, solution, eta, actor=actor, uow=uow, note=note)

        self.app.push_screen(AnswerDialog(shortage, answer), self._answered)

    def _answered(self, result: ShortageInfo | None) -> None:
        if result is None:
            return
        said = _("{number} answered: {solution}, expected {eta}").format(
            number=result.number, solution=solution_label(result.solution), eta=local_time(result.eta))
        self.say(said, "notice")
        self.select(result.number)
        if result.ordered_on:
            # An old number is ordered as its newest one(s): said beside the answer, never silently.
            from core.services.supersession import newest_for, redirect_notes

            def redirected(newest: dict[str, tuple[str, ...]]) -> None:
                if newest:
                    self.say(" · ".join([said, *redirect_notes(newest)]), "notice")

            part_no = result.part_no
            self.run_read(lambda uow: newest_for([part_no], uow=uow), redirected, group="redirect")

    def action_toggle_all(self) -> None:
        """Show the fulfilled shortages too, or only the open and answered ones."""
        self.show_all = not self.show_all
        self.action_reload()

    def action_back(self) -> None:
        """Back to where the shortages were opened from."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice)."""
        if not self.is_attached:
            return
        status = self.query_one("#shortages-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _rows(shortages: list[ShortageInfo]):
    """(key, cells) of each shortage, an overdue one in red."""
    return [(s.number, (
        Text(s.number, style=OVERDUE_STYLE if s.state == "open" and s.overdue else "bold"), Text(s.part_no),
        Text(part_name(s.part_name, s.part_name_zh)), Text(fmt_qty(s.qty), justify="right"), Text(s.ro),
        Text(short_time(s.logged_at)), status_cell(s), Text(short_time(s.eta)))) for s in shortages]
