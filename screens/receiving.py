"""Receiving (入库): the receipts not yet posted, overdue ones first to the eye; open one by number or scan,
or open a new shipment from its packing list. The list is read a page at a time (screens.widgets.tables.Pages),
its counts over every receipt waiting."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from core.i18n import N_, _, ngettext
from core.labels import RECEIPT_TIMING, label
from core.services.receipt_counts import StoredCount, count_of
from core.services.receiving import ReceiptInfo, ReceiptPage, ReceiptSummary, get_receipt, receipts_page
from screens import keys
from screens.part import local_time
from screens.receipt_view import BAD, state_label
from screens.vehicle import may_book, open_vehicle_dialog, vehicle_binding
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.scan import ScanInput
from screens.widgets.tables import Column, Pages, ResultsTable


class ReceiptsTable(Pages, ResultsTable):
    """The receipts not posted, a page at a time."""


class ReceiptNumberInput(ScanInput):
    """A receipt number typed or scanned from the receipt's slip; Enter opens it."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Open receipt"), id="open_receipt",
                        tooltip=N_("Open the receipt typed or scanned"))]


class ReceivingScreen(ServiceCalls, Screen[None]):
    """The open receipts over a field for a receipt number (each receipt's count is stored as it is scanned)."""

    AUTO_FOCUS = "#receipt-no"
    FAULT = N_("the database refused: {error}")
    BINDINGS = [
        Binding("down", "receipts", N_("Receipts"), id="receipts", priority=True,
                tooltip=N_("Move into the list of receipts")),
        Binding(keys.NEW, "new_shipment", N_("New shipment"), id="new_shipment",
                tooltip=N_("A shipment arrived: open its receipt from the packing list")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload", tooltip=N_("Read the receipts again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
        vehicle_binding(),  # 拆新车: parts off a new vehicle are received too, against its VIN
        # The transfer notes, incoming ones from other stations of the group among them: stock that arrived here.
        Binding(keys.TRANSFERS, "transfers", N_("Transfers"), id="transfers",
                tooltip=N_("The transfer notes, those received from other stations too")),
    ]

    def __init__(self) -> None:
        """No receipts read yet."""
        super().__init__()
        self._pending: str | None = None  # a receipt scanned from another screen before this one was up
        self._opened: str | None = None  # the receipt last opened: highlighted in the list when back from it

    def compose(self) -> ComposeResult:
        """Field, status line and the open receipts."""
        yield Header()
        with Vertical(id="receiving-body"):
            yield Label(_("Receipt number — type or scan it; ctrl+n when a new shipment arrives"),
                        id="receiving-label")
            yield ReceiptNumberInput(placeholder="RCV-2026-000001", id="receipt-no")
            yield Static(id="receiving-status")
            yield Static(_("Receipts not posted yet (posting is due within 3 days of arrival)"), classes="heading")
            yield ReceiptsTable(id="receipts")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the receipts."""
        table = self.query_one(ResultsTable)
        table.set_columns(
            Column("number", _("Receipt"), 15),
            Column("state", _("State"), 20, min_width=10),
            Column("shipment", _("Shipment"), 14, gives_way=1),
            Column("supplier", _("Supplier"), 8, gives_way=2),
            Column("arrived", _("Arrived"), 16, gives_way=3),
            Column("deadline", _("Post by"), 25),  # whole: "OVERDUE" is its end
            Column("lines", Text(_("Lines"), justify="right"), 5, gives_way=4),
        )
        if self._pending:
            self._open(self._pending)
            self._pending = None

    def open_receipt(self, number: str) -> None:
        """Open receipt `number` (scanned on another screen) as if typed into the field."""
        if self.is_mounted:
            self._open(number)
        else:
            self._pending = number

    def on_screen_resume(self) -> None:
        """Read the receipts whenever the screen shows (a receipt may have been posted meanwhile)."""
        self.action_reload()

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on what has the focus."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down means "into the list" only from the field; in the list it moves the cursor."""
        if action == "receipts" and self.is_mounted:
            return self.focused is not self.query_one(ReceiptsTable)
        if action == "vehicle":
            return may_book(self.app)
        return True

    def returned_to(self, number: str | None) -> None:
        """Back at receiving (its key, the to-do, a scan): the number field ready for the next scan, and receipt
        `number` opened when one is given."""
        if self.is_mounted:
            self.focus_number()
        if number is not None:
            self.open_receipt(number)

    def focus_number(self) -> None:
        """Put the cursor in the number field, ready for the next scan."""
        field = self.query_one("#receipt-no", Input)
        self.set_focus(field)
        field.select_all()

    # -- the list ----------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the open receipts again: the first page, or as many as were shown (the cursor keeps its row)."""
        limit = max(ReceiptsTable.PAGE, self.query_one(ReceiptsTable).row_count)
        # A database fault is said on the status line.
        self.run_read(lambda uow: receipts_page(uow=uow, limit=limit), self._fill, group="receipts")

    @on(Pages.Wanted, "#receipts")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last receipt read: the next ones."""
        offset, table = event.offset, event.table
        self.run_read(lambda uow: receipts_page(uow=uow, limit=table.PAGE, offset=offset),
                      lambda page: table.add_page(offset, _rows(page.rows), page.total), group="receipts-more")

    def _fill(self, page: ReceiptPage) -> None:
        # Back from a receipt (opened, or new): it is the one highlighted; else the cursor stays on its receipt.
        select, self._opened = self._opened, None
        self.query_one(ReceiptsTable).fill_page(_rows(page.rows), page.total, select=select)
        if not page.total:
            self.say(_("no receipt waiting: ctrl+n opens a new shipment"))
        elif page.overdue:
            self.say(ngettext(
                "{count} receipt, {late} overdue: post it today",
                "{count} receipts, {late} overdue: post them today", page.total,
            ).format(count=page.total, late=page.overdue), "error")
        else:
            self.say(ngettext(
                "{count} receipt not posted yet",
                "{count} receipts not posted yet", page.total).format(count=page.total) + " · " + _(
                "{today} today's, {late} late").format(today=page.today, late=page.total - page.today))

    def action_receipts(self) -> None:
        """Move from the field into the list."""
        table = self.query_one(ReceiptsTable)
        if table.row_count:
            self.set_focus(table)

    # -- opening -----------------------------------------------------------------------------

    @on(Input.Submitted, "#receipt-no")
    def _number_submitted(self, event: Input.Submitted) -> None:
        """Enter in the field (typed or scanned): open that receipt."""
        if event.value.strip():
            self._open(event.value.strip())

    def on_data_table_row_selected(self, event: ResultsTable.RowSelected) -> None:
        """Enter on a receipt opens it."""
        if event.row_key.value:
            self._open(event.row_key.value)

    def _open(self, number: str) -> None:
        actor = self.app.actor

        def read(uow) -> tuple[ReceiptInfo, StoredCount]:
            return get_receipt(number, uow=uow), count_of(number, actor=actor, uow=uow)

        # An unknown number or a fault is said on the status line.
        self.run_read(read, lambda both: self.show_receipt(*both), group="open")

    def show_receipt(self, receipt: ReceiptInfo, count: StoredCount | None = None) -> None:
        """Open the receipt screen with its count as stored (every scan is, whoever made it and where)."""
        from screens.receipt import ReceiptScreen

        if not self.is_current:  # left or signed out while it was read
            return
        self.query_one("#receipt-no", Input).clear()
        self._opened = receipt.number
        self.app.push_screen(ReceiptScreen(receipt, count))

    def action_new_shipment(self) -> None:
        """The new-shipment form; the receipt it opens is shown at once."""
        from screens.receiving_open import NewShipmentDialog

        self.app.push_screen(NewShipmentDialog(), self._shipment_opened)

    def _shipment_opened(self, receipt: ReceiptInfo | None) -> None:
        if receipt is not None:
            self.show_receipt(receipt)

    def action_vehicle(self) -> None:
        """The dialog for parts taken off a new vehicle or put back; what it booked is told in a notification (the
        status line is the list's, read again on return)."""
        open_vehicle_dialog(self, self.notify)

    def action_transfers(self) -> None:
        """The station's transfer notes, incoming ones from other stations among them."""
        from screens.transfers import TransfersScreen

        self.app.push_screen(TransfersScreen())

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error or nothing); errors of the service calls come here too."""
        if not self.is_attached:
            return
        status = self.query_one("#receiving-status", Static)
        status.update(message)
        status.set_classes(kind)


def _rows(receipts: list[ReceiptSummary]) -> list[tuple[str, tuple[Text, ...]]]:
    """(key, cells) of each receipt, an overdue one in the warning colour."""
    rows = []
    for receipt in receipts:
        late = BAD if receipt.overdue else ""
        deadline = Text(local_time(receipt.deadline), style=late)
        if receipt.overdue:
            deadline.append("  " + _("OVERDUE"), style="bold #ffffff on #c0392b")
        elif receipt.timing == "late":  # after the day it arrived: posting asks the special reason
            deadline.append("  " + label(RECEIPT_TIMING, "late"), style="bold")
        rows.append((receipt.number, (Text(receipt.number, style=late or "bold"), Text(state_label(receipt.state)),
                                      Text(receipt.shipment_no or "—"), Text(receipt.supplier or "—"),
                                      Text(local_time(receipt.arrived_at)), deadline,
                                      Text(str(receipt.lines), justify="right"))))
    return rows
