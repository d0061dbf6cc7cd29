"""A database on a read-only or full disk (issue 11, item 12): reads still work, and a write fails with one clear
line, nothing half-done."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, text

from core.errors import PartsdeskError
from core.roles import Role
from core.services import operators, stock
from data import db as db_module
from data.db import Database, DatabaseReadOnly, StorageFull

PADS = "96536697"
# Root reads and writes through any file mode; without the two capabilities that let it, a mode binds root too.
SETPRIV = shutil.which("setpriv")
NO_OVERRIDE = [SETPRIV or "setpriv", "--bounding-set=-dac_override,-dac_read_search",
               "--inh-caps=-dac_override,-dac_read_search", "--"]


def _as_an_ordinary_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    if SETPRIV is None:
        pytest.skip("running as root without setpriv: a file mode cannot make the file read-only here")
    return NO_OVERRIDE + args


def _partsdesk(path: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command in a process of its own, as an ordinary user would run it (see _as_an_ordinary_user)."""
    command = _as_an_ordinary_user([sys.executable, "-c", "from tui.cli import main; main()", "--db", str(path),
                                    *args])
    env = {**os.environ, "PARTSDESK_OPERATOR": "PM1", "PARTSDESK_PIN": "1234", "LANGUAGE": "en"}
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, timeout=120, check=False)


@pytest.fixture
def read_only_station(stocked, tmp_path):
    """The stocked station copied into a folder and a file nobody may write (WAL mode, no -wal or -shm)."""
    stocked.dispose()
    folder = tmp_path / "ro"
    folder.mkdir()
    copy = folder / "station.sqlite"
    shutil.copyfile(db_module.sqlite_file(stocked.url), copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    yield copy
    folder.chmod(0o755)
    copy.chmod(0o644)


def test_on_a_read_only_folder_reads_work_and_a_write_is_one_line(read_only_station):
    listed = _partsdesk(read_only_station, "part", "show", PADS, "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"on_hand": "19"' in listed.stdout
    assert _partsdesk(read_only_station, "stock", "check").returncode == 0
    assert _partsdesk(read_only_station, "db", "check").returncode == 0
    adjusted = _partsdesk(read_only_station, "stock", "adjust", PADS, "--location", "EXC-01-02-03", "--qty", "1",
                          "--reason", "stocktake")
    assert adjusted.returncode == 1
    assert adjusted.stderr.splitlines() == [
        f"partsdesk: the database is read-only: {read_only_station} cannot be written (its file, folder or disk); "
        "reads work, nothing can be changed"]
    assert sorted(os.listdir(read_only_station.parent)) == ["station.sqlite"]


def test_the_read_only_opening_is_sqlites_own(stocked, monkeypatch):
    """In-process (any user): where the file is not writable the engine opens it with mode=ro, so that SQLite
    itself refuses a write slipped past writing(); the services read as usual."""
    monkeypatch.setattr(db_module, "writable", lambda _path: False)
    database = Database(stocked.url)
    try:
        assert database.read_only
        with database.reading() as uow:
            assert stock.part_stock(PADS, uow=uow).on_hand == 19
        with database.writing() as uow:
            actor = operators.authenticate("PM1", "1234", uow=uow)  # a right PIN only reads: signing in works
            with pytest.raises(DatabaseReadOnly, match="the database is read-only"):
                stock.adjust(PADS, "1", location="EXC-01-02-03", reason="stocktake", actor=actor, uow=uow)
        with database.engine.connect() as conn, pytest.raises(Exception, match="readonly database"):
            conn.execute(text("DELETE FROM setting"))
    finally:
        database.dispose()


def test_a_full_disk_is_one_line_and_the_write_is_rolled_back(stocked, staff):
    # SQLite says SQLITE_FULL when the file may not grow: max_page_count at the pages it has now stands for a
    # full disk without filling one.
    @event.listens_for(stocked.engine, "connect")
    def _no_room(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    stocked.engine.dispose()
    with stocked.reading() as uow:
        before = stock.part_stock(PADS, uow=uow).on_hand
    with pytest.raises(StorageFull) as refused:
        with stocked.writing() as uow, uow.write() as conn:
            stock.adjust(PADS, "1", location="EXC-01-02-03", reason="stocktake", unit_cost="10",
                         actor=staff[Role.PARTS_MANAGER], uow=uow)
            conn.execute(text("CREATE TABLE filler (x TEXT)"))
            conn.execute(text("INSERT INTO filler SELECT hex(randomblob(1000)) FROM stock_move, stock_move, stock_lot"))
    assert isinstance(refused.value, PartsdeskError) and refused.value.exit_code == 1
    assert str(refused.value).startswith("the disk holding ") and "is full: nothing was changed" in str(refused.value)
    event.remove(stocked.engine, "connect", _no_room)
    stocked.engine.dispose()
    with stocked.reading() as uow:
        assert stock.part_stock(PADS, uow=uow).on_hand == before
        assert stock.invariant_violations(uow=uow) == []


async def test_the_tui_signs_in_and_reads_a_read_only_database(stocked, monkeypatch):
    from screens.part import PartScreen
    from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in

    monkeypatch.setattr(db_module, "writable", lambda _path: False)
    database = Database(stocked.url)
    try:
        app = make_app(database)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot)  # a right PIN only reads
            assert app.actor is not None
            await burst(pilot, *PADS, "enter")
            await settle(pilot)
            assert isinstance(app.screen, PartScreen) and "前刹车片" in screen_text(app)
    finally:
        database.dispose()
