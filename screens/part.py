"""One part: its master data, its lots oldest first (the order issues take them) and the on-hand total."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext, pgettext
from core.measures import unit_label
from core.roles import Permission
from core.services.catalog import PartInfo, get_part
from core.services.stock import PartStock, part_stock
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.label_print import print_label_asking
from screens.widgets.tables import Column, FittingTable


def local_time(moment: datetime) -> str:
    """An aware instant as the station's local date and time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class PartScreen(ServiceCalls, Screen[None]):
    """A part's card: number, names, master data, lots and on hand; Enter on a lot opens its bin."""

    AUTO_FOCUS = "#lots"
    # A letter: the card has no text field. Print (the part's label) is the app's key.
    BINDINGS = [
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the lookup")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload", tooltip=N_("Read the part's stock again")),
        Binding("f", "forecast", N_("Forecast"), id="part_forecast",
                tooltip=N_("The part's consumption over the last 12 cycles and its forecast")),
        Binding("t", "transfer", N_("Transfer"), id="part_transfer",
                tooltip=N_("Enter a transfer note (调拨单) from the highlighted lot's bin: moves once checked (二审)")),
        Binding("w", "withdraw", N_("Withdraw"), id="part_withdraw",
                tooltip=N_("Withdraw a transfer note of this part you entered, before its check (二审)")),
        Binding("j", "adjust", N_("Adjust"), id="part_adjust",
                tooltip=N_("Adjust or write off stock at the highlighted lot's bin, with a reason from the list")),
        Binding("s", "supersede", N_("Supersede"), id="part_supersede",
                tooltip=N_("Supersede this number by a new one (or a kit) from a date")),
    ]

    def __init__(self, info: PartInfo, stock: PartStock) -> None:
        """A card for a part already read (the lookup reads it before opening, so it paints complete)."""
        super().__init__()
        self.info = info
        self.stock = stock

    def compose(self) -> ComposeResult:
        """Title, facts, lots and total."""
        yield Header()
        with Vertical(id="part-body"):
            yield Static(id="part-title")
            with Grid(id="part-facts"):
                for key, label in self._fact_labels():
                    yield Label(label, classes="fact-label")
                    yield Static(id=f"fact-{key}", classes="fact-value")
            yield Static(id="part-on-hand")
            # Shown only for a part in a supersession chain (read after the card is painted).
            yield Static(id="part-supersession")
            yield Static(_("Lots, oldest first — the order issues take them"), classes="heading")
            yield FittingTable(id="lots")
        yield Footer()

    @staticmethod
    def _fact_labels() -> list[tuple[str, str]]:
        return [
            ("series", _("Model series")),
            ("unit", _("Unit")),
            ("price", _("List price")),
            ("pack", _("Pack qty")),
            ("fragile", _("Fragile")),
            ("location", _("Default location")),
        ]

    def on_mount(self) -> None:
        """Set up the lot columns and show the part."""
        # On a narrow terminal the received quantity and then the lot number give way to the document.
        self.query_one("#lots", FittingTable).set_columns(
            Column("lot", _("Lot"), 4, gives_way=2),
            Column("location", _("Location"), 12),
            Column("received", pgettext("date", "Received"), 16),
            Column("qty_received", Text(_("Received qty"), justify="right"), 12, gives_way=3),
            Column("qty", Text(_("Qty"), justify="right"), 6),
            Column("unit_cost", Text(_("Unit cost"), justify="right"), 10),
            Column("document", _("Document"), 16, min_width=12, gives_way=1),
        )
        self._show(self.info, self.stock)
        self.query_one("#part-supersession", Static).display = False
        self._read_chain()

    def _read_chain(self) -> None:
        from core.services.supersession import supersession_of

        part_no = self.info.part_no
        self.run_read(lambda uow: supersession_of(part_no, uow=uow), self._show_chain, group="chain")

    def _show_chain(self, chain) -> None:
        """The new number and what is left of the old one; or the numbers this one replaces."""
        if not self.is_attached:
            return
        parts = []
        if chain.superseded_by:
            newest = ", ".join(f"{n} ({fmt_qty(chain.newest_on_hand[n])})" for n in chain.newest)
            parts.append(_("Superseded by {new}: order and issue {newest}; left of this number {left}").format(
                new=", ".join(link.part_no for link in chain.superseded_by), newest=newest, left=fmt_qty(chain.left)))
        if chain.supersedes:
            parts.append(_("Supersedes {old}").format(old=", ".join(link.part_no for link in chain.supersedes)))
        line = self.query_one("#part-supersession", Static)
        line.update(Text("  ·  ".join(parts)))
        line.display = bool(parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Supersede is the planner's and the parts manager's (who edit the parts master); transfer and adjust only
        for those the core lets do them (core.roles)."""
        actor = getattr(self.app, "actor", None)
        if action == "supersede":
            return actor is not None and actor.can(Permission.EDIT_PARTS)
        if action in ("transfer", "withdraw"):
            return actor is not None and actor.can(Permission.TRANSFER_STOCK)
        if action == "adjust":
            return actor is not None and actor.can(Permission.ADJUST_STOCK)
        return True

    def action_supersede(self) -> None:
        """The supersession dialog for this part; the card shows the result."""
        from screens.supersede_dialog import SupersedeDialog

        def done(result) -> None:
            if result is not None:
                self.say(_("{old} superseded by {new}").format(old=result.old, new=" + ".join(result.new)))
                self._read_chain()

        self.app.push_screen(SupersedeDialog(self.info.part_no), done)

    def _show(self, info: PartInfo, stock: PartStock) -> None:
        if not self.is_attached:  # closed while a refresh was reading
            return
        self.info, self.stock = info, stock
        names = info.name
        if info.name_zh and info.name_zh != info.name:
            names = f"{info.name}  {info.name_zh}"
        self.query_one("#part-title", Static).update(Text.assemble((info.part_no, "bold"), "  ", names))
        facts = {
            "series": info.model_series or "—",
            "unit": unit_label(info.unit),
            "price": fmt_money(info.list_price),
            "pack": fmt_qty(info.pack_qty),
            "fragile": _("yes, handle with care") if info.fragile else _("no"),
            "location": info.location or _("none: give it one before shelving"),
        }
        for key, value in facts.items():
            self.query_one(f"#fact-{key}", Static).update(Text(value))
        self.query_one("#fact-location", Static).set_class(info.location is None, "missing")
        self.query_one("#fact-fragile", Static).set_class(info.fragile, "fragile")
        table = self.query_one("#lots", DataTable)
        table.clear()
        for lot in stock.lots:
            table.add_row(
                Text(str(lot.lot)),
                Text(lot.location),
                Text(local_time(lot.received_at)),
                Text(fmt_qty(lot.qty_received), justify="right"),
                Text(fmt_qty(lot.qty), justify="right"),
                Text(fmt_money(lot.unit_cost), justify="right"),
                Text(lot.document),
                key=str(lot.lot),
            )
        if stock.lots:
            total = ngettext(
                "On hand: {qty} {unit} in {lots} lot",
                "On hand: {qty} {unit} in {lots} lots", len(stock.lots)).format(
                qty=fmt_qty(stock.on_hand), unit=unit_label(stock.unit), lots=len(stock.lots))
        else:
            total = _("On hand: 0 {unit} — no stock").format(unit=unit_label(stock.unit))
        if stock.reserved:
            # 先单后料: what written requisitions keep for their repair orders is not there for another order.
            total += "  ·  " + _("reserved {reserved}, available {available}").format(
                reserved=fmt_qty(stock.reserved), available=fmt_qty(stock.available))
        self.query_one("#part-on-hand", Static).update(total)

    def _lot_location(self) -> str:
        """The bin of the highlighted lot (the row acted on), else the part's default bin."""
        table = self.query_one("#lots", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            lot = next((lot for lot in self.stock.lots if str(lot.lot) == key), None)
            if lot is not None:
                return lot.location
        return self.info.location or ""

    def action_transfer(self) -> None:
        """Enter a transfer note from the highlighted lot's bin; the card reads again once it is entered."""
        from screens.transfer_dialog import TransferDialog

        self.app.push_screen(TransferDialog(self.app.actor, self.info.part_no, self._lot_location()), self._entered)

    def _entered(self, info) -> None:
        if info is not None:
            self.say(_("{number} entered: it waits for a second person's check (二审)").format(number=info.number))
            self.action_reload()

    def action_withdraw(self) -> None:
        """Withdraw one of the operator's own transfer notes of this part still waiting for the check."""
        from core.services.transfers import my_transfers_waiting

        actor, part_no = self.app.actor, self.info.part_no
        self.run_read(lambda uow: my_transfers_waiting(part_no, actor=actor, uow=uow), self._offer_withdraw,
                      group="withdraw")

    def _offer_withdraw(self, waiting) -> None:
        from screens.transfer_withdraw import WithdrawTransferDialog

        if not waiting:
            self.say(_("No transfer note of yours for {part_no} waits for the check").format(
                part_no=self.info.part_no))
            return
        self.app.push_screen(WithdrawTransferDialog(self.app.actor, self.info.part_no, waiting), self._withdrawn)

    def _withdrawn(self, info) -> None:
        if info is not None:
            self.say(_("{number} withdrawn: nothing moved").format(number=info.number))

    def action_adjust(self) -> None:
        """Adjust (or write off) stock at the highlighted lot's bin with a reason code."""
        from screens.adjust_dialog import AdjustDialog

        self.app.push_screen(AdjustDialog(self.app.actor, self.info.part_no, self._lot_location()), self._adjusted)

    def _adjusted(self, done) -> None:
        if done is None:
            return
        if done.state == "pending":
            self.say(_("{document} waits for the parts manager's and the accountant's approval").format(
                document=done.document))
        else:
            self.say(_("{document} posted").format(document=done.document))
        self.action_reload()

    def action_back(self) -> None:
        """Back to where the part was opened from."""
        self.dismiss()

    def action_forecast(self) -> None:
        """The part's demand: consumption history, forecast and suggested order."""
        from screens.forecast import ForecastScreen

        self.app.push_screen(ForecastScreen(self.info.part_no))

    # The card has no message line: what printing did, or any error, is said in a notification (ServiceCalls.say).

    def action_print(self) -> None:
        """Print the part's label (一物一码: one item, one code): the PDF to the print folder, sent to the printer
        if one is set."""
        from core.printing.labels import part_label

        part_no = self.info.part_no
        print_label_asking(self, part_no, part_label, self.say)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a lot opens its bin (what lies there, and its label to print), as Enter on a bin's line opens
        the part."""
        lot = next((lot for lot in self.stock.lots if str(lot.lot) == event.row_key.value), None)
        if lot is not None:
            self.app.open_code(lot.location)

    def action_reload(self) -> None:
        """Read the part and its lots again (another terminal may have issued or received)."""
        part_no = self.info.part_no
        # A database fault too is said; the card stays as it was.
        self.run_read(lambda uow: (get_part(part_no, uow=uow), part_stock(part_no, uow=uow)),
                      lambda read: self._show(*read), group="reload")
