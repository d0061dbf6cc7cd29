"""The putaway list: where each accepted line of a receipt goes, in walking order, shelved first in first out."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from core.decimals import fmt_qty
from core.i18n import N_, _, ngettext
from core.labels import part_name
from core.measures import fmt_totals, totals_by_unit
from core.services.catalog import series_misfits
from core.services.receiving import PutawayLine, ReceiptInfo
from screens import keys
from screens.receipt_view import BAD, CARE, GOOD, SURPLUS
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, FittingTable


class PutawayScreen(ServiceCalls, Screen[None]):
    """The lines by location, each with what to do at the bin (new stock behind or under the old); a line whose
    bin is in another model series' zone says so instead (入库必须按车型入库)."""

    AUTO_FOCUS = "#putaway-lines"
    BINDINGS = [  # print (the putaway list, in the preview) is the app's key
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the receipt")),
        # A letter: the putaway list has no text field.
        Binding("s", "label_sheet", N_("Label sheet"), id="putaway_label_sheet",
                tooltip=N_("An A4 sheet of part labels, one per accepted unit, to stick on as you shelve")),
    ]

    def __init__(self, receipt: ReceiptInfo, lines: list[PutawayLine]) -> None:
        """The putaway of `receipt` as the core worked it out."""
        super().__init__()
        self.receipt = receipt
        self.lines = lines

    def compose(self) -> ComposeResult:
        """Title, the rule, the lines and a total."""
        yield Header()
        with Vertical(id="putaway-body"):
            yield Static(Text.assemble((_("Putaway 上架"), "bold"), "  ", (self.receipt.number, "bold"), "  ",
                                       _("walk the locations in this order")), id="putaway-title")
            yield Static(_("First in, first out: new stock goes behind or under the old, so the old goes out first."),
                         id="putaway-rule")
            yield FittingTable(id="putaway-lines")
            yield Static(id="putaway-total")
        yield Footer()

    def on_mount(self) -> None:
        """Columns and rows."""
        table = self.query_one(FittingTable)
        # The instruction takes the rest and wraps onto a second line rather than run off the screen; on a
        # narrow terminal the name is cut short first.
        table.set_columns(
            Column("location", _("Location"), 12),
            Column("part_no", _("Part no"), 12),
            Column("name", _("Name"), 24, min_width=10, gives_way=1),
            Column("qty", Text(_("Qty"), justify="right"), 6),
            Column("instruction", _("Instruction"), 0, min_width=20, wrap=True),
        )
        for line in self.lines:
            name = Text(overflow="ellipsis", no_wrap=True)
            if line.fragile:
                name.append(f"[{_('fragile')}] ", style=CARE)
            name.append(part_name(line.name, line.name_zh))
            style = BAD if line.location is None else SURPLUS if line.older > 0 else GOOD
            table.add_row(Text(line.location or "—", style="bold"), Text(line.part_no), name,
                          Text(fmt_qty(line.qty), justify="right"), Text(line.instruction, style=style),
                          key=line.part_no, height=None)
        if self.lines:
            # Per unit: litres are never added to pieces.
            totals = totals_by_unit([(line.unit, line.qty) for line in self.lines])
            total = ngettext(
                "{lines} line to shelve: {totals}",
                "{lines} lines to shelve: {totals}", len(self.lines),
            ).format(lines=len(self.lines), totals=fmt_totals(totals))
        else:
            total = _("nothing to shelve: count the receipt first")
        self.query_one("#putaway-total", Static).update(total)
        places = [(line.part_no, line.location) for line in self.lines if line.location]
        if places:
            self.run_read(lambda uow: series_misfits(places, uow=uow), self._misfits, group="series")

    def _misfits(self, found: dict[tuple[str, str], str]) -> None:
        """Lines whose bin is in another series' zone: the instruction says so, in the warning colour."""
        table = self.query_one(FittingTable)
        for line in self.lines:
            why = found.get((line.part_no, line.location or ""))
            if why:
                table.update_cell(line.part_no, "instruction", Text(why, style=BAD))

    def action_print(self) -> None:
        """The putaway list in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        self.app.push_screen(PrintPreviewScreen([("putaway", self.receipt.number)]))

    def action_label_sheet(self) -> None:
        """Print the receipt's labels on A4 (label sheet --receipt): asks before replacing the sheet printed before."""
        from screens.widgets.label_print import print_asking, print_receipt_sheet

        number = self.receipt.number
        print_asking(self, lambda replace: print_receipt_sheet(self.app, number, force=replace), self.say)

    def action_back(self) -> None:
        """Back to the receipt."""
        self.dismiss()
