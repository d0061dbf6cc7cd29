"""SQLite's Chinese-name grams deleted by the gram table's key (migration 0032, data.sqlite_grams): the triggers
take out exactly the old name's pieces, by (gram, part_id), without an index on part_gram(part_id); down to 0031
the index and the triggers by part are back."""

from __future__ import annotations

import shutil

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

import data.migrations
from data.db import Database
from data.migrations import upgrade
from data.sqlite_grams import DELETE_BY_KEY, INDEX_NAME

# Names of CJK, Latin (both cases: the pieces are lowered) and repeated pieces (one row each), or none.
NAMES = st.one_of(st.none(), st.text(alphabet="滤清器机油AaBb 1", max_size=8))


def derived_grams(conn) -> set[tuple[str, int]]:
    """Every part's pieces as the insert trigger cuts them from its name now."""
    return set(conn.execute(text(
        "SELECT substr(lower(p.name_zh), g.i, 2), p.id FROM part p JOIN gram_position g "
        "ON g.i <= length(p.name_zh) WHERE p.name_zh IS NOT NULL")).all())


def held_grams(conn) -> set[tuple[str, int]]:
    return set(conn.execute(text("SELECT gram, part_id FROM part_gram")).all())


def add_parts(conn, names: list[str | None]) -> list[int]:
    """New parts with these Chinese names, through the per-row triggers; their ids."""
    ids = []
    for n, name in enumerate(names):
        conn.execute(text("INSERT INTO part (part_no, name, name_zh, unit, list_price, fragile, pack_qty, general) "
                          "VALUES (:no, 'Part', :zh, 'pc', 0, 0, 1000, 0)"), {"no": f"GR{n:04d}", "zh": name})
        ids.append(conn.execute(text("SELECT last_insert_rowid()")).scalar_one())
    return ids


def gram_schema(conn) -> tuple[list[str], dict[str, str]]:
    """part_gram's indexes besides its key, and the update and delete triggers' text."""
    indexes = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'part_gram' "
                                "AND sql IS NOT NULL")).scalars().all()
    triggers = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                      "AND name IN ('part_gram_update', 'part_gram_delete')")).all())
    return indexes, triggers


def test_the_old_pieces_are_deleted_by_the_key_with_no_index_by_part(db):
    """A renamed or deleted part's pieces are each found by part_gram's own key: the plan probes (gram, part_id)
    and never scans the gram table (a scan was 79 s for 2,000 renames at 200,000 parts), and no second index is
    written for every new piece."""
    with db.engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.execute(
            text("EXPLAIN QUERY PLAN " + DELETE_BY_KEY.format(part=":part", name=":name")),
            {"part": 1, "name": "机油滤清器"}))
        indexes, triggers = gram_schema(conn)
    assert "USING PRIMARY KEY (gram=? AND part_id=?)" in plan and "SCAN part_gram" not in plan, plan
    assert indexes == []
    by_key = DELETE_BY_KEY.format(part="old.id", name="old.name_zh")
    assert by_key in triggers["part_gram_update"] and by_key in triggers["part_gram_delete"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(NAMES, min_size=1, max_size=4), renames=st.lists(st.tuples(st.integers(0, 3), NAMES),
                                                                        max_size=6),
       deleted=st.sets(st.integers(0, 3)))
def test_the_grams_are_always_the_current_names_pieces(db, first, renames, deleted):
    """Whatever the names become (none, repeated pieces, upper case) and whichever parts go, the gram table holds
    exactly the pieces of the names the parts have now: nothing of an old name is left behind."""
    with db.engine.connect() as conn, conn.begin() as transaction:
        ids = add_parts(conn, first)
        for which, name in renames:
            conn.execute(text("UPDATE part SET name_zh = :zh WHERE id = :id"),
                         {"zh": name, "id": ids[which % len(ids)]})
            assert held_grams(conn) == derived_grams(conn)
        for which in deleted:
            conn.execute(text("DELETE FROM part WHERE id = :id"), {"id": ids[which % len(ids)]})
        assert held_grams(conn) == derived_grams(conn)
        transaction.rollback()


def test_down_to_0031_the_index_and_the_triggers_by_part_are_back(tmp_path, migrated_sqlite):
    """The downgrade puts back migration 0015's index and 0001's triggers; both ways a rename keeps the pieces."""
    shutil.copyfile(migrated_sqlite, tmp_path / "station.sqlite")
    database = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    try:
        command.downgrade(data.migrations.alembic_config(database.engine), "0031")
        with database.engine.begin() as conn:
            indexes, triggers = gram_schema(conn)
            assert indexes == [INDEX_NAME]
            assert all("DELETE FROM part_gram WHERE part_id = old.id;" in sql for sql in triggers.values())
            ids = add_parts(conn, ["机油滤清器", "雨刮片"])
            conn.execute(text("UPDATE part SET name_zh = '机滤' WHERE id = :id"), {"id": ids[0]})
            assert held_grams(conn) == derived_grams(conn)
        upgrade(database.engine)
        with database.engine.begin() as conn:
            assert gram_schema(conn)[0] == []
            conn.execute(text("UPDATE part SET name_zh = '滤清器' WHERE id = :id"), {"id": ids[0]})
            conn.execute(text("DELETE FROM part WHERE id = :id"), {"id": ids[1]})
            assert held_grams(conn) == derived_grams(conn) and len(derived_grams(conn)) == 3
    finally:
        database.dispose()
