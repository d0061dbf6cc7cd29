"""The claims screen's warranty view (保修索赔): what the maker owes for warranty repairs, the repair orders whose
parts are charged to the warranty, newest first, with the amount receivable from the maker over all of them;
the highlighted order's warranty lines below (core.services.warranty_claims)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _, ngettext
from core.services.warranty_claims import WarrantyClaim, WarrantyPage, WarrantyRow, warranty_claim, warranty_page
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.tables import Column, Pages, SubjectTable

# Part lines the detail area shows; more are summed up in one line.
DETAIL_LINES = 3


class WarrantyTable(Pages, SubjectTable):
    """The repair orders with warranty charges, a page at a time."""


def _rows(orders: list[WarrantyRow]):
    """(key, cells) of each order: number, plate, VIN, state, day, lines and what the maker owes."""
    return [(r.ro_no, (
        Text(r.ro_no, style="bold"), Text(r.plate), Text(r.vin), Text(labels.label(labels.REPAIR_STATE, r.state)),
        Text(r.at.astimezone().strftime("%Y-%m-%d")), Text(str(r.lines), justify="right"),
        Text(fmt_money(r.amount), justify="right"),
    )) for r in orders]


def detail_text(claim: WarrantyClaim) -> Text:
    """The highlighted order's parts charged to the maker: quantity, list price and amount."""
    out = Text.assemble((claim.ro_no, "bold"), "  ", claim.plate, "  ", claim.vin, "  ",
                        labels.label(labels.REPAIR_STATE, claim.state))
    if not claim.settled:  # charged as the parts stand: a return or a payer changed alters them until settlement
        out.append("  " + _("amounts not final"), "dim")
    if not claim.lines:
        out.append("\n" + _("no part of {ro} is charged to the warranty now").format(ro=claim.ro_no), "yellow")
        return out
    shown = claim.lines if len(claim.lines) <= DETAIL_LINES + 1 else claim.lines[:DETAIL_LINES]
    for line in shown:
        out.append(f"\n{line.part_no} {labels.part_name(line.name, line.name_zh)} × {fmt_qty(line.qty)} @ "
                   f"{fmt_money(line.unit_price)} = {fmt_money(line.amount)}")
    if len(shown) < len(claim.lines):
        rest = len(claim.lines) - len(shown)
        out.append("\n" + ngettext("… and {count} more line ({key}: the settlement slip lists them all)",
                                   "… and {count} more lines ({key}: the settlement slip lists them all)", rest)
                   .format(count=rest, key=keys.label(keys.PRINT)), "dim")
    return out


class WarrantyClaims(ServiceCalls, Vertical):
    """The warranty view: heading, the amount receivable from the maker, the orders and the highlighted order's
    lines. Read when first shown and on `reload`; its refusals go to the screen's status line."""

    def __init__(self, **kwargs) -> None:
        """Nothing read yet."""
        super().__init__(**kwargs)
        self.claim: WarrantyClaim | None = None  # the highlighted order's lines, once read

    def compose(self) -> ComposeResult:
        """Heading, the amount receivable, the list and the highlighted order's lines."""
        yield Static(_("Warranty 保修索赔 — parts charged to the maker, by repair order"), id="warranty-heading",
                     classes="heading")
        yield Static("", id="warranty-receivable")
        yield WarrantyTable(id="warranty-list")
        yield Static("", id="warranty-detail")

    def on_mount(self) -> None:
        """The columns (the rows are read when the view is shown)."""
        self.query_one(WarrantyTable).set_columns(
            Column("ro", _("Repair order"), 16),
            Column("plate", _("Plate"), 10, min_width=8),
            Column("vin", _("VIN"), 17, gives_way=3),
            Column("state", _("State"), 10, min_width=6, gives_way=1),
            Column("at", _("Date"), 10, gives_way=2),
            Column("lines", Text(_("Lines"), justify="right"), 5),
            Column("amount", Text(_("Amount"), justify="right"), 11),
        )

    @property
    def table(self) -> WarrantyTable:
        """The list of orders."""
        return self.query_one(WarrantyTable)

    def reload(self) -> None:
        """Read the orders again: as many as were shown, the cursor kept."""
        limit = max(WarrantyTable.PAGE, self.table.row_count)
        self.run_read(lambda uow: warranty_page(uow=uow, limit=limit), self._fill, group="warranty")

    def _fill(self, page: WarrantyPage) -> None:
        receivable = self.query_one("#warranty-receivable", Static)
        if page.total:
            receivable.update(Text(ngettext(
                "Receivable from the maker: {amount} on {count} repair order",
                "Receivable from the maker: {amount} on {count} repair orders", page.total).format(
                amount=fmt_money(page.receivable), count=page.total)))
        else:
            receivable.update(Text(_("Receivable from the maker: nothing")))
        self.table.fill_page(_rows(page.rows), page.total, select=self.table.subject_key)
        if not page.total:
            self.say(_("no repair order charges a part to the warranty"))
        self._read_claim()

    @on(Pages.Wanted, "#warranty-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last order read: the next ones."""
        table, offset = self.table, event.offset

        def added(page: WarrantyPage) -> None:
            table.page_read(offset, _rows(page.rows), page.total)

        self.run_read(lambda uow: warranty_page(uow=uow, limit=table.PAGE, offset=offset), added,
                      group="warranty-more")

    @on(DataTable.RowHighlighted, "#warranty-list")
    def _moved(self) -> None:
        self._read_claim()

    def _read_claim(self) -> None:
        """The highlighted order's warranty lines for the detail (and what F10 prints)."""
        ro_no = self.table.subject_key
        if ro_no is None:
            self._show(None)
            return
        self.run_read(lambda uow: warranty_claim(ro_no, uow=uow), self._show, group="warranty-claim")

    def _show(self, claim: WarrantyClaim | None) -> None:
        if not self.is_attached:
            return
        if claim is not None and claim.ro_no != self.table.subject_key:
            return  # the cursor moved on meanwhile: its own read shows its order
        self.claim = claim
        self.query_one("#warranty-detail", Static).update(detail_text(claim) if claim else "")
        self.screen.refresh_bindings()

    @property
    def subject(self) -> WarrantyClaim | None:
        """The order under the cursor, once read."""
        claim = self.claim
        if claim is None or not self.is_mounted or claim.ro_no != self.table.subject_key:
            return None
        return claim

    def say(self, message: str, kind: str = "") -> None:
        """On the screen's status line."""
        say = getattr(self.screen, "say", None)
        if say is not None:
            say(message, kind)
