"""A shipment arrives: open its receipt from the packing list file, with the order, supplier and carrier if known."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import N_, _
from core.receiving_rules import ShipmentDoubt
from core.services.receiving import ReceiptInfo, get_receipt, open_receipt
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class CarrierInput(Input):
    """The last field; Enter opens the receipt."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Open receipt"), id="open_shipment",
                        tooltip=N_("Read the packing list and open the receipt"))]


class NewShipmentDialog(Dialog[ReceiptInfo | None]):
    """The packing list's path and the optional order, supplier and carrier; the result is the new receipt."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
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
        """Enter in the last field: read the packing list and open the receipt (asking first about what looks
        wrong: the same shipment on another receipt, a supplier or carrier not known yet)."""
        self._open_receipt(confirmed=False)

    def _open_receipt(self, *, confirmed: bool) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip()
                  for name in ("packing-list", "order", "supplier", "carrier")}
        if not values["packing-list"]:
            self.say(_("the packing list file is needed"), "error")
            self.set_focus(self.query_one("#packing-list", Input))
            return
        # A bad row, no such file, an unknown order: said with the first problems, the cursor back on the file.
        self.confirm(partial(self._open, Path(values["packing-list"]).expanduser(), values["order"] or None,
                             values["supplier"] or None, values["carrier"] or None, self.app.actor, confirmed),
                     waiting=_("reading the packing list…"), refused=partial(self._refused, values))

    def _refused(self, values: dict[str, str], exc: Exception) -> None:
        """A doubt is asked about (Enter opens the receipt all the same); any other refusal puts the cursor on the
        field it is about."""
        from screens.widgets.dialogs import YesNoDialog

        if not isinstance(exc, ShipmentDoubt):
            self.set_focus(self.query_one(_field_of(exc, values), Input))
            return
        self.say(_("not opened yet: answer the question"), "notice")

        def answered(yes: bool | None) -> None:
            if yes:
                self._open_receipt(confirmed=True)
            else:
                self.say(_("not opened: correct the fields, or Escape"), "notice")

        self.app.push_screen(YesNoDialog(_("Open the receipt all the same?"), "\n".join(exc.doubts), kind="warning"),
                             answered)

    @staticmethod
    def _open(path: Path, order: str | None, supplier: str | None, carrier: str | None, actor, confirmed: bool,
              uow) -> ReceiptInfo:
        """Read the packing list and open its receipt (in the write unit, off the UI thread); unless `confirmed`,
        a doubt refuses it to be asked about."""
        number = open_receipt(path, actor=actor, uow=uow, order=order, supplier=supplier, carrier=carrier,
                              again=confirmed, register=confirmed)
        return get_receipt(number, uow=uow)


def _field_of(exc: Exception, values: dict[str, str]) -> str:
    """The field a refusal is about: the one whose code it names (an unknown order, a supplier code too long),
    else the packing list (a bad row, no such file)."""
    message = str(getattr(exc, "message", exc)).upper()
    for name in ("order", "supplier", "carrier"):
        if values[name] and values[name].upper() in message:
            return f"#{name}"
    return "#packing-list"
