"""The counter sales workflow (销售订单 / 发出商品): the sales, newest first, with the highlighted one's lines below.

ctrl+n enters a new sale (screens.sales_form); a second person checks it with code and PIN (二审, never the one who
entered it), which issues its parts oldest lot first; settle records the amount (after a question); R takes parts
back (screens.sales_return); X cancels one not yet checked; the print key shows the delivery note (发货通知单).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _
from core.labels import SALE_STATE, label, part_name
from core.services.operators import authenticate
from core.services.sales import (
    SaleView,
    cancel_rule,
    cancel_sale,
    check_sale,
    list_sales,
    may,
    may_enter,
    return_rule,
    settle_rule,
    settle_sale,
)
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.dialogs import SignDialog, YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time
from screens.widgets.tables import Column, SubjectTable


class SalesScreen(ServiceCalls, Screen[None]):
    """The sales as a list with the highlighted one's lines; its keys act on the highlighted sale."""

    AUTO_FOCUS = "#sale-list"
    BINDINGS = [
        Binding(keys.NEW, "new", N_("New sale"), id="new_sale",
                tooltip=N_("Enter a sale: customer, phone and lines; a second person checks it")),
        Binding("c", "check", N_("Check"), id="check_sale",
                tooltip=N_("A second person checks the sale with code and PIN (二审): its parts leave oldest first")),
        Binding("s", "settle", N_("Settle"), id="settle_sale", tooltip=N_("Record what the customer owes")),
        Binding("r", "return", N_("Return"), id="return_sale", tooltip=N_("Take parts of the sale back into stock")),
        Binding("x", "cancel_sale", N_("Cancel"), id="cancel_sale", tooltip=N_("Cancel a sale not yet checked")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_sales", tooltip=N_("Read the sales again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """The list, read once mounted."""
        super().__init__()
        self.sales: list[SaleView] = []
        self._wanted: str | None = None  # a number to put the cursor on once the list is read (a scan)

    def compose(self) -> ComposeResult:
        """Heading, the list, the highlighted sale's lines and the status line."""
        yield Header()
        with Vertical(id="sales-body"):
            yield Static(_("Counter sales 销售订单 — one person enters, a second one checks (一审、二审)"),
                         classes="heading")
            yield SubjectTable(id="sale-list")
            yield Static("", id="sale-detail")
            yield Static("", id="sales-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the rows."""
        self.query_one(SubjectTable).set_columns(
            Column("number", _("Sale"), 16),
            Column("customer", _("Customer"), 20, min_width=10),
            Column("state", _("State"), 10, min_width=8),
            Column("total", Text(_("Total"), justify="right"), 11),
            Column("entered", _("Entered"), 16, gives_way=2),
            Column("by", _("By"), 8, gives_way=1),
        )
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened from its key, the palette or a scanned SAL number (the cursor put on it)."""
        self._wanted = number or self._wanted
        if self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the sales again."""
        self.run_read(lambda uow: list_sales(uow=uow), self._fill, group="sales")

    def _fill(self, found: list[SaleView]) -> None:
        self.sales = found
        wanted, self._wanted = self._wanted, None
        table = self.query_one(SubjectTable)
        table.reload(((s.number, (Text(s.number), Text(s.customer), Text(label(SALE_STATE, s.state)),
                                  Text(fmt_money(s.total), justify="right"), Text(local_time(s.entered_at)),
                                  Text(s.entered_by.code))) for s in found),
                     select=wanted.upper() if wanted else table.subject_key)
        if not found:
            self.say(_("no sale yet: {key} enters one").format(key=keys.label(keys.NEW)))
        self._detail()
        self.refresh_bindings()

    def highlighted(self) -> SaleView | None:
        """The sale under the cursor."""
        key = self.query_one(SubjectTable).subject_key
        return next((s for s in self.sales if s.number == key), None)

    @on(DataTable.RowHighlighted, "#sale-list")
    def _moved(self) -> None:
        self._detail()
        self.refresh_bindings()

    def _detail(self) -> None:
        sale = self.highlighted()
        detail = self.query_one("#sale-detail", Static)
        if sale is None:
            detail.update("")
            return
        text = Text.assemble((sale.number, "bold"), "  ", " ".join(filter(None, [sale.customer, sale.phone])))
        for line in sale.lines:
            back = _("  returned {qty}").format(qty=fmt_qty(line.returned)) if line.returned else ""
            where = " ".join(take.location for take in line.takes)
            text.append(f"\n{line.line_no:>2} {line.part_no}  {part_name(line.name, line.name_zh)}  × "
                        f"{fmt_qty(line.qty)}  {fmt_money(line.unit_price)}  {fmt_money(line.amount)}  {where}{back}")
        checked = (_("checked by {who} {at}").format(who=sale.checked_by.code, at=local_time(sale.checked_at))
                   if sale.checked_by else _("waits for a second person's check"))
        text.append("\n" + _("Entered by {who} {at}; {checked}; net {net}").format(
            who=sale.entered_by.code, at=local_time(sale.entered_at), checked=checked, net=fmt_money(sale.net)),
            style="dim")
        if sale.refund:  # parts came back after settlement: the customer is owed that part of what was paid
            text.append("\n" + _("Settled {amount}; refund due {refund}").format(
                amount=fmt_money(sale.settled_amount), refund=fmt_money(sale.refund)), style="bold yellow")
        detail.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key only where its core rule lets the operator act on the highlighted sale."""
        actor = self.app.actor
        sale = self.highlighted() if self.is_mounted else None
        if action == "new":
            return may_enter(actor)
        if action == "check":  # whoever is signed in asks; the checker signs with his own code and PIN
            return sale is not None and sale.state == "entered"
        rules = {"settle": settle_rule, "return": return_rule, "cancel_sale": cancel_rule}
        if action in rules:
            return sale is not None and may(rules[action], actor, sale.state)
        if action == "print":
            return sale is not None
        return True

    def action_new(self) -> None:
        """The new-sale form; the sale entered is highlighted."""
        from screens.sales_form import SaleDialog

        self.app.push_screen(SaleDialog(self.app.actor), lambda view: self._done(view, _("{number}: entered, "
                                                                                          "waits for the check")))

    def action_check(self) -> None:
        """The checker signs with code and PIN (二审); the sale's parts leave oldest lot first."""
        sale = self.highlighted()
        if sale is None:
            return
        number = sale.number
        summary = _("{number} for {customer}, {total}: the parts leave the store oldest lot first. Not {code}, who "
                    "entered it.").format(number=number, customer=sale.customer, total=fmt_money(sale.total),
                                           code=sale.entered_by.code)
        self.app.push_screen(SignDialog(
            _("Check the sale (二审)"), summary,
            lambda code, pin, uow: check_sale(number, actor=authenticate(code, pin, uow=uow), uow=uow),
            who=_("Checker's code")), lambda view: self._done(view, _("{number}: checked, the parts issued")))

    def action_settle(self) -> None:
        """Ask, then record what the customer owes."""
        sale, actor = self.highlighted(), self.app.actor
        if sale is None:
            return
        number = sale.number

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(lambda uow: settle_sale(number, actor=actor, uow=uow),
                               lambda view: self._done(view, _("{number}: settled")), group="settle")

        self.app.push_screen(YesNoDialog(_("Settle {number}?").format(number=number), _(
            "{customer} owes {net}: record it as settled?").format(customer=sale.customer, net=fmt_money(sale.net))),
            answered)

    def action_return(self) -> None:
        """The return dialog for the highlighted sale, its first line's part filled in."""
        from screens.sales_return import SaleReturnDialog

        sale = self.highlighted()
        if sale is None:
            return
        part = sale.lines[0].part_no if sale.lines else ""
        self.app.push_screen(SaleReturnDialog(self.app.actor, sale.number, part),
                             lambda view: self._done(view, _("{number}: parts taken back")))

    def action_cancel_sale(self) -> None:
        """Ask, then cancel the sale not yet checked (nothing had moved)."""
        sale, actor = self.highlighted(), self.app.actor
        if sale is None:
            return
        number = sale.number

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(lambda uow: cancel_sale(number, actor=actor, uow=uow),
                               lambda view: self._done(view, _("{number}: cancelled")), group="cancel")

        self.app.push_screen(YesNoDialog(_("Cancel {number}?").format(number=number),
                                         _("The sale is withdrawn; nothing has left the store."), kind="warning"),
                             answered)

    def action_print(self) -> None:
        """The highlighted sale's delivery note (发货通知单) in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        sale = self.highlighted()
        if sale is not None:
            self.app.push_screen(PrintPreviewScreen([("sale", sale.number)]))

    def _done(self, view: SaleView | None, message: str) -> None:
        if view is None:
            return
        self.say(message.format(number=view.number), "success")
        self._wanted = view.number
        self.action_reload()

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success)."""
        if not self.is_attached:
            return
        status = self.query_one("#sales-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
