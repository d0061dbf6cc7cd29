"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL where PARTSDESK_TEST_PG is set), a frozen
clock, one operator per role, and one document of each kind. Shared helpers live in tests/helpers."""

from __future__ import annotations

import os

# Before partsdesk is imported: messages and key labels are translated at import time, and the
# tests read them in English whatever the machine's locale.
os.environ["LANGUAGE"] = "en"
# The station's language defaults to the system locale's (setting `language`): English here whatever the machine.
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)
os.environ.pop("PARTSDESK_LANG", None)
os.environ["LANG"] = "C.UTF-8"
os.environ.setdefault("TZ", "UTC")

import shutil

import pytest
from textual import _wait as textual_wait  # Pilot's idle wait (quick_idle)

from core import clock as clock_module
from core import i18n, pins
from data.db import Database
from data.migrations import upgrade
from tests.helpers.databases import PG_SKIP, PG_URL, PgStation
from tests.helpers.languages import TEST_WORDS, use_catalogue, write_catalogue
from tests.helpers.papers import one_of_each
from tests.helpers.printer import short_programs
from tests.helpers.staff import FROZEN, make_staff
from tests.helpers.tui import stock_samples


@pytest.fixture(autouse=True, scope="session")
def fast_pins():
    """scrypt is slow on purpose (about 40 ms a PIN); tests use a low cost factor, the same code otherwise.

    The cost is stored inside each hash, so check_pin reads it back like production does.
    """
    previous = pins._N
    pins._N = 2**8
    yield
    pins._N = previous


@pytest.fixture(autouse=True, scope="session")
def quick_idle():
    """Textual's Pilot waits for the app to go idle after every key and pause by sleeping 20 ms at a time until
    the process used no CPU in one sleep; tests wait for the state they assert (helpers.tui.settle and until),
    so 2 ms steps see the same idleness and a typed code no longer costs a fifth of a second of sleep."""
    previous = textual_wait.SLEEP_GRANULARITY
    textual_wait.SLEEP_GRANULARITY = 0.002
    yield
    textual_wait.SLEEP_GRANULARITY = previous


@pytest.fixture(autouse=True)
def clock():
    """A frozen clock at 2026-11-20 08:30 UTC, restored after the test."""
    fixed = clock_module.FixedClock(FROZEN)
    previous = clock_module.set_clock(fixed)
    yield fixed
    clock_module.set_clock(previous)


@pytest.fixture(autouse=True)
def english():
    """Every test starts and ends in English: the language is one per process, and a sign-in (or the CLI's --lang)
    sets it for whatever runs next in the same worker."""
    i18n.use_language(i18n.ENGLISH)
    yield
    i18n.use_language(i18n.ENGLISH)
    i18n._catalogue.cache_clear()


@pytest.fixture(autouse=True)
def own_user_folder(tmp_path, monkeypatch):
    """Each test its own per-user folder (typer.get_app_dir: the default database, the print folder), never the
    machine user's: a sheet or label printed by one test is not there for the next, whose print would then stop
    to ask before replacing it, nor left behind in the home folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))


@pytest.fixture
def zh_catalogue(tmp_path, monkeypatch):
    """A small zh_CN catalogue (tests.helpers.languages.TEST_WORDS) in place of the real one, for this test."""
    use_catalogue(monkeypatch, write_catalogue(tmp_path / "locale", TEST_WORDS))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One freshly migrated SQLite file; each test works on a copy (running Alembic per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite"
    template = Database(f"sqlite:///{path}")
    upgrade(template.engine)
    template.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _sqlite_db(tmp_path, template) -> Database:
    path = tmp_path / "station.sqlite"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def db(tmp_path, migrated_sqlite):
    """A migrated SQLite database in a temporary file."""
    database = _sqlite_db(tmp_path, migrated_sqlite)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def pg_station():
    """This worker's PostgreSQL schema, migrated once and emptied between tests (tests.helpers.databases)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    station = PgStation()
    yield station
    station.close()


def _migrate(url: str) -> None:
    database = Database(url)
    upgrade(database.engine)
    database.dispose()


@pytest.fixture
def pg_db(request, pg_station):
    """A migrated PostgreSQL database in this worker's schema, holding only what the migrations wrote (a new
    schema for a test marked fresh_schema)."""
    fresh = request.node.get_closest_marker("fresh_schema") is not None
    database = Database(pg_station.checkout(_migrate, fresh=fresh))
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path, migrated_sqlite):
    """The same test on SQLite and on PostgreSQL (skipped with a reason where it is not configured)."""
    if request.param == "sqlite":
        database = _sqlite_db(tmp_path, migrated_sqlite)
        yield database
        database.dispose()
    else:
        yield request.getfixturevalue("pg_db")


@pytest.fixture
def staff(db):
    """One signed-in operator per role on the SQLite database."""
    return make_staff(db)


@pytest.fixture
def uow(db):
    """A write unit of work on the SQLite database."""
    with db.writing() as s:
        yield s


@pytest.fixture
def papers(db, staff, tmp_path):
    """One document of each kind on the SQLite database, by kind: its number (see helpers.papers)."""
    return one_of_each(db, staff, tmp_path)


@pytest.fixture
def stocked(db, staff, clock):
    """The sample parts master and three lots of brake pads (a test file may define its own station)."""
    return stock_samples(db, staff, clock)


@pytest.fixture
def short_python(monkeypatch):
    """Printer commands that stay short at any clone path (tests/helpers/printer.py)."""
    with short_programs(monkeypatch) as programs:
        yield programs


@pytest.fixture(autouse=True)
def colours(request, monkeypatch):
    """A snapshot is in colour whatever the shell running the tests says."""
    if "snap_compare" in request.fixturenames:
        monkeypatch.delenv("NO_COLOR", raising=False)


# The two sizes the desk is made for: a small terminal (80 x 24) and the counter's usual window (120 x 36).
TERMINAL_SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


@pytest.fixture(params=list(TERMINAL_SIZES), ids=list(TERMINAL_SIZES))
def size(request):
    """Each snapshot at both terminal sizes the desk promises to fit."""
    return TERMINAL_SIZES[request.param]
