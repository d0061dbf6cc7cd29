"""Go to code (ctrl+g): the typed fallback of the scanner, a part, location or document number to open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class GoToCodeDialog(Dialog["str | None"]):
    """One field: type or scan a code, Enter opens it, Escape closes."""

    AUTO_FOCUS = "#go-code"

    def compose(self) -> ComposeResult:
        """Title, the field and the hint."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Go to code")), classes="dialog-title")
            yield Label(_("Part number, location or document number"), classes="field-label")
            yield Input(placeholder=_("e.g. 96536697, EXC-01-02-03, RCV-2026-000001"), id="go-code")
            yield self.message_line(_("Enter opens it · Escape closes"))
        yield Footer()

    @on(Input.Submitted, "#go-code")
    def _done(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
