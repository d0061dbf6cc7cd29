"""Who pays for each part of a repair order (付费方): the order's parts with their payer and amount; on the
highlighted part, c charges the customer (selling price), w the warranty (the maker, at list price), i the
workshop's own use (internal, at cost). Each key is one `ro payer` (core.services.pricing.set_payer)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _
from core.labels import PAYER, label
from core.services.pricing import RoCharges, set_payer
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, SubjectTable


class PayerDialog(Dialog[bool]):
    """The order's parts and their payers; c, w, i set the highlighted part's payer; Escape closes (True when a
    payer changed, so that the board reads the order again)."""

    AUTO_FOCUS = "#payer-lines"
    BINDINGS = [
        Binding("c", "payer('customer')", N_("Customer"), id="payer_customer",
                tooltip=N_("The customer pays: the selling price")),
        Binding("w", "payer('warranty')", N_("Warranty"), id="payer_warranty",
                tooltip=N_("The maker pays under warranty: the list price, listed for the warranty claim")),
        Binding("i", "payer('internal')", N_("Internal"), id="payer_internal",
                tooltip=N_("The workshop's own use: at cost")),
    ]

    def __init__(self, actor, ro_no: str, charges: RoCharges) -> None:
        """Payers of repair order `ro_no`, whose parts are charged as `charges`."""
        super().__init__()
        self.actor, self.ro_no, self.charges = actor, ro_no, charges
        self.changed = False

    def compose(self) -> ComposeResult:
        """Title, the parts, the totals and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("{ro}: who pays 付费方").format(ro=self.ro_no)), classes="dialog-title")
            yield SubjectTable(id="payer-lines")
            yield Static(id="payer-totals", classes="dialog-summary")
            yield self.message_line(_("c customer · w warranty · i internal · Escape closes"))
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the parts."""
        self.query_one("#payer-lines", SubjectTable).set_columns(
            Column("part", _("Part no"), 12),
            Column("name", _("Name"), 0, min_width=8, gives_way=1),
            Column("qty", _("Qty"), 7),
            Column("payer", _("Payer"), 10),
            Column("amount", _("Amount"), 10),
        )
        self._fill(self.charges)

    def _fill(self, charges: RoCharges, select: str | None = None) -> None:
        self.charges = charges
        self.query_one("#payer-lines", SubjectTable).reload(
            [(line.part_no, (Text(line.part_no), Text(line.name_zh or line.name),
                             Text(fmt_qty(line.qty), justify="right"), Text(label(PAYER, line.payer)),
                             Text(fmt_money(line.amount), justify="right")))
             for line in charges.lines], select)
        self.query_one("#payer-totals", Static).update(Text(" · ".join(
            f"{label(PAYER, payer)} {fmt_money(amount)}" for payer, amount in charges.by_payer)))
        if not charges.lines:
            self.say(_("no parts issued on {ro} yet").format(ro=self.ro_no))

    def action_payer(self, payer: str) -> None:
        """Set the highlighted part's payer."""
        part_no = self.query_one("#payer-lines", SubjectTable).subject_key
        if not part_no:
            return
        actor, ro = self.actor, self.ro_no

        def done(charges: RoCharges) -> None:
            self.changed = True
            self._fill(charges, part_no)
            self.say(_("{part_no}: {payer} pays").format(part_no=part_no, payer=label(PAYER, payer)), "success")

        self.run_write(lambda uow: set_payer(ro, part_no, payer, actor=actor, uow=uow), done, group="payer")

    def action_cancel(self) -> None:
        """Close; True when a payer changed."""
        self.dismiss(self.changed)
