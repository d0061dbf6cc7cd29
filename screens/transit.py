"""Orders in transit (在途): every order still expected, the late ones first in red, and chasing them (催货); the
orders not sent yet with them, for the parts manager to approve and the planner to send to the maker (相关审核后，
发往厂家)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core import clock
from core.i18n import N_, _, ngettext
from core.labels import ORDER_STATE, label
from core.order_rules import may_approve, may_chase, may_send
from core.services.ordering import TransitOrder, TransitPage, chase_order, transit_page
from core.services.purchasing import approve_order, send_order
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.chase import ChaseDialog
from screens.widgets.footer import Footer
from screens.widgets.planning_text import OVERDUE_STYLE, local_time, short_time
from screens.widgets.tables import Column, Pages, SubjectTable


def is_late(order: TransitOrder) -> bool:
    """Past the ETA the supplier last gave (an order never given one is not late, only unchased)."""
    return order.eta is not None and order.eta < clock.now()


class TransitTable(Pages, SubjectTable):
    """The orders in transit, a page at a time."""


class TransitScreen(ServiceCalls, Screen[None]):
    """Orders in transit with their ETA, last follow-up and lateness; the planner chases from here."""

    AUTO_FOCUS = "#transit-list"
    BINDINGS = [  # print (the purchase order in the preview) is the app's key
        Binding("c", "chase", N_("Chase"), id="chase_order",
                tooltip=N_("Log a follow-up with the supplier: what they said, the new ETA")),
        Binding("a", "approve", N_("Approve"), id="approve_order",
                tooltip=N_("Approve the drafted order (parts manager, never its author)")),
        Binding("s", "send", N_("Send"), id="send_order",
                tooltip=N_("Mark the approved order sent to the maker (planner)")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_transit", tooltip=N_("Read the orders again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self, select: str | None = None) -> None:
        """The orders in transit; `select` puts the cursor on that order once read."""
        super().__init__()
        self.orders: list[TransitOrder] = []
        self._select = select  # until mounted: then the table seeks it

    def compose(self) -> ComposeResult:
        """Heading, summary, the orders and the status line."""
        yield Header()
        with Vertical(id="transit-body"):
            yield Static(_("Orders in transit 在途订单 — chase until the receipt closes them"), classes="heading")
            yield Static("", id="transit-summary")
            # The cells' own colours win over the cursor's: an overdue one stays red under the cursor.
            yield TransitTable(id="transit-list", cursor_foreground_priority="renderable")
            yield Static("", id="transit-detail")
            yield Static("", id="transit-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the orders."""
        table = self.query_one("#transit-list", TransitTable)
        table.set_columns(
            Column("number", _("Order"), 15),
            Column("supplier", _("Supplier"), 10, gives_way=1),
            Column("state", _("State"), 16, min_width=10),
            Column("ordered", _("Ordered"), 11, gives_way=3),
            Column("lines", Text(_("Open lines"), justify="right"), 10, gives_way=2),
            Column("eta", _("ETA"), 11),
            Column("late", _("Late"), 12),
            Column("chased", _("Last chased"), 11, gives_way=4),
        )
        table.seek(self._select)
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again (from the to-do): read again, the cursor on `number`."""
        self.select(number)

    def select(self, number: str | None) -> None:
        """Read again and put the cursor on `number` (read on to it when it lies past the first page)."""
        if not self.is_mounted:  # on_mount seeks it and reads them
            self._select = number
            return
        self.query_one(TransitTable).seek(number)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the orders in transit again: the first page, or as many as were shown (the cursor keeps its
        order)."""
        limit = max(TransitTable.PAGE, self.query_one(TransitTable).row_count)
        # A database fault is said on the status line.
        self.run_read(self._reader(0, limit), self._fill, group="transit")

    @staticmethod
    def _reader(offset: int, limit: int):
        """The read of `limit` orders of the list from `offset`."""
        return lambda uow: transit_page(uow=uow, limit=limit, offset=offset)

    @on(Pages.Wanted, "#transit-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last order read, or one sought lies further down: the next ones."""
        table, offset = self.query_one(TransitTable), event.offset

        def read(page: TransitPage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.orders = self.orders[:offset] + page.rows

        self.run_read(self._reader(offset, table.PAGE), read, group="transit-more")

    def _fill(self, page: TransitPage) -> None:
        table = self.query_one(TransitTable)
        current = self.highlighted()
        self.orders = page.rows
        table.fill_page(_rows(page.rows), page.total, select=current.number if current else None)
        total, late, unsent = page.total, page.late, page.unsent
        summary = self.query_one("#transit-summary", Static)
        if unsent:
            # Not on their way yet: said apart, so the count in transit stays what is expected from the maker.
            summary.update(ngettext(
                "{count} order not sent yet: approve it, send it",
                "{count} orders not sent yet: approve them, send them", unsent).format(count=unsent)
                + "; " + ngettext("{count} order in transit",
                                  "{count} orders in transit", total - unsent).format(count=total - unsent))
        elif not total:
            summary.update(_("no order in transit"))
        elif late:
            summary.update(Text(ngettext(
                "{count} order in transit, {late} late: chase them",
                "{count} orders in transit, {late} late: chase them", total).format(
                count=total, late=late), style=OVERDUE_STYLE))
        else:
            summary.update(ngettext(
                "{count} order in transit",
                "{count} orders in transit", total).format(count=total))
        self._detail()
        self.refresh_bindings()

    def highlighted(self) -> TransitOrder | None:
        """The order under the cursor."""
        table = self.query_one("#transit-list", TransitTable)
        return next((item for item in self.orders if item.number == table.subject_key), None)

    @on(DataTable.RowHighlighted, "#transit-list")
    def _moved(self) -> None:
        self._detail()
        self.refresh_bindings()  # chase depends on the highlighted order's state

    def _detail(self) -> None:
        o = self.highlighted()
        detail = self.query_one("#transit-detail", Static)
        if o is None:
            detail.update("")
            return
        text = Text.assemble((o.number, "bold"), "  ", _("ordered {at} from {supplier}; ETA {eta}").format(
            at=local_time(o.created_at), supplier=o.supplier, eta=local_time(o.eta)))
        if o.urgent:
            text.append("  " + _("urgent order for {documents}").format(documents=o.serves or ""), style="bold")
        if o.last_chased is not None:
            text.append("\n" + _("Last chased {at}: {note}").format(at=local_time(o.last_chased),
                                                                    note=o.last_note or ""))
        else:
            text.append("\n" + _("Never chased yet"), style="dim")
        detail.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Chasing is for those who manage orders, on an order under the cursor."""
        if action == "chase":
            actor = self.app.actor
            order = self.highlighted() if self.is_mounted else None
            return actor is not None and order is not None and may_chase(actor, order.state)
        if action in ("approve", "send"):
            actor = self.app.actor
            order = self.highlighted() if self.is_mounted else None
            if actor is None or order is None:
                return False
            return may_approve(actor, order.state, order.author_id) if action == "approve" else may_send(
                actor, order.state)
        if action == "print":
            return self.is_mounted and self.highlighted() is not None
        return True

    def action_chase(self) -> None:
        """The follow-up dialog for the highlighted order."""
        order, actor = self.highlighted(), self.app.actor
        if order is None:
            return
        number = order.number

        def chase(note: str, eta, uow) -> TransitOrder:
            return chase_order(number, note, actor=actor, uow=uow, eta=eta)

        self.app.push_screen(ChaseDialog(order, chase), self._chased)

    def _chased(self, result: TransitOrder | None) -> None:
        if result is None:
            return
        self.say(_("{number} chased; ETA {eta}").format(number=result.number, eta=local_time(result.eta)), "notice")
        self.select(result.number)

    def action_approve(self) -> None:
        """The parts manager approves the highlighted drafted order."""
        self._decide(approve_order, _("{number} approved: the planner sends it"))

    def action_send(self) -> None:
        """The planner marks the highlighted approved order sent to the maker."""
        self._decide(send_order, _("{number} sent to the maker: in transit now"))

    def _decide(self, service, done: str) -> None:
        order, actor = self.highlighted(), self.app.actor
        if order is None or actor is None:
            return
        number = order.number

        def decided(_info) -> None:
            self.say(done.format(number=number), "notice")
            self.select(number)

        self.run_write(lambda uow: service(number, actor=actor, uow=uow), decided, group="transit-decide")

    def action_print(self) -> None:
        """The highlighted purchase order in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        order = self.highlighted()
        if order is not None:
            self.app.push_screen(PrintPreviewScreen([("po", order.number)]))

    def action_back(self) -> None:
        """Back to where the orders were opened from."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice)."""
        if not self.is_attached:
            return
        status = self.query_one("#transit-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _rows(orders: list[TransitOrder]):
    """The table's rows of `orders`: key and cells."""
    return ((o.number, (
        Text(o.number, style=OVERDUE_STYLE if is_late(o) else "bold"), Text(o.supplier),
        Text(label(ORDER_STATE, o.state)),
        Text(short_time(o.created_at)), Text(str(o.outstanding_lines), justify="right"), Text(short_time(o.eta)),
        Text(ngettext(
            "{days} day",
            "{days} days", o.days_late).format(days=o.days_late) if is_late(o) else "", style=OVERDUE_STYLE),
        Text(short_time(o.last_chased)))) for o in orders)
