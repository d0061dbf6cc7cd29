"""The counter (备件柜台): open a repair order by number or scan, scan its parts; the parts clerk writes them as a
requisition (reserving them), the storekeeper issues a written requisition oldest first with the mechanic's PIN
(or, where the station allows it, the lines in one step), print the requisition, and take parts back, all from
the keyboard.

出库凭单，先单后料: nothing is issued without an open repair order; the lines wait in the screen until
written or the mechanic signs, and the core takes them all or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from core.counter_rules import ShortOfStock, default_mechanic, may_issue, may_take_back, short_lines
from core.decimals import fmt_money, fmt_qty
from core.errors import BadInput
from core.i18n import N_, _
from core.labels import part_name
from core.measures import check_qty
from core.repair_states import state_title
from core.services.catalog import search_parts
from core.services.repair_orders import RepairOrderView
from core.services.requisitions import CounterStock, IssuedRequisition, counter_stock, issue_requisition
from core.services.returns import ReturnView
from core.services.supersession import counter_note
from screens import keys
from screens.counter_kept import KeptLines
from screens.counter_written import (
    CANCEL_REQUISITION,
    WRITE,
    WRITTEN_LIST,
    OrderAtCounter,
    WrittenSteps,
    read_order,
)
from screens.widgets.calls import ServiceCalls
from screens.widgets.dialogs import QtyDialog, SignDialog
from screens.widgets.footer import Footer
from screens.widgets.leaving import ask_before_leaving
from screens.widgets.scanning import BurstScanInput, JumpScanInput, LineTable, split_scan
from screens.widgets.tables import Column, SubjectTable


def local_time(moment) -> str:
    """An aware instant as the station's local date and time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass
class DraftLine:
    """A line of the requisition being made: the part, how many, and what the counter knows of it."""

    part_no: str
    qty: Decimal
    stock: CounterStock | None = None  # None while it is being read


class RepairOrderField(JumpScanInput):
    """The repair order's number, typed or scanned; Enter opens it and moves on to the parts."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Open order"), id="open_order",
                        tooltip=N_("Open the repair order typed or scanned"))]


# Control keys, not letters: the order and part fields take letters.
TAKE_BACK = "ctrl+r"
PICK_ORDER = "ctrl+t"  # the orders in work, to pick one (the fields' ctrl+t transposes nothing the desk uses)


class CounterScreen(WrittenSteps, KeptLines, ServiceCalls, Screen[None]):
    """The counter: a repair order, the lines being written or issued, and the order's documents."""

    AUTO_FOCUS = "#ro"
    DEBOUNCE = 0.08
    # Print (the slip under the cursor, in the preview) is the app's key.
    BINDINGS = [
        Binding(WRITE, "write", N_("Write requisition"), id="write",
                tooltip=N_("Write the lines as a requisition of the order: they are reserved for it")),
        Binding(keys.COMMIT, "issue", N_("Issue"), id="issue",
                tooltip=N_("Issue the written requisition under the cursor (or the lines, where one step is allowed); "
                           "the mechanic signs with his PIN")),
        Binding(WRITTEN_LIST, "written_list", N_("Written"), id="written_list",
                tooltip=N_("The requisitions written and waiting to be issued")),
        Binding(CANCEL_REQUISITION, "cancel_requisition", N_("Cancel requisition"), id="cancel_requisition",
                tooltip=N_("Cancel the written requisition under the cursor: its reservation is released")),
        Binding(TAKE_BACK, "take_back", N_("Return"), id="take_back",
                tooltip=N_("Take parts back on the requisition under the cursor")),
        Binding("ctrl+o", "documents", N_("Documents"), id="documents", tooltip=N_("Move to the order's documents")),
        Binding(PICK_ORDER, "pick_order", N_("Pick order"), id="pick_order",
                tooltip=N_("Pick a repair order from those in work, or find one by plate, VIN or customer")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """A counter with no repair order open."""
        super().__init__()
        self.order: RepairOrderView | None = None
        self.draft: dict[str, DraftLine] = {}
        self._said = 0  # counts status messages, so a slow read does not cover a newer message
        self._pending: str | None = None  # an order scanned on another screen before this one was up

    def compose(self) -> ComposeResult:
        """Order field and card, part field and hint, the lines, the documents and the status line."""
        yield Header()
        with Vertical(id="counter-body"):
            with Horizontal(id="counter-order-row"):
                yield Label(_("Repair order 任务委托书"), classes="counter-label")
                yield RepairOrderField("part", placeholder=_("type or scan, e.g. RO-2026-000001"), id="ro")
            yield Static(_("no repair order open: nothing is issued without one"), id="ro-card")
            with Horizontal(id="counter-part-row"):
                yield Label(_("Part 零件"), classes="counter-label")
                yield BurstScanInput(placeholder=_("scan or type; Enter adds one, PART*QTY adds that many"), id="part")
            yield Static("", id="part-hint")
            yield Static(_("Lines to issue 领料"), classes="heading")
            yield LineTable(id="lines")
            yield Static(_("Requisitions and returns of this order"), classes="heading")
            yield SubjectTable(id="documents")
            yield Static("", id="counter-status")
        yield Footer()

    def on_mount(self) -> None:
        """Set up the columns."""
        # On a narrow terminal the names are cut short first, then the line number, the note and the place give
        # way; what is on hand, the quantity and the part stay (screens.widgets.tables.fit_columns).
        self.query_one("#lines", LineTable).set_columns(
            Column("no", "#", 3, gives_way=3),
            Column("part_no", _("Part no"), 12),
            Column("name", _("Name"), 40, min_width=12),
            Column("location", _("Pick at"), 13, gives_way=2),
            Column("on_hand", Text(_("On hand"), justify="right"), 8),
            Column("qty", Text(_("Qty"), justify="right"), 8),
            Column("note", _("Note"), 16, min_width=9, gives_way=1),
        )
        self.query_one("#documents", SubjectTable).set_columns(
            Column("number", _("Number"), 16),
            Column("kind", _("Document"), 28, min_width=12),
            Column("at", _("At"), 16, gives_way=2),
            Column("mechanic", _("Mechanic"), 18, min_width=8, gives_way=3),
            Column("lines", Text(_("Lines"), justify="right"), 5, gives_way=1),
            Column("value", Text(_("Value"), justify="right"), 11),
        )
        if self._pending:
            self.open_order(self._pending)

    def open_order(self, number: str) -> None:
        """Open repair order `number` (from a requisition or return scanned on another screen)."""
        if not self.is_mounted:
            self._pending = number
            return
        self._pending = None
        self.query_one("#ro", Input).value = number
        self._say(_("opening {ro}…").format(ro=number), "waiting")
        self._load_order(number, self._said)

    def returned_to(self, number: str | None) -> None:
        """Back at the counter (its key, a scan): the cursor in the order field, ready for the next order's label,
        and repair order `number` opened when one is given (a requisition or return scanned elsewhere)."""
        if self.is_mounted:
            self.focus_order()
        if number is not None:
            self.open_order(number)

    def focus_order(self) -> None:
        """The cursor in the order field, its text selected, ready for the next order's label."""
        field = self.query_one("#ro", Input)
        self.set_focus(field)
        field.select_all()

    # -- which keys work now -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Write with lines for a parts clerk; issue a written requisition, or the lines where one step is allowed,
        on an order the core lets the operator issue against; return and print with documents."""
        actor, order = self.app.actor, self.order
        if action == "write":
            return self.may_write_now()
        if action == "cancel_requisition":
            return self.may_cancel_now()
        if action == "written_list":
            return self.may_list_written()
        if action == "issue":
            return (actor is not None and order is not None and may_issue(actor, order)
                    and (bool(self.written) or (bool(self.draft) and self.one_step_allowed())))
        if action == "take_back":
            return actor is not None and order is not None and may_take_back(actor) and bool(order.documents)
        if action in ("print", "documents"):
            return order is not None and bool(order.documents)
        return True

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on the focus."""
        self.refresh_bindings()

    # -- the repair order --------------------------------------------------------------------

    @on(Input.Submitted, "#ro")
    def _order_entered(self, event: Input.Submitted) -> None:
        number = event.value.strip()
        if number:
            self._say(_("opening {ro}…").format(ro=number.upper()), "waiting")
            self._load_order(number, self._said)

    def _load_order(self, number: str, said: int) -> None:
        self.run_read(lambda uow: read_order(number, uow), lambda found: self._show_order(found, None, said),
                      failed=self._order_refused, group="order")

    def _order_refused(self, exc: Exception) -> None:
        self.show_error(exc)
        self.focus_order()

    def _show_order(self, found: OrderAtCounter, message: str | None = None, said: int | None = None,
                    select: str | None = None) -> None:
        if not self.is_attached:
            return
        order = found.order
        self.written, self.separate_issue = found.written, found.separate_issue
        # Parts scanned while the order was read have said something newer: keep it.
        quiet = said is not None and said != self._said
        changed = self.order is None or self.order.ro_no != order.ro_no
        previous = self.order.ro_no if self.order is not None else None
        self.order = order
        self.query_one("#ro", Input).value = order.ro_no
        technician = f"{order.technician.code} {order.technician.name}" if order.technician else _("no technician")
        card = Text.assemble(
            (order.ro_no, "bold"), "  ", (state_title(order.state), "bold"), "  ·  ", technician,
            "  ·  ", _("advisor {code}").format(code=order.advisor.code), "\n",
            f"{order.vin}  ·  {order.plate}  ·  {order.series}  ·  {order.mileage} km  ·  ",
            f"{order.customer_name}  {order.customer_phone}", "\n",
            (_("complaint: {text}").format(text=order.complaint), "dim"),
        )
        self.query_one("#ro-card", Static).update(card)
        self.query_one("#ro-card", Static).set_class(not order.is_open, "closed")
        self._fill_documents(order, None if changed else select or self._selected_document())
        if message:
            self._say(message, "notice")
        elif not order.is_open:
            self._say(_("{ro} is {state}: no issue against it; parts can still come back ({key})").format(
                ro=order.ro_no, state=order.state, key=keys.label(TAKE_BACK)), "error")
        elif changed and not quiet:
            self._say(_("{ro} open: scan its parts").format(ro=order.ro_no))
        if changed and order.is_open:
            self.order_changed(previous)
        self.refresh_bindings()

    def _fill_documents(self, order: RepairOrderView, select: str | None) -> None:
        """The order's documents, the cursor on `select` (a new one, or the one it was on), else the first."""
        table = self.query_one("#documents", SubjectTable)
        rows = []
        # Written and waiting first: what the storekeeper issues next (its parts are reserved for the order).
        for written in self.written:
            rows.append((written.number, (
                Text(written.number), Text(_("written, to issue 待发料"), style="bold"),
                Text(local_time(written.written_at)), Text(_("written by {code}").format(code=written.writer.code)),
                Text(str(len(written.lines)), justify="right"), Text("—", justify="right"))))
        for doc in order.documents:
            if doc.kind == "requisition":
                kind = _("requisition 领料单")
            elif doc.on_requisition:
                kind = _("return on {req}").format(req=doc.requisition)
            else:
                kind = _("return slip 退料单 ({req})").format(req=doc.requisition)
            value = -doc.value if doc.kind == "return" else doc.value
            rows.append((doc.number, (Text(doc.number), Text(kind), Text(local_time(doc.at)),
                                      Text(f"{doc.mechanic.code} {doc.mechanic.name}"),
                                      Text(str(doc.lines), justify="right"), Text(fmt_money(value), justify="right"))))
        table.clear()  # another order, or a document gone: the first row
        table.reload(rows, select=select)

    def action_pick_order(self) -> None:
        """The orders in work (or a search), to open one here as if its number were typed."""
        from screens.ro_search import RepairOrderPicker

        def picked(number: str | None) -> None:
            if number:
                self.open_order(number)
                self.set_focus(self.query_one("#part", Input))

        self.app.push_screen(RepairOrderPicker(_("Open a repair order at the counter")), picked)

    # -- lines -------------------------------------------------------------------------------

    @on(Input.Submitted, "#part")
    def _part_entered(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            part_no, qty = split_scan(text)
        except BadInput as exc:
            self._say(exc.message, "error")
            return
        if not part_no:
            return
        if self.order is not None and not self.order.is_open:
            self._say(_("{ro} is {state}: no issue against it; parts can still come back ({key})").format(
                ro=self.order.ro_no, state=self.order.state, key=keys.label(TAKE_BACK)), "error")
            return
        line = self.draft.get(part_no)
        if line is not None and line.stock is not None and not self._whole_ok(line.stock, qty):
            return
        if line is None:
            line = self.draft[part_no] = DraftLine(part_no, Decimal(0))
            self._read_part(part_no)
        line.qty += qty
        self._fill_lines(select=part_no)
        self._say(_("{part_no}: {qty} on the line").format(part_no=part_no, qty=fmt_qty(line.qty)))

    def _read_part(self, part_no: str) -> None:
        # Each part is read on its own (not exclusive); a database fault leaves the line unread: it cannot be issued.
        ro_no = self.order.ro_no if self.order is not None else None
        self.run_read(lambda uow: counter_stock([part_no], uow=uow, ro_no=ro_no).get(part_no),
                      partial(self._part_read, part_no), group="part", exclusive=False)

    def _part_read(self, part_no: str, stock: CounterStock | None) -> None:
        if part_no not in self.draft:
            return
        if stock is None:
            del self.draft[part_no]
            self._say(_("unknown part number {part_no}: not added").format(part_no=part_no), "error")
        elif not self._whole_ok(stock, self.draft[part_no].qty):
            del self.draft[part_no]  # the scan that made the line asked for a fraction of a whole unit
        else:
            self.draft[part_no].stock = stock
            if stock.newest:
                # An old number typed or scanned: flagged, never silent; the line counts what the issue takes for
                # it (core.services.requisitions.counter_stock), the old stock first in an interchangeable chain.
                self._say(counter_note(part_no, stock.newest, stock.left, stock.issued_from), "notice")
        # A line dropped (unknown part, a fraction of a whole unit) is dropped from the kept lines too.
        self._fill_lines(keep_lines=part_no not in self.draft)

    def _whole_ok(self, stock: CounterStock, qty: Decimal) -> bool:
        """Whether the quantity suits the part's unit (no 1.5 sets); if not, say so and add nothing."""
        try:
            check_qty(stock.unit, qty, stock.part_no)
        except BadInput as exc:
            self._say(exc.message, "error")
            return False
        return True

    def _fill_lines(self, select: str | None = None, *, keep_lines: bool = True) -> None:
        table = self.query_one("#lines", LineTable)
        keep = table.current_key
        table.clear()
        read = [line for line in self.draft.values() if line.stock is not None]
        short = {s.part_no: s for s in short_lines([(line.part_no, line.qty) for line in read],
                                                   {line.part_no: line.stock.on_hand for line in read},
                                                   reserved={line.part_no: line.stock.reserved for line in read})}
        for number, line in enumerate(self.draft.values(), start=1):
            stock = line.stock
            if stock is None:
                name, location, on_hand, note = Text(_("reading…"), style="dim"), "", "", ""
            else:
                name = Text(f"{stock.name_zh}  {stock.name}" if stock.name_zh else stock.name)
                location, on_hand = stock.location or "—", fmt_qty(stock.available)
                note = _("short {qty}").format(qty=fmt_qty(short[line.part_no].short)) if line.part_no in short else ""
            # An old number keeps its flag on the line (the status line goes with the next scan): → the newest.
            flag = "→ " + " ".join(stock.newest) if stock is not None and stock.newest else ""
            table.add_row(
                Text(str(number)), Text(line.part_no), name, Text(location), Text(on_hand, justify="right"),
                Text(fmt_qty(line.qty), justify="right", style="bold"),
                Text.assemble((note, "bold red"), " " if note and flag else "", (flag, "bold yellow")),
                key=line.part_no,
            )
        target = select or keep
        if target in self.draft:
            table.move_cursor(row=list(self.draft).index(target))
        self.refresh_bindings()
        if keep_lines:
            self.keep_lines()

    def add_kept_line(self, part_no: str, qty: Decimal) -> None:
        """A line kept from before (KeptLines), read afresh."""
        self.draft[part_no] = DraftLine(part_no, qty)
        self._read_part(part_no)

    def show_lines(self) -> None:
        """The lines as they stand (restored: nothing to keep again)."""
        self._fill_lines(keep_lines=False)

    def line_changed(self, part_no: str, change: str) -> None:
        """A key on a line: more, less, set (ask) or remove."""
        line = self.draft.get(part_no)
        if line is None:
            return
        if change == "more":
            line.qty += 1
        elif change == "less":
            line.qty -= 1
            if line.qty <= 0:
                del self.draft[part_no]
        elif change == "remove":
            del self.draft[part_no]
        elif change == "set":
            def done(qty: Decimal | None) -> None:
                line = self.draft.get(part_no)
                if qty is not None and line is not None and (line.stock is None or self._whole_ok(line.stock, qty)):
                    line.qty = qty
                    self._fill_lines(select=part_no)

            self.app.push_screen(QtyDialog(_("Quantity of {part_no}").format(part_no=part_no), line.qty), done)
            return
        self._fill_lines(select=part_no if part_no in self.draft else None)

    # -- the hint as the storekeeper types ---------------------------------------------------

    @on(Input.Changed, "#part")
    def _part_typed(self, event: Input.Changed) -> None:
        query = event.value.strip().partition("*")[0]
        if not query:
            self.workers.cancel_group(self, "hint")
            self.query_one("#part-hint", Static).update("")
            return
        # The newest wins, after a pause: a scanner's burst runs one search, not ten. The hint is a help, never
        # a stop: a fault is only logged.
        self.run_read(partial(self._hint, query), self._show_hint, failed=self.log.error, group="hint",
                      debounce=self.DEBOUNCE)

    @staticmethod
    def _hint(query: str, uow) -> Text:
        """Matching parts with what can be issued and where it lies (in a worker thread)."""
        hits = search_parts(query, uow=uow, limit=3)
        stock = counter_stock([h.part_no for h in hits], uow=uow)
        lines = []
        for hit in hits:
            held = stock.get(hit.part_no)
            if held is None:
                continue
            names = f"{held.name_zh}  {held.name}" if held.name_zh else held.name
            lines.append(Text.assemble(
                (held.part_no, "bold"), "  ", names, "  ·  ",
                (_("on hand {qty} {unit}").format(qty=fmt_qty(held.on_hand), unit=held.unit),
                 "bold" if held.available > 0 else "bold red"),
                *(("  ·  ", (_("reserved {qty}").format(qty=fmt_qty(held.reserved)), "bold yellow"))
                  if held.reserved else ()),
                "  ·  ", _("pick at {location}").format(location=held.location or "—"),
            ))
        return Text("\n").join(lines) if lines else Text(_("no part matches “{query}”").format(query=query), "dim")

    def _show_hint(self, text: Text) -> None:
        self.query_one("#part-hint", Static).update(text)

    # -- issuing -----------------------------------------------------------------------------

    def action_issue(self) -> None:
        """Issue the written requisition under the cursor; else, where one step is allowed, check the lines, then the
        mechanic signs with his PIN and the core issues them all or none."""
        order = self.order
        if order is None or not order.is_open:
            return
        if self.written and (not self.draft or not self.one_step_allowed()):
            self.issue_written_at_cursor()
            return
        if not self.draft or not self.one_step_allowed():
            return
        if any(line.stock is None for line in self.draft.values()):
            self._say(_("still reading the parts: try again in a moment"), "waiting")
            return
        lines = [(line.part_no, line.qty) for line in self.draft.values()]
        short = short_lines(lines, {line.part_no: line.stock.on_hand for line in self.draft.values()},
                            {line.part_no: part_name(line.stock.name, line.stock.name_zh)
                             for line in self.draft.values()},
                            reserved={line.part_no: line.stock.reserved for line in self.draft.values()})
        if short:
            self._shortage(ShortOfStock(order.ro_no, short))
            return
        summary = "\n".join(f"{line.part_no}  {line.stock.name_zh or line.stock.name}  × {fmt_qty(line.qty)}"
                            for line in self.draft.values())
        actor = self.app.actor

        def sign(code: str, pin: str, uow) -> IssuedRequisition | ShortOfStock:
            try:
                return issue_requisition(order.ro_no, lines, mechanic=code, mechanic_pin=pin, actor=actor, uow=uow)
            except ShortOfStock as exc:  # stock went meanwhile: offered like any shortage
                return exc

        title = _("{ro}: the mechanic checks the parts and signs 验料签单").format(ro=order.ro_no)
        code = default_mechanic(actor, order.technician.code if order.technician else None)
        self.app.push_screen(SignDialog(title, summary, sign, code=code), self._issued)

    def _issued(self, result: IssuedRequisition | ShortOfStock | None) -> None:
        if result is None:
            self._say(_("nothing issued"))
            return
        if isinstance(result, ShortOfStock):
            self._shortage(result)
            return
        self.draft.clear()
        self._fill_lines()
        message = _("{req} issued to {mechanic}, signed by both").format(req=result.number,
                                                                         mechanic=result.mechanic.code)
        self._reload(message, result.number)
        self._preview(result.number, "requisition")

    def _shortage(self, refusal: ShortOfStock) -> None:
        from screens.widgets.shortage import ShortageDialog

        def done(trim: bool | None) -> None:
            if trim:
                for shortage in refusal.shortages:
                    line = self.draft.get(shortage.part_no)
                    if line is None:
                        continue
                    if shortage.on_hand > 0:
                        line.qty = shortage.on_hand
                    else:
                        del self.draft[shortage.part_no]
                self._fill_lines()
                self._say(_("lines cut to what is on hand: {key} issues them").format(key=keys.label(keys.COMMIT)))
            else:
                self._say(refusal.message, "error")

        self.app.push_screen(ShortageDialog(refusal, self.order), done)

    # -- returns, documents, printing --------------------------------------------------------

    def _selected_document(self) -> str | None:
        return self.query_one("#documents", SubjectTable).subject_key

    def action_documents(self) -> None:
        """Into the documents, to choose one to print or take back on."""
        table = self.query_one("#documents", SubjectTable)
        if table.row_count:
            self.set_focus(table)

    def action_take_back(self) -> None:
        """Take parts back on the requisition under the cursor (or the one a return under it belongs to)."""
        from screens.widgets.return_dialog import ReturnDialog

        number = self._selected_document()
        if self.order is None or number is None:
            return
        document = next((d for d in self.order.documents if d.number == number), None)
        if document is None:  # a requisition written, not issued: nothing to take back on it
            self._say(_("{req} is not issued yet: nothing to take back on it").format(req=number), "error")
            return
        self.app.push_screen(ReturnDialog(document.requisition), self._returned)

    def _returned(self, result: ReturnView | None) -> None:
        if result is None:
            self._say(_("nothing taken back"))
            return
        message = _("{ret} taken back from {mechanic}, signed by both").format(ret=result.number,
                                                                               mechanic=result.mechanic.code)
        self._reload(message, result.number)
        if result.on_requisition:  # before settlement the return prints as negative lines on the requisition
            self._preview(result.requisition, "requisition")
        else:
            self._preview(result.number, "return")

    def action_print(self) -> None:
        """Preview the slip of the document under the cursor; a return before settlement prints on its
        requisition (negative lines), after settlement on its own slip."""
        number = self._selected_document()
        if self.order is None or number is None:
            return
        document = next((d for d in self.order.documents if d.number == number), None)
        if document is None:  # a requisition written, not issued: no slip of parts taken yet
            self._say(_("{req} is not issued yet: no slip to print").format(req=number), "error")
            return
        if document.kind == "return" and not document.on_requisition:
            self._preview(document.number, "return")
        else:
            self._preview(document.requisition, "requisition")

    def _preview(self, number: str, kind: str) -> None:
        """The slip in the print preview, where the print key prints it."""
        from screens.print_preview import PrintPreviewScreen

        if self.is_current:
            self.app.push_screen(PrintPreviewScreen([(kind, number)]))

    def _reload(self, message: str, select: str | None = None) -> None:
        """Read the order again and say `message`; the document `select` (a new one) under the cursor."""
        if self.order is None:
            return
        number = self.order.ro_no
        self.run_read(lambda uow: read_order(number, uow),
                      lambda found: self._show_order(found, message, select=select),
                      group="order")

    # -- small things ------------------------------------------------------------------------

    def unsaved_work(self) -> str | None:
        """Lines that leaving would lose (KeptLines keeps those of an open order): leaving asks first."""
        return self.unsaved_lines()

    def action_back(self) -> None:
        """Back home; the lines of the open order are kept for it, others dropped only after a yes."""
        lost = [line] if (line := self.unsaved_work()) else []
        ask_before_leaving(self.app, lost, self.dismiss, doing=_("Leaving the counter"))

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, waiting or nothing); errors of the service calls come here too."""
        if not self.is_attached:
            return
        self._said += 1
        status = self.query_one("#counter-status", Static)
        status.update(Text(message))
        status.set_classes(kind)

    _say = say  # the older name its callers use
