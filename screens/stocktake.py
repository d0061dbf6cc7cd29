"""The stocktake workflow (盘点): the stocktakes, newest first; open a new one over a scope (a zone, bins, the
cycle count, or days since the last count), and open the highlighted one to count it, see its variances,
ask a recount or approve it (screens.stocktake_count)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.decimals import fmt_money
from core.i18n import N_, _
from core.labels import STOCKTAKE_STATE, label
from core.roles import Permission
from core.services.stocktake import StocktakeSummary, list_stocktakes, open_stocktake, scope_of
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time
from screens.widgets.tables import Column, SubjectTable


class StocktakeScreen(ServiceCalls, Screen[None]):
    """The stocktakes as a list; Enter opens the highlighted one, ctrl+n opens a new one."""

    AUTO_FOCUS = "#stocktake-list"
    BINDINGS = [
        Binding(keys.NEW, "new", N_("New stocktake"), id="new_stocktake",
                tooltip=N_("Open a stocktake over a zone, bins, the cycle count or days since the last count")),
        Binding(keys.OPEN, "open", N_("Open"), id="open_stocktake",
                tooltip=N_("Count the highlighted stocktake, see its variances, approve it")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_stocktakes", tooltip=N_("Read the list again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """The list, read once mounted."""
        super().__init__()
        self.stocktakes: list[StocktakeSummary] = []
        self._wanted: str | None = None  # a number to open once the list is read (a scan, the to-do)

    def compose(self) -> ComposeResult:
        """Heading, the list and the status line."""
        yield Header()
        with Vertical(id="stocktake-body"):
            yield Static(_("Stocktake 盘点 — blind counts, variances approved by the parts manager"),
                         classes="heading")
            yield SubjectTable(id="stocktake-list")
            yield Static("", id="stocktake-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the rows."""
        self.query_one(SubjectTable).set_columns(
            Column("number", _("Stocktake"), 16),
            Column("scope", _("Scope"), 24, min_width=10),
            Column("state", _("State"), 16, min_width=8),
            Column("opened", _("Opened"), 16, gives_way=2),
            Column("counted", _("Counted"), 9),
            Column("value", _("Variance"), 12, gives_way=1),
        )
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened from its key, the palette or a scanned STK number (opened at once)."""
        if number:
            self._open(number)
        elif self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the stocktakes again."""
        self.run_read(lambda uow: list_stocktakes(uow=uow), self._fill, group="stocktakes")

    def _fill(self, found: list[StocktakeSummary]) -> None:
        self.stocktakes = found
        self.query_one(SubjectTable).reload(
            (s.number, (Text(s.number), Text(s.scope), Text(label(STOCKTAKE_STATE, s.state)),
                        Text(local_time(s.opened_at)), Text(f"{s.counted}/{s.lines}", justify="right"),
                        Text("" if s.variance_value is None else fmt_money(s.variance_value), justify="right")))
            for s in found)
        if not found:
            self.say(_("no stocktake yet: {key} opens one").format(key=keys.label(keys.NEW)))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """New only for who opens stocktakes; Open only on a row."""
        actor = self.app.actor
        if action == "new":
            return actor is not None and actor.can(Permission.OPEN_STOCKTAKE)
        if action == "open":
            return bool(self.stocktakes)
        return True

    def action_new(self) -> None:
        """Ask the scope, then open the stocktake and its count."""
        from screens.widgets.dialogs import TextDialog

        actor = self.app.actor

        def opened(number: str) -> None:
            self.say(_("{number}: stocktake opened").format(number=number), "success")
            self.action_reload()
            self._open(number)

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                kind, scope = scope_of(text)
            except Exception as exc:  # a scope that cannot be read: its one line, nothing opened
                self.show_error(exc)
                return
            self.run_write(lambda uow: open_stocktake(kind, scope, actor=actor, uow=uow), opened, group="open")

        self.app.push_screen(TextDialog(
            _("New stocktake 盘点"), _("Scope"), placeholder=_("EXC · EXC-01-* · cycle · 90 days"),
            summary=_("A zone, a pattern or range of bins, the cycle count (A monthly, B quarterly, C yearly), or "
                      "the parts not counted for a number of days")), answered)

    @on(DataTable.RowSelected, "#stocktake-list")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted stocktake."""
        number = self.query_one(SubjectTable).subject_key
        if number:
            self._open(number)

    def _open(self, number: str) -> None:
        from core.services.stocktake import show
        from screens.stocktake_count import StocktakeCountScreen

        def shown(info) -> None:
            self.app.push_screen(StocktakeCountScreen(info), lambda _result: self.action_reload())

        self.run_read(lambda uow: show(number, uow=uow), shown, group="open-one")

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, success)."""
        if not self.is_attached:
            return
        status = self.query_one("#stocktake-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
