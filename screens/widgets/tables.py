"""Tables for lists the operator moves through by keyboard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from core.i18n import _
from screens import keys
from screens.widgets.focus import ForwardsKeys


class KeepsSubject:
    """For a row-cursor DataTable whose highlighted row is its screen's subject: the detail shown and the document
    the next key acts on are the row under the cursor, always.

    `reload(rows)` fills the table again with the cursor kept on the same document (by row key), or on the one
    asked for (a new document), and a highlight that a reload left behind (the first row's, while the cursor
    went on to the kept one) never reaches the screen: the screen hears only of the row the cursor is on.
    """

    @property
    def subject_key(self) -> str | None:
        """The key of the row under the cursor (None: the table is empty)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def reload(self, rows: Iterable[tuple[str, Sequence[Any]]], select: str | None = None) -> None:
        """Fill the table with `rows` (key, cells): the cursor on `select`, else on the row it was on, else
        at the same place (the row went: the next one)."""
        keep, at = select or self.subject_key, self.cursor_row
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not self.select(keep):
            self.move_cursor(row=min(max(at, 0), max(self.row_count - 1, 0)))

    def select(self, key: str | None) -> bool:
        """Put the cursor on the row of `key`; False when there is none."""
        if key is None:
            return False
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index)
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A highlight of a row the cursor has left already (a reload's first row) goes no further."""
        if event.row_key.value != self.subject_key:
            event.stop()


class SubjectTable(KeepsSubject, DataTable):
    """A row-cursor list whose highlighted row is its screen's subject (KeepsSubject), zebra-striped."""

    def __init__(self, **kwargs) -> None:
        """A table with a row cursor and zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)


class ResultsTable(KeepsSubject, ForwardsKeys, DataTable):
    """A row-cursor table under a search field: Up on the first row, or typing, goes back to the field.

    A label scanned while the table has the focus therefore lands in the field and opens its part,
    instead of the row under the cursor.
    """

    # DataTable's own Enter, shown: the footer then says what Enter does on a row.
    BINDINGS = [Binding(keys.OPEN, "select_cursor", _("Open"), id="open_row",
                        tooltip=_("Open the row under the cursor"))]

    def __init__(self, **kwargs) -> None:
        """A table with a row cursor and zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)

    def on_key(self, event: events.Key) -> None:
        """Typing means searching again: the focus goes to the field (text selected, so the first character
        replaces it); ForwardsKeys (next in line) then passes this key and the rest of a burst on."""
        if event.is_printable and self.screen.focused is self:
            self.screen.focus_previous()

    def action_cursor_up(self) -> None:
        """Move up a row; on the first row, go back to the widget before (the search field)."""
        if self.cursor_row <= 0:
            self.screen.focus_previous()
            return
        super().action_cursor_up()

    @property
    def visible_rows(self) -> int:
        """How many rows fit under the header without scrolling."""
        header = self.header_height if self.show_header else 0
        return max(1, self.content_region.height - header)
