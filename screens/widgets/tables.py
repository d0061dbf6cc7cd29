"""Tables for lists the operator moves through by keyboard."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

from core.i18n import _
from screens import keys
from screens.widgets.focus import ForwardsKeys


class ResultsTable(ForwardsKeys, DataTable):
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
