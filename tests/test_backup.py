"""Backup, restore and `db check` (issue 11, item 12): a consistent copy while others write, a restore that checks
the file and keeps the replaced database aside, and the named checks of the database."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest
from sqlalchemy import text

from core.roles import Role
from core.services import stock
from data.backup import run_checks
from data.db import Database
from data.migrations import HEAD_REVISION
from tests.helpers import SAMPLES
from tests.helpers.cli import Station, refused

PADS = "96536697"


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("PLAN1", "planner"), ("PM1", "parts_manager")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0, added.stderr
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    _adjust(s, "5")
    return s


def _adjust(s: Station, qty: str) -> None:
    done = s.run("stock", "adjust", PADS, "--location", "EXC-01-02-03", "--qty", qty, "--reason", "stocktake",
                 "--unit-cost", "10", as_="PM1")
    assert done.exit_code == 0, done.stderr


def _on_hand(path) -> str:
    """Units on hand in the file (quantities are stored in thousandths)."""
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT coalesce(sum(qty_remaining), 0) FROM stock_lot").fetchone()[0] // 1000)


def _sql(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


# -- backup -------------------------------------------------------------------------------------


def test_a_backup_is_one_private_file_refused_over_an_existing_one_unless_forced(station, tmp_path):
    target = tmp_path / "backups" / "monday.sqlite"
    target.parent.mkdir()
    done = station.run("backup", str(target))
    assert done.exit_code == 0 and f"backed up to {target}" in done.stdout, done.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert os.listdir(target.parent) == ["monday.sqlite"]  # no -wal, no temporary left
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert _on_hand(target) == _on_hand(station.path)
    _adjust(station, "3")
    refused(station.run("backup", str(target)), 2, f"{target} exists: give --force to replace it")
    assert station.run("backup", str(target), "--force").exit_code == 0
    assert _on_hand(target) == _on_hand(station.path) != "5"
    refused(station.run("backup", f"{station.path}-wal", "--force"), 2, "is the station's database")


def test_backups_taken_while_another_terminal_writes_are_each_consistent(station, tmp_path, staff_of_station):
    database = Database(f"sqlite:///{station.path}")
    manager = staff_of_station(database)
    stop = threading.Event()
    written = []

    def terminal() -> None:
        # Lots come and go as fast as one terminal can write: a torn copy would show ledger and lots apart.
        while not stop.is_set():
            for qty in ("2", "-1"):
                with database.writing() as uow:
                    stock.adjust(PADS, qty, location="EXC-01-02-03", reason="stocktake", unit_cost="10",
                                 actor=manager, uow=uow)
            written.append(1)

    writer = threading.Thread(target=terminal)
    writer.start()
    try:
        copies = []
        for n in range(5):
            while len(written) < (n + 1) * 3:  # backups really land between writes, not before them
                assert writer.is_alive(), "the writing terminal stopped"
                stop.wait(0.01)
            target = tmp_path / f"b{n}.sqlite"
            assert station.run("backup", str(target)).exit_code == 0
            copies.append(target)
    finally:
        stop.set()
        writer.join()
        database.dispose()
    for copy in copies:
        checked = Database(f"sqlite:///{copy}")
        try:
            assert [(r.name, r.ok, r.problems) for r in run_checks(checked)] == [
                ("integrity", True, []), ("foreign_keys", True, []), ("stock", True, []), ("ledger_chain", True, [])]
        finally:
            checked.dispose()
    assert len({_on_hand(copy) for copy in copies}) > 1  # the copies are of different moments


@pytest.fixture
def staff_of_station():
    """The parts manager of a station the CLI made, signed in through the service (PIN 1234)."""
    from core.services.operators import authenticate

    def signed(database):
        with database.writing() as uow:
            return authenticate("PM1", "1234", uow=uow)

    return signed


def test_on_postgresql_backup_and_restore_name_the_command_without_the_password(tmp_path):
    url = "postgresql+psycopg://desk:s3cret@db.example:5432/station"
    s = Station(url)
    result = s.run("backup", str(tmp_path / "x.dump"))
    refused(result, 2, "pg_dump --format=custom --file")
    assert "postgresql://desk@db.example:5432/station" in result.stderr and "s3cret" not in result.stderr
    result = s.run("restore", str(tmp_path / "x.dump"), "--force", as_="ADMIN")
    refused(result, 2, "pg_restore --clean --if-exists --dbname postgresql://desk@db.example:5432/station")
    assert "s3cret" not in result.stderr


# -- restore ------------------------------------------------------------------------------------


def test_restore_replaces_the_database_and_keeps_the_replaced_one_aside(station, tmp_path, clock):
    backup = tmp_path / "backup.sqlite"
    assert station.run("backup", str(backup)).exit_code == 0
    _adjust(station, "7")
    assert _on_hand(station.path) == "12"
    open_terminal = Database(f"sqlite:///{station.path}")  # another terminal, its connection pooled
    with open_terminal.engine.connect() as conn:
        assert conn.execute(text("SELECT sum(qty_remaining) FROM stock_lot")).scalar_one() == 12000
    done = station.run("restore", str(backup), "--force", as_="ADMIN")
    assert done.exit_code == 0, done.stderr
    aside = tmp_path / f"station.sqlite.replaced-{clock.now():%Y%m%d-%H%M%S}"
    assert f"restored {backup} into {station.path}; the replaced database is kept at {aside}" in done.stdout
    assert _on_hand(station.path) == "5" and _on_hand(aside) == "12"
    assert stat.S_IMODE(os.stat(aside).st_mode) == 0o600
    with open_terminal.engine.connect() as conn:  # the open terminal reads the restored books, not a mix
        assert conn.execute(text("SELECT sum(qty_remaining) FROM stock_lot")).scalar_one() == 5000
    open_terminal.dispose()
    assert station.run("stock", "check").exit_code == 0
    last = station.json("audit", as_="ADMIN")[-1]  # the restored books say who restored them, from what
    assert (last["operator"], last["action"], last["subject"], last["old"], last["new"]) == (
        "ADMIN", "restore", "database", str(aside), str(backup))
    left = sorted(name for name in os.listdir(tmp_path) if not name.endswith(("-wal", "-shm")))
    assert left == sorted(["backup.sqlite", "station.sqlite", aside.name])


def test_restore_asks_and_without_a_terminal_needs_force(station, tmp_path):
    backup = tmp_path / "backup.sqlite"
    assert station.run("backup", str(backup)).exit_code == 0
    _adjust(station, "7")
    refused(station.run("restore", str(backup), as_="ADMIN"), 2, "give --force")
    assert _on_hand(station.path) == "12"
    assert not [name for name in os.listdir(tmp_path) if "replaced" in name or name.startswith(".")]


def test_restore_is_the_admins(station, tmp_path):
    backup = tmp_path / "backup.sqlite"
    assert station.run("backup", str(backup)).exit_code == 0
    refused(station.run("restore", str(backup), "--force", as_="PM1"), 1,
            "PM1 may not restore the database from a backup: it needs the role administrator")
    refused(station.run("restore", str(backup), "--force", as_="ADMIN", pin="9999"), 1, "")
    refused(station.run("restore", str(backup), "--force"), 2, "say who you are")


def test_restore_refuses_what_is_not_a_good_backup_and_changes_nothing(station, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    refused(station.run("restore", str(junk), "--force", as_="ADMIN"), 2, "is not a partsdesk backup")
    empty = tmp_path / "empty.sqlite"
    _sql(empty, "CREATE TABLE t (x)")
    refused(station.run("restore", str(empty), "--force", as_="ADMIN"), 2, "holds no partsdesk schema")
    older, newer, broken = (tmp_path / f"{name}.sqlite" for name in ("older", "newer", "broken"))
    for path in (older, newer, broken):
        assert station.run("backup", str(path)).exit_code == 0
    _sql(older, "UPDATE alembic_version SET version_num = '0005'")
    refused(station.run("restore", str(older), "--force", as_="ADMIN"), 2,
            f"is at schema revision 0005, this partsdesk needs {HEAD_REVISION}: bring a copy of it up first")
    _sql(newer, "UPDATE alembic_version SET version_num = '9999'")
    refused(station.run("restore", str(newer), "--force", as_="ADMIN"), 2, "which this partsdesk does not know")
    _sql(broken, "UPDATE stock_lot SET qty_remaining = qty_remaining - 1000")  # books that do not agree
    refused(station.run("restore", str(broken), "--force", as_="ADMIN"), 1,
            "fails its checks, nothing was restored: stock: lot 1: ledger 5 != remaining 4")
    refused(station.run("restore", str(station.path), "--force", as_="ADMIN"), 2, "the station's database itself")
    refused(station.run("restore", str(tmp_path / "missing.sqlite"), "--force", as_="ADMIN"), 2, "no backup file")
    assert _on_hand(station.path) == "5" and station.run("stock", "check").exit_code == 0
    assert not [name for name in os.listdir(tmp_path) if "replaced" in name or name.startswith(".")]


def test_restore_mends_a_database_that_was_overwritten(station, tmp_path):
    backup = tmp_path / "backup.sqlite"
    assert station.run("backup", str(backup)).exit_code == 0
    station.path.write_bytes(b"a text slip written over the database\n")  # what `print --out` once did
    for side in ("-wal", "-shm"):
        station.path.with_name(station.path.name + side).unlink(missing_ok=True)
    refused(station.run("stock", "check"), 1, "")
    # The live database cannot be read, so the admin signs against the backup being restored.
    done = station.run("restore", str(backup), "--force", as_="ADMIN")
    assert done.exit_code == 0, done.stderr
    assert station.run("stock", "check").exit_code == 0 and _on_hand(station.path) == "5"
    kept = [p for p in tmp_path.iterdir() if ".replaced-" in p.name]
    assert [p.read_bytes() for p in kept] == [b"a text slip written over the database\n"]  # kept as it was


# -- db check -------------------------------------------------------------------------------------


def test_db_check_names_every_check_and_each_that_fails(station):
    healthy = station.json("db", "check")
    assert healthy == {"ok": True, "checks": [{"name": "integrity", "ok": True, "problems": []},
                                              {"name": "foreign_keys", "ok": True, "problems": []},
                                              {"name": "stock", "ok": True, "problems": []},
                                              {"name": "ledger_chain", "ok": True, "problems": []}]}
    shown = station.run("db", "check")
    assert shown.exit_code == 0 and shown.stdout.splitlines() == [
        "integrity: ok", "foreign_keys: ok", "stock: ok", "ledger_chain: ok"]
    _sql(station.path, "PRAGMA foreign_keys = OFF", "UPDATE stock_lot SET qty_remaining = 4000",
         "UPDATE stock_lot SET location_id = 999")
    failed = station.run("db", "check", "--json")
    assert failed.exit_code == 1
    import json

    document = json.loads(failed.stdout)
    assert document["ok"] is False
    assert [(c["name"], c["ok"]) for c in document["checks"]] == [
        ("integrity", True), ("foreign_keys", False), ("stock", False), ("ledger_chain", True)]
    assert document["checks"][1]["problems"] == ["stock_lot row 1 refers to a missing location"]
    assert "lot 1: ledger 5 != remaining 4" in document["checks"][2]["problems"]
    plain = station.run("db", "check")
    assert plain.exit_code == 1 and "foreign_keys: FAILED" in plain.stdout and "stock: FAILED" in plain.stdout
    assert plain.stderr.strip() == "partsdesk: the database fails foreign_keys, stock"


def test_db_check_on_both_backends_runs_the_checks_that_apply(any_db):
    from tests.helpers import make_staff

    make_staff(any_db)
    names = [(r.name, r.ok) for r in run_checks(any_db)]
    if any_db.dialect == "sqlite":
        assert names == [("integrity", True), ("foreign_keys", True), ("stock", True), ("ledger_chain", True)]
    else:
        assert names == [("stock", True), ("ledger_chain", True)]


# -- the daily backup ---------------------------------------------------------------------------------


def test_the_daily_backup_is_made_once_a_day_and_keeps_the_newest(db, staff, tmp_path, clock):
    from datetime import timedelta

    from data.backup import daily_backup

    folder = tmp_path / "backups"
    assert daily_backup(db, "", 3) is None  # no folder set: off
    (tmp_path / "backups").mkdir()
    (folder / "notes.txt").write_text("the station's own file", encoding="utf-8")
    (folder / "partsdesk-old.sqlite").write_bytes(b"not a daily backup's name")
    start = clock.now()
    for day in range(6):
        clock.set(start + timedelta(days=day))
        made = daily_backup(db, str(folder), 3)
        assert made == folder / f"partsdesk-{clock.now():%Y%m%d}.sqlite"
        clock.advance(hours=5)
        assert daily_backup(db, str(folder), 3) is None  # once a day
    assert sorted(os.listdir(folder)) == ["notes.txt", "partsdesk-20261123.sqlite", "partsdesk-20261124.sqlite",
                                          "partsdesk-20261125.sqlite", "partsdesk-old.sqlite"]
    assert stat.S_IMODE(os.stat(folder / "partsdesk-20261125.sqlite").st_mode) == 0o600


def test_the_daily_backup_settings_and_the_cron_command(station, tmp_path):
    refused(station.run("backup", "--daily"), 2, "no backup folder is set")
    refused(station.run("setting", "set", "backup_folder", "relative/dir", as_="ADMIN"), 2, "an absolute folder")
    refused(station.run("setting", "set", "backup_keep", "0", as_="ADMIN"), 2, "from 1 to 366")
    folder = tmp_path / "daily"
    assert station.run("setting", "set", "backup_folder", str(folder), as_="ADMIN").exit_code == 0
    made = station.run("backup", "--daily")
    assert made.exit_code == 0 and "backed up to" in made.stdout, made.stderr
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700 and len(os.listdir(folder)) == 1
    again = station.run("backup", "--daily")
    assert again.exit_code == 0 and "today's backup is there already" in again.stdout
    refused(station.run("backup"), 2, "give the backup FILE, or --daily")


async def test_the_tui_makes_the_days_backup_after_it_opens(db, staff, tmp_path):
    from core.services.settings import set_setting
    from tests.helpers.tui import SIZE, make_app, settle

    folder = tmp_path / "daily"
    with db.writing() as uow:
        set_setting("backup_folder", str(folder), actor=staff[Role.ADMIN], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert os.listdir(folder) == ["partsdesk-20261120.sqlite"]


def test_restore_onto_a_new_machine_makes_the_database(station, tmp_path):
    backup = tmp_path / "backup.sqlite"
    assert station.run("backup", str(backup)).exit_code == 0
    fresh = Station(tmp_path / "new-machine" / "partsdesk.sqlite")
    done = fresh.run("restore", str(backup), "--force", as_="ADMIN")  # the backup's admin signs
    assert done.exit_code == 0, done.stderr
    assert "(there was no database there)" in done.stdout
    last = fresh.json("audit", as_="ADMIN")[-1]
    assert (last["action"], last["old"], last["new"]) == ("restore", None, str(backup))
    assert _on_hand(fresh.path) == "5" and fresh.run("db", "check").exit_code == 0
    assert stat.S_IMODE(os.stat(fresh.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(fresh.path.parent).st_mode) == 0o700


async def test_a_daily_backup_that_fails_is_a_warning_and_the_desk_works_on(db, staff, tmp_path):
    from core.services.settings import set_setting
    from tests.helpers.tui import SIZE, make_app, sign_in, toasts, until

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with db.writing() as uow:
        set_setting("backup_folder", str(blocker / "daily"), actor=staff[Role.ADMIN], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # tests leave toasts out unless asked
        warning = f"the daily backup failed: cannot make the backup folder {blocker / 'daily'}: Not a directory"
        await until(pilot, lambda: warning in toasts(app), "the warning")
        await sign_in(pilot)
        assert app.actor is not None


def test_db_check_names_a_changed_ledger_row(station):
    with sqlite3.connect(station.path) as conn:
        triggers = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stock_move'")]
    # Someone drops the append-only triggers and changes a ledger row and its lot together: the books agree.
    _sql(station.path, *[f"DROP TRIGGER {name}" for name in triggers],
         "UPDATE stock_move SET qty = 4000", "UPDATE stock_lot SET qty_remaining = 4000")
    failed = station.run("db", "check")
    assert failed.exit_code == 1
    assert "ledger_chain: FAILED" in failed.stdout and "stock: ok" in failed.stdout
    assert failed.stderr.strip() == "partsdesk: the database fails ledger_chain"
