"""Small modal forms: fields where Enter moves on, a message line, Escape to cancel."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from core.errors import PartsdeskError
from core.i18n import _
from screens.widgets.focus import ForwardsKeys

ResultType = TypeVar("ResultType")


class FieldInput(ForwardsKeys, Input):
    """A field of a form; Enter moves on to the next field, and keys typed right behind it follow there."""

    BINDINGS = [Binding("enter", "submit", _("Next"), id="next_field", tooltip=_("Move on to the next field"))]

    async def _on_key(self, event: events.Key) -> None:
        # Taken here, in order with the characters (see CodeInput): "12⏎3⏎" typed ahead fills two fields.
        if event.key == "enter" and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


class FormDialog(ModalScreen[ResultType]):
    """A modal form over the screen that opened it; its message line says what is wrong."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="cancel", tooltip=_("Close without changing anything"))]

    def action_cancel(self) -> None:
        """Close, changing nothing."""
        self.dismiss(None)

    def done(self, result: ResultType) -> None:
        """Close with the result of a worker's call, unless the form was closed meanwhile (the app quitting)."""
        if self.is_current:
            self.dismiss(result)

    def say(self, message: str, kind: str = "") -> None:
        """Show a line under the form (kind: error, waiting or nothing)."""
        if not self.is_attached:
            return
        line = self.query_one("#form-message", Static)
        line.update(message)
        line.set_classes(kind)

    def fail(self, exc: Exception) -> None:
        """Show why a worker's call was refused; a fault that is no refusal is said too, never a traceback."""
        if not isinstance(exc, PartsdeskError):
            self.log.error(exc)
        self.say(error_line(exc), "error")


def error_line(exc: Exception) -> str:
    """The one line an operator reads for an error: the service's message, or the fault itself."""
    if isinstance(exc, PartsdeskError):
        problems = getattr(exc, "problems", None) or []
        lines = [exc.message, *(str(problem) for problem in problems[:3])]
        if len(problems) > 3:
            lines.append(_("… and {count} more").format(count=len(problems) - 3))
        return "\n".join(lines)
    return _("the database refused: {error}").format(error=exc)
