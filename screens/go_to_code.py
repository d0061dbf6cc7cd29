"""Go to code (ctrl+g): the typed fallback of the scanner, a part, location or document number to open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from core.i18n import _


class GoToCodeDialog(ModalScreen["str | None"]):
    """One field: type or scan a code, Enter opens it, Escape closes."""

    AUTO_FOCUS = "#go-code"
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="cancel", tooltip=_("Close without opening anything"))]

    def __init__(self) -> None:
        """An empty field."""
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        """Title, the field and the hint."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Go to code")), classes="dialog-title")
            yield Label(_("Part number, location or document number"), classes="field-label")
            yield Input(placeholder=_("e.g. 96536697, EXC-01-02-03, RCV-2026-000001"), id="go-code")
            yield Static(_("Enter opens it · Escape closes"), classes="dialog-message")
        yield Footer()

    @on(Input.Submitted, "#go-code")
    def _done(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close; nothing is opened."""
        self.dismiss(None)
