"""New parts inserted many at a time: on SQLite their search entries are built set-wise, not row by row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from core import tables as t
from core.copy_rows import converted, guard_rows, insert_rows, type_conversions

# The per-row triggers that fill a new part's search entries on SQLite (migration 0001): the FTS5 trigram index
# over number and names, and the Chinese name's one- and two-character grams. Run once per row they were three
# quarters of a large import's database time (8.8 s of CPU for 100,000 parts, against 2.3 s set-wise).
INSERT_TRIGGERS = ("part_fts_insert", "part_gram_insert")
# Below this many new parts, insert_parts leaves the triggers alone: dropping and creating them changes the
# schema, which every other connection then reads again.
BULK_MIN_ROWS = 100

# The same entries as the triggers make, for every part past the last id before the batch (rowids are given in
# ascending order on a table without AUTOINCREMENT, and the write lock keeps anyone else from adding parts).
_FTS_OF_NEW = text("INSERT INTO part_fts (rowid, part_no, name, name_zh) "
                   "SELECT id, part_no, name, name_zh FROM part WHERE id > :last ORDER BY id")
# One piece of a Chinese name as part_gram holds it: {name} the name, {i} a position (gram_position.i). The
# triggers (data.sqlite_grams) and the batch's insert below cut with this one text, so that the delete of a
# renamed part's old pieces finds exactly the pieces its insert wrote.
NAME_PIECE = "substr(lower({name}), {i}, 2)"
_GRAMS_OF_NEW = text(
    "INSERT OR IGNORE INTO part_gram (gram, part_id) "
    f"SELECT {NAME_PIECE.format(name='p.name_zh', i='g.i')}, p.id "
    "FROM part p JOIN gram_position g ON g.i <= length(p.name_zh) "
    "WHERE p.id > :last AND p.name_zh IS NOT NULL"
)
_TRIGGER_SQL = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'part'")


@contextmanager
def bulk_inserts(conn: Connection, *, merge_later: bool = False) -> Iterator[Callable[[list[dict]], None]]:
    """A block, inside the caller's transaction, that gives a function inserting new parts (each a dict of the
    part table's columns) in one statement a call. On SQLite the block drops the insert triggers, each call
    inserts its rows and their gram entries, and the end of the block adds the block's trigram entries in one
    statement and creates the triggers again. An error in the block takes out the block's new parts and their
    grams and puts the triggers back before it goes on up, so a caller that caught it and committed would still
    find no part without its entries and every trigger.

    `merge_later`: the trigram index's automatic merging is off while the block's entries go in, for a caller that
    merges the index itself once its blocks are done (merge_step): a long import, whose blocks' segments FTS5
    would otherwise merge again and again on the way (see _trigrams_of_new).

    No savepoint: inside one, FTS5 writes a segment at every statement, the known parts' updates (their triggers
    rewrite the index row by row) included; a re-import of 2,000 names then held the counter 5 s at load 11
    merging them, and a segment per statement of new parts left that merging to the index's next writer."""
    if conn.dialect.name != "sqlite":
        yield lambda rows: _plain(conn, rows)
        return
    # The triggers are dropped at the first new part, not before: a re-import of known parts changes no schema.
    triggers: dict[str, str] = {}
    dropped: dict[str, str] = {}
    first: list[int] = []
    grams = _Grams(conn)

    def add(rows: list[dict]) -> None:
        if rows and not first:
            triggers.update(conn.execute(_TRIGGER_SQL).all())
            dropped.update((name, triggers[name]) for name in INSERT_TRIGGERS if name in triggers)
            first.append(_last_id(conn))  # before the first drop: from here on an error undoes the block
            for name in dropped:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            grams.since = first[0] if "part_gram_insert" in dropped else None
        if rows:
            _insert_many(conn, rows)
            grams.added(len(rows))

    try:
        yield add
        grams.build()
        if first and "part_fts_insert" in dropped:  # the whole block's parts in one statement: one segment
            _trigrams_of_new(conn, first[0], merge_later)
    except BaseException:
        if first:
            _undo(conn, first[0], triggers, dropped)
        raise
    for sql in dropped.values():  # the migration's own text, as it was
        conn.exec_driver_sql(sql)


def _undo(conn: Connection, first: int, triggers: dict[str, str], dropped: dict[str, str]) -> None:
    """After an error in a bulk block: its new parts and their grams out, every trigger back. Where SQLite has
    rolled the whole transaction back already (a full disk), the triggers are back and nothing is left to do."""
    if not conn.connection.driver_connection.in_transaction:
        return
    # The block's parts have no trigram entries (they are added last, by one statement that either ran whole or
    # not at all): the delete trigger would remove entries that are not there, which corrupts an FTS5 index.
    if "part_fts_delete" in triggers:
        conn.exec_driver_sql('DROP TRIGGER IF EXISTS "part_fts_delete"')
        dropped = {**dropped, "part_fts_delete": triggers["part_fts_delete"]}
    # Their grams go with them, by the delete trigger (by the gram table's key: data.sqlite_grams); a part whose
    # grams were not built yet has none to find.
    conn.execute(text("DELETE FROM part WHERE id > :first"), {"first": first})
    there = {name for name, _sql in conn.execute(_TRIGGER_SQL)}
    for name, sql in dropped.items():
        if name not in there:  # an error between two drops left the later ones standing
            conn.exec_driver_sql(sql)


# FTS5's automatic merging of the trigram index's segments, and its value when the index has none set.
_AUTOMERGE = text("INSERT INTO part_fts (part_fts, rank) VALUES ('automerge', :segments)")
_AUTOMERGE_SET = text("SELECT v FROM part_fts_config WHERE k = 'automerge'")
DEFAULT_AUTOMERGE = 4


def _trigrams_of_new(conn: Connection, last: int, merge_later: bool) -> None:
    """The trigram entries of every part past `last`, in one statement; with `merge_later`, FTS5's automatic
    merging off for the statement and set back as it was before the transaction ends.

    FTS5 merges a level's segments as new ones are written (automerge): over a long import's blocks it merged the
    same entries level after level, and the import then merged what was left (merge_step). Off during the
    statement, the index is merged once, by the import's merge: 1M parts' entries in blocks of 20,000 went in in
    12.4 s and merged in 4.9 s, against 20.9 s and 5.4 s (the same final segments). The setting is a row of the
    index's config table, written in the caller's transaction with the entries and set back in it, the statement
    failed or not: no commit leaves it off."""
    if not merge_later:
        conn.execute(_FTS_OF_NEW, {"last": last})
        return
    was = conn.execute(_AUTOMERGE_SET).scalar()
    conn.execute(_AUTOMERGE, {"segments": 0})
    try:
        conn.execute(_FTS_OF_NEW, {"last": last})
    finally:  # also when the statement failed and a caller goes on (unless SQLite rolled the transaction back)
        if conn.connection.driver_connection.in_transaction:
            conn.execute(_AUTOMERGE, {"segments": DEFAULT_AUTOMERGE if was is None else int(was)})


# Pages of the trigram index one merge step writes (FTS5's 'merge' command; negative: any level of the index's
# b-trees that has two segments or more is merged, not only those automerge would merge).
MERGE_PAGES = 256
_MERGE = text("INSERT INTO part_fts (part_fts, rank) VALUES ('merge', :pages)")


def merge_step(conn: Connection, pages: int = MERGE_PAGES) -> bool:
    """One step of merging the trigram index's segments into one a level, in the caller's transaction: True when
    it found work (FTS5 changes the total count of changes by 2 or more then), False when there is none left, or
    the database is not SQLite.

    A long import writes a segment per commit, leaving the levels of the index nearly full; the next writer of
    the index (a re-import of 2,000 names) then merged them, level after level, inside its own transaction while
    the counter waited 2.6-3.2 s at load 7-10 (tests/bench/bench_lock.py)."""
    if conn.dialect.name != "sqlite":
        return False
    driver = conn.connection.driver_connection
    before = driver.total_changes
    conn.execute(_MERGE, {"pages": -pages})
    return driver.total_changes - before >= 2


def insert_parts(conn: Connection, rows: list[dict]) -> None:
    """Insert new parts in one statement: set-wise (bulk_inserts) from BULK_MIN_ROWS rows, else by the triggers."""
    if len(rows) < BULK_MIN_ROWS:
        _plain(conn, rows)
        return
    with bulk_inserts(conn) as add:
        add(rows)


def _last_id(conn: Connection) -> int:
    return conn.execute(select(func.coalesce(func.max(t.part.c.id), 0))).scalar_one()


def _plain(conn: Connection, rows: list[dict]) -> None:
    insert_rows(conn, t.part, rows)  # COPY on PostgreSQL (core.copy_rows), where the search index is the GIN's


# New parts whose Chinese-name grams are built by one statement. A statement of 500 parts' grams cost a fifth more
# than one of 6,500 (each gram a row of part_gram's key; 2.0 s against 1.6 s a 100,000 parts at a million), and one
# statement for all of a 200,000-part block a third more again (its rows no longer in SQLite's page cache).
GRAM_PARTS = 5000


class _Grams:
    """The part_gram rows of a bulk block's new parts, built GRAM_PARTS parts at a time and at the block's end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.since: int | None = None  # the last part id whose grams are built; None: the trigger's job
        self.pending = 0

    def added(self, rows: int) -> None:
        """`rows` new parts were inserted: their grams are built once GRAM_PARTS are waiting."""
        self.pending += rows
        if self.pending >= GRAM_PARTS:
            self.build()

    def build(self) -> None:
        """The grams of every new part since the last build, in one statement."""
        if self.since is None or not self.pending:
            return
        self.conn.execute(_GRAMS_OF_NEW, {"last": self.since})
        self.since, self.pending = _last_id(self.conn), 0


# The insert statement of each set of columns, compiled once (SQLite's only: other databases insert plainly),
# with each column's conversion.
_FORMS: dict[tuple[str, ...], tuple | bool] = {}


def _form(conn: Connection, keys: tuple[str, ...]) -> tuple | bool:
    """The SQL inserting these columns, a getter of a row's values in the statement's order, and the positions
    whose type converts the value; False when the statement needs a default from Python."""
    compiled = insert(t.part).compile(dialect=conn.dialect, column_keys=list(keys))
    if compiled.insert_prefetch or compiled.positiontup is None:
        return False
    names = compiled.positiontup
    return compiled.string, itemgetter(*names), type_conversions(conn, t.part, names)


def _insert_many(conn: Connection, rows: list[dict]) -> None:
    """New parts (dicts of the same columns) in one executemany of tuples straight on the driver: SQLAlchemy's
    executemany built and converted every row's parameters by name, a third of a million-part import's save.

    What its execute did is done here: each value through its column's type (Decimal to thousandths and cents),
    the text guard (core.text) over the batch, a driver error raised as SQLAlchemy's DBAPIError. Rows of other
    shapes, and a connection whose statements a test watches (before_cursor_execute), go through SQLAlchemy."""
    keys = tuple(rows[0])
    if conn.dispatch.before_cursor_execute or any(len(row) != len(keys) for row in rows):
        conn.execute(insert(t.part), rows)
        return
    form = _FORMS.get(keys)
    if form is None:
        form = _FORMS[keys] = _form(conn, keys)
    if form is False:  # a column default computed in Python would be skipped here
        conn.execute(insert(t.part), rows)
        return
    guard_rows(conn, t.part, keys, rows)
    sql, values_of, conversions = form
    try:
        arguments = [converted(list(values_of(row)), conversions) for row in rows]
    except KeyError:  # a row of other columns: SQLAlchemy says what is wrong with it
        conn.execute(insert(t.part), rows)
        return
    if not conn.in_transaction():
        conn.begin()
    driver = conn.connection.driver_connection
    dialect = conn.dialect
    cursor = driver.cursor()
    try:
        cursor.executemany(sql, arguments)
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, arguments[:10], exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    finally:
        cursor.close()
