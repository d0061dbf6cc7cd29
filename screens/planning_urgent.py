"""An urgent order by hand (紧急订货): the part, the quantity, the supplier and the shortage or repair order it
serves; Enter moves field to field and, in the last, makes the order (a draft the parts manager approves)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.codes import normalise_part_no
from core.decimals import positive_qty
from core.errors import BadInput
from core.i18n import N_, _
from core.roles import Actor
from core.services.purchasing import OrderLineRequest, create_urgent_order
from core.services.supersession import newest_for, redirect_notes
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class UrgentField(Input):
    """A field of the urgent order; Enter moves on (in the last field, makes the order)."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="urgent_next",
                        tooltip=N_("Move on; in the last field, make the order"))]


class UrgentOrderDialog(Dialog[tuple[str, list[str]]]):
    """Part, quantity (core's quantity parser), supplier and what it serves: the order's number closes it, with a
    line for an old (superseded) number saying the newest number it was ordered as."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#urgent-part"
    FIELDS = {"part_no": "#urgent-part", "qty": "#urgent-qty", "supplier": "#urgent-supplier",
              "serves": "#urgent-serves"}
    ORDER = ("#urgent-part", "#urgent-qty", "#urgent-supplier", "#urgent-serves")

    def __init__(self, actor: Actor, supplier: str = "") -> None:
        """An urgent order by `actor`, from `supplier` unless changed."""
        super().__init__()
        self.actor, self.supplier = actor, supplier

    def compose(self) -> ComposeResult:
        """Title, the four fields and the message line."""
        with Vertical(classes="pd-box"):
            yield Static(Text(_("Urgent order 紧急订货")), classes="pd-title")
            yield Static(Text(_("For a shortage that cannot wait for the cycle's draft; the parts manager approves "
                                "it, then it is sent.")), classes="pd-summary")
            yield Label(_("Part number"), classes="pd-label")
            yield UrgentField(id="urgent-part")
            yield Label(_("Quantity"), classes="pd-label")
            yield UrgentField(id="urgent-qty")
            yield Label(_("Supplier"), classes="pd-label")
            yield UrgentField(value=self.supplier, id="urgent-supplier")
            yield Label(_("For (shortage SHT-… or repair order RO-…)"), classes="pd-label")
            yield UrgentField(id="urgent-serves")
            yield self.message_line(_("Enter moves on; Enter in the last field makes the order · Escape cancels"))
        yield Footer()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        at = self.ORDER.index(f"#{event.input.id}")
        if at < len(self.ORDER) - 1:
            self.set_focus(self.query_one(self.ORDER[at + 1], Input))
            return
        part = self.query_one("#urgent-part", Input).value
        typed = self.query_one("#urgent-qty", Input).value
        supplier = self.query_one("#urgent-supplier", Input).value.strip()
        serves = [s for s in self.query_one("#urgent-serves", Input).value.replace(",", " ").split() if s]
        actor = self.actor

        def make(uow) -> tuple[str, list[str]]:
            part_no = normalise_part_no(part)
            if not part_no:
                raise BadInput(_("give the part number"), field="part_no")
            try:
                amount = positive_qty(typed, part_no)
            except BadInput as exc:  # the cursor goes back to the quantity
                raise BadInput(exc.message, field="qty") from None
            if not supplier:
                raise BadInput(_("give the supplier's code"), field="supplier")
            if not serves:
                raise BadInput(_("name the shortage (SHT-…) or repair order (RO-…) the order serves"),
                               field="serves")
            number = create_urgent_order(supplier, [OrderLineRequest(part_no, amount, None)], serves, actor=actor,
                                         uow=uow)
            # An old number is ordered as its newest (core.records.orders.insert_order): said with the number.
            return number, redirect_notes(newest_for([part_no], uow=uow))

        self.confirm(make)
