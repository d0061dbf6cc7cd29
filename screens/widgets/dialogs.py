"""Small modal dialogs the counter and the intake share: a signature by code and PIN, a quantity, a text,
and a yes/no question (slips print from screens.print_preview).

Each is driven by the keyboard alone: Enter confirms, Escape cancels, and the footer says so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from core.decimals import positive_qty
from core.errors import AuthenticationFailed, PartsdeskError
from core.i18n import _
from screens.widgets.focus import ForwardsKeys


class _Dialog(ModalScreen[Any]):
    """A centred box with a title, a message line and Escape to cancel."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="cancel", tooltip=_("Close without doing anything"))]

    def _say(self, message: str, kind: str = "") -> None:
        line = self.query_one(".dialog-message", Static)
        line.update(Text(message))
        line.set_classes(f"dialog-message {kind}".strip())

    def action_cancel(self) -> None:
        """Close the dialog; nothing is done."""
        self.dismiss(None)


class CodeField(ForwardsKeys, Input):
    """An operator code; Enter moves on to the PIN in order with a burst typed ahead."""

    BINDINGS = [Binding("enter", "submit", _("Next"), id="next_field", tooltip=_("Move on to the PIN"))]

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.screen.focused is self and self.value.strip():
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


class PinField(Input):
    """A PIN, shown as dots; Enter signs."""

    BINDINGS = [Binding("enter", "submit", _("Sign"), id="sign", tooltip=_("Sign with code and PIN"))]


class SignDialog(_Dialog):
    """A second person signs with code and PIN: `action(code, pin)` runs in a thread and its result closes
    the dialog; a refusal stays in the dialog (a wrong PIN empties the PIN) and nothing has changed."""

    AUTO_FOCUS = "#sign-code"

    def __init__(self, title: str, summary: str, action: Callable[[str, str], Any], *, code: str = "",
                 who: str | None = None) -> None:
        """A dialog titled `title`, showing `summary`, for the operator `code` (prefilled) to sign."""
        super().__init__(classes="dialog")
        self.title_text, self.summary, self.action, self.code = title, summary, action, code
        self.who = who or _("Mechanic's code")

    def compose(self) -> ComposeResult:
        """Title, summary, code, PIN and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.summary), classes="dialog-summary")
            yield Label(self.who, classes="field-label")
            yield CodeField(value=self.code, id="sign-code", max_length=16)
            yield Label(_("PIN"), classes="field-label")
            yield PinField(id="sign-pin", password=True, max_length=12)
            yield Static("", classes="dialog-message")
        yield Footer()

    def on_mount(self) -> None:
        """With the code given, the cursor waits in the PIN."""
        if self.code:
            self.set_focus(self.query_one("#sign-pin", Input))

    @on(Input.Submitted, "#sign-code")
    def _code_done(self) -> None:
        if self.query_one("#sign-code", Input).value.strip():
            self.set_focus(self.query_one("#sign-pin", Input))

    @on(Input.Submitted, "#sign-pin")
    def _pin_done(self) -> None:
        code = self.query_one("#sign-code", Input).value.strip()
        pin = self.query_one("#sign-pin", Input).value
        if not code:
            self.set_focus(self.query_one("#sign-code", Input))
            return
        if not pin:
            return
        self._say(_("checking…"), "waiting")
        self._sign(code, pin)

    @work(thread=True, exclusive=True, group="sign")
    def _sign(self, code: str, pin: str) -> None:
        try:
            result = self.action(code, pin)
        except AuthenticationFailed as exc:
            self.app.call_from_thread(self._refused, exc.message, True)
        except PartsdeskError as exc:
            self.app.call_from_thread(self._refused, exc.message, False)
        except Exception as exc:  # a database fault: say it, keep the desk running
            self.log.error(exc)
            self.app.call_from_thread(self._refused, str(exc), False)
        else:
            self.app.call_from_thread(self.dismiss, result)

    def _refused(self, message: str, wrong_pin: bool) -> None:
        if not self.is_attached:
            return
        self._say(message, "error")
        pin = self.query_one("#sign-pin", Input)
        if wrong_pin:
            pin.clear()
        self.set_focus(pin)


class QtyDialog(_Dialog):
    """A quantity for a line: a number more than zero, at most three decimal places."""

    AUTO_FOCUS = "#qty"

    def __init__(self, title: str, qty: Decimal) -> None:
        """Ask for a quantity, starting from the one the line has."""
        super().__init__(classes="dialog")
        self.title_text, self.start = title, qty

    def compose(self) -> ComposeResult:
        """Title, the field and the message line."""
        from core.decimals import fmt_qty

        with Vertical(classes="dialog-box narrow"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Label(_("Quantity"), classes="field-label")
            yield Input(value=fmt_qty(self.start), id="qty", select_on_focus=True)
            yield Static("", classes="dialog-message")
        yield Footer()

    @on(Input.Submitted, "#qty")
    def _done(self, event: Input.Submitted) -> None:
        try:
            qty = positive_qty(event.value)
        except PartsdeskError as exc:
            self._say(exc.message, "error")
            return
        self.dismiss(qty)


class TextDialog(_Dialog):
    """One line of text (a note, a reason, a name); `required` refuses an empty one."""

    AUTO_FOCUS = "#text"

    def __init__(self, title: str, label: str, *, required: bool = True, value: str = "",
                 placeholder: str = "") -> None:
        """Ask for a text under `label`."""
        super().__init__(classes="dialog")
        self.title_text, self.label, self.required, self.value, self.placeholder = (
            title, label, required, value, placeholder)

    def compose(self) -> ComposeResult:
        """Title, the field and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Label(self.label, classes="field-label")
            yield Input(value=self.value, placeholder=self.placeholder, id="text")
            yield Static("", classes="dialog-message")
        yield Footer()

    @on(Input.Submitted, "#text")
    def _done(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self._say(_("this cannot be empty"), "error")
            return
        self.dismiss(text)


class ConfirmDialog(_Dialog):
    """A question answered with Enter (yes) or Escape (no); an optional note goes with the yes."""

    AUTO_FOCUS = "#confirm-note"

    def __init__(self, title: str, question: str, note_label: str) -> None:
        """Ask `question`; the field under `note_label` may stay empty."""
        super().__init__(classes="dialog")
        self.title_text, self.question, self.note_label = title, question, note_label

    def compose(self) -> ComposeResult:
        """Title, question, the optional note and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.question), classes="dialog-summary")
            yield Label(self.note_label, classes="field-label")
            yield Input(id="confirm-note")
            yield Static(_("Enter: yes · Escape: no"), classes="dialog-message")
        yield Footer()

    @on(Input.Submitted, "#confirm-note")
    def _yes(self, event: Input.Submitted) -> None:
        self.dismiss((True, event.value.strip()))
