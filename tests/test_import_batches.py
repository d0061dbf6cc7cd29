"""A long import commits batch by batch and says so first; the file is checked whole before the first batch,
and running it again after an interruption finishes it (issue 14)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select, text

from core import tables as t
from core.errors import ImportRejected
from core.roles import Role
from core.services import catalog, part_import
from core.services.part_import import ImportPlan, import_parts
from data.db import Database
from data.sqlite_lock import WRITE_POLL_S
from tests.helpers.cli import Station
from tests.helpers.staff import make_staff


def write_parts(path, rows: int, *, bad_row: int | None = None, misfit_row: int | None = None) -> None:
    """`rows` generated parts in EXC bins of the EXCELLE series (row `bad_row` has no readable price, row
    `misfit_row` is a CRUZE part put in the EXCELLE zone)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("part_no,name,name_zh,model_series,unit_price,location\n")
        for n in range(rows):
            price = "abc" if n == bad_row else f"{n % 900}.{n % 100:02d}"
            series = "CRUZE" if n == misfit_row else "EXCELLE"
            out.write(f"BT{n:06d},Part {n},配件{n},{series},{price},EXC-{n // 100 % 100:02d}-{n // 10 % 10 + 1:02d}-"
                      f"{n % 10 + 1:02d}\n")


def table_rows(database, table) -> list[tuple]:
    """Every row of a table but its id, in id order: two imports that agree leave the same rows."""
    with database.engine.connect() as conn:
        return [tuple(r)[1:] for r in conn.execute(select(table).order_by(table.c.id))]


def parts(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.part)).scalar_one()


@pytest.fixture
def small_batches(monkeypatch):
    """Commits of at most 10 rows in statements of 5, with no pause (it only matters to a waiting terminal) and
    no time limit on a batch."""
    monkeypatch.setattr(part_import, "COMMIT_ROWS", 10)
    monkeypatch.setattr(part_import, "BATCH_MAX_ROWS", 10)
    monkeypatch.setattr(part_import, "LONG_BATCH_ROWS", 5)
    monkeypatch.setattr(part_import, "BATCH_PAUSE_S", 0)
    monkeypatch.setattr(part_import, "LOCK_BUDGET_S", 3600)


def watch_commits(db, monkeypatch) -> list[int]:
    """The parts a reader on another connection sees as each statement of the import is about to run: only the
    committed batches."""
    seen: list[int] = []
    save = part_import._PartSaver.save

    def watched(saver, rows):
        with db.reading() as reader, reader.read() as conn:
            seen.append(conn.execute(select(func.count()).select_from(t.part)).scalar_one())
        save(saver, rows)

    monkeypatch.setattr(part_import._PartSaver, "save", watched)
    return seen


def test_a_long_import_announces_its_plan_and_commits_each_batch(db, tmp_path, monkeypatch, small_batches):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 35)
    seen = watch_commits(db, monkeypatch)
    plans = []
    with db.writing() as uow:
        result = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow, announce=plans.append)
    assert plans == [ImportPlan(rows=35, batch_rows=10)] and plans[0].batches == 4
    assert seen == [0, 0, 10, 10, 20, 20, 30]
    assert (result.created, result.updated, parts(db)) == (35, 0, 35)


def test_a_batch_that_held_the_lock_long_enough_commits_early(db, tmp_path, monkeypatch, small_batches):
    monkeypatch.setattr(part_import, "LOCK_BUDGET_S", 0)
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 22)
    seen = watch_commits(db, monkeypatch)
    with db.writing() as uow:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert seen == [0, 5, 10, 15, 20] and parts(db) == 22


def test_a_one_batch_import_is_one_transaction_and_announces_nothing(db, tmp_path, small_batches):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 10)
    plans = []
    with db.writing() as uow:
        result = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow, announce=plans.append)
    assert plans == [] and result.created == 10


@pytest.mark.parametrize("problem", ["bad_row", "misfit_row"])
def test_a_bad_row_in_the_last_batch_imports_nothing(db, tmp_path, small_batches, problem):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 35, **{problem: 33})
    plans = []
    with db.writing() as uow, pytest.raises(ImportRejected) as refused:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow, announce=plans.append)
    assert [p.row for p in refused.value.problems] == [35]  # the header is row 1
    assert plans == [] and parts(db) == 0 and table_rows(db, t.location) == []


def test_running_an_interrupted_import_again_finishes_it(db, tmp_path, monkeypatch, small_batches, migrated_sqlite):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 35)
    save = part_import._PartSaver.save
    calls = []

    def interrupted(saver, rows):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt  # the operator's Ctrl-C in the third batch
        save(saver, rows)

    monkeypatch.setattr(part_import._PartSaver, "save", interrupted)
    with db.writing() as uow, pytest.raises(KeyboardInterrupt):
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert parts(db) == 20  # two whole batches, nothing of the third
    monkeypatch.setattr(part_import._PartSaver, "save", save)
    with db.writing() as uow:
        again = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert (again.created, again.updated) == (15, 20)

    # The same station as one uninterrupted import makes (an upsert writes no other rows).
    shutil.copyfile(migrated_sqlite, tmp_path / "clean.sqlite")
    clean = Database(f"sqlite:///{tmp_path / 'clean.sqlite'}")
    try:
        with clean.writing() as uow:
            import_parts(sheet, actor=make_staff(clean)[Role.PLANNER], uow=uow)
        for table in (t.part, t.location, t.stock_lot, t.stock_move):
            assert table_rows(db, table) == table_rows(clean, table), table.name
        assert counts(db) == counts(clean)
    finally:
        clean.dispose()


def counts(database) -> dict[str, int]:
    """Rows in every table of the file, the audit trail's and the search index's too."""
    with database.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
        # FTS5's own shadow tables (part_fts_data, ...) keep segments as the writes came, not rows.
        return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names
                if not name.startswith("part_fts_")}


def test_the_cli_says_up_front_that_a_long_import_commits_in_batches(tmp_path, small_batches):
    station = Station(tmp_path / "station.sqlite")
    assert station.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    assert station.run("operator", "add", "PLAN1", "--name", "Planner", "--role", "planner", "--pin", "1234",
                       as_="ADMIN").exit_code == 0
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 25)
    result = station.run("part", "import", str(sheet), "--json", as_="PLAN1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "partsdesk: parts.csv: 25 rows, committed in batches of at most 10 so that the counter keeps working; "
        "if the import is interrupted, run it again to finish it"]
    assert '"created": "25"' in result.stdout and station.count("part") == 25
    write_parts(sheet, 10)
    result = station.run("part", "import", str(sheet), as_="PLAN1")
    assert result.exit_code == 0 and result.stderr == ""


def test_the_units_of_a_long_packing_list_are_looked_up_a_chunk_at_a_time(db, tmp_path, monkeypatch):
    # A packing list's units (core.records.catalog.part_units): never one IN-list as long as the file.
    from sqlalchemy import event

    from core.records import catalog

    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 7)
    with db.writing() as uow:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    monkeypatch.setattr(catalog, "UNITS_CHUNK", 3)
    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    with db.reading() as uow, uow.read() as conn:
        units = catalog.part_units(conn, [f"BT{n:06d}" for n in range(7)] + ["NOSUCHPART"])
    assert units == {f"BT{n:06d}": "pc" for n in range(7)}
    assert len([s for s in statements if "FROM part" in s]) == 3  # 8 numbers, 3 a statement


def test_the_pause_after_a_batch_outlasts_a_waiting_writers_poll():
    # A waiting writer tries the lock every WRITE_POLL_S (data.sqlite_lock): the pause lets it in, with a margin.
    assert part_import.BATCH_PAUSE_S >= 2 * WRITE_POLL_S


def _pauses_of_a_long_import(database, tmp_path, monkeypatch) -> list[float]:
    """Import 35 parts in small batches (small_batches) with pauses of 0.02 s; the sleeps it asked for."""
    monkeypatch.setattr(part_import, "BATCH_PAUSE_S", 0.02)
    paused: list[float] = []
    monkeypatch.setattr(part_import.time, "sleep", paused.append)
    staff = make_staff(database)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 35)
    with database.writing() as uow:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    return paused


def test_a_long_import_pauses_after_each_batch_but_the_last(db, tmp_path, monkeypatch, small_batches):
    paused = _pauses_of_a_long_import(db, tmp_path, monkeypatch)
    # Four batches, three pauses between them and one before each commit of the search index's merge (less the
    # time spent reading the next rows).
    assert len(paused) >= 4 and all(0 <= p <= 0.02 for p in paused)
    assert parts(db) == 35


def test_a_long_import_on_postgresql_commits_in_batches_without_pausing(pg_db, tmp_path, monkeypatch, small_batches):
    # No database-wide lock there: nobody waits behind a batch, so a pause would only make the import longer.
    assert _pauses_of_a_long_import(pg_db, tmp_path, monkeypatch) == [] and parts(pg_db) == 35


def trigram_segments(database) -> int:
    """The trigram index's segments (FTS5 keeps each segment's terms in part_fts_idx under its id)."""
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT count(DISTINCT segid) FROM part_fts_idx")).scalar_one()


def test_a_long_imports_batches_leave_the_merging_to_the_import(db, tmp_path, monkeypatch, small_batches):
    # Twelve batches write twelve segments, none merged on the way by FTS5's automerge (which merged the same
    # entries level after level over a long import): the import merges them once, after the last batch. Twelve:
    # at sixteen segments a level FTS5 merges whatever the setting (its crisis merge).
    monkeypatch.setattr(part_import, "_merge_search_index", lambda uow: None)
    with db.engine.begin() as conn:  # small pages: ten parts' entries fill the pages after which FTS5 merges
        conn.execute(text("INSERT INTO part_fts (part_fts, rank) VALUES ('pgsz', 64)"))
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 120)
    with db.writing() as uow:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert trigram_segments(db) == 12
    with db.engine.connect() as conn:  # the setting back as FTS5's default, in each batch's own transaction
        assert conn.execute(text("SELECT v FROM part_fts_config WHERE k = 'automerge'")).scalar() == 4


@pytest.mark.parametrize("merged", [True, False])
def test_a_long_import_leaves_the_search_index_merged(db, tmp_path, monkeypatch, small_batches, merged):
    # Twenty commits write twenty segments of the trigram index: merged after the import, not by the next writer.
    from core.records.part_bulk import merge_step

    if not merged:
        monkeypatch.setattr(part_import, "_merge_search_index", lambda uow: None)
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 200)
    with db.writing() as uow:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow, uow.write() as conn:
        assert merge_step(conn) is not merged
    with db.reading() as uow:
        assert [p.part_no for p in catalog.search_parts("BT000199", uow=uow)] == ["BT000199"]
