"""One stocktake (盘点单): count it by scanner while it is open (scan a bin label, then its parts; a number then *
adds that many to the highlighted line), blind: no book is shown; close it with the second counter's PIN; then
its variances, a recount of the highlighted line and the approval, each asked first.

Every scan is stored as it is made (core.services.stocktake.scan_count), with the book at that moment."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from core.codes import LOCATION_PATTERN, normalise_location
from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _
from core.labels import STOCKTAKE_STATE, label, part_names
from core.models import StocktakeState
from core.roles import Permission
from core.services import stocktake as service
from core.services.stocktake import StocktakeInfo
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.count import CountInput
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, SubjectTable

CLOSE, RECOUNT = "ctrl+s", "ctrl+r"


class StocktakeCountScreen(ServiceCalls, Screen[None]):
    """A stocktake's facts, the scan field (while open) and its lines: blind while open, variances after."""

    AUTO_FOCUS = "#stk-scan"
    FAULT = N_("the database refused: {error}")
    BINDINGS = [
        Binding(CLOSE, "close", N_("Close count"), id="close_stocktake",
                tooltip=N_("Close the count, the second counter signing with their PIN; the variances show")),
        Binding(RECOUNT, "recount", N_("Recount"), id="recount_line",
                tooltip=N_("Ask for a recount of the highlighted line (the stocktake opens again)")),
        Binding(keys.COMMIT, "approve", N_("Approve"), id="approve_stocktake",
                tooltip=N_("Approve the variances; the last approval posts them to the ledger")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the stocktakes (every scan is stored)")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_stocktake",
                tooltip=N_("Read the stocktake again: another terminal's counts")),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    def __init__(self, info: StocktakeInfo) -> None:
        """The stocktake as read."""
        super().__init__()
        self.info = info
        self.bin: str | None = None  # the bin label scanned last: the parts scanned next are counted there

    def compose(self) -> ComposeResult:
        """Title, scan row, status line and the lines."""
        yield Header()
        with Vertical(id="stk-body"):
            yield Static(id="stk-title", classes="heading")
            with Horizontal(id="stk-scan-row"):
                yield Static(id="stk-bin")
                yield CountInput(placeholder=_("scan a bin label, then its parts · a number then *: that many"),
                                 id="stk-scan")
            yield Static("", id="stk-status")
            yield SubjectTable(id="stk-lines")
        yield Footer()

    def on_mount(self) -> None:
        """The stocktake in the first frame."""
        self._show()

    def returned_to(self, number: str | None) -> None:
        """Opened again: read again."""
        self.action_reload()

    # -- showing ---------------------------------------------------------------------------------

    def _show(self) -> None:
        info = self.info
        self.query_one("#stk-title", Static).update(Text(_("{number} · {scope} · {state} · {counted}/{lines} "
                                                           "counted").format(
            number=info.number, scope=info.scope_text, state=label(STOCKTAKE_STATE, info.state),
            counted=info.counted, lines=len(info.lines))))
        self.query_one("#stk-bin", Static).update(Text(_("Bin: {bin}").format(bin=self.bin or "—")))
        self.query_one("#stk-scan-row").display = info.blind
        self.query_one("#stk-scan", CountInput).disabled = not info.blind
        table = self.query_one(SubjectTable)
        columns = [Column("location", _("Location"), 12), Column("part_no", _("Part no"), 12),
                   Column("name", _("Name"), 24, min_width=8, gives_way=1), Column("counted", _("Counted"), 8)]
        if not info.blind:
            columns += [Column("book", _("Book"), 8), Column("variance", _("Variance"), 9),
                        Column("value", _("Value"), 11)]
        table.set_columns(*columns)
        table.reload((f"{x.part_no}@{x.location}", _cells(x, info.blind)) for x in info.lines)
        if not info.blind:
            self.set_focus(table)
        self.refresh_bindings()

    def shown(self, info: StocktakeInfo) -> None:
        """Show the stocktake as read again."""
        self.info = info
        if self.is_attached:
            self._show()

    def action_reload(self) -> None:
        """Read the stocktake again."""
        number = self.info.number
        self.run_read(lambda uow: service.show(number, uow=uow), self.shown, group="reload")

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success)."""
        if not self.is_attached:
            return
        status = self.query_one("#stk-status", Static)
        status.update(Text(message))
        status.set_classes(kind)

    # -- counting --------------------------------------------------------------------------------

    @on(Input.Submitted, "#stk-scan")
    def _scanned(self, event: Input.Submitted) -> None:
        """A bin label: the bin counted next. A part number: one more of it at that bin, stored at once."""
        text = event.value.strip()
        if not text:
            return
        if LOCATION_PATTERN.match(normalise_location(text)):
            self.bin = normalise_location(text)
            self.query_one("#stk-bin", Static).update(Text(_("Bin: {bin}").format(bin=self.bin)))
            self.say(_("bin {bin}: scan its parts").format(bin=self.bin))
            return
        if self.bin is None:
            self.say(_("scan the bin label first, then the parts in it"), "error")
            return
        self._count(text, self.bin, "1")

    @on(CountInput.QuantityTyped)
    def _quantity(self, event: CountInput.QuantityTyped) -> None:
        """A number then *: that many more on the highlighted line."""
        key = self.query_one(SubjectTable).subject_key
        if key is None:
            self.say(_("no line to add to: scan a part first"), "error")
            return
        part_no, _at, location = key.partition("@")
        self._count(part_no, location, event.value)

    def _count(self, part_no: str, location: str, qty: str) -> None:
        number, actor = self.info.number, self.app.actor

        def counted(line) -> None:
            self.say(_("{part_no}@{location}: {counted} counted").format(
                part_no=line.part_no, location=line.location, counted=fmt_qty(line.counted)), "success")
            self.action_reload()
            self.query_one(SubjectTable).select(f"{line.part_no}@{line.location}")

        self.run_write(lambda uow: service.scan_count(number, part_no, location, qty, actor=actor, uow=uow),
                       counted, group="count", exclusive=False)

    def action_move(self, delta: int) -> None:
        """Up and down in the scan field move the highlighted line (the field keeps the focus for the scanner)."""
        table = self.query_one(SubjectTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    # -- closing, recounting, approving ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each step only in its state and for who may take it."""
        actor, state = self.app.actor, self.info.state
        if actor is None:
            return action in ("back", "reload", "move")
        if action == "close":
            return state == StocktakeState.OPEN and (actor.can(Permission.OPEN_STOCKTAKE)
                                                     or actor.can(Permission.COUNT_STOCK))
        if action == "recount":
            return state in (StocktakeState.CLOSED, StocktakeState.PM_APPROVED) and (
                actor.can(Permission.OPEN_STOCKTAKE) or actor.can(Permission.APPROVE_STOCKTAKE))
        if action == "approve":
            return (state == StocktakeState.CLOSED and actor.can(Permission.APPROVE_STOCKTAKE)) or (
                state == StocktakeState.PM_APPROVED and actor.can(Permission.APPROVE_STOCKTAKE_VALUE))
        return True

    def action_close(self) -> None:
        """The second counter signs with code and PIN; the count closes and the variances show."""
        from core.services.operators import authenticate
        from screens.widgets.dialogs import SignDialog

        number, actor = self.info.number, self.app.actor

        def close(code: str, pin: str, uow) -> StocktakeInfo:
            second = authenticate(code, pin, uow=uow)
            return service.close(number, actor=actor, second=second, uow=uow)

        def closed(info: StocktakeInfo | None) -> None:
            if info is not None:
                self.shown(info)
                self.say(_("{number} closed: variance value {value}").format(
                    number=info.number, value=fmt_money(info.variance_value)), "success")

        self.app.push_screen(SignDialog(_("Close the count 盘点结束 — {number}").format(number=number),
                                        _("First counter: {code} (signed in)").format(code=actor.code), close,
                                        who=_("Second counter's code")), closed)

    def action_recount(self) -> None:
        """Ask first, then clear the highlighted line's count: the stocktake is open again."""
        key = self.query_one(SubjectTable).subject_key
        if key is None:
            return
        number, actor = self.info.number, self.app.actor

        def done(info: StocktakeInfo) -> None:
            self.shown(info)
            self.say(_("{line}: to count again").format(line=key), "success")

        self._ask(_("Recount {line}?").format(line=key),
                  _("Its count is cleared and {number} is open again; an approval given is void.").format(
                      number=number),
                  lambda uow: service.recount(number, [key], actor=actor, uow=uow), done)

    def action_approve(self) -> None:
        """Ask first, then approve: the last approval posts the variances to the ledger."""
        info, actor = self.info, self.app.actor

        def done(approved) -> None:
            if approved.state == StocktakeState.APPROVED:
                self.say(_("{number}: approved, {moves} ledger rows posted").format(
                    number=approved.number, moves=approved.moves), "success")
            else:
                self.say(_("{number}: approved; above the limit, it waits for the accountant").format(
                    number=approved.number), "notice")
            self.action_reload()

        self._ask(_("Approve {number}?").format(number=info.number),
                  _("Variance value {value} (absolute {absolute}). The last approval posts it to the ledger; it "
                    "cannot be undone.").format(value=fmt_money(info.variance_value or 0),
                                                absolute=fmt_money(info.variance_abs or 0)),
                  lambda uow: service.approve(info.number, actor=actor, uow=uow), done)

    def _ask(self, title: str, question: str, work, done) -> None:
        from screens.widgets.dialogs import YesNoDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(work, done, group="step")

        self.app.push_screen(YesNoDialog(title, question, kind="warning"), answered)

    def action_print(self) -> None:
        """The stocktake's paper in the print preview (F10 there prints it): the blind sheet while it is open,
        book, count and variance once closed."""
        from screens.print_preview import PrintPreviewScreen

        self.app.push_screen(PrintPreviewScreen([("stocktake", self.info.number)]))

    def action_back(self) -> None:
        """Back to the stocktakes."""
        self.dismiss()


def _cells(x, blind: bool) -> tuple[Text, ...]:
    counted = Text("" if x.counted is None else fmt_qty(x.counted), justify="right")
    cells = (Text(x.location), Text(x.part_no), Text(part_names(x.name, x.name_zh)), counted)
    if blind:
        return cells
    variance = x.variance
    style = "" if not variance else ("bold red" if variance < 0 else "bold green")
    return (*cells, Text(fmt_qty(x.book), justify="right"), Text(fmt_qty(variance), style=style, justify="right"),
            Text(fmt_money(x.value), justify="right"))
