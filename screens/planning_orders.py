"""The planner's purchase orders (采购计划 / 订单), newest first a page at a time with their state labels: an urgent
order for a shortage (ctrl+n), the parts manager's approval, the order file for the maker, marked sent, chased with
the ETA the supplier gave, closed when the rest will not come (发往厂家, 动态跟催)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.i18n import N_, _, ngettext
from core.labels import ORDER_STATE, label
from core.order_rules import EXPECTED_STATES, may_approve, may_chase, may_close, may_send
from core.roles import Permission
from core.services.ordering import OrderPage, TransitOrder, order_list_page
from screens import keys
from screens.transit import is_late as past_eta
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import OVERDUE_STYLE, local_time, short_time
from screens.widgets.tables import Column, Pages, SubjectTable


class OrdersTable(Pages, SubjectTable):
    """The purchase orders, a page at a time."""


class PlanningOrdersScreen(ServiceCalls, Screen[None]):
    """Every purchase order, newest first; the keys act on the highlighted one."""

    AUTO_FOCUS = "#plan-orders"
    BINDINGS = [
        Binding(keys.NEW, "new_order", N_("Urgent order"), id="plan_urgent_order",
                tooltip=N_("An urgent order for a shortage or repair order: part, quantity, supplier")),
        Binding("a", "approve", N_("Approve"), id="plan_approve_order",
                tooltip=N_("Approve the drafted order (parts manager, never its author)")),
        Binding("x", "export", N_("Export file"), id="plan_export_order",
                tooltip=N_("Write the order file for the maker (.csv or .xlsx)")),
        Binding("s", "send", N_("Mark sent"), id="plan_send_order",
                tooltip=N_("Mark the approved order sent to the maker: it is in transit from then (asks first)")),
        Binding("c", "chase", N_("Chase"), id="plan_chase_order",
                tooltip=N_("Log a follow-up with the supplier: what they said, the new ETA")),
        Binding("k", "close", N_("Close"), id="plan_close_order",
                tooltip=N_("Close the order: what is still outstanding will not come (asks first)")),
        Binding("t", "transit", N_("In transit"), id="plan_orders_transit",
                tooltip=N_("The orders in transit, the late ones first, with their days late")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_plan_orders", tooltip=N_("Read the orders again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the draft")),
    ]

    def __init__(self, select: str | None = None) -> None:
        """The orders; `select` puts the cursor on that order once read."""
        super().__init__()
        self.orders: list[TransitOrder] = []
        self._select = select

    def compose(self) -> ComposeResult:
        """Heading, summary, the orders, the highlighted order's detail and the status line."""
        yield Header()
        with Vertical(id="plan-orders-body"):
            yield Static(_("Purchase orders 采购订单 — export, send to the maker, chase, close"), classes="heading")
            yield Static(_("reading…"), id="plan-orders-summary", classes="waiting")
            yield OrdersTable(id="plan-orders", cursor_foreground_priority="renderable")
            yield Static("", id="plan-orders-detail")
            yield Static("", id="plan-orders-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the orders."""
        table = self.query_one(OrdersTable)
        table.set_columns(
            Column("number", _("Order"), 15),
            Column("supplier", _("Supplier"), 10, gives_way=1),
            Column("state", _("State"), 16, min_width=10),
            Column("ordered", _("Ordered"), 11, gives_way=3),
            Column("lines", Text(_("Open lines"), justify="right"), 10, gives_way=2),
            Column("eta", _("ETA"), 11),
            Column("late", _("Late"), 10),
            Column("chased", _("Last chased"), 11, gives_way=4),
        )
        table.seek(self._select)
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again: read again, the cursor on `number`."""
        self.select(number)

    def select(self, number: str | None) -> None:
        """Read again and put the cursor on `number` (read on to it when it lies past the first page)."""
        if not self.is_mounted:
            self._select = number
            return
        self.query_one(OrdersTable).seek(number)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the orders again: the first page, or as many as were shown (the cursor keeps its order)."""
        limit = max(OrdersTable.PAGE, self.query_one(OrdersTable).row_count)
        self.run_read(lambda uow: order_list_page(uow=uow, limit=limit), self._fill, group="plan-orders")

    @on(Pages.Wanted, "#plan-orders")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last order read, or one sought lies further down: the next ones."""
        table, offset = self.query_one(OrdersTable), event.offset

        def read(page: OrderPage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.orders = self.orders[:offset] + page.rows

        self.run_read(lambda uow: order_list_page(uow=uow, limit=table.PAGE, offset=offset), read,
                      group="plan-orders-more")

    def _fill(self, page: OrderPage) -> None:
        table = self.query_one(OrdersTable)
        current = self.highlighted()
        self.orders = page.rows
        table.fill_page(_rows(page.rows), page.total, select=current.number if current else None)
        summary = self.query_one("#plan-orders-summary", Static)
        summary.set_classes("")
        summary.update(ngettext("{count} order", "{count} orders", page.total).format(count=page.total)
                       if page.total else _("no order yet: make them from the approved draft, or ctrl+n"))
        self._detail()
        self.refresh_bindings()

    def highlighted(self) -> TransitOrder | None:
        """The order under the cursor."""
        key = self.query_one(OrdersTable).subject_key
        return next((order for order in self.orders if order.number == key), None)

    @on(DataTable.RowHighlighted, "#plan-orders")
    def _moved(self) -> None:
        self._detail()
        self.refresh_bindings()  # the keys depend on the highlighted order's state

    def _detail(self) -> None:
        o = self.highlighted()
        detail = self.query_one("#plan-orders-detail", Static)
        if o is None:
            detail.update("")
            return
        text = Text.assemble((o.number, "bold"), "  ", label(ORDER_STATE, o.state), "  ",
                             _("ordered {at} from {supplier}; ETA {eta}").format(
                                 at=local_time(o.created_at), supplier=o.supplier, eta=local_time(o.eta)))
        if o.urgent:
            text.append("  " + _("urgent order for {documents}").format(documents=o.serves or ""), style="bold")
        if o.last_chased is not None:
            text.append("\n" + _("Last chased {at}: {note}").format(at=local_time(o.last_chased),
                                                                    note=o.last_note or ""))
        detail.update(text)

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the steps the highlighted order's state and the operator's roles allow (core.order_rules)."""
        actor = self.app.actor
        if actor is None:
            return False
        if action == "new_order":
            return actor.can(Permission.MANAGE_ORDERS)
        order = self.highlighted() if self.is_mounted else None
        if action in ("approve", "export", "send", "chase", "close", "print") and order is None:
            return False
        if action == "approve":
            return may_approve(actor, order.state, order.author_id)
        if action == "send":
            return may_send(actor, order.state)
        if action == "chase":
            return may_chase(actor, order.state)
        if action == "close":
            return may_close(actor, order.state)
        return True

    def action_new_order(self) -> None:
        """The urgent order's dialog, the supplier filled with the station's manufacturer."""
        from core.services.settings import get_settings
        from screens.planning_urgent import UrgentOrderDialog

        actor = self.app.actor

        def shown(settings: dict[str, str]) -> None:
            self.app.push_screen(UrgentOrderDialog(actor, settings.get("manufacturer", "")), self._made)

        self.run_read(lambda uow: get_settings(uow=uow), shown, group="plan-orders-settings")

    def _made(self, made: tuple[str, list[str]] | None) -> None:
        if made:
            number, notes = made
            said = _("{number} made: the parts manager approves it, then it is sent").format(number=number)
            self.say(" · ".join([said, *notes]), "success")
            self.select(number)

    def action_approve(self) -> None:
        """The parts manager approves the highlighted drafted order."""
        from core.services.purchasing import approve_order

        self._step(approve_order, _("{number} approved: the planner sends it"))

    def action_send(self) -> None:
        """Ask, then mark the highlighted approved order sent to the maker."""
        from core.services.purchasing import send_order
        from screens.widgets.dialogs import YesNoDialog

        order = self.highlighted()
        if order is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._step(send_order, _("{number} sent to the maker: in transit now"), order.number)

        self.app.push_screen(YesNoDialog(
            _("Mark {number} sent").format(number=order.number),
            _("Sent to {supplier}: from now it is expected, chased and received against. Export the order file "
              "(x) first if it is not sent yet.").format(supplier=order.supplier)), answered)

    def action_close(self) -> None:
        """Ask, then close the highlighted order."""
        from core.services.purchasing import close_order
        from screens.widgets.dialogs import YesNoDialog

        order = self.highlighted()
        if order is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._step(close_order, _("{number} closed"), order.number)

        self.app.push_screen(YesNoDialog(
            _("Close {number}").format(number=order.number),
            ngettext("{lines} line is still outstanding: it will not come, and no receipt is matched to the "
                     "order any more.",
                     "{lines} lines are still outstanding: they will not come, and no receipt is matched to the "
                     "order any more.", order.outstanding_lines).format(lines=order.outstanding_lines),
            kind="warning"), answered)

    def _step(self, service, done: str, number: str | None = None) -> None:
        order, actor = self.highlighted(), self.app.actor
        number = number or (order.number if order else None)
        if number is None or actor is None:
            return

        def stepped(_info) -> None:
            self.say(done.format(number=number), "notice")
            self.select(number)

        self.run_write(lambda uow: service(number, actor=actor, uow=uow), stepped, group="plan-orders-step")

    def action_export(self) -> None:
        """Ask for the file, then write the highlighted order's file for the maker."""
        from core.services.ordering import export_order
        from screens.widgets.dialogs import TextDialog

        order = self.highlighted()
        if order is None:
            return
        number = order.number

        def chosen(path: str | None) -> None:
            if path:
                self.say(_("writing {path}…").format(path=path), "waiting")
                self.run_read(lambda uow: export_order(number, path, uow=uow),
                              lambda written: self.say(_("written to {path}").format(path=written), "success"),
                              group="plan-orders-export")

        self.app.push_screen(TextDialog(_("Export {number}").format(number=number), _("file (.csv or .xlsx)"),
                                        value=f"{number}.csv"), chosen)

    def action_chase(self) -> None:
        """The follow-up dialog for the highlighted order: what the supplier said, the new ETA."""
        from core.services.ordering import chase_order
        from screens.widgets.chase import ChaseDialog

        order, actor = self.highlighted(), self.app.actor
        if order is None:
            return
        number = order.number

        def chase(note: str, eta, uow) -> TransitOrder:
            return chase_order(number, note, actor=actor, uow=uow, eta=eta)

        def chased(result: TransitOrder | None) -> None:
            if result is not None:
                self.say(_("{number} chased; ETA {eta}").format(number=result.number, eta=local_time(result.eta)),
                         "notice")
                self.select(result.number)

        self.app.push_screen(ChaseDialog(order, chase), chased)

    def action_transit(self) -> None:
        """The orders in transit, the late ones first."""
        from screens.transit import TransitScreen

        self.app.push_screen(TransitScreen())

    def action_print(self) -> None:
        """The highlighted purchase order in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        order = self.highlighted()
        if order is not None:
            self.app.push_screen(PrintPreviewScreen([("po", order.number)]))

    def action_back(self) -> None:
        """Back to the draft."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success, waiting)."""
        if not self.is_attached:
            return
        status = self.query_one("#plan-orders-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def is_late(order: TransitOrder) -> bool:
    """Still expected and past the ETA the supplier last gave (a closed or received order is never late)."""
    return order.state in EXPECTED_STATES and past_eta(order)


def _rows(orders: list[TransitOrder]):
    """The table's rows of `orders`: key and cells, a late one in red."""
    return ((o.number, (
        Text(o.number, style=OVERDUE_STYLE if is_late(o) else "bold"), Text(o.supplier),
        Text(label(ORDER_STATE, o.state)), Text(short_time(o.created_at)),
        Text(str(o.outstanding_lines), justify="right"), Text(short_time(o.eta)),
        Text(ngettext("{days} day", "{days} days", o.days_late).format(days=o.days_late) if is_late(o) else "",
             style=OVERDUE_STYLE),
        Text(short_time(o.last_chased)))) for o in orders)
