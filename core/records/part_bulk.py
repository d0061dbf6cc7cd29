"""New parts inserted many at a time: on SQLite their search entries are built set-wise, not row by row."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, text

from core import tables as t

# The per-row triggers that fill a new part's search entries on SQLite (migration 0001): the FTS5 trigram index
# over number and names, and the Chinese name's one- and two-character grams. Run once per row they were three
# quarters of a large import's database time (8.8 s of CPU for 100,000 parts, against 2.3 s set-wise).
INSERT_TRIGGERS = ("part_fts_insert", "part_gram_insert")
# Below this many new parts a statement, the triggers stay: dropping and creating them changes the schema, which
# every other connection then reads again.
BULK_MIN_ROWS = 100

# The same entries as the triggers make, for every part past the last id before the batch (rowids are given in
# ascending order on a table without AUTOINCREMENT, and the write lock keeps anyone else from adding parts).
_FTS_OF_NEW = text("INSERT INTO part_fts (rowid, part_no, name, name_zh) "
                   "SELECT id, part_no, name, name_zh FROM part WHERE id > :last ORDER BY id")
_GRAMS_OF_NEW = text(
    "INSERT OR IGNORE INTO part_gram (gram, part_id) "
    "SELECT substr(lower(p.name_zh), g.i, 2), p.id FROM part p JOIN gram_position g ON g.i <= length(p.name_zh) "
    "WHERE p.id > :last AND p.name_zh IS NOT NULL"
)
_TRIGGER_SQL = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'part'")


def insert_parts(conn: Connection, rows: list[dict]) -> None:
    """Insert new parts (each a dict of the part table's columns) in one statement, inside the caller's
    transaction. On SQLite a batch of at least BULK_MIN_ROWS drops the insert triggers, inserts, builds the
    batch's trigram and gram entries in two statements and creates the triggers again, all under one savepoint:
    an error anywhere rolls back to the savepoint, so the triggers and the entries are never left out."""
    if not rows:
        return
    if conn.dialect.name != "sqlite" or len(rows) < BULK_MIN_ROWS:
        conn.execute(insert(t.part), rows)
        return
    with conn.begin_nested():
        triggers = {name: sql for name, sql in conn.execute(_TRIGGER_SQL) if name in INSERT_TRIGGERS}
        for name in triggers:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        last = conn.execute(select(func.coalesce(func.max(t.part.c.id), 0))).scalar_one()
        conn.execute(insert(t.part), rows)
        if "part_fts_insert" in triggers:
            conn.execute(_FTS_OF_NEW, {"last": last})
        if "part_gram_insert" in triggers:
            conn.execute(_GRAMS_OF_NEW, {"last": last})
        for sql in triggers.values():  # the migration's own text, as it was
            conn.exec_driver_sql(sql)
