"""The repair-order picker: the orders in work (state, plate, technician), or those a search finds by number,
plate, VIN (six or more characters), customer name or phone; Enter picks the highlighted one.

The counter opens an order from it, the board selects one with it. The search is the core's
(core.services.ro_search); typed or scanned, Enter in the field picks the only order found.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from core.i18n import N_, _, ngettext, pgettext
from core.repair_states import state_title
from core.services.repair_orders import RepairOrderPage, RepairOrderSummary, repair_orders_page
from core.services.ro_search import search_repair_orders
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.scan import ScanInput
from screens.widgets.tables import Column, Pages, ResultsTable


class OrderQuery(ScanInput):
    """What the order is searched by, typed or scanned; Enter picks the only order found, Down goes to the list."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Search"), id="search_orders",
                        tooltip=N_("Search; the only order found is picked"))]


class PickTable(Pages, ResultsTable):
    """The orders listed, a page at a time; typing goes back to the field."""


def _read(query: str, offset: int, limit: int, uow) -> RepairOrderPage:
    """A page of the orders in work (nothing typed), else of those `query` finds."""
    if not query:
        return repair_orders_page(uow=uow, limit=limit, offset=offset)
    return search_repair_orders(query, uow=uow, limit=limit, offset=offset)


def _rows(orders: list[RepairOrderSummary]):
    """(key, cells) of each order: number, state label, plate, customer and technician."""
    return [(o.ro_no, (Text(o.ro_no, style="bold"), Text(state_title(o.state)), Text(o.plate),
                       Text(o.customer_name), Text(o.technician or "—"))) for o in orders]


class RepairOrderPicker(Dialog[str]):
    """Pick a repair order from those in work or found by a search; the result is its number."""

    AUTO_FOCUS = "#order-query"
    DEBOUNCE = 0.15
    # Priority: the field's own (hidden) scroll binding for Down would otherwise hide this key from the footer.
    BINDINGS = [Binding("down", "results", N_("To the list"), id="to_orders", priority=True,
                        tooltip=N_("Move from the field into the orders"))]

    def __init__(self, title: str) -> None:
        """A picker under `title` (what picking does)."""
        super().__init__()
        self.title_text = title
        self.query_text = ""
        self.orders: list[RepairOrderSummary] = []

    def compose(self) -> ComposeResult:
        """Title, the search field, the list and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Label(_("Order number, plate, VIN (6+ characters), customer name or phone"), classes="field-label")
            yield OrderQuery(placeholder=_("empty: the orders in work"), id="order-query")
            yield PickTable(id="order-picks")
            yield self.message_line()
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the orders in work."""
        self.query_one(PickTable).set_columns(
            Column("ro", _("Repair order"), 15),
            Column("state", _("State"), 14, min_width=8),
            Column("plate", _("Plate"), 9),
            Column("customer", _("Customer"), 0, min_width=8, gives_way=1),
            Column("tech", pgettext("column", "Tech"), 6),
        )
        self._search(debounce=0.0)

    @on(Input.Changed, "#order-query")
    def _typed(self) -> None:
        self._search(debounce=self.DEBOUNCE)

    def _search(self, *, debounce: float, pick_one: bool = False) -> None:
        """Read the first page for what the field says now (the newest read wins)."""
        query = self.query_one(OrderQuery).value.strip()
        self.run_read(partial(_read, query, 0, PickTable.PAGE), partial(self._fill, query, pick_one),
                      group="orders", debounce=debounce)

    def _fill(self, query: str, pick_one: bool, page: RepairOrderPage) -> None:
        self.query_text, self.orders = query, page.rows
        self.query_one(PickTable).fill_page(_rows(page.rows), page.total)
        if pick_one and page.total == 1:
            self.dismiss(page.rows[0].ro_no)
            return
        if not page.total:
            self.say(_("no repair order matches “{query}”").format(query=query) if query
                     else _("no repair order in work"))
        else:
            found = ngettext("{count} repair order", "{count} repair orders", page.total).format(count=page.total)
            self.say(found + " · " + _("Enter: pick the highlighted one · Escape: close"))

    @on(Input.Submitted, "#order-query")
    def _submitted(self) -> None:
        """Enter in the field (typed, or a scanned label's last key): search now; one order found is picked,
        several go on to the list."""
        self._search(debounce=0.0, pick_one=True)
        self.action_results()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down means "into the list" only from the field; in the list it moves the cursor."""
        if action == "results":
            tables = self.query(PickTable)  # none before it is composed
            return not tables or self.focused is not tables.first()
        return True

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on what has the focus."""
        self.refresh_bindings()

    def action_results(self) -> None:
        """Move from the field into the list."""
        self.set_focus(self.query_one(PickTable))

    @on(Pages.Wanted, "#order-picks")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last order read: the next ones of the same search."""
        table, offset, query = self.query_one(PickTable), event.offset, self.query_text

        def added(page: RepairOrderPage) -> None:
            if query == self.query_text and table.page_read(offset, _rows(page.rows), page.total):
                self.orders = self.orders[:offset] + page.rows

        self.run_read(partial(_read, query, offset, table.PAGE), added, group="orders-more")

    @on(DataTable.RowSelected, "#order-picks")
    def _picked(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: that order."""
        if event.row_key.value:
            self.dismiss(event.row_key.value)
