"""One location (库位): what lies there, part by part, with its value, and its label to print."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext
from core.services.stock import StockLine, stock_list
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.label_print import print_label_asking
from screens.widgets.tables import Column, FittingTable


class LocationScreen(ServiceCalls, Screen[None]):
    """A bin's stock; Enter on a line opens the part, the print key prints the bin's label."""

    AUTO_FOCUS = "#location-stock"
    BINDINGS = [  # print (the location's label) is the app's key
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_location",
                tooltip=N_("Read the location's stock again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to where the location was opened")),
    ]

    def __init__(self, code: str) -> None:
        """The location `code` (already checked to exist)."""
        super().__init__()
        self.code = code
        self.lines: list[StockLine] = []

    def compose(self) -> ComposeResult:
        """Title, the stock and the status line."""
        yield Header()
        with Vertical(id="location-body"):
            yield Static(Text.assemble((_("Location 库位"), "bold"), "  ", (self.code, "bold")), id="location-title")
            yield FittingTable(id="location-stock", cursor_type="row", zebra_stripes=True)
            yield Static("", id="location-total")
            yield Static("", id="location-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the stock."""
        table = self.query_one(DataTable)
        table.set_columns(
            Column("part_no", _("Part no"), 14),
            Column("name", _("Name"), 44, min_width=12),
            Column("on_hand", Text(_("On hand"), justify="right"), 10),
            Column("value", Text(_("Value"), justify="right"), 12),
        )
        self.action_reload()

    def action_reload(self) -> None:
        """Read what lies at the location again."""
        code = self.code
        # A database fault is said on the status line.
        self.run_read(lambda uow: stock_list(location=code, uow=uow), self._fill, group="location")

    def _fill(self, lines: list[StockLine]) -> None:
        self.lines = lines
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            table.add_row(
                Text(line.part_no, style="bold"),
                Text(line.name),
                Text(fmt_qty(line.on_hand), justify="right"),
                Text(fmt_money(line.value), justify="right"),
                key=line.part_no,
            )
        if lines:
            total = ngettext(
                "{parts} part here, value {value}",
                "{parts} parts here, value {value}", len(lines)).format(
                parts=len(lines), value=fmt_money(sum(line.value for line in lines)))
        else:
            total = _("nothing lies here")
        self.query_one("#location-total", Static).update(total)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a line opens that part."""
        if event.row_key.value:
            self.app.open_code(event.row_key.value)

    def action_print(self) -> None:
        """Print the location's label: the PDF to the print folder, sent to the printer if one is set."""
        from core.printing.labels import location_label

        self.say(_("printing…"), "waiting")
        print_label_asking(self, self.code, location_label, lambda message: self.say(message, "notice"))

    def action_back(self) -> None:
        """Back to where the location was opened."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line."""
        if not self.is_attached:
            return
        status = self.query_one("#location-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
