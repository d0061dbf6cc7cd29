"""The Textual app: the screen stack, global keys, the command palette and the database opened in the background.

Start-up speed is a requirement (the login screen paints within 0.6 s of process start), so this
module and the login screen import neither the database stack nor the services: a thread worker
loads them after the first frame while the operator types a code and PIN.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import threading
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from core.errors import PartsdeskError
from core.i18n import N_, _, language, use_language
from screens import keys
from screens.commands import BindingCommands, translated_system_commands
from screens.language import operator_language, other_language, station_language
from screens.login import LoginScreen
from screens.widgets.calls import ServiceCalls
from screens.widgets.scanner import ScanReader
from screens.workflows import open_workflow, workflow, workflow_bindings
from tui.key_queue import KeyQueue

if TYPE_CHECKING:
    from textual.worker import Worker

    from core.roles import Actor
    from core.units import ReadUnit, WriteUnit

# How long a worker waits for the database before it gives up (a stuck network share, a dead server).
DATABASE_TIMEOUT = 60.0
_SIGNED_IN_ACTIONS = frozenset({"sign_out", "go_to_code"})
_STYLES = Path(__file__).resolve().parent / "styles"
# The sign-in's styles are read before the first frame; the desk's (each file's rules name the screens they style,
# none the login) when the first other screen is pushed (PartsdeskApp.push_screen), in this order after them:
# parsing all eleven files took a tenth of the first paint.
_LOGIN_STYLES = ("app.tcss", "login.tcss")
_DESK_STYLES = ("home.tcss", "lookup.tcss", "part.tcss", "receiving.tcss", "counter.tcss", "intake.tcss",
                "planning.tcss", "printing.tcss", "people.tcss", "stocktake.tcss", "sales.tcss", "admin.tcss")


def freeze_start_up() -> None:
    """Move what the start-up made (the modules of Textual, SQLAlchemy and the desk: most of the objects the
    desk will ever hold) out of the garbage collector's way, once per process.

    They live as long as the desk; every full collection walked them all again, 100-170 ms on the UI thread
    at any moment, a screen opening or the dashboard painting included."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


class PartsdeskApp(ServiceCalls, App[None], inherit_bindings=False):
    """The parts desk: sign in, then the workflows the operator's roles allow."""

    TITLE = "partsdesk"
    # Absolute: Textual resolves relative paths against the module of the class, subclasses included.
    CSS_PATH = [_STYLES / name for name in _LOGIN_STYLES]
    COMMANDS = App.COMMANDS | {BindingCommands}
    # Every screen gets a class for a narrow (under 100 columns) and a short (under 30 rows) terminal: the styles
    # stack a card under its list and give a field one row there, so that 80 x 24 shows everything.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    # The app's keys (screens.keys), none shadowed by any screen: the footer lists a screen's own keys first, then
    # these in this order, so print comes right after them (Textual's own Quit is declared here, not inherited,
    # to come last).
    BINDINGS = [
        Binding(keys.PRINT, "print", N_("Print"), id="print",
                tooltip=N_("Print what this screen shows: its document, its list or its label")),
        *workflow_bindings(),
        Binding(keys.GO_TO_CODE, "go_to_code", N_("Go to code"), id="go_to_code",
                tooltip=N_("Type or scan a part, location or document number and open it")),
        Binding(keys.SIGN_OUT, "sign_out", N_("Sign out"), id="sign_out",
                tooltip=N_("Sign out and return to the login")),
        Binding(keys.QUIT, "quit", N_("Quit"), id="quit", priority=True, tooltip=N_("Close partsdesk")),
        # The footer always shows this one (screens.widgets.footer): it lists the keys the footer has no room for.
        Binding(keys.HELP, "help", N_("Keys"), id="help", tooltip=N_("Every key of this screen, with what it does")),
        Binding(keys.HELP_MARK, "help", N_("Keys"), id="help_mark", show=False,
                tooltip=N_("Every key of this screen, with what it does")),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, database_url: str | None = None, *, database: Any = None,
                 print_folder: str | Path | None = None) -> None:
        """Open on a database URL or SQLite path (None: PARTSDESK_DB), or on a built `data.db.Database` (tests);
        printed files go to `print_folder` (None: `prints` in the per-user partsdesk folder)."""
        super().__init__()
        self._print_folder = Path(print_folder) if print_folder is not None else None
        # Keys wait their turn; printable keys no field took are held while they may be a scan (the gap comes
        # from scan_gap_ms) and given back as keystrokes when they are not.
        self.key_queue = KeyQueue(self)
        self.scan_reader: ScanReader[events.Key] = ScanReader()
        self._keystrokes: deque[events.Key] = deque(maxlen=256)  # keys given back: never a scan's
        self._holding: Worker | None = None
        self.database_url = database_url
        self._database = database
        self._owns_database = database is None
        self._database_ready = threading.Event()
        self.database_error: str | None = None
        self.database_notice: str | None = None  # a message marked with N_: the sign-in translates it
        self.actor: Actor | None = None
        # The sign-in speaks the station's language once the database is open; until then (and where the station
        # has no setting) the language the process started in (the CLI's --lang, the environment).
        self.station_language: str | None = None
        self._starting_language = language()
        self._desk_styles_read = False

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Textual's push_screen, the desk's styles read first (the login is the default screen, never pushed)."""
        self.read_desk_styles()
        return super().push_screen(screen, *args, **kwargs)

    def read_desk_styles(self) -> None:
        """Read the styles of every screen but the login, once, after the login's (_DESK_STYLES)."""
        if self._desk_styles_read:
            return
        self._desk_styles_read = True
        for name in _DESK_STYLES:
            self.stylesheet.read(_STYLES / name)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    # -- the database, opened off the UI thread ----------------------------------------------

    def get_default_screen(self) -> Screen:
        """The login screen is the first and the bottom screen."""
        return LoginScreen()

    def on_mount(self) -> None:
        """Start opening the database once the first frame is out."""
        # After the refresh, not before: importing SQLAlchemy holds the GIL and would delay the first paint.
        self.call_after_refresh(self.run_blocking, self._open_database, self._database_opened, group="database",
                                exclusive=False)

    def _open_database(self) -> None:
        """Import the database stack, open the database and check its schema (in a thread worker); whatever
        happens, the outcome is kept for the login and the workers waiting for the database are let go."""
        error = notice = None
        try:
            database = self._database
            if database is None:
                from typer import get_app_dir

                from data.db import Database
                from data.url import APP_NAME, resolve_url

                database = Database(resolve_url(self.database_url, app_dir=get_app_dir(APP_NAME)))
                self._database = database
            database.check_schema()
            # Loaded here so that the first sign-in and the first search do not pay for the imports.
            for module in ("core.services.catalog", "core.services.stock"):
                importlib.import_module(module)
            from core.services.operators import has_operators

            with database.reading() as uow:
                if not has_operators(uow=uow):
                    # Marked, not translated: the sign-in shows it in the station's language, read just below.
                    notice = N_("this station has no operators yet: run `partsdesk init` to create the first admin")
                self.station_language = station_language(uow)
        except PartsdeskError as exc:
            error = exc.message
        except Exception as exc:  # any driver error: the operator needs the line, not a traceback
            error = _("cannot open the database: {error}").format(error=exc)
        self.database_error, self.database_notice = error, notice
        self._database_ready.set()

    def _database_opened(self, _nothing: None = None) -> None:
        freeze_start_up()
        if self.actor is None and self.station_language is not None:
            self.speak(self.station_language)
        for screen in self.screen_stack:
            if isinstance(screen, LoginScreen):
                screen.database_opened(self.database_error, self.database_notice)
        if self.database_error is None:
            # A plain thread worker, not a call: it starts after the login is up, never shows "working…", and
            # the day's first start costs the counter nothing.
            self.run_worker(self._daily_backup, name="daily backup", group="daily-backup", thread=True,
                            exclusive=False)

    def _daily_backup(self) -> None:
        """Today's automatic backup where the backup_folder setting names a folder (data.backup.daily_backup);
        a failure is a warning to whoever is at the desk, never a stop."""
        from core.services.settings import get_settings
        from data.backup import daily_backup

        try:
            with self.reading() as uow:
                settings = get_settings(uow=uow)
            daily_backup(self._database, settings["backup_folder"], int(settings["backup_keep"]))
        except Exception as exc:  # a full or missing backup disk must not take the counter down
            line = _("the daily backup failed: {error}").format(error=exc)
            try:
                self.call_from_thread(self.notify, line, severity="warning", timeout=30)
            except RuntimeError:  # the app closed meanwhile: nobody to tell
                pass

    @property
    def database_ready(self) -> bool:
        """Whether the database is open with the right schema."""
        return self._database_ready.is_set() and self.database_error is None

    def wait_for_database(self) -> Any:
        """The open `Database`, waiting for the background opening; call it from a worker thread only.

        Raises PartsdeskError with the line to show when the database cannot be used.
        """
        if not self._database_ready.wait(DATABASE_TIMEOUT):
            raise PartsdeskError(_("the database did not open in time"))
        if self.database_error is not None:
            raise PartsdeskError(self.database_error)
        return self._database

    def writing(self) -> WriteUnit:
        """A unit of work that writes, for one screen action (from a worker thread: `with app.writing() as uow`)."""
        return self.wait_for_database().writing()

    def reading(self) -> ReadUnit:
        """A unit of work that only reads and never takes SQLite's write lock (from a worker thread)."""
        return self.wait_for_database().reading()

    def back_up(self, target: str | Path, *, force: bool = False) -> Path:
        """Copy the station's database to `target`, as `partsdesk backup` does (data.backup; from a worker thread):
        the admin screen's backup, an existing file replaced only with `force`."""
        from data.backup import backup

        return backup(self.wait_for_database(), target, force=force)

    @property
    def print_folder(self) -> Path:
        """Where printed documents and labels are written: the folder given, else `prints` in the per-user folder."""
        if self._print_folder is None:
            from typer import get_app_dir

            from data.url import APP_NAME

            self._print_folder = Path(get_app_dir(APP_NAME)) / "prints"
        return self._print_folder

    @print_folder.setter
    def print_folder(self, folder: str | Path) -> None:
        self._print_folder = Path(folder)

    def on_unmount(self) -> None:
        """Close the pooled connections of a database this app opened itself."""
        if self._owns_database and self._database is not None:
            self._database.dispose()

    # -- signing in and out ------------------------------------------------------------------

    def speak(self, code: str) -> None:
        """Speak `code` from now on: every later `_()`, the keys' words (footer, keys dialog, palette) and the
        sign-in's form; a screen built before keeps its words, so the language changes only where no screen but
        the sign-in is open (signing in and out)."""
        use_language(code)
        for screen in self.screen_stack:
            if isinstance(screen, LoginScreen) and screen.is_mounted:
                screen.relabel()
        self.refresh_bindings()

    def switch_language(self) -> None:
        """The sign-in's key: the other of Chinese and English, until the next sign-out."""
        self.speak(other_language(language()))

    def desk_language(self) -> str:
        """The language of the sign-in: the station's setting, else the one the process started in."""
        return self.station_language or self._starting_language

    def sign_in(self, actor: Actor) -> None:
        """Make the operator the actor of every screen and show home, in the operator's language."""
        from screens.home import HomeScreen

        # Before home is built: every screen from here on is composed in the operator's language.
        self.speak(operator_language(actor) or language())
        self.actor = actor
        self.sub_title = f"{actor.code} · {actor.name}"
        # The login stays at the bottom of the stack, emptied: signing out is popping down to it.
        self.push_screen(HomeScreen())
        self.refresh_bindings()
        self._read_scan_gap()

    def _read_scan_gap(self) -> None:
        """The station's scan_gap_ms setting, for telling a scanner from typing (on a fault, the default gap serves
        and the desk keeps running)."""

        def gap(uow) -> float:
            from core.services.settings import get_settings

            return int(get_settings(uow=uow)["scan_gap_ms"]) / 1000

        self.run_read(gap, partial(setattr, self.scan_reader, "gap"), failed=self.log.error, group="settings")

    # -- keys in order, and the scanner everywhere ------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """A key the terminal delivered waits its turn (tui.key_queue): each is handed on once the one before is
        handled, so a fast burst lands as if typed slowly. While the scanner holds keys, the next key is its to
        decide (nothing has run since, so it would reach the app just as they did)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.key_queue.wait(event):
                return
            if self.scan_reader.holding and event not in self._keystrokes and self._scanned(event):
                return
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """Keys no field took: a scanner's burst and its Enter open the code instead of running bindings.

        Textual calls App's own key handler (the bindings) after this one (handlers run down the class
        hierarchy) unless the default is prevented: that is how a key held or used up by the scanner is kept
        from the bindings until it is given back.
        """
        if self._scanned(event):
            event.stop()
            event.prevent_default()

    def _scanned(self, event: events.Key) -> bool:
        """Whether the scanner takes the key: held while it may be a scan's, used up by a scan's Enter, or put back
        in line behind the keys it gives back."""
        from textual.screen import ModalScreen

        if event in self._keystrokes:  # given back by the scanner: a keystroke, whatever its timing
            self._keystrokes.remove(event)
            return False
        reader = self.scan_reader
        # Signed in, on a full screen: a dialog's keys are the dialog's, the login's are the login's.
        if self.actor is None or isinstance(self.screen, ModalScreen | LoginScreen):
            return self._give_back(event, event_too=True)
        if event.key == "enter":
            code = reader.enter(event.time)
            if code is None:
                return self._give_back(event, event_too=True)
            self.open_code(code)
            return True
        if not (event.is_printable and event.character):
            return self._give_back(event, event_too=True)
        if not reader.continues(event.time):  # too late for the keys held: they run first, then this key comes again
            return self._give_back(event, event_too=False)
        reader.key(event.character, event.time, event)
        if self._holding is None or self._holding.is_finished:
            self._holding = self.run_worker(self._give_back_in_time(), group="scan-hold", exclusive=False)
        return True

    def _give_back(self, event: events.Key, *, event_too: bool) -> bool:
        """The keys held go back in line as keystrokes, `event` behind them (a keystroke too with `event_too`, else
        to be read again once they have run); False when none were held (`event` goes on now)."""
        held = self.scan_reader.give_back()
        if not held:
            return False
        again = self.key_queue.put_back(*held, event)
        self._keystrokes.extend(again if event_too else again[:-1])
        return True

    async def _give_back_in_time(self) -> None:
        """Held keys that no key continues within the gap are keystrokes: given back once the gap has passed and
        no key that may continue them is still on its way."""
        reader = self.scan_reader
        while reader.holding:
            left = reader.gap - (monotonic() - reader.held_since)
            if left > 0:
                await asyncio.sleep(left)
            elif self.key_queue.busy:
                await asyncio.sleep(0.005)  # the next key decides, by its own time
            else:
                self._keystrokes.extend(self.key_queue.put_back(*reader.give_back()))

    def open_code(self, text: str) -> None:
        """Open the part, location or document a code names (a one-line message when it names nothing)."""
        code, actor = text.strip(), self.actor

        def find(uow):
            from screens.opening import find_target  # in the thread: the services load off the UI thread

            return find_target(code, actor=actor, uow=uow)

        # A newer scan wins; a refusal or a fault is said in a notification (ServiceCalls.say), never a traceback.
        self.run_read(find, self._show_target, group="scan")

    def _show_target(self, target: Any) -> None:
        from screens.opening import show_target

        show_target(self, target)

    def action_go_to_code(self) -> None:
        """The typed fallback of the scanner: a field for a code to open."""
        from screens.go_to_code import GoToCodeDialog

        if isinstance(self.screen, GoToCodeDialog):
            return

        def chosen(code: str | None) -> None:
            if code:
                self.open_code(code)

        self.push_screen(GoToCodeDialog(), chosen)

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field's hint in the desk's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help(self) -> None:
        """List every key of the current screen (screens.help), read from its bindings now."""
        from screens.help import KeysDialog, screen_keys

        screen = self.screen
        if isinstance(screen, KeysDialog):
            return
        self.push_screen(KeysDialog(screen_keys(screen)))

    def action_sign_out(self) -> None:
        """Forget the operator and return to the empty login, closing every open screen; unsaved work asks first."""
        from screens.widgets.leaving import ask_before_leaving, unsaved_in

        ask_before_leaving(self, unsaved_in(self.screen_stack), self._sign_out, doing=_("Signing out"))

    async def action_quit(self) -> None:
        """Close partsdesk; unsaved work on any open screen asks first."""
        from screens.widgets.leaving import ask_before_leaving, unsaved_in

        ask_before_leaving(self, unsaved_in(self.screen_stack), self.exit, doing=_("Quitting"))

    def _sign_out(self) -> None:
        self.actor = None
        self.sub_title = ""
        with self.batch_update():
            while len(self.screen_stack) > 1:
                self.pop_screen()
        login = self.screen_stack[0]
        if isinstance(login, LoginScreen):
            login.reset()
        self.speak(self.desk_language())

    def action_help_quit(self) -> None:
        """ctrl+c (outside a field, where it copies) never quits: it says, in the desk's language, which key does."""
        self.notify(_("ctrl+c does not close partsdesk: {key} does").format(
            key=keys.QUIT), title=_("Quit?"))

    def action_workflow(self, action: str) -> None:
        """Open a workflow (screens.workflows names it), or return to the one already open."""
        open_workflow(self, action)

    async def action_print(self) -> None:
        """Print what the current screen shows: its own `action_print` (asked through its `check_action`)."""
        await self.run_action("print", self.screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Workflows, print and sign-out exist only for a signed-in operator (hidden from footer and palette); a
        workflow only where the core rule its registry row names allows it, print only where the screen prints."""
        if action == "workflow":  # the registry imports the rule now: never before sign-in, so the login stays light
            return self.actor is not None and workflow(str(parameters[0])).allows(self.actor)
        if action == "print":
            screen = self.screen
            if self.actor is None or not hasattr(screen, "action_print"):
                return False
            return screen.check_action("print", ())
        if action in _SIGNED_IN_ACTIONS:
            return self.actor is not None
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands in the desk's language, less its Quit (ours comes from the bindings) and
        with the desk's keys dialog for its keys panel (screens.commands)."""
        yield from translated_system_commands(super().get_system_commands(screen), self.action_help)


def run(database_url: str | None) -> None:
    """Run the desk on a database URL or SQLite path until the operator quits (`partsdesk` with no command)."""
    PartsdeskApp(database_url).run()
