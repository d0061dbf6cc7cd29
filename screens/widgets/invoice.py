"""The accountant's check of a receipt against the supplier's invoice (财务要当日审核单据之间是否相符，并与发票相一致):
the invoice's number and amount, compared with the receipt's value by core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import N_, _
from core.services.receiving import ReceiptInfo
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class InvoiceNumberInput(Input):
    """The invoice's number as printed on it; Enter moves on to the amount."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="invoice_next", tooltip=N_("Move on to the amount"))]


class InvoiceAmountInput(Input):
    """The invoice's total; Enter records the invoice."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Record"), id="invoice_record",
                        tooltip=N_("Record the invoice and compare it with the receipt"))]


class InvoiceDialog(Dialog[ReceiptInfo]):
    """Number and amount of receipt `number`'s invoice; Enter in the amount runs `record(invoice_no, amount, uow)`
    in a write unit (core checks the amount and who may), and the receipt comes back with its difference."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#invoice-number"

    def __init__(self, number: str, record: Callable[[str, str, Any], ReceiptInfo]) -> None:
        """Check receipt `number` against its invoice."""
        super().__init__()
        self.number, self.record = number, record

    def compose(self) -> ComposeResult:
        """Title, the two fields and the message line."""
        with Vertical(classes="pd-box"):
            yield Static(Text(_("Invoice check 发票核对 — {number}").format(number=self.number)), classes="pd-title")
            yield Static(Text(_("The supplier's invoice against this receipt's value; entered again, it replaces "
                                "the earlier entry.")), classes="pd-summary")
            yield Label(_("Invoice number"), classes="pd-label")
            yield InvoiceNumberInput(id="invoice-number")
            yield Label(_("Invoice amount"), classes="pd-label")
            yield InvoiceAmountInput(placeholder=_("e.g. 10013.50"), id="invoice-amount")
            yield self.message_line(_("Enter moves on; Enter in the amount records it · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#invoice-number")
    def _number_done(self) -> None:
        self.set_focus(self.query_one("#invoice-amount", Input))

    @on(Input.Submitted, "#invoice-amount")
    def _amount_done(self) -> None:
        invoice_no = self.query_one("#invoice-number", Input).value.strip()
        amount = self.query_one("#invoice-amount", Input).value.strip()
        self.confirm(lambda uow: self.record(invoice_no, amount, uow))
