"""Part lookup: results as the operator types (number prefix or name substring, Chinese too), Enter opens.

A barcode scanner types the code in a burst and presses Enter: the field's own Enter opens the part
by the number it holds (see ScanInput), never from results that may still be on their way.

F2 is the desk's most used key, so the lookup is built once per sign-in (`LookupScreen.kept`), before it is
first asked for (`prepare_lookup`, from home once home is painted), and shown again, emptied, on every F2.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from core.decimals import fmt_qty
from core.errors import NotFound
from core.i18n import N_, _, language, ngettext
from core.roles import Permission
from core.services.catalog import PartHit, PartInfo, get_part, search_parts
from core.services.stock import PartStock, part_stock
from screens import keys
from screens.vehicle import may_book, open_vehicle_dialog, vehicle_binding
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.scan import ScanInput
from screens.widgets.tables import ResultsTable

# Columns of fixed width (cells); name and Chinese name share what is left.
_FIXED = {"part_no": 12, "series": 8, "location": 12, "on_hand": 8}
_NAME_SHARE = 0.6


class LookupScreen(ServiceCalls, Screen[None]):
    """Search field over a results table that never holds more rows than it shows."""

    AUTO_FOCUS = "#query"
    # Typing pauses shorter than this do not start a search: a scanner's burst runs one, not ten.
    DEBOUNCE = 0.08
    BINDINGS = [
        # Priority, or the field's own (hidden) scroll binding would keep it out of the footer.
        Binding("down", "results", N_("Results"), id="results", priority=True, tooltip=N_("Move into the results")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
        # A control key: the search field takes letters. Shown to whoever may book it (check_action).
        vehicle_binding(),
        # The new part's number is what the field holds, when no part has it (the master editors').
        Binding(keys.NEW, "new_part", N_("New part"), id="lookup_new_part",
                tooltip=N_("Add a part to the master: every field, in one form")),
    ]

    def __init__(self) -> None:
        """An empty lookup, for the operator signed in now, in the language spoken now."""
        super().__init__()
        self._hits: list[PartHit] = []
        self._newest: dict[str, tuple[str, ...]] = {}  # the superseded hits' newest numbers
        self._columns_width = 0
        self._kept_for: tuple[object, str] | None = None  # (actor, language) of a kept lookup
        self._styled_unseen = False  # styled and laid out before it was first shown (prepare_lookup)

    @classmethod
    def kept(cls, app) -> LookupScreen:
        """The app's one lookup for the operator signed in (workflows.open_once asks for it instead of building a
        new one): installed, so that leaving it keeps it, and emptied each time it is shown again, as a new one
        would be. Another operator, or another language, gets a lookup of their own; the old one is dropped."""
        owner = (app.actor, language())
        screen = getattr(app, "_partsdesk_lookup", None)
        if screen is not None and screen._kept_for is not None and screen._kept_for[0] is owner[0] \
                and screen._kept_for[1] == owner[1]:
            if screen not in app.screen_stack and screen.is_mounted:
                screen.start_afresh()
            return screen
        if screen is not None:
            _drop(app, screen)
        screen = cls()
        screen._kept_for = owner
        app.install_screen(screen, f"lookup-{id(screen)}")
        app._partsdesk_lookup = screen
        return screen

    def start_afresh(self) -> None:
        """Shown again by its key: an empty field with the cursor in it, no results, as a new lookup opens."""
        self.workers.cancel_group(self, "search")
        self.workers.cancel_group(self, "open")
        query = self.query_one("#query", Input)
        with query.prevent(Input.Changed):  # emptied here at once, not searched
            query.value = ""
        self._hits = []
        self._fill([])
        self.say(_("type to search"))
        self.set_focus(query)
        self.query_one(ResultsTable).move_cursor(row=0)

    def compose(self) -> ComposeResult:
        """Field, status line and results."""
        yield Header()
        with Vertical(id="lookup-body"):
            yield Label(_("Part number, name or Chinese name — or scan the label"), id="lookup-label")
            yield ScanInput(placeholder=_("e.g. 96536697, brake, 滤清"), id="query")
            yield Static(_("type to search"), id="lookup-status")
            yield ResultsTable(id="results")
        yield Footer()

    def on_mount(self) -> None:
        """Built before it is shown (prepare_lookup): laid out at the terminal's size now, so that the key only paints
        it."""
        if self._kept_for is not None and self not in self.app.screen_stack:
            self.call_later(self._lay_out_unseen)

    def _lay_out_unseen(self) -> None:
        if self not in self.app.screen_stack and self.is_attached:
            self._refresh_layout(self.app.size)  # Textual does this on the first push (pinned Textual)
            self._styled_unseen = True

    def post_message(self, message) -> bool:
        """The first push of a lookup styled and laid out unseen does not style it all again."""
        if isinstance(message, events.ScreenResume) and self._styled_unseen:
            self._styled_unseen = False
            message.refresh_styles = False
        return super().post_message(message)

    def returned_to(self, number: str | None) -> None:
        """Back at the lookup (its key): the search field ready for the next scan (a part scanned elsewhere opens
        its own screen, never a number here)."""
        if self.is_mounted:
            self.focus_query()

    def focus_query(self) -> None:
        """Put the cursor in the search field with its text selected, ready for the next scan."""
        query = self.query_one("#query", Input)
        self.set_focus(query)
        query.select_all()

    # -- searching ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        """Fit the columns to the width and the results to the height."""
        self.call_after_refresh(self._fit)

    def on_screen_resume(self) -> None:
        """Back from a part: the terminal may have been resized meanwhile."""
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        table = self.query_one(ResultsTable)
        if table.content_region.width != self._columns_width:
            self._set_columns(table)
        self._search_now()

    def _set_columns(self, table: ResultsTable) -> None:
        width = table.content_region.width
        self._columns_width = width
        padding = 2 * table.cell_padding * 6
        flexible = max(16, width - sum(_FIXED.values()) - padding)
        name = int(flexible * _NAME_SHARE)
        table.clear(columns=True)
        table.add_column(_("Part no"), width=_FIXED["part_no"], key="part_no")
        table.add_column(_("Name"), width=name, key="name")
        table.add_column(_("Chinese name"), width=flexible - name, key="name_zh")
        table.add_column(_("Series"), width=_FIXED["series"], key="series")
        table.add_column(_("Location"), width=_FIXED["location"], key="location")
        table.add_column(Text(_("On hand"), justify="right"), width=_FIXED["on_hand"], key="on_hand")
        self._fill(self._hits)

    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        self._search_now()

    def _search_now(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.workers.cancel_group(self, "search")
            self._hits = []
            self._fill([])
            self.say(_("type to search"))
            return
        # Off the UI thread, the newest search winning (older ones are dropped unseen); limit = the rows the table
        # can show: DataTable measures every row it is given. A database fault is said; the desk keeps running.
        limit = self.query_one(ResultsTable).visible_rows
        self.run_read(partial(_search, query, limit), partial(self._show_hits, query, limit),
                      failed=lambda exc: self.show_error(exc, _("search failed: {error}")), group="search",
                      debounce=self.DEBOUNCE)

    def _show_hits(self, query: str, limit: int, found: tuple[list[PartHit], dict[str, tuple[str, ...]]]) -> None:
        hits, self._newest = found
        self._hits = hits
        self._fill(hits)
        if not hits:
            self.say(_("no part matches “{query}”").format(query=query))
        elif len(hits) >= limit:
            self.say(_("first {count} matches: type more to narrow").format(count=len(hits)))
        else:
            self.say(ngettext("{count} part", "{count} parts", len(hits)).format(count=len(hits)))

    def _fill(self, hits: list[PartHit]) -> None:
        table = self.query_one(ResultsTable)
        table.clear()
        for hit in hits:
            # A superseded number says its newest one beside its name: what to order and issue instead.
            newest = self._newest.get(hit.part_no)
            name = Text(hit.name)
            if newest:
                name = Text.assemble(("→ " + " ".join(newest) + " ", "bold"), hit.name)
            table.add_row(
                Text(hit.part_no),
                name,
                Text(hit.name_zh or ""),
                Text(hit.model_series or ""),
                Text(hit.location or "—"),
                Text(fmt_qty(hit.on_hand), justify="right"),
                key=hit.part_no,
            )

    # -- opening -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down means "into the results" only from the field; in the table it moves the cursor."""
        if action == "results" and self.is_mounted:
            # None while the screen is taken down (signed out): its footer may still ask as its children go, and
            # a NoMatches raised here ended the whole desk.
            results = self.query(ResultsTable)
            return not results or self.focused is not results.first()
        if action == "vehicle":
            return may_book(self.app)
        if action == "new_part":
            actor = getattr(self.app, "actor", None)
            return actor is not None and actor.can(Permission.EDIT_PARTS)
        return True

    def action_new_part(self) -> None:
        """The part form for a new part, its number what the field holds; once saved, the part opens."""
        from screens.part_form import PartFormDialog

        typed = self.query_one("#query", Input).value.strip()

        def added(info) -> None:
            if info is not None:
                self._open(info.part_no, exact=True)

        self.app.push_screen(PartFormDialog(self.app.actor, part_no=typed), added)

    def action_vehicle(self) -> None:
        """The dialog for parts taken off a new vehicle or put back; what it booked is told in a notification (the
        status line is the search's, and says "type to search" again on return)."""
        open_vehicle_dialog(self, self.notify)

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on what has the focus."""
        self.refresh_bindings()

    def action_results(self) -> None:
        """Move from the field into the results."""
        table = self.query_one(ResultsTable)
        if table.row_count:
            self.set_focus(table)

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        """Enter in the field (typed or scanned): open that part number, or the query's only match."""
        text = event.value.strip()
        if text:
            self._open(text, exact=False)

    def on_data_table_row_selected(self, event: ResultsTable.RowSelected) -> None:
        """Enter (or a click) on a row opens its part."""
        if event.row_key.value:
            self._open(event.row_key.value, exact=True)

    def _open(self, text: str, exact: bool) -> None:
        """Load the part and its lots off the UI thread, then open it (a database fault is said on the status line)."""
        self.run_read(partial(_read_part, text, exact), lambda read: self._show_part(*read),
                      failed=partial(self._not_opened, text), group="open")

    def _not_opened(self, text: str, exc: Exception) -> None:
        if not isinstance(exc, NotFound):
            self.show_error(exc, _("cannot open the part: {error}"))
        elif self.query_one(ResultsTable).row_count:
            self.say(_("no part numbered “{text}”: choose one from the results (↓)").format(text=text), "error")
        else:
            self.say(_("no part matches “{text}”").format(text=text), "error")

    def _show_part(self, info: PartInfo, stock: PartStock) -> None:
        from screens.part import PartScreen

        if not self.is_current:  # closed, signed out or left while the part was read: open nothing
            return
        if self.focused is self.query_one("#query", Input):
            self.query_one("#query", Input).select_all()
        self.app.push_screen(PartScreen(info, stock))

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error or nothing); errors of the service calls come here too."""
        if not self.is_attached:
            return
        status = self.query_one("#lookup-status", Static)
        status.update(message)
        status.set_classes(kind)


def prepare_lookup(app) -> None:
    """Build the operator's lookup now, off the screen stack (home calls this once painted), so that the first F2
    only lays it out and paints it. Nothing for an operator who may not look up parts."""
    from screens.workflows import workflow

    if not workflow("lookup").allows(app.actor):
        return
    screen = LookupScreen.kept(app)
    if not screen.is_running:
        # Textual composes a screen when it is first pushed; _get_screen is that step alone (pinned Textual).
        app._get_screen(screen)


def _drop(app, screen: LookupScreen) -> None:
    """Forget a kept lookup (another operator signed in): uninstalled, and removed unless a stack still holds it."""
    app.uninstall_screen(screen)
    if screen not in app.screen_stack and screen.is_running:
        screen.remove()


def _search(query: str, limit: int, uow) -> tuple[list[PartHit], dict[str, tuple[str, ...]]]:
    """The hits and, for those superseded, their newest numbers."""
    from core.services.supersession import newest_for

    hits = search_parts(query, uow=uow, limit=limit)
    return hits, newest_for([hit.part_no for hit in hits], uow=uow)


def _read_part(text: str, exact: bool, uow) -> tuple[PartInfo, PartStock]:
    """The part and its lots; a text that is no part number opens its only match, if one (NotFound otherwise)."""
    try:
        info = get_part(text, uow=uow)
    except NotFound:
        hits = [] if exact else search_parts(text, uow=uow, limit=2)
        if len(hits) != 1:
            raise
        info = get_part(hits[0].part_no, uow=uow)
    return info, part_stock(info.part_no, uow=uow)
