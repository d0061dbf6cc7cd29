"""When the counter has no stock (零件领用流程): what is short, and the two ways on — a shortage registration
(缺件登记) signed by the service advisor, or issuing what is on hand."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from core.decimals import fmt_qty
from core.i18n import N_, _
from core.services.operators import authenticate
from core.services.repair_orders import RepairOrderView
from core.services.requisitions import ShortOfStock
from screens import keys
from screens.widgets.dialogs import Dialog, SignDialog
from screens.widgets.footer import Footer


class ShortageDialog(Dialog[bool]):
    """The short lines of a refused issue (nothing was issued); F9 registers the shortage with the advisor's
    signature, ctrl+t cuts (trims) the lines to what is on hand, Escape goes back to the lines as they were."""

    AUTO_FOCUS = "#shortages"
    BINDINGS = [
        Binding(keys.COMMIT, "register", N_("Register shortage"), id="register_shortage",
                tooltip=N_("The service advisor signs a shortage registration (缺件登记) for planning")),
        Binding("ctrl+t", "trim", N_("Issue what is on hand"), id="trim",
                tooltip=N_("Cut the short lines to what is on hand")),
        Binding(keys.BACK, "cancel", N_("Back"), id="cancel"),
    ]

    def __init__(self, refusal: ShortOfStock, order: RepairOrderView | None) -> None:
        """Show the shortages of a refused issue on `order`."""
        super().__init__()
        self.refusal, self.order = refusal, order

    def compose(self) -> ComposeResult:
        """Title, the short lines and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("Not enough stock: nothing was issued 缺件")), classes="dialog-title error")
            yield DataTable(id="shortages", cursor_type="row", show_cursor=False)
            yield Static(Text(_("A shortage registration goes to planning, which must answer within 30 minutes; "
                                "the service advisor signs it.")), classes="dialog-summary")
            yield self.message_line()
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#shortages", DataTable)
        table.add_column(_("Part no"), width=12)
        table.add_column(_("Name"), width=28)
        table.add_column(Text(_("Asked"), justify="right"), width=7)
        table.add_column(Text(_("On hand"), justify="right"), width=8)
        table.add_column(Text(_("Short"), justify="right"), width=7)
        for s in self.refusal.shortages:
            table.add_row(Text(s.part_no), Text(s.name), Text(fmt_qty(s.asked), justify="right"),
                          Text(fmt_qty(s.on_hand), justify="right"),
                          Text(fmt_qty(s.short), justify="right", style="bold red"))

    def action_trim(self) -> None:
        """Back to the lines, cut to what is on hand."""
        self.dismiss(True)

    def action_register(self) -> None:
        """The advisor signs; one registration per short part, for the quantity missing."""
        from core.services.shortages import log_shortage

        ro = self.refusal.ro_no
        shortages = self.refusal.shortages

        def sign(code: str, pin: str, uow) -> list[str]:
            advisor = authenticate(code, pin, uow=uow)
            return [log_shortage(s.part_no, s.short, ro, actor=advisor, uow=uow,
                                 note=_("counter: asked {asked}, on hand {on_hand}").format(
                                     asked=fmt_qty(s.asked), on_hand=fmt_qty(s.on_hand)))
                    for s in shortages]

        def done(numbers: list[str] | None) -> None:
            if numbers:
                self.say(_("registered {numbers}: planning answers within 30 minutes").format(
                    numbers=", ".join(numbers)), "notice")

        title = _("{ro}: shortage registration 缺件登记, signed by the service advisor").format(ro=ro)
        summary = "\n".join(f"{s.part_no}  {s.name}  × {fmt_qty(s.short)}" for s in shortages)
        self.app.push_screen(SignDialog(title, summary, sign, who=_("Advisor's code")), done)
