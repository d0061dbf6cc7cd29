"""Administration (系统管理, ⇧F6): the operators (add, roles, language, PIN, unlock, deactivate), every setting with the
values it allows (edit, a test page for the printer), the audit trail, a backup to a file, and the station's
suppliers, carriers and locations. Each action is one core service, the same the CLI's command calls; the keys show
only to whoever the core lets do them."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core.access import may_back_up
from core.files import FileExists
from core.i18n import N_, _, language_name
from core.labels import ROLE, labels
from core.roles import Permission
from core.services.operators import OperatorInfo, OperatorPage, operators_page
from core.services.settings import SettingRow, setting_rows
from screens import keys
from screens.admin_actions import (
    add_carrier_form,
    add_location_form,
    add_operator_form,
    add_supplier_form,
    backup_form,
    language_form,
    pin_form,
    rename_supplier_form,
    roles_form,
    setting_form,
)
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time
from screens.widgets.tables import Column, Pages, SubjectTable

# Which permission each key needs (core.roles decides; the screen only hides what the core would refuse).
_NEEDS = {
    "new_operator": Permission.MANAGE_OPERATORS, "roles": Permission.MANAGE_OPERATORS,
    "language": Permission.MANAGE_OPERATORS, "reset_pin": Permission.MANAGE_OPERATORS,
    "unlock": Permission.MANAGE_OPERATORS, "deactivate": Permission.MANAGE_OPERATORS,
    "edit_setting": Permission.MANAGE_SETTINGS, "test_print": Permission.MANAGE_SETTINGS,
    "audit": Permission.READ_AUDIT, "add_supplier": Permission.MANAGE_ORDERS,
    "rename_supplier": Permission.MANAGE_ORDERS, "add_carrier": Permission.MANAGE_ORDERS,
    "add_location": Permission.EDIT_LOCATIONS,
}


# The keys the status line names (those past the operator and setting keys the footer shows first).
_MORE = ("audit", "backup", "add_supplier", "rename_supplier", "add_carrier", "add_location")


class OperatorTable(Pages, SubjectTable):
    """The operators, a page at a time."""


class AdminScreen(ServiceCalls, Screen[None]):
    """The operators over the settings; letters act on the highlighted row (no text field on this screen)."""

    AUTO_FOCUS = "#operator-list"
    BINDINGS = [
        Binding(keys.NEW, "new_operator", N_("New operator"), id="admin_new_operator",
                tooltip=N_("Add an operator: code, name, roles, language and PIN twice")),
        Binding("r", "roles", N_("Roles"), id="admin_roles", tooltip=N_("Give the highlighted operator his roles")),
        Binding("l", "language", N_("Language"), id="admin_language",
                tooltip=N_("The language the desk speaks to the highlighted operator")),
        Binding("p", "reset_pin", N_("Reset PIN"), id="admin_reset_pin",
                tooltip=N_("Give the highlighted operator a new PIN, typed twice")),
        Binding("u", "unlock", N_("Unlock"), id="admin_unlock",
                tooltip=N_("End the highlighted operator's lockout after wrong PINs")),
        Binding("d", "deactivate", N_("Deactivate"), id="admin_deactivate",
                tooltip=N_("Stop the highlighted operator signing in (asks first; his history keeps his name)")),
        Binding("e", "edit_setting", N_("Edit setting"), id="admin_edit_setting",
                tooltip=N_("Change the highlighted setting, checked against the values it allows")),
        Binding("t", "test_print", N_("Test print"), id="admin_test_print",
                tooltip=N_("Send a test page to the printer command")),
        Binding("a", "audit", N_("Audit trail"), id="admin_audit", tooltip=N_("Open the audit trail (操作日志)")),
        Binding("b", "backup", N_("Backup"), id="admin_backup",
                tooltip=N_("Copy the database to a file (asks before replacing one)")),
        Binding("s", "add_supplier", N_("Add supplier"), id="admin_add_supplier",
                tooltip=N_("Register a supplier with its name")),
        Binding("m", "rename_supplier", N_("Rename supplier"), id="admin_rename_supplier",
                tooltip=N_("Give a registered supplier its full name")),
        Binding("c", "add_carrier", N_("Add carrier"), id="admin_add_carrier",
                tooltip=N_("Register a carrier with its name")),
        Binding("o", "add_location", N_("Add location"), id="admin_add_location",
                tooltip=N_("Add a location ZONE-ROW-SHELF-BIN in its zone's model series")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_admin",
                tooltip=N_("Read the operators and settings again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """Nothing read yet."""
        super().__init__()
        self.operators: list[OperatorInfo] = []
        self.settings: list[SettingRow] = []

    def compose(self) -> ComposeResult:
        """Heading, operators, settings and the status line."""
        yield Header()
        with Vertical(id="admin-body"):
            yield Static(_("Administration 系统管理 — operators, settings, audit trail, backup"), classes="heading")
            yield OperatorTable(id="operator-list")
            yield SubjectTable(id="setting-list")
            yield Static("", id="admin-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns; the tables the operator may use; then the rows."""
        self.query_one("#operator-list", SubjectTable).set_columns(
            Column("code", _("Operator"), 8),
            Column("name", _("Name"), 16, min_width=8),
            Column("roles", _("Roles"), 0, min_width=12),
            Column("language", _("Language"), 8, gives_way=2),
            Column("locked", _("Locked until"), 16, gives_way=1),
            Column("active", _("Active"), 6),
        )
        self.query_one("#setting-list", SubjectTable).set_columns(
            Column("key", _("Setting"), 22),
            Column("value", _("Value"), 16, min_width=8),
            Column("allowed", _("Allowed"), 30, min_width=10),
            Column("meaning", _("Meaning"), 0, min_width=12, gives_way=1),
        )
        actor = self.app.actor
        self.query_one("#operator-list").display = actor.can(Permission.MANAGE_OPERATORS)
        self.query_one("#setting-list").display = actor.can(Permission.MANAGE_SETTINGS)
        if not actor.can(Permission.MANAGE_OPERATORS):
            self.set_focus(self.query_one("#setting-list"))
        self.say(self._more_keys())
        self.action_reload()

    def _more_keys(self) -> str:
        """The keys the footer may not have room for, as a line: the audit trail, backup and the station's lists."""
        shown = [f"{binding.key} {_(binding.description)}" for binding in self.BINDINGS
                 if isinstance(binding, Binding) and binding.action in _MORE and self.check_action(binding.action, ())]
        return " · ".join(shown) + "  " + _("(F1: every key)")

    def returned_to(self, number: str | None) -> None:
        """Opened again from its key or the palette: read again."""
        if self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the operators (as many as were shown, so the cursor keeps its row) and the settings again."""
        actor = self.app.actor
        limit = max(OperatorTable.PAGE, self.query_one(OperatorTable).row_count)

        def read(uow) -> tuple[OperatorPage, list[SettingRow]]:
            people = (operators_page(uow=uow, limit=limit) if actor.can(Permission.MANAGE_OPERATORS)
                      else OperatorPage([], 0))
            return people, setting_rows(uow=uow) if actor.can(Permission.MANAGE_SETTINGS) else []

        self.run_read(read, self._fill, group="admin")

    def _fill(self, read: tuple[OperatorPage, list[SettingRow]]) -> None:
        page, self.settings = read
        self.operators = page.rows
        table = self.query_one(OperatorTable)
        table.fill_page(_operator_rows(page.rows), page.total, select=table.subject_key)
        self.query_one("#setting-list", SubjectTable).reload(
            (s.key, (Text(s.key), Text(s.value or "—"), Text(s.allowed), Text(s.meaning))) for s in self.settings)
        self.refresh_bindings()

    @on(Pages.Wanted, "#operator-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last operator read: the next ones."""
        table, offset = self.query_one(OperatorTable), event.offset

        def added(page: OperatorPage) -> None:
            if table.page_read(offset, _operator_rows(page.rows), page.total):
                self.operators = self.operators[:offset] + page.rows

        self.run_read(lambda uow: operators_page(uow=uow, limit=table.PAGE, offset=offset), added,
                      group="admin-more")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key only for whoever the core lets do it; the operator keys with an operator highlighted."""
        actor = getattr(self.app, "actor", None)
        if action == "backup":
            return actor is not None and may_back_up(actor)
        needed = _NEEDS.get(action)
        if needed is None:
            return True
        if actor is None or not actor.can(needed):
            return False
        if action in ("roles", "language", "reset_pin", "unlock", "deactivate"):
            return self._operator() is not None or None
        if action == "edit_setting":
            return self._setting() is not None or None
        return True

    def _operator(self) -> OperatorInfo | None:
        code = self.query_one("#operator-list", SubjectTable).subject_key
        return next((o for o in self.operators if o.code == code), None)

    def _setting(self) -> SettingRow | None:
        key = self.query_one("#setting-list", SubjectTable).subject_key
        return next((s for s in self.settings if s.key == key), None)

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#setting-list")
    def _setting_chosen(self) -> None:
        if self.check_action("edit_setting", ()):
            self.action_edit_setting()

    # -- operators -------------------------------------------------------------------------------------------

    def _done(self, line: str):
        def done(result) -> None:
            if result is not None:
                self.say(line.format(code=getattr(result, "code", result)), "notice")
                self.action_reload()
        return done

    def action_new_operator(self) -> None:
        """Add an operator: code, name, roles, language and the PIN twice."""
        self.app.push_screen(add_operator_form(self.app.actor), self._done(_("operator {code} added")))

    def action_roles(self) -> None:
        """Give the highlighted operator his roles."""
        operator = self._operator()
        if operator is not None:
            self.app.push_screen(roles_form(self.app.actor, operator), self._done(_("{code}'s roles are set")))

    def action_language(self) -> None:
        """The language the desk speaks to the highlighted operator (at his next sign-in)."""
        operator = self._operator()
        if operator is not None:
            self.app.push_screen(language_form(self.app.actor, operator),
                                 self._done(_("{code}'s language is set: at his next sign-in")))

    def action_reset_pin(self) -> None:
        """Give the highlighted operator a new PIN, typed twice."""
        operator = self._operator()
        if operator is not None:
            self.app.push_screen(pin_form(self.app.actor, operator), self._done(_("{code} has a new PIN")))

    def action_unlock(self) -> None:
        """End the highlighted operator's lockout (and forget the wrong PINs counted)."""
        from core.services.operators import unlock_operator

        operator, actor = self._operator(), self.app.actor
        if operator is not None:
            self.run_write(lambda uow: unlock_operator(operator.code, actor=actor, uow=uow),
                           self._done(_("{code} unlocked")), group="admin-write")

    def action_deactivate(self) -> None:
        """Stop the highlighted operator signing in, after the question; there is no delete: the ledger and the
        audit trail keep naming him."""
        from core.services.operators import deactivate_operator
        from screens.widgets.dialogs import YesNoDialog

        operator, actor = self._operator(), self.app.actor
        if operator is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(lambda uow: deactivate_operator(operator.code, actor=actor, uow=uow),
                               self._done(_("{code} deactivated: he can no longer sign in")), group="admin-write")

        question = _("{code} {name} will no longer sign in. His history keeps his name; nothing is deleted. "
                     "Deactivate?").format(code=operator.code, name=operator.name)
        self.app.push_screen(YesNoDialog(_("Deactivate an operator"), question, kind="warning"), answered)

    # -- settings, printer, audit, backup ------------------------------------------------------------------------

    def action_edit_setting(self) -> None:
        """Change the highlighted setting; the core checks the value against what it allows."""
        setting = self._setting()
        if setting is not None:
            self.app.push_screen(setting_form(self.app.actor, setting), self._done(_("setting saved: {code}")))

    def action_test_print(self) -> None:
        """Send a test page to the printer command of the settings."""
        from core.printing.output import NoPrinterCommand, print_test_page
        from core.services.settings import get_settings

        def failed(exc: Exception) -> None:
            if isinstance(exc, NoPrinterCommand):
                self.say(_("no printer command is set: edit the setting printer_command here first"), "error")
            else:
                self.show_error(exc)

        self.say(_("printing…"), "waiting")
        self.run_read(lambda uow: print_test_page(get_settings(uow=uow)["printer_command"]),
                      lambda _page: self.say(_("the test page went to the printer"), "notice"), failed=failed,
                      group="test-print")

    def action_audit(self) -> None:
        """The audit trail, over this screen."""
        from screens.audit import AuditScreen
        from screens.workflows import open_once

        open_once(self.app, AuditScreen)

    def action_backup(self) -> None:
        """Copy the database to a file named in a form; an existing file is replaced only after the question."""
        self.app.push_screen(backup_form(), self._back_up)

    def _back_up(self, path: str | None, force: bool = False) -> None:
        if not path:
            return
        app = self.app

        def failed(exc: Exception) -> object:
            if isinstance(exc, FileExists):
                from screens.widgets.dialogs import YesNoDialog

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._back_up(path, force=True)
                    else:
                        self.say(_("{name} is kept as it was: no backup made").format(name=exc.path.name), "notice")

                question = _("{path} exists. Replace it with this backup?").format(path=exc.path)
                return self.app.push_screen(YesNoDialog(_("Replace the file?"), question, kind="warning"), answered)
            return self.show_error(exc)

        self.say(_("backing up…"), "waiting")
        self.run_blocking(lambda: app.back_up(Path(path).expanduser(), force=force),
                          lambda written: self.say(_("backed up to {path}").format(path=written), "notice"),
                          failed=failed, group="backup")

    # -- suppliers, carriers, locations --------------------------------------------------------------------------

    def action_add_supplier(self) -> None:
        """Register a supplier with its name."""
        self.app.push_screen(add_supplier_form(self.app.actor), self._done(_("supplier {code} added")))

    def action_rename_supplier(self) -> None:
        """Give a registered supplier its full name."""
        self.app.push_screen(rename_supplier_form(self.app.actor), self._done(_("supplier {code} renamed")))

    def action_add_carrier(self) -> None:
        """Register a carrier with its name."""
        self.app.push_screen(add_carrier_form(self.app.actor), self._done(_("carrier {code} added")))

    def action_add_location(self) -> None:
        """Add a location in its zone's model series."""
        self.app.push_screen(add_location_form(self.app.actor), self._done(_("location {code} added")))

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, waiting)."""
        if not self.is_attached:
            return
        status = self.query_one("#admin-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _operator_rows(operators: list[OperatorInfo]):
    """(key, cells) of operators: keyed by code; an inactive one's code dimmed, roles by their labels."""
    return [(o.code, (Text(o.code, style="" if o.active else "dim"), Text(o.name), Text(labels(ROLE, o.roles)),
                      Text(language_name(o.language)),
                      Text(local_time(o.locked_until), style="bold red") if o.locked_until else Text(""),
                      Text(_("yes") if o.active else _("no"))))
            for o in operators]


