"""The modal dialogs: the one base every dialog uses, and the small dialogs the counter and the intake share
(a signature by code and PIN, a quantity, a text, a yes/no question; slips print from screens.print_preview).

Each is driven by the keyboard alone: Enter confirms, Escape cancels, and the footer says so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core.decimals import positive_qty
from core.errors import AuthenticationFailed, PartsdeskError
from core.i18n import N_, _
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.fields import CodeInput
from screens.widgets.footer import Footer

ResultType = TypeVar("ResultType")


class Dialog(ServiceCalls, ModalScreen[ResultType]):
    """A modal box over the screen that opened it, with one message line (`say`) and Escape to cancel.

    `confirm(work)` runs the confirmed action through the service calls, in a write unit: its result
    closes the dialog; a refusal is said in the message line and the dialog stays, with what was typed
    kept (a wrong PIN empties the PIN field), to correct and confirm again or to leave with Escape.

    The look is the dialog's CSS class (DEFAULT_CLASSES): `dialog` (the counter's and the intake's),
    `planning-dialog` or `form-dialog` (the receipt's forms); the styles under tui/styles draw each.
    """

    DEFAULT_CLASSES = "dialog"
    BINDINGS = [Binding(keys.BACK, "cancel", N_("Cancel"), id="cancel", tooltip=N_("Close; nothing is changed"))]
    # A refusal about one input (BadInput.field) puts the cursor on its field: the field's name to its selector.
    FIELDS: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        """A dialog with nothing running."""
        super().__init__()
        self.busy = False  # a confirmed action is running: a second Enter does nothing
        self._unclosed: tuple[Any] | None = None  # a result that came while another screen was on top

    @staticmethod
    def message_line(text: str = "") -> Static:
        """The dialog's message line, to compose under its fields (a hint until something is said)."""
        return Static(text, classes="dialog-message")

    def say(self, message: str, kind: str = "") -> None:
        """Show a line in the message line (kind: error, notice, waiting, success or nothing)."""
        if not self.is_attached:
            return
        line = self.query_one(".dialog-message", Static)
        line.update(Text(message))
        line.set_classes(f"dialog-message {kind}".strip())

    def confirm(self, work: Callable[[Any], Any], *, waiting: str | None = None, pin: str | None = None,
                refused: Callable[[Exception], Any] | None = None) -> None:
        """Run `work(uow)` in a write unit off the UI thread, one at a time: its result closes the dialog.

        `waiting` is said meanwhile ("saving…" unless given; "" says nothing). A refusal is said and the
        dialog stays; `pin` (a field's selector) gets the focus, emptied when the PIN was wrong; `refused`
        then does what else the dialog needs.
        """
        if self.busy:
            return
        self.busy = True
        if waiting != "":
            self.say(waiting or _("saving…"), "waiting")
        self.run_write(work, self.close_with, failed=partial(self._confirm_refused, pin, refused), group="confirm")

    def _confirm_refused(self, pin: str | None, refused: Callable[[Exception], Any] | None, exc: Exception) -> None:
        self.busy = False
        self.show_error(exc)
        self.focus_field_of(exc)
        if pin is not None:
            field = self.query_one(pin, Input)
            if isinstance(exc, AuthenticationFailed):
                field.clear()
            self.set_focus(field)
        if refused is not None:
            refused(exc)

    def focus_field_of(self, exc: Exception) -> bool:
        """Put the cursor on the field a refusal is about (its `field`, in FIELDS); False when it names none."""
        selector = self.FIELDS.get(getattr(exc, "field", None) or "")
        if selector is None or not self.is_attached:
            return False
        self.set_focus(self.query_one(selector))
        return True

    def close_with(self, result: Any) -> AwaitComplete | None:
        """Close with `result`; with another screen on top (the palette, go to code), once the dialog is on top again:
        what was done is never lost, and never closes the screen above instead (dismiss pops the top screen)."""
        if self.is_active:
            return self.dismiss(result)
        self._unclosed = (result,)
        return None

    def on_screen_resume(self) -> None:
        """Back on top: close with a result that came meanwhile."""
        if self._unclosed is not None:
            (result,), self._unclosed = self._unclosed, None
            self.dismiss(result)

    def action_cancel(self) -> None:
        """Close the dialog; nothing is done."""
        self.dismiss(None)


class PinField(Input):
    """A PIN, shown as dots; Enter signs."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Sign"), id="sign", tooltip=N_("Sign with code and PIN"))]


class SignDialog(Dialog[Any]):
    """A second person signs with code and PIN: `action(code, pin, uow)` runs in a write unit and its result
    closes the dialog; a refusal stays in the dialog (a wrong PIN empties the PIN) and nothing has changed."""

    AUTO_FOCUS = "#sign-code"

    def __init__(self, title: str, summary: str, action: Callable[[str, str, Any], Any], *, code: str = "",
                 who: str | None = None) -> None:
        """A dialog titled `title`, showing `summary`, for the operator `code` (prefilled) to sign."""
        super().__init__()
        self.title_text, self.summary, self.action, self.code = title, summary, action, code
        self.who = who or _("Mechanic's code")

    def compose(self) -> ComposeResult:
        """Title, summary, code, PIN and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.summary), classes="dialog-summary")
            yield Label(self.who, classes="field-label")
            yield CodeInput(value=self.code, id="sign-code", max_length=16)
            yield Label(_("PIN"), classes="field-label")
            yield PinField(id="sign-pin", password=True, max_length=12)
            yield self.message_line()
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
        self.confirm(lambda uow: self.action(code, pin, uow), waiting=_("checking…"), pin="#sign-pin")


class QtyDialog(Dialog[Any]):
    """A quantity for a line: a number more than zero, at most three decimal places."""

    AUTO_FOCUS = "#qty"

    def __init__(self, title: str, qty: Decimal) -> None:
        """Ask for a quantity, starting from the one the line has."""
        super().__init__()
        self.title_text, self.start = title, qty

    def compose(self) -> ComposeResult:
        """Title, the field and the message line."""
        from core.decimals import fmt_qty

        with Vertical(classes="dialog-box narrow"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Label(_("Quantity"), classes="field-label")
            yield Input(value=fmt_qty(self.start), id="qty", select_on_focus=True)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#qty")
    def _done(self, event: Input.Submitted) -> None:
        try:
            qty = positive_qty(event.value)
        except PartsdeskError as exc:
            self.say(exc.message, "error")
            return
        self.dismiss(qty)


class TextDialog(Dialog[Any]):
    """One line of text (a note, a reason, a name); `required` refuses an empty one."""

    AUTO_FOCUS = "#text"

    def __init__(self, title: str, label: str, *, required: bool = True, value: str = "",
                 placeholder: str = "", summary: str = "") -> None:
        """Ask for a text under `label`; `summary` says what Enter will do (a step that cannot be undone)."""
        super().__init__()
        self.title_text, self.label, self.required, self.value, self.placeholder = (
            title, label, required, value, placeholder)
        self.summary = summary

    def compose(self) -> ComposeResult:
        """Title, what Enter does (if said), the field and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            if self.summary:
                yield Static(Text(self.summary), classes="dialog-summary")
            yield Label(self.label, classes="field-label")
            yield Input(value=self.value, placeholder=self.placeholder, id="text")
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#text")
    def _done(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.say(_("this cannot be empty"), "error")
            return
        self.dismiss(text)


class ConfirmDialog(Dialog[Any]):
    """A question answered with Enter (yes) or Escape (no); an optional note goes with the yes."""

    AUTO_FOCUS = "#confirm-note"

    def __init__(self, title: str, question: str, note_label: str) -> None:
        """Ask `question`; the field under `note_label` may stay empty."""
        super().__init__()
        self.title_text, self.question, self.note_label = title, question, note_label

    def compose(self) -> ComposeResult:
        """Title, question, the optional note and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.question), classes="dialog-summary")
            yield Label(self.note_label, classes="field-label")
            yield Input(id="confirm-note")
            yield self.message_line(_("Enter: yes · Escape: no"))
        yield Footer()

    @on(Input.Submitted, "#confirm-note")
    def _yes(self, event: Input.Submitted) -> None:
        self.dismiss((True, event.value.strip()))


class YesNoDialog(Dialog[bool]):
    """A yes/no question: Enter says yes, Escape no; the result is True, or None when left. The one question
    before a step that cannot be undone (posting, a doubtful input), `question` saying what will happen."""

    BINDINGS = [Binding(keys.OPEN, "yes", N_("Yes"), id="yes", tooltip=N_("Yes: go ahead"))]

    def __init__(self, title: str, question: str, *, kind: str = "") -> None:
        """Ask `question` under `title`; kind `warning` draws it in the warning colour."""
        super().__init__()
        self.title_text, self.question, self.kind = title, question, kind

    def compose(self) -> ComposeResult:
        """Title, question and the keys that answer it."""
        with Vertical(classes=f"dialog-box {self.kind}".strip()):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.question), classes="dialog-summary")
            yield self.message_line(_("Enter: yes · Escape: no"))
        yield Footer()

    def action_yes(self) -> None:
        """Yes."""
        self.dismiss(True)
