"""Fields whose Enter moves the focus on, in order with the keys typed ahead: a form's field and an operator code.

Enter is taken in the field's own key handler, in order with the characters, not by its binding: the
app runs a binding only once the key has reached it, after the characters queued behind it, so
"STORE1⏎1234⏎" typed ahead (or "12⏎3⏎" into a form) would land in the wrong fields. The bindings stay
for the footer and the palette. Keys that reach the field after it gave the focus away go on to the
field that has it (ForwardsKeys).

This module is imported before the login's first frame: it imports no service.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from core.i18n import N_
from screens import keys
from screens.widgets.focus import ForwardsKeys


class FieldInput(ForwardsKeys, Input):
    """A field of a form; Enter moves on to the next field, and keys typed right behind it follow there."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="next_field", tooltip=N_("Move on to the next field"))]

    def on_key(self, event: events.Key) -> None:
        """Enter moves on at once (see the module's docstring)."""
        if event.key == "enter" and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


class CodeInput(ForwardsKeys, Input):
    """An operator code (signing in, a second person signing); Enter moves on to the PIN once a code is typed,
    and keys typed right behind it follow there."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="next_field", tooltip=N_("Move on to the PIN"))]

    def on_key(self, event: events.Key) -> None:
        """Enter with a code typed moves on at once (see the module's docstring)."""
        if event.key == "enter" and self.screen.focused is self and self.value.strip():
            event.stop()
            event.prevent_default()
            self.screen.focus_next()
