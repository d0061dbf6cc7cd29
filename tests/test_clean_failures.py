"""Clean failures: every failure is one line on stderr and the right exit code, never a traceback, whatever the
arguments (a table of junk run through every kind of command in-process)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.cli import Station, invoke, refused
from tests.helpers.databases import PG_SKIP, PG_URL


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A small demo station, made once; each test works on a copy."""
    path = tmp_path_factory.mktemp("clean") / "demo.sqlite"
    assert Station(path).run("demo", "--parts", "12").exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def station(demo_file, tmp_path, monkeypatch):
    path = tmp_path / "station.sqlite"
    shutil.copyfile(demo_file, path)
    for code in ("MECH1", "STORE2", "PLAN1"):
        monkeypatch.setenv(f"PARTSDESK_PIN_{code}", "1234")
    return Station(path)


def one_line(result, code: int, *fragments: str) -> None:
    """Exit `code` and exactly one line on stderr holding every fragment."""
    refused(result, code, fragments[0])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], result.stderr


def test_upgrading_a_database_a_newer_partsdesk_migrated_is_one_line(station):
    conn = sqlite3.connect(station.path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    one_line(station.run("db", "upgrade"), 1, "schema revision 0099", "does not know")
    one_line(station.run("part", "search", "brake"), 1, "schema revision 0099")


def test_a_database_partsdesk_does_not_work_on_is_bad_input_naming_the_ones_it_does():
    result = invoke(["--db", "mysql://user@host/parts", "part", "search", "x"], env={"PARTSDESK_DB": ""})
    one_line(result, 2, "mysql is not a database partsdesk works on", "SQLite", "PostgreSQL")
    result = invoke(["--db", "oracle://user@host/parts", "init", "--admin", "A", "--pin", "1234"])
    one_line(result, 2, "oracle is not a database partsdesk works on")


def test_a_postgresql_database_that_does_not_exist_is_named_with_the_command_that_creates_it():
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"pd_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    env = {"PARTSDESK_DB": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": ""}
    for args in (["part", "search", "x"], ["init", "--admin", "ADMIN", "--pin", "1234"], ["db", "status"]):
        result = invoke(["--db", url, *args], env=env)
        one_line(result, 1, f"the PostgreSQL database {name} does not exist", "createdb", name)
        assert "partsdesk init`" in result.stderr and "run `partsdesk init` or" not in result.stderr
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        # Created as the line says: init then does its work.
        done = invoke(["--db", url, "init", "--admin", "ADMIN", "--pin", "1234"], env=env)
        assert done.exit_code == 0, done.stderr
        assert invoke(["--db", url, "part", "search", "x"], env=env).exit_code == 0
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_returning_a_line_already_returned_says_so_with_the_quantity(station):
    # The demo station writes, then issues (separate_issue on): the parts clerk writes, the storekeeper issues.
    written = station.run("requisition", "write", "RO-2026-000001", "--line", "96536697:2", "--json", as_="CLERK1")
    assert written.exit_code == 0, written.stderr
    req = json.loads(written.stdout)["requisition"]
    issued = station.run("requisition", "issue", req, "--to", "MECH1", as_="STORE1")
    assert issued.exit_code == 0, issued.stderr
    assert station.run("return", req, "--line", "96536697:2", as_="STORE1").exit_code == 0
    one_line(station.run("return", req, "--line", "96536697:1", as_="STORE1"), 1,
             f"96536697 on {req} was already returned", "all 2 issued came back")
    one_line(station.run("return", req, "--line", "96800106:1", as_="STORE1"), 1, "96800106 was not issued on")


@pytest.mark.parametrize("command, states", [
    (["ro", "list"], "intake, diagnosing"),
    (["po", "list"], "draft, approved, sent, partly_received"),
    (["claim", "list"], "open, sent, settled, rejected"),
    (["request", "list"], "draft, returned"),
])
def test_an_unknown_state_filter_is_bad_input_listing_the_states(station, command, states):
    one_line(station.run(*command, "--state", "shipped"), 2, "unknown", "'shipped'", states)
    assert station.run(*command, "--state", states.split(", ")[0]).exit_code == 0


def test_a_missing_mechanic_pin_with_no_terminal_is_one_line(station, monkeypatch):
    monkeypatch.delenv("PARTSDESK_PIN_MECH1")
    result = station.run("issue", "RO-2026-000001", "--line", "96536697:1", "--to", "MECH1", as_="STORE1", input="")
    one_line(result, 2, "no PIN for MECH1", "PARTSDESK_PIN_MECH1")
    result = invoke(["--db", str(station.path), "--as", "STORE1", "location", "add", "EXC-09-01-01"],
               env={"PARTSDESK_PIN": "", "PARTSDESK_OPERATOR": ""}, input="")
    one_line(result, 2, "no PIN for STORE1")


# -- fuzz: junk in every argument ---------------------------------------------------------------

JUNK = [
    "9" * 30, "-9" + "9" * 40, "\x00", "12\x003", "", "   ", "１２", "-1", "0", "nan", "1e999", "0x1F", "1,5",
    "2026-02-30", "ЖЖЖ-01-01-01", "😀" * 40, "x" * 5000, "/nonexistent/file.csv", "{dir}", "{dir}/station.sqlite-wal",
    "'; DROP TABLE part;--", "\u202eevil", "EXC-０１-０２-０３", "\t\r\n",
]
COMMANDS = [
    (["part", "search", "{}"], None),
    (["part", "show", "{}"], None),
    (["part", "add", "{}", "--name", "x"], "PLAN1"),
    (["part", "add", "FUZZ0001", "--name", "{}", "--price", "1"], "PLAN1"),
    (["part", "add", "FUZZ0002", "--name", "x", "--price", "{}"], "PLAN1"),
    (["part", "import", "{}"], "PLAN1"),
    (["part", "set-location", "96536697", "{}"], "PLAN1"),
    (["location", "add", "{}"], "PM1"),
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "{}", "--reason", "lost"], "PM1"),
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "1", "--reason", "lost", "--unit-cost",
      "{}"], "PM1"),
    (["stock", "adjust", "96536697", "--location", "{}", "--qty", "-1", "--reason", "{}"], "PM1"),
    (["stock", "list", "--location", "{}"], None),
    (["ledger", "{}"], None),
    (["issue", "RO-2026-000001", "--line", "{}", "--to", "MECH1"], "STORE1"),
    (["issue", "{}", "--line", "96536697:1", "--to", "{}"], "STORE1"),
    (["return", "REQ-2026-000001", "--line", "{}"], "STORE1"),
    (["ro", "show", "{}"], None),
    (["ro", "list", "--state", "{}"], None),
    (["ro", "open", "--customer", "{}", "--phone", "{}", "--vin", "{}", "--plate", "{}", "--series", "{}",
      "--mileage", "{}", "--complaint", "{}"], "ADV1"),
    (["shortage", "log", "{}", "--qty", "{}", "--ro", "RO-2026-000001"], "ADV1"),
    (["po", "create", "--supplier", "{}", "--line", "{}"], "PLAN1"),
    (["po", "list", "--state", "{}"], None),
    (["receive", "open", "{}", "--supplier", "SGM"], "STORE1"),
    (["receive", "boxes", "RCV-2026-000002", "--boxes", "{}", "--by", "STORE1", "--by", "PLAN1"], "STORE1"),
    (["receive", "count", "RCV-2026-000002", "--by", "STORE1", "--by", "STORE2", "--line", "{}"], None),
    (["receive", "count", "RCV-2026-000002", "--by", "STORE1", "--by", "STORE2", "--file", "{}"], None),
    (["receive", "scan", "RCV-2026-000002", "{}"], "STORE1"),
    (["claim", "list", "--state", "{}"], None),
    (["claim", "settle", "{}", "--amount", "{}"], "PLAN1"),
    (["request", "list", "--state", "{}"], None),
    (["operator", "add", "{}", "--name", "{}", "--role", "{}", "--pin", "{}"], "ADMIN"),
    (["location", "add", "EXC-09-09-09"], "{}"),
]


def test_junk_in_any_argument_never_shows_a_traceback(station, tmp_path):
    env = {"PARTSDESK_DB": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": "1234", "PARTSDESK_PIN_MECH1": "1234",
           "PARTSDESK_PIN_STORE1": "1234", "PARTSDESK_PIN_STORE2": "1234"}
    # Every command with a third of the junk, every junk value with a third of the commands: chosen by a seeded
    # draw, so a failure names a pair that fails again.
    rng = random.Random(20261129)
    pairs = [(command, junk) for command in COMMANDS for junk in rng.sample(JUNK, len(JUNK) // 3)]
    assert {junk for _c, junk in pairs} == set(JUNK)
    seen = 0
    for (template, who), junk in pairs:
        value = junk.replace("{dir}", str(tmp_path))
        args = [value if part == "{}" else part for part in template]
        operator = value if who == "{}" else who
        signed = ["--as", operator] if operator is not None else []
        result = invoke(["--db", str(station.path), *signed, *args], env=env, input="")
        shown = f"{args!r} as {operator!r}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert result.exit_code in (0, 1, 2), shown
        assert "Traceback" not in result.stdout + result.stderr, shown
        if result.exit_code:
            assert result.stderr.startswith("partsdesk: "), shown
        seen += 1
    # The global options too: a database path or URL that is junk.
    for junk in JUNK:
        value = junk.replace("{dir}", str(tmp_path))
        result = invoke(["--db", value or " ", "part", "search", "x"], env=env, input="")
        shown = f"--db {value!r}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, shown
        seen += 1
    assert seen == len(pairs) + len(JUNK)


def test_a_new_pin_with_no_terminal_is_one_line_and_the_environment_serves(tmp_path):
    path = tmp_path / "new.sqlite"
    env = {"PARTSDESK_DB": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": ""}
    one_line(invoke(["--db", str(path), "init", "--admin", "ADMIN"], env=env, input=""), 2,
             "no PIN for ADMIN", "PARTSDESK_PIN_ADMIN")
    done = invoke(["--db", str(path), "init", "--admin", "ADMIN"],
             env={**env, "PARTSDESK_PIN_ADMIN": "2468"}, input="")
    assert done.exit_code == 0, done.stderr
    one_line(invoke(["--db", str(path), "--as", "ADMIN", "operator", "add", "MECH9", "--name", "M",
                     "--role", "mechanic"], env={**env, "PARTSDESK_PIN": "2468"}, input=""), 2,
             "no PIN for MECH9")
