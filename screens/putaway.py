"""The putaway list: where each accepted line of a receipt goes, in walking order, shelved first in first out."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.decimals import fmt_qty
from core.i18n import _
from core.services.receiving import PutawayLine, ReceiptInfo
from screens import keys
from screens.receipt_view import BAD, CARE, GOOD, SURPLUS
from screens.widgets.footer import Footer


class PutawayScreen(Screen[None]):
    """The lines by location, each with what to do at the bin (new stock behind or under the old)."""

    AUTO_FOCUS = "#putaway-lines"
    BINDINGS = [  # print (the putaway list, in the preview) is the app's key
        Binding(keys.BACK, "back", _("Back"), id="back", tooltip=_("Back to the receipt")),
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
            yield DataTable(id="putaway-lines", cursor_type="row", zebra_stripes=True)
            yield Static(id="putaway-total")
        yield Footer()

    def on_mount(self) -> None:
        """Columns and rows."""
        table = self.query_one(DataTable)
        widths = {"location": 12, "part_no": 12, "name": 24, "qty": 6}
        # The instruction takes the rest (of the screen less padding and scrollbar) and wraps onto a second
        # line rather than run off the screen.
        rest = self.app.size.width - 4 - sum(widths.values()) - 2 * table.cell_padding * 5 - 1
        table.add_column(_("Location"), key="location", width=widths["location"])
        table.add_column(_("Part no"), key="part_no", width=widths["part_no"])
        table.add_column(_("Name"), key="name", width=widths["name"])
        table.add_column(Text(_("Qty"), justify="right"), key="qty", width=widths["qty"])
        table.add_column(_("Instruction"), key="instruction", width=max(20, rest))
        for line in self.lines:
            name = Text(overflow="ellipsis", no_wrap=True)
            if line.fragile:
                name.append(f"[{_('fragile')}] ", style=CARE)
            name.append(line.name)
            style = BAD if line.location is None else SURPLUS if line.older > 0 else GOOD
            table.add_row(Text(line.location or "—", style="bold"), Text(line.part_no), name,
                          Text(fmt_qty(line.qty), justify="right"), Text(line.instruction, style=style),
                          key=line.part_no, height=None)
        if self.lines:
            total = _("{lines} line(s) to shelve, {units} unit(s)").format(
                lines=len(self.lines), units=fmt_qty(sum(line.qty for line in self.lines)))
        else:
            total = _("nothing to shelve: count the receipt first")
        self.query_one("#putaway-total", Static).update(total)

    def action_print(self) -> None:
        """The putaway list in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        self.app.push_screen(PrintPreviewScreen([("putaway", self.receipt.number)]))

    def action_back(self) -> None:
        """Back to the receipt."""
        self.dismiss()
