"""Scan fields and line tables for the counter: bursts of scans read whole and in order, lines edited by key."""

from __future__ import annotations

from decimal import Decimal

from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

from core.codes import normalise_part_no
from core.decimals import positive_qty
from core.i18n import N_
from screens import keys
from screens.widgets.focus import ForwardsKeys
from screens.widgets.scan import ScanInput
from screens.widgets.tables import FittingColumns


class BurstScanInput(ScanInput):
    """A scan field that reads each Enter in order with the characters and empties itself at once.

    Ten fast scans of one label are ten submissions of the whole code: the app would run an Enter
    binding only after the characters queued behind it (the next scan), so Enter is handled here.
    """

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Add part"), id="add_part",
                        tooltip=N_("Add the part typed or scanned (PART*QTY adds that many)"))]

    def on_key(self, event: events.Key) -> None:
        """Enter submits at once, in order with the characters; other keys go on to the field's own handling."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            value, self.value = self.value, ""
            self.post_message(self.Submitted(self, value))


class JumpScanInput(ForwardsKeys, ScanInput):
    """A document-number field: Enter submits and hands the focus on at once, so a part scanned right
    behind the document's label lands in the part field."""

    def __init__(self, next_field: str, **kwargs) -> None:
        """A field whose Enter moves on to the widget with id `next_field`."""
        super().__init__(**kwargs)
        self.next_field = next_field

    def on_key(self, event: events.Key) -> None:
        """Enter submits and moves on at once; other keys go on to ForwardsKeys (keys behind a moved focus) and
        the field's own handling."""
        if event.key == "enter" and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            if self.value.strip():
                self.post_message(self.Submitted(self, self.value))
                self.screen.set_focus(self.screen.query_one(f"#{self.next_field}"))


class LineTable(FittingColumns, DataTable):
    """Lines of a document being made: + and - change the quantity, Enter sets it, Delete removes the line.

    The screen does the changing (it owns the lines); the table only says which line and what. Its columns fit
    its width (FittingColumns).
    """

    BINDINGS = [
        Binding("plus,equals_sign", "more", N_("+1"), id="line_more", tooltip=N_("One more of this line")),
        Binding("minus", "less", N_("-1"), id="line_less", tooltip=N_("One less of this line")),
        Binding(keys.OPEN, "set_qty", N_("Quantity"), id="line_qty", tooltip=N_("Type the quantity of this line")),
        Binding("delete", "remove", N_("Remove"), id="line_remove", tooltip=N_("Remove this line")),
    ]

    def __init__(self, **kwargs) -> None:
        """A row-cursor table with zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def _ask(self, change: str) -> None:
        key = self.current_key
        if key is not None:
            handler = getattr(self.screen, "line_changed", None)
            if handler is not None:
                handler(key, change)

    def action_more(self) -> None:
        """One more."""
        self._ask("more")

    def action_less(self) -> None:
        """One less (the line goes at zero)."""
        self._ask("less")

    def action_set_qty(self) -> None:
        """Ask for the quantity."""
        self._ask("set")

    def action_remove(self) -> None:
        """Remove the line."""
        self._ask("remove")


def split_scan(text: str) -> tuple[str, Decimal]:
    """A scanned or typed part, its number normalised: "96536697" is one, "96536697*4" is four
    (BadInput for a bad quantity)."""
    part_no, sep, qty = text.strip().partition("*")
    return normalise_part_no(part_no), positive_qty(qty.strip(), part_no) if sep else Decimal(1)
