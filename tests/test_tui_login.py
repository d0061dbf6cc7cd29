"""The login screen: signing in, refusals, a database without schema, start-up hygiene and signing out."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from core.access import todo_sections
from core.roles import Role
from screens.home import HomeScreen
from screens.login import LoginScreen
from screens.workflows import WORKFLOWS
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, until
from tui.app import PartsdeskApp

REFUSED = "operator code or PIN not accepted"
REPO = Path(__file__).resolve().parent.parent


async def test_correct_sign_in_reaches_home_showing_the_operator(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor is not None and app.actor.code == "STORE1"
        text = screen_text(app)
        assert "STORE1" in text
        assert "storekeeper STORE1" in text  # the operator's name
        assert str(app.screen.query_one("#home-roles").render()) == "storekeeper"  # the role in words
        assert "Part lookup" in text
        assert "Sign out" in text  # in the footer


async def test_wrong_pin_is_refused_visibly_and_the_pin_cleared(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER, pin="9999")
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert REFUSED in screen_text(app)
        assert app.screen.query_one("#pin", Input).value == ""
        assert app.screen.query_one("#code", Input).value == "STORE1"
        assert app.screen.focused is app.screen.query_one("#pin", Input)
        # The next attempt, with the right PIN, gets in.
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_code_and_pin_typed_ahead_in_one_burst_sign_in(db, staff):
    # A badge scanner or a fast typist: the PIN's keys arrive before Enter has moved the focus.
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *"STORE1", "enter", *"1234", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.actor is not None and app.actor.code == "STORE1"


async def test_unknown_code_is_refused_with_the_same_message(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"NOBODY", "enter", *"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert REFUSED in screen_text(app)


async def test_a_database_without_schema_says_to_run_init(tmp_path):
    (tmp_path / "empty.sqlite").touch()
    app = PartsdeskApp(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "no partsdesk schema yet: run `partsdesk init`" in screen_text(app)
        await pilot.press(*"ADMIN", "enter", *"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "run `partsdesk init`" in screen_text(app)


async def test_a_plain_path_is_taken_as_a_sqlite_file(tmp_path):
    (tmp_path / "empty.sqlite").touch()
    app = PartsdeskApp(str(tmp_path / "empty.sqlite"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "run `partsdesk init`" in screen_text(app)


async def test_a_station_without_operators_says_how_to_create_the_first(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "no operators yet" in screen_text(app)


async def test_no_database_option_means_partsdesk_db(tmp_path, monkeypatch):
    # What `partsdesk` with no --db passes: the app resolves PARTSDESK_DB itself, off the UI thread.
    monkeypatch.setenv("PARTSDESK_DB", str(tmp_path / "from-env.sqlite"))
    app = PartsdeskApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "there is no database at" in screen_text(app)
        assert "from-env.sqlite" in screen_text(app)
    # A mistyped path is reported, not created as an empty file.
    assert not (tmp_path / "from-env.sqlite").exists()


class _SlowDatabase:
    """A database whose opening waits for the test: the login works before the database does."""

    def __init__(self, database) -> None:
        self.database = database
        self.release = threading.Event()

    def check_schema(self) -> None:
        assert self.release.wait(10)
        self.database.check_schema()

    def writing(self):
        return self.database.writing()

    def reading(self):
        return self.database.reading()


async def test_sign_in_waits_for_the_database_then_goes_through(db, staff):
    slow = _SlowDatabase(db)
    app = PartsdeskApp(database=slow)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert not app.database_ready
        await pilot.press(*"STORE1", "enter", *"1234", "enter")
        await pilot.pause()
        assert "waiting for the database" in screen_text(app)
        assert isinstance(app.screen, LoginScreen)
        slow.release.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_sign_out_from_a_deeper_screen_returns_to_an_empty_login(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LookupScreen"
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 1
        assert app.actor is None
        assert app.screen.query_one("#code", Input).value == ""
        assert "Sign out" not in screen_text(app)
        await pilot.press("f2")  # no workflow without an operator
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


def _palette_offers(app, words: str) -> bool:
    """Whether the command palette's highlighted result is the command named by `words` (its search is done)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().highlighted is None:
        return False
    commands = found.first()
    return words in str(commands.get_option_at_index(commands.highlighted).prompt).lower()


async def test_the_command_palette_offers_the_desk_commands(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"part lookup")
        await until(pilot, lambda: _palette_offers(app, "lookup"), "the palette's search")  # a task of its own
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LookupScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sign out")
        await until(pilot, lambda: _palette_offers(app, "sign out"), "the palette's search")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None


def test_importing_the_app_does_not_load_the_database_stack():
    # The login must paint within 0.6 s; sqlmodel alone takes ~0.5 s to import, so it loads later.
    code = (
        "import sys, tui.app; "
        "print(sorted({m.split('.')[0] if not m.startswith('core.') else m for m in sys.modules "
        "if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic', 'data') "
        "or m.startswith(('core.services', 'core.models'))}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("role", list(Role))
async def test_home_and_the_keys_offer_the_workflows_the_core_allows(db, staff, role):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, role)
        home = app.screen
        assert isinstance(home, HomeScreen)
        listed = [option.id for option in home.query_one("#workflows", OptionList).options]
        assert listed == [workflow.action for workflow in WORKFLOWS if workflow.allows(staff[role])]
        for workflow in WORKFLOWS:
            assert app.check_action("workflow", (workflow.action,)) is workflow.allows(staff[role])
        assert home.check_action("dashboard", ()) is bool(todo_sections(staff[role]))


async def test_ctrl_c_never_quits_and_says_so_through_the_catalogue(db, staff, monkeypatch):
    import tui.app

    monkeypatch.setattr(tui.app, "_", lambda text: f"«{text}»")  # what the zh_CN catalogue would translate
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        home = app.screen
        app.set_focus(None)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running and app.screen is home
        said = [(n.title, n.message) for n in app._notifications]
        assert said == [("«Quit?»", "«ctrl+c does not close partsdesk: {key} does»".replace("{key}", "ctrl+q"))]
