"""PostgreSQL's checks of what a stocktake's lines name (migration 0029, data.pg_stocktake_lines): the part, the bin
and the stocktake must exist, are locked as a foreign key locks them, and are neither deleted nor renumbered while
lines name them; each refusal is the foreign key's own error. An update of a line's other columns (a count, a
variance's value) fires no check. Down to 0028 the keys are back."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core.roles import Role
from core.services import catalog
from data import pg_stocktake_lines
from tests.helpers import make_staff
from tests.helpers.databases import line_keys_left, refused_as_key

LINE = text("INSERT INTO stocktake_line (stocktake_id, part_id, location_id, recounts) "
            "VALUES (:stocktake, :part, :bin, 0)")
MISSING = 987654321


def _named(db) -> dict[str, int]:
    """An open stocktake, two parts and a bin: their ids."""
    staff = make_staff(db)
    with db.writing() as uow:
        for part_no in ("P1", "P2"):
            catalog.add_part(part_no, f"part {part_no}", price="1", actor=staff[Role.PLANNER], uow=uow)
    with db.engine.begin() as conn:
        stocktake = conn.execute(text(
            "INSERT INTO stocktake (number, scope_kind, scope, state, opened_at, opened_by) "
            "VALUES ('ST-T', 'zone', 'EXC', 'open', now(), :by) RETURNING id"),
            {"by": staff[Role.STOREKEEPER].id}).scalar_one()
        bin_id = conn.execute(text("INSERT INTO location (code, zone) VALUES ('EXC-01-01-01', 'EXC') RETURNING id"))
        parts = conn.execute(text("SELECT id FROM part ORDER BY part_no")).scalars().all()
        return {"stocktake": stocktake, "part": parts[0], "other": parts[1], "bin": bin_id.scalar_one()}


def test_a_line_names_only_a_part_a_bin_and_a_stocktake_that_exist(pg_db):
    ids = _named(pg_db)
    line = {"stocktake": ids["stocktake"], "part": ids["part"], "bin": ids["bin"]}
    # Many lines in one statement (the INSERT ... SELECT of an opened count), one naming no part: all refused.
    refused_as_key(pg_db, text("INSERT INTO stocktake_line (stocktake_id, part_id, location_id, recounts) "
                               "SELECT :stocktake, p, :bin, 0 FROM unnest(CAST(:parts AS bigint[])) AS p"),
                   {**line, "parts": [ids["part"], MISSING]}, "stocktake_line_part_id_fkey")
    with pg_db.engine.begin() as conn:
        conn.execute(LINE, [line, {**line, "part": ids["other"]}])
    refused_as_key(pg_db, LINE, {**line, "part": MISSING}, "stocktake_line_part_id_fkey")
    refused_as_key(pg_db, LINE, {**line, "bin": MISSING}, "stocktake_line_location_id_fkey")
    refused_as_key(pg_db, LINE, {**line, "stocktake": MISSING}, "stocktake_line_stocktake_id_fkey")
    # A key column changed a row at a time is checked by the row trigger.
    refused_as_key(pg_db, text("UPDATE stocktake_line SET location_id = :missing WHERE part_id = :part"),
                   {"missing": MISSING, "part": ids["part"]}, "stocktake_line_location_id_fkey")
    with pg_db.engine.begin() as conn:  # a count: no key column set, nothing checked, nothing refused
        conn.execute(text("UPDATE stocktake_line SET counted = 5000, book = 4000 WHERE part_id = :part"),
                     {"part": ids["part"]})
        assert conn.execute(text("SELECT count(*) FROM stocktake_line")).scalar() == 2


def test_what_lines_name_is_neither_deleted_nor_renumbered(pg_db):
    ids = _named(pg_db)
    with pg_db.engine.begin() as conn:
        conn.execute(LINE, {"stocktake": ids["stocktake"], "part": ids["part"], "bin": ids["bin"]})
    for table, key, column in (("part", "part", "part_id"), ("location", "bin", "location_id"),
                               ("stocktake", "stocktake", "stocktake_id")):
        constraint = f"stocktake_line_{column}_fkey"
        refused_as_key(pg_db, text(f"DELETE FROM {table} WHERE id = :id"), {"id": ids[key]}, constraint)
        refused_as_key(pg_db, text(f"UPDATE {table} SET id = {MISSING} WHERE id = :id"), {"id": ids[key]}, constraint)
    with pg_db.engine.begin() as conn:  # a part no line names may still go
        conn.execute(text("DELETE FROM part WHERE id = :part"), {"part": ids["other"]})


def test_the_bin_a_new_line_names_is_locked_till_it_commits(pg_db):
    ids = _named(pg_db)
    with pg_db.engine.connect() as adding, pg_db.engine.connect() as deleting:
        adding.execute(LINE, {"stocktake": ids["stocktake"], "part": ids["part"], "bin": ids["bin"]})
        deleting.execute(text("SET lock_timeout = '200ms'"))
        # The bin's row is held FOR KEY SHARE, as the key's check holds it: a delete waits, here till its timeout.
        with pytest.raises(DBAPIError, match="lock timeout"):
            deleting.execute(text("DELETE FROM location WHERE id = :bin"), {"bin": ids["bin"]})
        deleting.rollback()
        adding.rollback()


@pytest.mark.fresh_schema
def test_down_to_0028_the_keys_are_back(pg_db):
    from alembic import command

    import data.migrations

    ids = _named(pg_db)
    line = {"stocktake": ids["stocktake"], "part": MISSING, "bin": ids["bin"]}
    engine = create_engine(pg_db.url)
    try:
        command.downgrade(data.migrations.alembic_config(engine), "0028")
        with engine.connect() as conn:
            keys, triggers, functions = line_keys_left(conn, pg_stocktake_lines.KEYS)
            assert triggers == 0 and functions == 0
        assert {"stocktake_line_part_id_fkey", "stocktake_line_location_id_fkey",
                "stocktake_line_stocktake_id_fkey"} <= keys
        refused_as_key(pg_db, LINE, line, "stocktake_line_part_id_fkey")
        data.migrations.upgrade(engine)
        refused_as_key(pg_db, LINE, line, "stocktake_line_part_id_fkey")
    finally:
        engine.dispose()
