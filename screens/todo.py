"""Everything waiting for the operator (待办), the full list behind home's dashboard: the same items and counts, read
a page at a time (screens.widgets.tables.Pages) however many documents wait; Enter opens an item in its screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.i18n import N_, _
from screens import keys
from screens.dashboard import OpensItems, _rows, _summary, todo_columns
from screens.widgets.footer import Footer
from screens.widgets.tables import Pages, SubjectTable


class TodoTable(Pages, SubjectTable):
    """The waiting items, a page at a time; Enter opens the item under the cursor."""

    BINDINGS = [Binding(keys.OPEN, "select_cursor", N_("Open"), id="open_item",
                        tooltip=N_("Open the item under the cursor in its screen"))]


class TodoScreen(OpensItems, Screen[None]):
    """The whole to-do: a summary of the counts over every item waiting, one a row."""

    AUTO_FOCUS = "#todo-items"
    BINDINGS = [
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload", tooltip=N_("Read what waits for you again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def compose(self) -> ComposeResult:
        """Heading, summary and the items."""
        yield Header()
        with Vertical(id="todo-body"):
            yield Static(_("Everything waiting for you 待办"), classes="heading")
            yield Static(_("reading…"), id="todo-summary", classes="waiting")
            yield TodoTable(id="todo-items", cursor_foreground_priority="renderable")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the first page."""
        self.query_one(TodoTable).set_columns(*todo_columns())
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Read again when back from an item (it may have been answered, posted or sent)."""
        if self.query_one(TodoTable).row_count:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the items again: the first page, or as many as were shown (the cursor keeps its item)."""
        from core.services.todo import read_todo

        actor = self.app.actor
        if actor is None:
            return
        limit = max(TodoTable.PAGE, self.query_one(TodoTable).row_count)
        self.run_read(lambda uow: read_todo(actor, uow=uow, limit=limit), self._fill, group="todo")

    def _fill(self, data) -> None:
        self.query_one(TodoTable).fill_page(_rows(data), data.counts.total)
        self.say(_summary(data))

    @on(Pages.Wanted, "#todo-items")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last item read: the next ones."""
        from core.services.todo import read_todo

        actor, offset, table = self.app.actor, event.offset, event.table
        if actor is None:
            return
        self.run_read(lambda uow: read_todo(actor, uow=uow, offset=offset, limit=table.PAGE),
                      lambda data: table.add_page(offset, _rows(data), data.counts.total), group="todo-more")

    @on(DataTable.RowSelected, "#todo-items")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open_item(event.row_key.value or "")

    def say(self, message, kind: str = "") -> None:
        """The summary line; errors of the service calls come here too."""
        if not self.is_attached:
            return
        summary = self.query_one("#todo-summary", Static)
        summary.update(message)
        summary.set_classes(kind)

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()
