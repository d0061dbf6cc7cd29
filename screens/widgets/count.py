"""The scan field and the lines table of a count: every scan lands in the field, whatever has the focus."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from core.i18n import N_
from screens import keys
from screens.widgets.focus import ForwardsKeys
from screens.widgets.scan import ScanInput


class CountInput(ScanInput):
    """The field a scanner types part numbers into while counting.

    Enter counts one of the part in the field; a number then `*` (as on a till: quantity times)
    sets the selected line's count. Both keys are taken when the field reads them, in order with
    the characters: a binding runs only once the key has bubbled up to the app, by which time the
    field may already hold the first characters of the next scan of a burst. The field is emptied at
    once, so each scan starts clean. The bindings stay for the footer and the palette.
    """

    BINDINGS = [
        Binding(keys.OPEN, "submit", N_("Count"), id="count_scan",
                tooltip=N_("Count one of the part typed or scanned")),
        Binding("asterisk", "quantity", N_("Set qty"), id="set_qty",
                tooltip=N_("The number typed becomes the selected line's count")),
    ]

    class QuantityTyped(Message):
        """A number typed, then `*`: the selected line's count."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def on_key(self, event: events.Key) -> None:
        """Enter and `*` are taken at once, in order with the characters (see the class's docstring)."""
        if event.key == "enter" or event.character == "*":
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self._submit_now()
            else:
                self.action_quantity()

    async def action_submit(self) -> None:
        """Submit what the field holds and empty it (Enter, or the palette)."""
        self._submit_now()

    def action_quantity(self) -> None:
        """Hand the number the field holds on as a quantity and empty the field (`*`, or the palette)."""
        value = self.value
        self.value = ""
        self.post_message(self.QuantityTyped(value))

    def _submit_now(self) -> None:
        value = self.value
        self.value = ""
        self.post_message(self.Submitted(self, value))


class LinesTable(ForwardsKeys, DataTable):
    """The lines of a receipt; typing (or a scan) while it has the focus goes to the scan field.

    The row under the cursor is the selected line, the one a typed quantity applies to.
    """

    BINDINGS = [Binding(keys.OPEN, "to_field", N_("Scan field"), id="to_scan_field",
                        tooltip=N_("Back to the scan field, this line selected"))]

    def __init__(self, field: str, **kwargs) -> None:
        """A row-cursor table whose typing goes to the widget with id `field`."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        # The difference keeps its colour on the selected line too: the colour is the message.
        kwargs.setdefault("cursor_foreground_priority", "renderable")
        super().__init__(**kwargs)
        self._field = field

    def on_key(self, event: events.Key) -> None:
        """Typing goes to the scan field: the focus moves first; ForwardsKeys (next in line) then hands this key
        and the rest of a burst to the field."""
        if event.is_printable and self.screen.focused is self:
            self.action_to_field()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No way back to a field that is switched off (nothing more to count)."""
        if action == "to_field" and self.is_mounted:
            return not self.screen.query_one(f"#{self._field}").disabled
        return True

    def action_to_field(self) -> None:
        """Give the focus back to the scan field; the cursor stays on the selected line."""
        self.screen.set_focus(self.screen.query_one(f"#{self._field}"))
