"""The second counter signs the stored count (two people count every line): their code and PIN, then it is frozen."""

from __future__ import annotations

from collections import Counter
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.errors import AuthenticationFailed
from core.i18n import N_, _
from core.services.operators import authenticate
from core.services.receiving import ReceiptInfo, count_receipt
from screens import keys
from screens.receipt_view import DIFFERENCE_STYLES, difference_label
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class SecondPinInput(Input):
    """The second counter's PIN, shown as dots; Enter signs the count."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Sign"), id="sign_count_pin",
                        tooltip=N_("Sign the count with this PIN"))]


class SignCountDialog(Dialog[ReceiptInfo | None]):
    """The count as it stands and the second counter's code and PIN; the result is the counted receipt."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#second-code"

    def __init__(self, number: str, tally: Counter[str]) -> None:
        """Sign the stored count of receipt `number`; `tally` (lines per difference) is shown to check against."""
        super().__init__()
        self.number = number
        self.tally = tally

    def compose(self) -> ComposeResult:
        """What is signed, who counted first, and the second counter's fields."""
        actor = self.app.actor
        summary = Text(_("The count as it stands:"))
        for difference, style in DIFFERENCE_STYLES.items():
            if self.tally[difference]:
                summary.append(f"  {self.tally[difference]} {difference_label(difference)}", style=style)
        with Vertical(id="form"):
            yield Static(_("Sign the count 清点签字 — {number}").format(number=self.number), classes="form-title")
            yield Static(summary, classes="form-hint")
            yield Static(_("First counter: {code} {name} (signed in)").format(code=actor.code, name=actor.name))
            yield Label(_("Second counter's code"))
            yield FieldInput(placeholder=_("e.g. STORE2"), id="second-code", max_length=16)
            yield Label(_("Second counter's PIN"))
            yield SecondPinInput(placeholder=_("4-12 digits"), id="second-pin", password=True, max_length=12)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#second-pin")
    def _submitted(self) -> None:
        """Enter in the PIN: check the second counter and write the count."""
        code = self.query_one("#second-code", Input).value.strip()
        pin = self.query_one("#second-pin", Input).value
        if not code:
            self.set_focus(self.query_one("#second-code", Input))
            return
        if pin:
            self.confirm(partial(self._sign, code, pin, self.app.actor), waiting=_("checking…"),
                         refused=self._refused)

    def _sign(self, code: str, pin: str, first, uow) -> ReceiptInfo:
        """Check the PIN (scrypt: slow on purpose) and write the count (in the write unit, off the UI thread)."""
        second = authenticate(code, pin, uow=uow)
        return count_receipt(self.number, None, first=first, second=second, uow=uow)

    def _refused(self, exc: Exception) -> None:
        """The PIN is emptied; a wrong one is typed again, else the code (the same person twice, no right to count,
        a fault): said, nothing written."""
        pin = self.query_one("#second-pin", Input)
        pin.clear()
        target = pin if isinstance(exc, AuthenticationFailed) else self.query_one("#second-code", Input)
        self.set_focus(target)
        target.select_all()
