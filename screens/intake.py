"""Repair-order intake (维修服务流程) for the service advisor: the open orders by state, the selected order's
card and history, and every step of its way (technician, notes, warranty, state changes) on a key.

The footer shows only the moves the selected order may make and the operator may do; the core checks
them again. ctrl+n opens the intake form (screens.intake_form) for a car coming in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Input, Label, Static

from core.decimals import fmt_money
from core.errors import NotFound
from core.i18n import N_, _, ngettext, pgettext
from core.intake import checklist_title
from core.labels import PAYER, label
from core.repair_states import (
    RepairState,
    may_assign,
    may_decide_warranty,
    may_move,
    may_note,
    may_open_order,
    state_title,
)
from core.roles import Permission
from core.services.pricing import may_see_margin
from core.services.repair_orders import (
    RepairOrderPage,
    RepairOrderSummary,
    RepairOrderView,
    add_note,
    assign_technician,
    change_state,
    get_repair_order,
    in_repair_order_list,
    record_warranty,
    repair_orders_page,
    settle,
)
from core.services.shortages import list_shortages
from core.shortage_rules import may_log
from screens import keys
from screens.intake_shortage import shortages_text
from screens.widgets.calls import ServiceCalls
from screens.widgets.dialogs import ConfirmDialog, Dialog, TextDialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, Pages, SubjectTable

# The state filter cycles through these: every open order, then one state at a time.
FILTERS: tuple[RepairState | None, ...] = (None, *(s for s in RepairState if s not in (
    RepairState.SETTLED, RepairState.CANCELLED)))


SHORTAGES_REFRESH = 30.0  # seconds between reads of the shown order's shortages (their countdowns)


def local_time(moment) -> str:
    """An aware instant as the station's local date and time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class WarrantyDialog(Dialog[tuple[bool, str]]):
    """The warranty decision: in or out (space ticks), and the reason (Enter records)."""

    AUTO_FOCUS = "#warranty-in"

    def __init__(self, ro_no: str, current: str | None) -> None:
        """Decide warranty on `ro_no`, starting from its current decision."""
        super().__init__()
        self.ro_no, self.current = ro_no, current

    def compose(self) -> ComposeResult:
        """Title, the tick, the reason and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("{ro}: warranty decision 保修").format(ro=self.ro_no)), classes="dialog-title")
            yield Checkbox(_("In warranty 保修期内 (space ticks)"), value=self.current == "in", id="warranty-in")
            yield Label(_("Reason (Enter records the decision)"), classes="field-label")
            yield Input(id="warranty-reason", placeholder=_("e.g. within 3 years / 100,000 km; accident damage"))
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#warranty-reason")
    def _done(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.say(_("a warranty decision needs its reason"), "error")
            return
        self.dismiss((self.query_one("#warranty-in", Checkbox).value, reason))


class OrdersTable(Pages, SubjectTable):
    """The repair orders on the board, a page at a time."""


class IntakeScreen(ServiceCalls, Screen[None]):
    """The advisor's board: open repair orders by state on the left, the selected one on the right."""

    AUTO_FOCUS = "#orders"
    # Letters: the board has no text field. Print (the selected order, in the preview) is the app's key. Short
    # words: the footer holds every key the selected order allows, and print, in 120 columns.
    BINDINGS = [
        Binding(keys.NEW, "new_order", N_("New"), id="new_order", tooltip=N_("Take a car in: the intake form")),
        Binding("a", "assign", N_("Tech"), id="assign", tooltip=N_("Assign the technician")),
        Binding("n", "note", N_("Note"), id="note", tooltip=N_("A note in the technician's process record")),
        Binding("w", "warranty", N_("Warranty"), id="warranty", tooltip=N_("Record in or out of warranty")),
        Binding("d", "move('diagnosing')", N_("Diagnose"), id="to_diagnosing", tooltip=N_("Start diagnosis")),
        Binding("r", "move('in_repair')", N_("Repair"), id="to_in_repair",
                tooltip=N_("Into repair (also: back from outside, or after a failed re-inspection)")),
        Binding("o", "move('sent_out')", N_("Send out"), id="to_sent_out", tooltip=N_("Sent to an outside repairer")),
        Binding("i", "move('reinspection')", N_("Re-inspect"), id="to_reinspection", tooltip=N_("Re-inspection 复检")),
        Binding("y", "move('ready')", N_("Ready"), id="to_ready", tooltip=N_("Re-inspected and ready to hand back")),
        Binding("v", "move('delivered')", N_("Deliver"), id="to_delivered",
                tooltip=N_("Handed back: the customer has confirmed")),
        Binding("p", "payer", N_("Payer"), id="payer",
                tooltip=N_("Who pays for each part: customer, warranty or internal")),
        Binding("s", "move('settled')", N_("Settle"), id="to_settled",
                tooltip=N_("Settle 结算: the parts charged by payer are recorded; the slip is offered")),
        Binding("x", "move('cancelled')", N_("Cancel"), id="to_cancelled", tooltip=N_("Cancel the repair order")),
        Binding("t", "filter", N_("Filter"), id="filter", tooltip=N_("Show one state at a time")),
        Binding("f", "find", N_("Find"), id="find_order",
                tooltip=N_("Find a repair order by number, plate, VIN (6+ characters), customer name or phone")),
        Binding("l", "log_shortage", N_("Register shortage"), id="log_shortage",
                tooltip=N_("Log a shortage for the order (缺件登记), signed with the advisor's PIN")),
        Binding(keys.REFRESH, "refresh", N_("Refresh"), id="refresh", tooltip=N_("Read the orders again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """The board, showing every open order."""
        super().__init__()
        self.orders: list[RepairOrderSummary] = []
        self.order: RepairOrderView | None = None
        self.filter_index = 0
        self._wanted: str | None = None  # an order scanned from another screen, shown even if filtered out
        self._extra = 0  # 1 while a filtered-out order is listed on top: the pages' offsets skip it

    def compose(self) -> ComposeResult:
        """The list, the card and the status line."""
        yield Header()
        with Horizontal(id="intake-body"):
            with Vertical(id="orders-pane"):
                yield Static(id="orders-heading", classes="heading")
                yield OrdersTable(id="orders")
            with VerticalScroll(id="order-pane"):
                yield Static(_("no repair order selected"), id="order-card")
                yield Static("", id="order-shortages")
        yield Static("", id="intake-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the orders."""
        # The customer takes the room left; on a narrow terminal the list spans it and the card goes under it.
        self.query_one("#orders", OrdersTable).set_columns(
            Column("ro", _("Repair order"), 14),
            Column("state", _("State"), 17, min_width=10),
            Column("plate", _("Plate"), 9, gives_way=1),
            Column("customer", _("Customer"), 0, min_width=8, gives_way=2),
            Column("tech", pgettext("column", "Tech"), 6),
        )
        self._heading()
        self.load(self._wanted)
        # The shown order's shortages count down: read again as the shortages screen does.
        self.set_interval(SHORTAGES_REFRESH, self._read_shortages)

    def returned_to(self, number: str | None) -> None:
        """Back at the board (its key, a scan): the orders read again, repair order `number` selected when one is
        given (even one the filter hides)."""
        if number is not None:
            self.show_order(number)
        elif self.is_mounted:
            self.load()

    def show_order(self, number: str) -> None:
        """Select repair order `number` (scanned anywhere), even one the filter hides."""
        self._wanted = number
        if self.is_mounted:
            self.load(number)

    # -- reading -----------------------------------------------------------------------------

    def _heading(self) -> None:
        state = FILTERS[self.filter_index]
        text = _("Open repair orders, by state") if state is None else _("Repair orders: {state}").format(
            state=state_title(state))
        self.query_one("#orders-heading", Static).update(text)

    def load(self, select: str | None = None, message: str | None = None) -> None:
        """Read the list again (and the selected order), keeping the cursor on `select` or where it was: the
        first page, or as many rows as were shown."""
        state = FILTERS[self.filter_index]
        table = self.query_one("#orders", OrdersTable)
        select = select or table.subject_key
        limit = max(OrdersTable.PAGE, table.row_count)
        # A database fault is said on the status line; the desk keeps running.
        self.run_read(partial(_read_orders, state.value if state else None, select, self._wanted, limit),
                      lambda read: self._loaded(*read, message), group="orders")

    def _loaded(self, page: RepairOrderPage, order: RepairOrderView | None, message: str | None) -> None:
        orders = page.rows
        self.orders = orders
        rows = _rows(orders)
        state = FILTERS[self.filter_index]
        listed = {o.ro_no for o in orders}
        self._extra, sought = 0, None
        if order is not None and order.ro_no not in listed:
            if in_repair_order_list(order.state, state.value if state else None):
                sought = order.ro_no  # on the list, further down than the rows read: read on to it (Pages.seek)
            else:
                # An order scanned elsewhere that the filter hides is listed too: what is shown is always
                # highlighted.
                self._extra = 1
                rows.insert(0, (order.ro_no, (Text(order.ro_no), Text(state_title(order.state)),
                                              Text(order.plate), Text(order.customer_name),
                                              Text(order.technician.code if order.technician else "—"))))
        table = self.query_one("#orders", OrdersTable)
        table.seek(sought)
        table.fill_page(rows, page.total + self._extra, select=order.ro_no if order is not None else None)
        if sought is None:
            self._show(order)
        else:  # the card shown is read again once the cursor reaches it: the order has moved (a new state)
            self.order = None
        if message:
            self.say(message, "notice")
        elif not page.total and not self._extra:
            self.say(_("no repair orders here: {key} takes a car in").format(key=keys.label(keys.NEW)))

    @on(Pages.Wanted, "#orders")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last order read, or the one sought lies further down: the next ones."""
        table, offset = self.query_one("#orders", OrdersTable), event.offset
        state = FILTERS[self.filter_index]
        extra = self._extra

        def added(page: RepairOrderPage) -> None:
            if self._extra != extra:  # filled again meanwhile (fill_page forgot what was asked)
                return
            if table.page_read(offset, _rows(page.rows), page.total + extra):
                self.orders = self.orders[:offset - extra] + page.rows

        self.run_read(lambda uow: repair_orders_page(uow=uow, limit=table.PAGE, offset=offset - extra,
                                                     state=state.value if state else None),
                      added, group="orders-more")

    @on(DataTable.RowHighlighted, "#orders")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        number = event.row_key.value
        if number and self.subject is None:
            # A database fault is only logged: the card stays as it was.
            self.run_read(lambda uow: get_repair_order(number, uow=uow), self._show, failed=self.log.error,
                          group="order")
        else:
            self.refresh_bindings()

    @property
    def subject(self) -> RepairOrderView | None:
        """The order every key acts on: the one under the cursor, once its card is read (None meanwhile)."""
        order = self.order
        if order is None or order.ro_no != self.query_one("#orders", OrdersTable).subject_key:
            return None
        return order

    def _show(self, order: RepairOrderView | None) -> None:
        if not self.is_attached:
            return
        if order is not None and order.ro_no != self.query_one("#orders", OrdersTable).subject_key:
            return  # the cursor has moved on meanwhile: its own read shows its order
        self.order = order
        self.query_one("#order-card", Static).update(
            card(order, may_see_margin(self.app.actor)) if order else _("no repair order selected"))
        self._read_shortages()
        self.refresh_bindings()

    def _read_shortages(self) -> None:
        """The shown order's shortages under its card, with their countdowns and answers."""
        shown = self.query_one("#order-shortages", Static)
        order = self.order
        if order is None:
            shown.update("")
            return
        ro = order.ro_no

        def fill(shortages) -> None:
            if self.order is not None and self.order.ro_no == ro:
                shown.update(shortages_text(shortages))

        self.run_read(lambda uow: list_shortages(uow=uow, ro=ro), fill, failed=self.log.error, group="shortages")

    # -- which keys work now -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what the selected order may do next and the operator may do shows in the footer (core.repair_states
        decides, as it does for the services)."""
        actor, order = self.app.actor, self.subject
        if actor is None:
            return False
        if action == "new_order":
            return may_open_order(actor)
        if action in ("assign", "note", "warranty", "move", "print", "payer") and order is None:
            return False
        if action == "payer":
            unsettled = order.state not in (RepairState.SETTLED.value, RepairState.CANCELLED.value)
            return actor.can(Permission.SETTLE_REPAIR_ORDER) and unsettled and order.charges is not None \
                and bool(order.charges.lines)
        if action == "assign":
            return may_assign(actor, order)
        if action == "note":
            return may_note(actor, order)
        if action == "warranty":
            return may_decide_warranty(actor, order)
        if action == "move":
            return may_move(actor, order, RepairState(str(parameters[0])))
        if action == "log_shortage":
            return order is not None and may_log(actor, order.state)
        return True

    # -- doing -------------------------------------------------------------------------------

    def _do(self, what: Callable, done: str) -> None:
        """Run a service `what(uow)` on the selected order in a write unit, then show the list again with `done`
        (a refusal or a fault is said on the status line)."""
        self.run_write(what, lambda order: self.load(
            order.ro_no, done.format(ro=order.ro_no, state=state_title(order.state))), group="write")

    def action_new_order(self) -> None:
        """The intake form; the new order is selected when it comes back."""
        from screens.intake_form import RepairOrderForm

        def opened(order: RepairOrderView | None) -> None:
            if order is not None:
                self.filter_index = 0
                self._heading()
                self.load(order.ro_no, _("{ro} opened at intake").format(ro=order.ro_no))

        self.app.push_screen(RepairOrderForm(), opened)

    def action_assign(self) -> None:
        """Ask for the technician's code and assign him."""
        order, actor = self.subject, self.app.actor
        if order is None:
            return

        def chosen(code: str | None) -> None:
            if code:
                self._do(lambda s: assign_technician(order.ro_no, code, actor=actor, uow=s),
                         _("{ro}: technician assigned"))

        current = order.technician.code if order.technician else ""
        self.app.push_screen(TextDialog(_("{ro}: technician").format(ro=order.ro_no), _("Mechanic's code"),
                                        value=current), chosen)

    def action_note(self) -> None:
        """A note in the process record."""
        order, actor = self.subject, self.app.actor
        if order is None:
            return

        def written(text: str | None) -> None:
            if text:
                self._do(lambda s: add_note(order.ro_no, text, actor=actor, uow=s), _("{ro}: note recorded"))

        self.app.push_screen(TextDialog(_("{ro}: process record 维修过程记录").format(ro=order.ro_no),
                                        _("What was found or done")), written)

    def action_warranty(self) -> None:
        """In or out of warranty, with the reason."""
        order, actor = self.subject, self.app.actor
        if order is None:
            return

        def decided(result: tuple[bool, str] | None) -> None:
            if result:
                inside, reason = result
                self._do(lambda s: record_warranty(order.ro_no, inside, reason, actor=actor, uow=s),
                         _("{ro}: warranty recorded"))

        self.app.push_screen(WarrantyDialog(order.ro_no, order.warranty), decided)

    def action_move(self, target: str) -> None:
        """Move the selected order, asking first for what the move needs."""
        order, actor = self.subject, self.app.actor
        if order is None:
            return
        state = RepairState(target)
        ro = order.ro_no
        done = _("{ro} is now {state}")

        def move(**extra) -> None:
            self._do(lambda s: change_state(ro, state.value, actor=actor, uow=s, **extra), done)

        if state is RepairState.SENT_OUT:
            self.app.push_screen(TextDialog(_("{ro}: sent out 外送维修").format(ro=ro), _("Outside repairer")),
                                 lambda name: name and move(repairer=name))
        elif state is RepairState.READY:
            self.app.push_screen(TextDialog(_("{ro}: re-inspection 复检").format(ro=ro),
                                            _("Re-inspection result")), lambda text: text and move(note=text))
        elif state is RepairState.CANCELLED:
            summary = _("{ro} of {customer} ({plate}) is cancelled for good: it leaves the board and takes no parts "
                        "again. Enter cancels it with the reason; Escape keeps it.").format(
                ro=ro, customer=order.customer_name, plate=order.plate)
            self.app.push_screen(TextDialog(_("{ro}: cancel the repair order").format(ro=ro), _("Why"),
                                            summary=summary), lambda text: text and move(note=text))
        elif state is RepairState.DELIVERED:
            question = _("Has {customer} checked the car and confirmed the repair? The order is then closed.").format(
                customer=order.customer_name)

            def confirmed(answer) -> None:
                if answer:
                    move(customer_confirmed=True, note=answer[1] or None)

            self.app.push_screen(ConfirmDialog(_("{ro}: hand back 交车").format(ro=ro), question,
                                               _("The customer's feedback (optional)")), confirmed)
        elif state is RepairState.SETTLED:
            question = _("Settle {ro}? Parts, net of returns: {cost}. Later returns get slips of their own.").format(
                ro=ro, cost=fmt_money(order.parts_cost))
            if order.charges is not None and order.charges.lines:
                question += "\n" + charges_line(order.charges)

            def settled(answer) -> None:
                if answer:
                    self.run_write(lambda s: settle(ro, actor=actor, uow=s), self._settled, group="write")

            self.app.push_screen(ConfirmDialog(_("{ro}: settle 结算").format(ro=ro), question, _("Note (optional)")),
                                 settled)
        else:
            move()

    def _settled(self, order: RepairOrderView) -> None:
        """Settled: the board read again, and the settlement slip (结算单) offered in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        self.load(order.ro_no, _("{ro} settled").format(ro=order.ro_no))
        self.app.push_screen(PrintPreviewScreen([("settlement", order.ro_no)]))

    def action_payer(self) -> None:
        """Who pays for each part of the selected order (screens.payer_dialog)."""
        from screens.payer_dialog import PayerDialog

        order = self.subject
        if order is None or order.charges is None:
            return
        self.app.push_screen(PayerDialog(self.app.actor, order.ro_no, order.charges),
                             lambda changed: changed and self.load(order.ro_no))

    def action_find(self) -> None:
        """The order picker: a search by number, plate, VIN, customer name or phone; the one picked is selected
        here, even one the filter hides."""
        from screens.ro_search import RepairOrderPicker

        self.app.push_screen(RepairOrderPicker(_("Find a repair order")),
                             lambda number: number and self.show_order(number))

    def action_log_shortage(self) -> None:
        """Log a shortage for the selected order, the advisor signing with his PIN; its countdown shows here."""
        from screens.intake_shortage import LogShortageDialog

        order, actor = self.subject, self.app.actor
        if order is None or actor is None or not may_log(actor, order.state):
            return

        def logged(number: str | None) -> None:
            if number:
                self.say(_("{number} logged: to be answered within 30 minutes").format(number=number), "notice")
                self._read_shortages()

        self.app.push_screen(LogShortageDialog(order.ro_no, actor.code), logged)

    def action_filter(self) -> None:
        """The next state filter: all open orders, then each state in turn."""
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        self._heading()
        self.load()

    def action_refresh(self) -> None:
        """Read the orders again (other desks change them too)."""
        self.load()

    def action_print(self) -> None:
        """The selected repair order in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        if self.subject is not None:
            self.app.push_screen(PrintPreviewScreen([("ro", self.subject.ro_no)]))

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice or nothing); errors of the service calls come here too."""
        if not self.is_attached:
            return
        status = self.query_one("#intake-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _read_orders(state: str | None, select: str | None, wanted: str | None, limit: int,
                 uow) -> tuple[RepairOrderPage, RepairOrderView | None]:
    """The first `limit` orders in `state` (None: every open one) and the one to show: `select` if listed further
    down too (or `wanted`, an order scanned elsewhere, shown even if filtered out), else the first."""
    page = repair_orders_page(uow=uow, limit=limit, state=state)
    listed = {o.ro_no for o in page.rows}
    shown = select if select in listed or (select and select == wanted) else None
    if shown is None and select:
        try:
            order = get_repair_order(select, uow=uow)
        except NotFound:  # gone meanwhile: the first one then
            order = None
        if order is not None and in_repair_order_list(order.state, state):
            return page, order
    if shown is None:
        shown = page.rows[0].ro_no if page.rows else None
    return page, get_repair_order(shown, uow=uow) if shown else None


def _rows(orders: list[RepairOrderSummary]) -> list:
    """The board's rows of `orders`: key and cells."""
    return [(o.ro_no, (Text(o.ro_no), Text(state_title(o.state)), Text(o.plate), Text(o.customer_name),
                       Text(o.technician or "—"))) for o in orders]


def charges_line(charges) -> str:
    """The parts total by payer beside the cost, in one line."""
    by_payer = " · ".join(f"{label(PAYER, payer)} {fmt_money(amount)}" for payer, amount in charges.by_payer)
    return _("Charged: {by_payer}; cost {cost}").format(by_payer=by_payer, cost=fmt_money(charges.cost))


def card(order: RepairOrderView, margin: bool = False) -> Text:
    """The selected order as the right-hand card shows it: who, what car, where it stands, the parts charged by
    payer beside their cost (and the margin, for the managers: `margin`), its history."""
    out = Text()
    out.append(f"{order.ro_no}  ", "bold")
    out.append(state_title(order.state), "bold reverse")
    out.append(f"  {_('since')} {local_time(order.state_at)}\n")
    out.append(f"{order.customer_name}  {order.customer_phone}")
    if order.customer_address:
        out.append(f"  {order.customer_address}")
    out.append(f"\n{order.vin}  {order.plate}  {order.series}  {order.mileage} km\n")
    out.append(_("Complaint: {text}").format(text=order.complaint) + "\n")
    if order.inspection:
        out.append(_("Inspection: {text}").format(text=order.inspection) + "\n")
    if order.checklist:
        missing = [checklist_title(item) for item, present in order.checklist.items() if not present]
        present = sum(order.checklist.values())
        out.append(_("Checklist: {present} of {total} present").format(present=present, total=len(order.checklist)))
        if missing:
            out.append(_("; missing: {items}").format(items=", ".join(missing)), "yellow")
        out.append("\n")
    technician = f"{order.technician.code} {order.technician.name}" if order.technician else _("none yet")
    out.append(_("Advisor {advisor} · technician {technician}").format(
        advisor=order.advisor.code, technician=technician) + "\n")
    if order.warranty:
        decision = _("in warranty") if order.warranty == "in" else _("out of warranty")
        out.append(_("Warranty: {decision} ({reason})").format(decision=decision, reason=order.warranty_reason) + "\n")
    if order.outside_repairer:
        back = local_time(order.back_at) if order.back_at else _("not back yet")
        out.append(_("Sent out to {who}: {out} → {back}").format(
            who=order.outside_repairer, out=local_time(order.sent_out_at), back=back) + "\n")
    if order.reinspection:
        out.append(_("Re-inspection: {text}").format(text=order.reinspection) + "\n")
    if order.documents:
        out.append(ngettext(
            "Parts, net of returns: {cost}, on {count} document",
            "Parts, net of returns: {cost}, on {count} documents", len(order.documents)).format(
            cost=fmt_money(order.parts_cost), count=len(order.documents)) + "\n")
    if order.charges is not None and order.charges.lines:
        out.append(charges_line(order.charges) + "\n", "bold")
        if margin:
            out.append(_("Margin: {margin}").format(margin=fmt_money(order.charges.margin)) + "\n")
    for report in order.damage_reports:  # refused as returns: consumed on the order, for the workshop's follow-up
        out.append(_("Damaged, not returned: {part_no} {name}: {note} ({who}, {at})").format(
            part_no=report.part_no, name=report.name_zh or report.name, note=report.note, who=report.by.code,
            at=local_time(report.at)) + "\n", "red")
    out.append("\n" + _("History") + "\n", "bold")
    for event in reversed(order.events):
        if event.kind == "state":
            what = f"{state_title(event.from_state)} → {state_title(event.to_state)}"
        else:
            what = {"opened": _("opened"), "assigned": _("technician"), "note": _("note"),
                    "warranty": _("warranty")}.get(event.kind, event.kind)
        out.append(f"{local_time(event.at)} {event.operator.code:<6} ", "dim")
        out.append(what)
        if event.text:
            out.append(f": {event.text}", "italic")
        out.append("\n")
    return out
