"""The audit trail (操作日志) for the admin and the station manager: who changed operators, roles, PINs, settings and
parts' master data, every lockout after wrong PINs, newest first (o: oldest first); the operators locked now are listed
above it and the admin unlocks the highlighted one (u). The highlighted row's change is spelt out whole under the list
(a part edit's fields are longer than a column). The trail is read a page at a time (screens.widgets.tables.Pages)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.access import may_unlock_operators
from core.i18n import N_, _, ngettext, pgettext
from core.labels import AUDIT_ACTION, label
from core.services.audit import AuditPage, AuditRow, audit_page, locked_operators
from core.services.operators import OperatorInfo, unlock_operator
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time
from screens.widgets.tables import Column, Pages, SubjectTable


class AuditTable(Pages, SubjectTable):
    """The audit rows, a page at a time."""


class AuditScreen(ServiceCalls, Screen[None]):
    """The locked operators, then the audit rows, newest first unless asked otherwise."""

    AUTO_FOCUS = "#audit-list"
    BINDINGS = [
        Binding("u", "unlock", N_("Unlock"), id="unlock_operator",
                tooltip=N_("Unlock the highlighted locked operator (the admin)")),
        Binding("o", "order", N_("Oldest/newest"), id="audit_order",
                tooltip=N_("Show the oldest rows first, or the newest")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_audit", tooltip=N_("Read the audit trail again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """The trail, newest first."""
        super().__init__()
        self.rows: list[AuditRow] = []  # those read, oldest first
        self.total = 0  # rows in the whole trail
        self.locked: list[OperatorInfo] = []
        self.oldest_first = False

    def compose(self) -> ComposeResult:
        """Heading, the locked operators, the trail and the status line."""
        yield Header()
        with Vertical(id="audit-body"):
            yield Static(_("Audit trail 操作日志 — operators, roles, PINs, settings, parts, lockouts"),
                         classes="heading")
            yield Static("", id="audit-summary")
            yield SubjectTable(id="locked-list")
            yield AuditTable(id="audit-list")
            yield Static("", id="audit-detail")
            yield Static("", id="audit-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the rows."""
        self.query_one("#locked-list", SubjectTable).set_columns(
            Column("code", _("Locked"), 12),
            Column("name", _("Name"), 20, min_width=10),
            Column("until", _("Until"), 16),
        )
        self.query_one("#audit-list", SubjectTable).set_columns(
            Column("at", _("At"), 16),
            Column("operator", _("By"), 8),
            Column("action", _("Action"), 12),
            Column("subject", _("Subject"), 24, min_width=12),
            Column("old", _("Old"), 16, min_width=6, gives_way=1),
            Column("new", pgettext("column", "New"), 0, min_width=8),
        )
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again from its key or the palette: read again."""
        if self.is_mounted:
            self.action_reload()

    def action_reload(self, *, from_top: bool = False) -> None:
        """Read the locked operators and the first page of the trail again (as many rows as were shown, so the
        cursor keeps its row; `from_top`: one page, the order changed)."""
        actor, newest_first = self.app.actor, not self.oldest_first
        shown = 0 if from_top else self.query_one(AuditTable).row_count
        limit = max(AuditTable.PAGE, shown)

        def read(uow) -> tuple[list[OperatorInfo], AuditPage]:
            return locked_operators(actor=actor, uow=uow), audit_page(actor=actor, uow=uow, limit=limit,
                                                                      newest_first=newest_first)

        self.run_read(read, self._fill, group="audit")

    @on(Pages.Wanted, "#audit-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last row read: the next ones."""
        actor, offset, table, newest_first = self.app.actor, event.offset, event.table, not self.oldest_first

        def added(page: AuditPage) -> None:
            if table.row_count == offset:
                self._keep(page.rows, offset)
            table.add_page(offset, _rows(page.rows, offset), page.total)

        self.run_read(lambda uow: audit_page(actor=actor, uow=uow, limit=table.PAGE, offset=offset,
                                             newest_first=newest_first), added, group="audit-more")

    def _keep(self, rows: list[AuditRow], offset: int) -> None:
        """The rows read so far, oldest first (as the trail reads), whichever order the table shows."""
        shown = list(reversed(self.rows)) if not self.oldest_first else list(self.rows)
        shown = shown[:offset] + rows
        self.rows = shown if self.oldest_first else list(reversed(shown))

    def _fill(self, found: tuple[list[OperatorInfo], AuditPage]) -> None:
        self.locked, page = found
        self.total = page.total
        self._keep(page.rows, 0)
        locked_table = self.query_one("#locked-list", SubjectTable)
        locked_table.reload(((o.code, (Text(o.code, style="bold red"), Text(o.name), Text(local_time(o.locked_until))))
                             for o in self.locked))
        locked_table.display = bool(self.locked)
        self.query_one(AuditTable).fill_page(_rows(page.rows, 0), page.total)
        order = _("oldest first") if self.oldest_first else _("newest first")
        if self.locked:
            summary = Text(ngettext(
                "{count} operator locked after wrong PINs; {rows} rows, {order}",
                "{count} operators locked after wrong PINs; {rows} rows, {order}", len(self.locked)).format(
                count=len(self.locked), rows=page.total, order=order), style="bold red")
        else:
            summary = Text(_("nobody is locked out; {rows} rows, {order}").format(rows=page.total, order=order))
        self.query_one("#audit-summary", Static).update(summary)
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#audit-list")
    def _detail(self) -> None:
        """The highlighted row's change in full: what it was about, from what to what."""
        key = self.query_one(AuditTable).subject_key
        shown = self.rows if self.oldest_first else list(reversed(self.rows))
        row = shown[int(key)] if key is not None and int(key) < len(shown) else None
        self.query_one("#audit-detail", Static).update(Text(_detail(row) if row is not None else ""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Unlock only for the admin, while someone is locked."""
        if action == "unlock":
            actor = self.app.actor
            return actor is not None and may_unlock_operators(actor) and bool(self.locked)
        return True

    def action_unlock(self) -> None:
        """Unlock the locked operator under the locked list's cursor."""
        actor = self.app.actor
        code = self.query_one("#locked-list", SubjectTable).subject_key if self.locked else None
        if actor is None or code is None or not may_unlock_operators(actor):
            return

        def done(info: OperatorInfo) -> None:
            self.say(_("{code} unlocked").format(code=info.code), "notice")
            self.action_reload()

        self.run_write(lambda uow: unlock_operator(code, actor=actor, uow=uow), done, group="unlock")

    def action_order(self) -> None:
        """Oldest first, or newest first."""
        self.oldest_first = not self.oldest_first
        self.action_reload(from_top=True)

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice)."""
        if not self.is_attached:
            return
        status = self.query_one("#audit-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _rows(rows: list[AuditRow], offset: int):
    """(key, cells) of audit rows read from `offset`: keyed by their place in the order shown."""
    return [(str(offset + index), (Text(local_time(r.at)), Text(r.operator),
                                   Text(label(AUDIT_ACTION, r.action), style=_style(r.action)), *map(Text, r.shown())))
            for index, r in enumerate(rows)]


def _detail(row: AuditRow) -> str:
    """A row's subject and change in one line, in the reader's language."""
    subject, old, new = row.shown()
    if old:
        return _("{subject}: {old} → {new}").format(subject=subject, old=old, new=new or "—")
    return _("{subject}: {new}").format(subject=subject, new=new) if new else subject


def _style(action: str) -> str:
    return "bold red" if action == "lockout" else ""
