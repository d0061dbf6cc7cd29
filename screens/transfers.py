"""The station's transfer notes (调拨单), newest first, a page at a time: inside the station, to another station of
the group, and the incoming ones another station checked (调入). The highlighted note is shown below the list: where
it comes from and goes to, who entered and who checked it, and its lots with their received dates and costs.
Receiving opens it (ctrl+o): the storekeeper sees there what arrived from the other stations."""

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
from core.labels import TRANSFER_DIRECTION, TRANSFER_STATE, label
from core.models.enums import TransferState
from core.services.transfers import TransferInfo, TransferPage, show_transfer, transfers_page
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time
from screens.widgets.tables import Column, Pages, SubjectTable


class TransfersTable(Pages, SubjectTable):
    """The transfer notes, a page at a time; the highlighted one is shown below."""


def _rows(notes: list[TransferInfo]):
    """The list's rows: key and cells (number, direction and state by their labels, part, qty, from, to, who)."""
    for info in notes:
        yield info.number, (
            Text(info.number, style="bold"), Text(label(TRANSFER_DIRECTION, info.direction)), Text(info.part_no),
            Text(fmt_qty(info.qty), justify="right"), Text(info.source), Text(info.destination),
            Text(label(TRANSFER_STATE, info.state)), Text(info.entered_by), Text(info.decided_by or "—"))


def detail(info: TransferInfo) -> Text:
    """The note under the cursor as the lines below the list say it: its way, who entered and checked it, its lots."""
    text = Text()
    text.append(f"{info.number}  ", style="bold")
    text.append(f"{label(TRANSFER_DIRECTION, info.direction)} · {label(TRANSFER_STATE, info.state)}\n")
    text.append(_("{qty} × {part_no} {name} from {source} to {target}").format(
        qty=fmt_qty(info.qty), part_no=info.part_no, name=info.name, source=info.source,
        target=info.destination) + "\n")
    entered = (_("entered by {who} at station {station} {at}").format(
        who=info.entered_by, station=info.from_station, at=local_time(info.entered_at)) if info.from_station
        else _("entered by {who} {at}").format(who=info.entered_by, at=local_time(info.entered_at)))
    decided = ""
    if info.decided_by:  # a note that moved was checked; one refused or withdrawn was only decided
        moved = info.state in (TransferState.CHECKED, TransferState.RECEIVED)
        decided = (_("checked by {who} {at}") if moved else _("decided by {who} {at}")).format(
            who=info.decided_by, at=local_time(info.decided_at))
    text.append(" · ".join(part for part in (entered, decided) if part) + "\n")
    if info.lots:
        text.append(_("lots: {lots}").format(lots=" · ".join(
            _("{qty} at {cost}, received {at}").format(qty=fmt_qty(lot.qty), cost=fmt_money(lot.unit_cost),
                                                       at=local_time(lot.received_at))
            for lot in info.lots)))
    if info.note:
        text.append("\n" + _("note: {note}").format(note=info.note))
    return text


class TransfersScreen(ServiceCalls, Screen[None]):
    """The transfer notes as a list over the highlighted one's detail."""

    AUTO_FOCUS = "#transfer-list"
    BINDINGS = [
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_transfers", tooltip=N_("Read the list again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to receiving")),
    ]

    def __init__(self) -> None:
        """The list, read once mounted."""
        super().__init__()
        self.notes: list[TransferInfo] = []
        self.shown: TransferInfo | None = None  # the note whose detail is below the list, with its lots

    def compose(self) -> ComposeResult:
        """Heading, the list, the highlighted note and the status line."""
        yield Header()
        with Vertical(id="transfers-body"):
            yield Static(_("Transfer notes 调拨单 — newest first, those from other stations (调入) too"),
                         classes="heading")
            yield TransfersTable(id="transfer-list")
            yield Static("", id="transfer-detail")
            yield Static("", id="transfers-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the first page."""
        self.query_one(TransfersTable).set_columns(
            Column("number", _("Transfer"), 30, min_width=15),
            Column("direction", _("Direction"), 20, min_width=8, gives_way=2),
            Column("part_no", _("Part no"), 12),
            Column("qty", Text(_("Qty"), justify="right"), 6),
            Column("source", _("From"), 26, min_width=12),
            Column("target", _("To"), 14, min_width=12),
            Column("state", _("State"), 10, min_width=8),
            Column("entered", _("Entered by"), 8, gives_way=4),
            Column("checked", _("Checked by"), 8, gives_way=3),
        )
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again: the list read again."""
        if self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the notes again: the first page, or as many as were shown (the cursor keeps its row)."""
        limit = max(TransfersTable.PAGE, self.query_one(TransfersTable).row_count)
        self.run_read(lambda uow: transfers_page(uow=uow, limit=limit), self._fill, group="transfers")

    def _fill(self, page: TransferPage) -> None:
        self.notes = list(page.rows)
        table = self.query_one(TransfersTable)
        table.fill_page(_rows(self.notes), page.total)
        if not self.notes:
            self.query_one("#transfer-detail", Static).update("")
            self.say(_("no transfer note yet"))
        else:
            self._show(table.subject_key)

    @on(Pages.Wanted, "#transfer-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last note read: the next ones."""
        table, offset = self.query_one(TransfersTable), event.offset

        def added(page: TransferPage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.notes = self.notes[:offset] + page.rows

        self.run_read(lambda uow: transfers_page(uow=uow, limit=table.PAGE, offset=offset), added,
                      group="transfers-more")

    @on(DataTable.RowHighlighted, "#transfer-list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.row_key.value)

    def _show(self, number: str | None) -> None:
        """Read the note under the cursor with its lots, and show it below the list (the newest read wins)."""
        if not number:
            return

        def shown(info: TransferInfo) -> None:
            self.shown = info
            self.query_one("#transfer-detail", Static).update(detail(info))

        self.run_read(lambda uow: show_transfer(number, uow=uow), shown, group="transfer-one")

    def action_back(self) -> None:
        """Back to where it was opened."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success)."""
        if not self.is_attached:
            return
        status = self.query_one("#transfers-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
