"""The base of planning's modal dialogs: a centred box whose confirmed action runs off the UI thread.

A refusal from the core stays in the dialog, in red, with what was typed kept: the operator corrects
it and confirms again, or presses Escape and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from core.errors import PartsdeskError
from core.i18n import _


class ActionDialog(ModalScreen[Any]):
    """A modal whose `confirm(action)` runs `action()` in a thread: its result closes the dialog, a refusal
    is shown in the dialog's message line (`.pd-message`)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="pd_cancel", tooltip=_("Close; nothing is changed"))]

    def __init__(self) -> None:
        """A planning dialog (styled by the `planning-dialog` class)."""
        super().__init__(classes="planning-dialog")
        self.busy = False

    def say(self, message: str, kind: str = "") -> None:
        """Show a line under the fields (kind: error, notice, waiting)."""
        if not self.is_attached:
            return
        line = self.query_one(".pd-message", Static)
        line.update(Text(message))
        line.set_classes(f"pd-message {kind}".strip())

    def confirm(self, action: Callable[[], Any]) -> None:
        """Run the action off the UI thread; one at a time (a second Enter while it runs does nothing)."""
        if self.busy:
            return
        self.busy = True
        self.say(_("saving…"), "waiting")
        self._run(action)

    @work(thread=True, exclusive=True, group="dialog")
    def _run(self, action: Callable[[], Any]) -> None:
        try:
            result = action()
        except PartsdeskError as exc:
            self.app.call_from_thread(self._refused, exc.message)
        except Exception as exc:  # a database fault: said in the dialog, the desk keeps running
            self.log.error(exc)
            self.app.call_from_thread(self._refused, str(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.say(message, "error")

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)
