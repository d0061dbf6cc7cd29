"""Taking parts of a counter sale back (销售退货): which part and how many; they go back into the lots they left
from, within the station's days for returns and never more than sold less returned."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from core.services.sales import SaleView, parse_line, return_sale
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class SaleReturnDialog(Dialog[SaleView]):
    """Part (the highlighted line's unless changed) and quantity: Enter in the quantity takes them back."""

    AUTO_FOCUS = "#sr-qty"

    def __init__(self, actor, number: str, part_no: str = "") -> None:
        """A return on sale `number`, of `part_no` unless changed."""
        super().__init__()
        self.actor, self.number, self.part_no = actor, number, part_no

    def compose(self) -> ComposeResult:
        """Title, what happens, the two fields and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Return on {number} (销售退货)").format(number=self.number)), classes="dialog-title")
            yield Static(Text(_("The parts go back into the lots they left from.")), classes="dialog-summary")
            yield Label(_("Part"), classes="field-label")
            yield Input(value=self.part_no, id="sr-part", select_on_focus=True, compact=True)
            yield Label(_("Quantity"), classes="field-label")
            yield Input(id="sr-qty", compact=True)
            yield self.message_line(_("Enter in the quantity takes them back · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#sr-part")
    def _part_done(self) -> None:
        self.set_focus(self.query_one("#sr-qty", Input))

    @on(Input.Submitted, "#sr-qty")
    def _qty_done(self) -> None:
        part = self.query_one("#sr-part", Input).value
        qty = self.query_one("#sr-qty", Input).value
        try:  # core's one reader of quantities: a refusal is its one line, the fields keep what was typed
            line = parse_line(f"{part}:{qty}")
        except Exception as exc:
            self.show_error(exc)
            return
        actor, number = self.actor, self.number
        self.confirm(lambda uow: return_sale(number, [line], actor=actor, uow=uow))
