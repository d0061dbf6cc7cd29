"""The planner's list of drafts (订单底稿), every cycle's, newest first, a page at a time: Enter shows the highlighted
one on the planning screen (its lines, its state, what can still be done with it)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from core.labels import CYCLE, REQUEST_STATE, label
from core.services.draft_pages import DraftList, DraftSummary, drafts_page
from screens import keys
from screens.forecast import cycle_label
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.planning_text import short_time
from screens.widgets.tables import Column, Pages, SubjectTable


class DraftsTable(Pages, SubjectTable):
    """The drafts, a page at a time; Enter picks the one under the cursor."""

    BINDINGS = [Binding(keys.OPEN, "select_cursor", N_("Show"), id="show_draft",
                        tooltip=N_("Show the draft under the cursor on the planning screen"))]


def _rows(drafts: list[DraftSummary]):
    """The list's rows of `drafts`: key and cells (number, cycle, state by its label, lines, author, drafted)."""
    for d in drafts:
        cycle = f"{label(CYCLE, d.cycle)} {cycle_label(d.cycle_start, d.cycle)}"
        yield d.number, (Text(d.number, style="bold"), Text(cycle), Text(label(REQUEST_STATE, d.state)),
                         Text(str(d.lines), justify="right"), Text(d.author), Text(short_time(d.created_at)))


class DraftPicker(Dialog[str]):
    """Every draft, newest first: Enter picks the highlighted one (its number); the current one is highlighted."""

    AUTO_FOCUS = "#drafts-list"

    def __init__(self, page: DraftList, current: str | None = None) -> None:
        """A picker showing `page`, the newest drafts (the next ones read as the cursor comes), `current` under
        the cursor."""
        super().__init__()
        self.page, self.current = page, current
        self.drafts = list(page.rows)

    def compose(self) -> ComposeResult:
        """Title, the list and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("Purchase-request drafts 订单底稿")), classes="dialog-title")
            yield DraftsTable(id="drafts-list")
            yield self.message_line(_("Enter: show it on the planning screen · Escape: close") if self.drafts
                                    else _("no draft yet: ctrl+n drafts the cycle"))
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the first page, the cursor on the draft shown."""
        table = self.query_one(DraftsTable)
        table.set_columns(
            Column("number", _("Draft"), 16),
            Column("cycle", _("Cycle"), 18, gives_way=2),
            Column("state", _("State"), 16, min_width=8),
            Column("lines", Text(_("Lines"), justify="right"), 7),
            Column("author", _("Author"), 8, gives_way=1),
            Column("drafted", _("Drafted"), 11, gives_way=3),
        )
        table.fill_page(_rows(self.drafts), self.page.total, select=self.current)

    @on(Pages.Wanted, "#drafts-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last draft read: the next ones."""
        table, offset = self.query_one(DraftsTable), event.offset

        def added(page: DraftList) -> None:
            if table.row_count == offset:
                self.drafts = self.drafts[:offset] + page.rows
            table.add_page(offset, _rows(page.rows), page.total)

        self.run_read(lambda uow: drafts_page(uow=uow, limit=table.PAGE, offset=offset), added, group="drafts-more")

    @on(DataTable.RowSelected, "#drafts-list")
    def _picked(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: the draft under the cursor."""
        if event.row_key.value:
            self.dismiss(event.row_key.value)
