"""A shipment arrives: open its receipt from the packing list file, with the order, supplier and carrier if known."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from core.services.receiving import ReceiptInfo, get_receipt, open_receipt
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class CarrierInput(Input):
    """The last field; Enter opens the receipt."""

    BINDINGS = [Binding(keys.OPEN, "submit", _("Open receipt"), id="open_shipment",
                        tooltip=_("Read the packing list and open the receipt"))]


class NewShipmentDialog(Dialog[ReceiptInfo | None]):
    """The packing list's path and the optional order, supplier and carrier; the result is the new receipt."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = _("the database refused: {error}")
    AUTO_FOCUS = "#packing-list"

    def compose(self) -> ComposeResult:
        """Four fields and the message line."""
        with Vertical(id="form"):
            yield Static(_("A shipment arrives 到货 — open its receipt"), classes="form-title")
            yield Static(_("The packing list 装箱清单: CSV or XLSX, English or Chinese headers. "
                           "Enter moves on; the other fields may stay empty."), classes="form-hint")
            yield Label(_("Packing list file"))
            yield FieldInput(placeholder=_("e.g. /mnt/usb/SH20261120-001.csv"), id="packing-list")
            yield Label(_("Purchase order (optional)"))
            yield FieldInput(placeholder="PO-2026-000001", id="order", max_length=32)
            yield Label(_("Supplier (optional)"))
            yield FieldInput(placeholder="SGM", id="supplier", max_length=20)
            yield Label(_("Carrier (optional)"))
            yield CarrierInput(placeholder=_("e.g. ANJI"), id="carrier", max_length=20)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#carrier")
    def _submitted(self) -> None:
        """Enter in the last field: read the packing list and open the receipt."""
        values = {name: self.query_one(f"#{name}", Input).value.strip()
                  for name in ("packing-list", "order", "supplier", "carrier")}
        if not values["packing-list"]:
            self.say(_("the packing list file is needed"), "error")
            self.set_focus(self.query_one("#packing-list", Input))
            return
        # A bad row, no such file, an unknown order: said with the first problems, the cursor back on the file.
        self.confirm(partial(self._open, Path(values["packing-list"]).expanduser(), values["order"] or None,
                             values["supplier"] or None, values["carrier"] or None, self.app.actor),
                     waiting=_("reading the packing list…"),
                     refused=lambda _exc: self.set_focus(self.query_one("#packing-list", Input)))

    @staticmethod
    def _open(path: Path, order: str | None, supplier: str | None, carrier: str | None, actor, uow) -> ReceiptInfo:
        """Read the packing list and open its receipt (in the write unit, off the UI thread)."""
        number = open_receipt(path, actor=actor, uow=uow, order=order, supplier=supplier, carrier=carrier)
        return get_receipt(number, uow=uow)
