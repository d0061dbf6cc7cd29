"""The second counter signs the count (two people count every line): their code and PIN, then the count is written."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from core.errors import AuthenticationFailed
from core.i18n import _
from core.services.operators import authenticate
from core.services.receiving import CountEntry, ReceiptInfo, count_receipt
from screens.receipt_view import DIFFERENCE_STYLES, difference_label
from screens.widgets.form import FieldInput, FormDialog


class SecondPinInput(Input):
    """The second counter's PIN, shown as dots; Enter signs the count."""

    BINDINGS = [Binding("enter", "submit", _("Sign"), id="sign_count_pin", tooltip=_("Sign the count with this PIN"))]


class SignCountDialog(FormDialog[ReceiptInfo | None]):
    """The count as it stands and the second counter's code and PIN; the result is the counted receipt."""

    AUTO_FOCUS = "#second-code"

    def __init__(self, number: str, entries: list[CountEntry], tally: Counter[str]) -> None:
        """Sign these entries of receipt `number`; `tally` (lines per difference) is shown to check against."""
        super().__init__()
        self.number = number
        self.entries = entries
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
            yield Static("", id="form-message")
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
            self.say(_("checking…"), "waiting")
            self._sign(code, pin)

    @work(thread=True, exclusive=True, group="sign")
    def _sign(self, code: str, pin: str) -> None:
        """Check the PIN (scrypt: slow on purpose) and write the count, off the UI thread."""
        try:
            with self.app.writing() as uow:
                second = authenticate(code, pin, uow=uow)
                receipt = count_receipt(self.number, self.entries, first=self.app.actor, second=second,
                                        uow=uow)
        except AuthenticationFailed as exc:
            self.app.call_from_thread(self._refused, exc, "#second-pin")
        except Exception as exc:  # the same person twice, no right to count, a fault: said, nothing written
            self.app.call_from_thread(self._refused, exc, "#second-code")
        else:
            self.app.call_from_thread(self.done, receipt)

    def _refused(self, exc: Exception, field: str) -> None:
        if not self.is_attached:
            return
        self.fail(exc)
        pin = self.query_one("#second-pin", Input)
        pin.clear()
        target = self.query_one(field, Input)
        self.set_focus(target)
        target.select_all()
