"""The counter's two steps (先单后料, 出入分离): the parts clerk writes the lines of a repair order as a requisition,
which reserves them; the storekeeper picks a written requisition from the list, issues it with the mechanic's PIN,
or cancels it after a yes. A mixin of the counter screen, with the picker of written requisitions."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from core.counter_rules import default_mechanic, may_write
from core.decimals import fmt_qty
from core.i18n import _
from core.roles import Permission
from core.services.repair_orders import RepairOrderView, get_repair_order
from core.services.settings import get_settings
from core.services.written_requisitions import (
    WrittenPage,
    WrittenRequisition,
    cancel_requisition,
    issue_written,
    list_written,
    write_requisition,
    written_page,
)
from screens.widgets.dialogs import Dialog, SignDialog, YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, Pages, SubjectTable

# Control keys, not letters: the order and part fields take letters (and ctrl+a, d, e, f, k, u, w, x: text editing).
WRITE = "ctrl+s"  # the requisition written, as a document is saved
WRITTEN_LIST = "ctrl+l"
CANCEL_REQUISITION = "ctrl+b"


@dataclass(frozen=True, slots=True)
class OrderAtCounter:
    """A repair order as the counter reads it: the order, its requisitions written and not issued, and whether the
    station separates writing from issuing (setting separate_issue)."""

    order: RepairOrderView
    written: tuple[WrittenRequisition, ...]
    separate_issue: bool


def read_order(number: str, uow) -> OrderAtCounter:
    """The order `number` with its written requisitions and the station's separate_issue, in one read."""
    order = get_repair_order(number, uow=uow)
    return OrderAtCounter(order, tuple(list_written(uow=uow, ro_no=order.ro_no)),
                          get_settings(uow=uow)["separate_issue"] == "on")


def lines_text(written: WrittenRequisition) -> str:
    """A written requisition's lines in one line: part × quantity, comma-separated."""
    return ", ".join(f"{line.part_no} × {fmt_qty(line.qty)}" for line in written.lines)


class WrittenTable(Pages, SubjectTable):
    """The requisitions written and waiting, a page at a time."""


def _rows(written: list[WrittenRequisition]):
    """The picker's rows of `written`: key and cells."""
    return ((w.number, (Text(w.number, style="bold"), Text(w.ro_no), Text(lines_text(w)), Text(w.writer.code)))
            for w in written)


class WrittenPicker(Dialog[WrittenRequisition]):
    """The requisitions written and waiting to be issued, oldest first, a page at a time: Enter opens the
    highlighted one at the counter."""

    AUTO_FOCUS = "#written-list"

    def __init__(self, page: WrittenPage) -> None:
        """A picker showing `page`, the first requisitions waiting (the next ones are read as the cursor comes)."""
        super().__init__()
        self.page = page
        self.written = list(page.rows)

    def compose(self) -> ComposeResult:
        """Title, the list and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("Requisitions written, waiting to be issued 待发料的领料单")), classes="dialog-title")
            yield WrittenTable(id="written-list")
            yield self.message_line(_("Enter: open it at the counter · Escape: close") if self.written
                                    else _("no requisition is waiting to be issued"))
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the first page."""
        table = self.query_one(WrittenTable)
        table.set_columns(
            Column("number", _("Requisition"), 16),
            Column("ro", _("Repair order"), 15),
            Column("lines", _("Lines"), 0, min_width=12),
            Column("writer", _("Written by"), 10, gives_way=1),
        )
        table.fill_page(_rows(self.written), self.page.total)

    @on(Pages.Wanted, "#written-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last requisition read: the next ones."""
        table, offset = self.query_one(WrittenTable), event.offset

        def added(page: WrittenPage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.written = self.written[:offset] + page.rows

        self.run_read(lambda uow: written_page(uow=uow, limit=table.PAGE, offset=offset), added,
                      group="written-more")

    @on(DataTable.RowSelected, "#written-list")
    def _picked(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: the requisition under the cursor."""
        number = event.row_key.value
        picked = next((w for w in self.written if w.number == number), None)
        if picked is not None:
            self.dismiss(picked)


class WrittenSteps:
    """The counter's write, issue-a-written-requisition and cancel steps (mixed into CounterScreen)."""

    written: tuple[WrittenRequisition, ...] = ()
    separate_issue: bool = True

    def may_write_now(self) -> bool:
        """Whether the write key works: a parts clerk, lines, an order open for a requisition."""
        actor, order = self.app.actor, self.order
        return actor is not None and order is not None and bool(self.draft) and may_write(actor, order)

    def one_step_allowed(self) -> bool:
        """Whether the storekeeper may issue the lines in one step (setting separate_issue off)."""
        return not self.separate_issue

    def written_at_cursor(self) -> WrittenRequisition | None:
        """The written requisition under the documents' cursor, else the order's oldest one written."""
        number = self._selected_document()
        return next((w for w in self.written if w.number == number), self.written[0] if self.written else None)

    def may_cancel_now(self) -> bool:
        """Whether the cancel key works: a written requisition and someone who may cancel it."""
        actor = self.app.actor
        return actor is not None and bool(self.written) and actor.can(Permission.CANCEL_REQUISITION)

    def may_list_written(self) -> bool:
        """Whether the list of written requisitions is the operator's: who writes, issues or cancels them."""
        actor = self.app.actor
        return actor is not None and any(actor.can(p) for p in (
            Permission.WRITE_REQUISITION, Permission.ISSUE_STOCK, Permission.CANCEL_REQUISITION))

    # -- writing -------------------------------------------------------------------------------

    def action_write(self) -> None:
        """The parts clerk writes the lines as a requisition of the open order: they are reserved for it."""
        if not self.may_write_now():
            return
        if any(line.stock is None for line in self.draft.values()):
            self._say(_("still reading the parts: try again in a moment"), "waiting")
            return
        order, actor = self.order, self.app.actor
        lines = [(line.part_no, line.qty) for line in self.draft.values()]
        self._say(_("writing…"), "waiting")
        self.run_write(lambda uow: write_requisition(order.ro_no, lines, actor=actor, uow=uow), self._written,
                       group="write")

    def _written(self, written: WrittenRequisition) -> None:
        self.draft.clear()
        self._fill_lines()
        self._reload(_("{req} written for {ro}: {lines} reserved; the storekeeper issues it").format(
            req=written.number, ro=written.ro_no, lines=lines_text(written)), written.number)

    # -- issuing a written requisition ---------------------------------------------------------

    def issue_written_at_cursor(self) -> None:
        """The storekeeper issues the written requisition under the cursor; the mechanic checks and signs."""
        written, order, actor = self.written_at_cursor(), self.order, self.app.actor
        if written is None or order is None:
            return
        summary = "\n".join(f"{line.part_no}  {line.name_zh or line.name}  × {fmt_qty(line.qty)}"
                            for line in written.lines)
        title = _("{req} ({ro}): the mechanic checks the parts and signs 验料签单").format(req=written.number,
                                                                                     ro=order.ro_no)
        code = default_mechanic(actor, order.technician.code if order.technician else None)

        def sign(mechanic: str, pin: str, uow):
            return issue_written(written.number, mechanic=mechanic, mechanic_pin=pin, actor=actor, uow=uow)

        self.app.push_screen(SignDialog(title, summary, sign, code=code), self._issued)

    # -- cancelling ----------------------------------------------------------------------------

    def action_cancel_requisition(self) -> None:
        """Cancel the written requisition under the cursor after a yes: its reservation is released."""
        written, actor = self.written_at_cursor(), self.app.actor
        if written is None or not self.may_cancel_now():
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self._say(_("nothing cancelled"))
                return
            self.run_write(lambda uow: cancel_requisition(written.number, actor=actor, uow=uow),
                           lambda done: self._reload(_("{req} cancelled: its reservation is released").format(
                               req=done.number)), group="cancel")

        self.app.push_screen(YesNoDialog(
            _("Cancel {req}?").format(req=written.number),
            _("{req} ({ro}: {lines}) is cancelled and its parts are no longer reserved.").format(
                req=written.number, ro=written.ro_no, lines=lines_text(written)), kind="warning"), answered)

    # -- the list ------------------------------------------------------------------------------

    def action_written_list(self) -> None:
        """The requisitions written and waiting, to pick one and open its order with the cursor on it."""
        if not self.may_list_written():
            return
        self.run_read(lambda uow: written_page(uow=uow, limit=WrittenTable.PAGE),
                      lambda page: self.app.push_screen(WrittenPicker(page), self._picked_written),
                      group="written")

    def _picked_written(self, written: WrittenRequisition | None) -> None:
        if written is None:
            return
        self._say(_("opening {ro}…").format(ro=written.ro_no), "waiting")
        self.run_read(partial_read(written.ro_no), lambda found: self._show_order(found, select=written.number),
                      group="order")


def partial_read(number: str):
    """`read_order` of `number`, as a read call."""
    return lambda uow: read_order(number, uow)
