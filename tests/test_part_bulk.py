"""New parts inserted in bulk (core.records.part_bulk): on SQLite the batch's search entries are built set-wise with
the insert triggers dropped for the statement, and they come out as the triggers make them, the triggers come back
as they were, and an error leaves neither parts nor missing triggers."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, insert, text, update

from core import tables as t
from core.errors import BadInput
from core.records import part_bulk
from core.records.part_bulk import BULK_MIN_ROWS, bulk_inserts, insert_parts
from core.services import catalog
from data.db import Database

NAMES_ZH = ("刹车片", "机油滤清器", None, "大灯总成 左", "Ölfilter 机滤", "雨刮片AB", "")


def new_parts(count: int, start: int = 0) -> list[dict]:
    """`count` new parts, Chinese names of several lengths, some without one."""
    return [{"part_no": f"BK{n:06d}", "name": f"Part {n}", "name_zh": (NAMES_ZH[n % len(NAMES_ZH)] or None)
             and f"{NAMES_ZH[n % len(NAMES_ZH)]}{n}", "model_series": None, "unit": "pc",
             "list_price": Decimal("1.50"), "fragile": False, "pack_qty": Decimal(1), "default_location_id": None,
             "general": False} for n in range(start, start + count)]


def one_part(n: int) -> list[dict]:
    """One new part with a Chinese name."""
    return [{**new_parts(1, start=n)[0], "name_zh": f"机油滤清器{n}"}]


def search_entries(database) -> tuple[list, list]:
    """The gram table's rows and each part's trigram matches for a few phrases."""
    with database.engine.connect() as conn:
        grams = conn.execute(text("SELECT gram, part_id FROM part_gram ORDER BY gram, part_id")).all()
        fts = [conn.execute(text("SELECT rowid FROM part_fts WHERE part_fts MATCH :q ORDER BY rowid"),
                            {"q": f'"{phrase}"'}).scalars().all()
               for phrase in ("bk0001", "滤清器", "art 12", "总成 左", "lfilter")]
    return grams, fts


def part_rows(database) -> list[tuple]:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM part ORDER BY id")).all()


def fts_data_rows(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM part_fts_data")).scalar()


def triggers(database) -> list[tuple]:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")).all()


# The grams built at the block's end only, and also every 120 new parts on the way (part_bulk.GRAM_PARTS).
@pytest.mark.parametrize("gram_parts", [10**6, 120])
def test_a_bulk_insert_builds_the_entries_the_triggers_build(tmp_path, migrated_sqlite, db, monkeypatch, gram_parts):
    monkeypatch.setattr(part_bulk, "GRAM_PARTS", gram_parts)
    rows = new_parts(3 * BULK_MIN_ROWS)
    with db.writing() as uow, uow.write() as conn, bulk_inserts(conn) as add:
        for start in range(0, len(rows), 50):  # statements of 50, as a long import makes them
            add(rows[start:start + 50])
    # The same rows through the per-row triggers: a batch under the bulk size is inserted plainly.
    shutil.copyfile(migrated_sqlite, tmp_path / "by_trigger.sqlite")
    by_trigger = Database(f"sqlite:///{tmp_path / 'by_trigger.sqlite'}")
    monkeypatch.setattr(part_bulk, "BULK_MIN_ROWS", 10 * len(rows))
    with by_trigger.writing() as uow, uow.write() as conn:
        insert_parts(conn, rows)
    grams, fts = search_entries(db)
    assert (grams, fts) == search_entries(by_trigger)
    assert part_rows(db) == part_rows(by_trigger)
    # The block's trigram entries in one FTS5 segment, as the triggers' one transaction makes them (no more pages):
    # a segment per statement (13 pages here against 10) left the index's next writer (a re-import's names)
    # merging them while the counter waited.
    assert fts_data_rows(db) <= fts_data_rows(by_trigger)
    assert len(grams) > 2 * len(rows) and all(fts)
    with db.engine.begin() as conn:  # the trigram index agrees with the part table, row for row
        conn.execute(text("INSERT INTO part_fts (part_fts, rank) VALUES ('integrity-check', 1)"))
    by_trigger.dispose()


def test_the_triggers_come_back_as_they_were_and_serve_the_next_part(db):
    before = triggers(db)
    with db.writing() as uow, uow.write() as conn:
        insert_parts(conn, new_parts(BULK_MIN_ROWS))
    assert triggers(db) == before
    with db.writing() as uow, uow.write() as conn:
        conn.execute(insert(t.part), one_part(BULK_MIN_ROWS))  # one part: the triggers' work
    with db.reading() as uow:
        hits = catalog.search_parts(f"BK{BULK_MIN_ROWS:06d}", uow=uow)
        assert [h.part_no for h in catalog.search_parts("滤清", uow=uow)][-1] == f"BK{BULK_MIN_ROWS:06d}"
    assert [h.part_no for h in hits] == [f"BK{BULK_MIN_ROWS:06d}"]


def test_a_failed_bulk_insert_leaves_no_part_and_every_trigger(db):
    before = triggers(db)
    rows = new_parts(BULK_MIN_ROWS)
    rows[-1]["part_no"] = rows[0]["part_no"]  # the statement fails on its last row, the triggers dropped
    with db.writing() as uow, uow.write() as conn:
        with pytest.raises(Exception, match="UNIQUE"):
            insert_parts(conn, rows)
        # Nor a gram of a part the block built them for before the failing statement.
        with pytest.raises(Exception, match="UNIQUE"), bulk_inserts(conn) as add:
            add(new_parts(part_bulk.GRAM_PARTS, start=10**5))
            add(rows)
        assert conn.execute(text("SELECT count(*) FROM part_gram")).scalar() == 0
        # A caller that goes on and commits keeps the triggers: the savepoint took them back with the rows.
        conn.execute(insert(t.part), one_part(BULK_MIN_ROWS))
    assert triggers(db) == before
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM part")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM part_gram")).scalar() > 0


def test_a_bulk_insert_keeps_the_text_guard(db):
    # The engine's text guard (core.text) still sees the batch's rows, and the savepoint takes nothing back early.
    rows = new_parts(BULK_MIN_ROWS)
    rows[7]["name"] = "Brake\x00pad"
    with pytest.raises(BadInput, match="part.name holds the control character U\\+0000"):
        with db.writing() as uow, uow.write() as conn:
            insert_parts(conn, rows)
    assert part_rows(db) == []


def test_known_parts_updated_inside_a_block_get_the_entries_they_get_without_it(tmp_path, migrated_sqlite, db):
    # A re-import's updates rewrite the search entries by the update triggers, which the block leaves alone.
    shutil.copyfile(migrated_sqlite, tmp_path / "plain.sqlite")
    plain = Database(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    renamed = [{"key": n + 1, "name_zh": f"新名称{n}"} for n in range(BULK_MIN_ROWS)]
    rename = update(t.part).where(t.part.c.id == bindparam("key")).values(name_zh=bindparam("name_zh"))
    for database, in_block in ((db, True), (plain, False)):
        with database.writing() as uow, uow.write() as conn:
            insert_parts(conn, new_parts(BULK_MIN_ROWS))
        with database.writing() as uow, uow.write() as conn:
            if in_block:
                with bulk_inserts(conn) as add:
                    conn.execute(rename, renamed)
                    add(one_part(BULK_MIN_ROWS))
            else:
                conn.execute(rename, renamed)
                insert_parts(conn, one_part(BULK_MIN_ROWS))
    assert search_entries(db) == search_entries(plain)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO part_fts (part_fts, rank) VALUES ('integrity-check', 1)"))
    plain.dispose()


def test_a_block_without_new_parts_changes_no_schema(db):
    # A re-import of known parts only: the other terminals keep their prepared statements.
    with db.engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    with db.writing() as uow, uow.write() as conn, bulk_inserts(conn) as add:
        add([])
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA schema_version").scalar() == before


def test_a_failed_block_that_merges_later_sets_the_merging_back(db, monkeypatch):
    # The trigram statement fails with FTS5's automatic merging off: a caller that goes on and commits finds the
    # setting back as it was, with the triggers.
    before = triggers(db)
    monkeypatch.setattr(part_bulk, "_FTS_OF_NEW", text("INSERT INTO no_such_table VALUES (:last)"))
    with db.writing() as uow, uow.write() as conn:
        with pytest.raises(Exception, match="no_such_table"), bulk_inserts(conn, merge_later=True) as add:
            add(new_parts(BULK_MIN_ROWS))
        assert conn.execute(text("SELECT v FROM part_fts_config WHERE k = 'automerge'")).scalar() == 4
    assert triggers(db) == before and part_rows(db) == []
