"""PostgreSQL's part-search indexes: pg_trgm GIN indexes over number and names, a byte-order index on the number
for prefixes, a GIN index over the one- and two-character pieces of the Chinese names, and (migration 0018) those
pieces in a table of their own, by piece then part, for one- and two-character queries."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from core.i18n import _

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"

# Need no extension: a prefix of the number in byte order (the order the results are listed in, the same on
# every database locale and on SQLite), and the pieces of the Chinese names for one or two characters, where a
# trigram index has nothing to look up.
PLAIN_INDEXES = (
    """CREATE OR REPLACE FUNCTION part_name_grams(name text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array(SELECT DISTINCT substr(lower(name), i, w)
                     FROM generate_series(1, length(name)) AS i, (VALUES (1), (2)) AS width (w)
                     WHERE i + w - 1 <= length(name))
    $$""",
    'CREATE INDEX IF NOT EXISTS ix_part_no_bytes ON part ((part_no COLLATE "C"))',
    "CREATE INDEX IF NOT EXISTS ix_part_name_grams ON part USING gin (part_name_grams(name_zh))",
)

# {ops}: the operator class qualified by the schema the extension lives in, which need not be on the path.
TRIGRAM_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_part_no_trgm ON part USING gin (part_no {ops})",
    "CREATE INDEX IF NOT EXISTS ix_part_name_trgm ON part USING gin (name {ops})",
    "CREATE INDEX IF NOT EXISTS ix_part_name_zh_trgm ON part USING gin (name_zh {ops})",
)

INDEX_NAMES = ("ix_part_no_bytes", "ix_part_name_grams", "ix_part_no_trgm", "ix_part_name_trgm",
               "ix_part_name_zh_trgm")


# The pieces of the Chinese names by piece then part (migration 0018), as SQLite's part_gram holds them: a one- or
# two-character query reads its first parts in id order straight from the key, however common or rare the piece.
# Through the GIN index the planner had to guess how common a piece is: a rare one it guessed common walked the
# parts table in id order looking for it (0.3-0.8 s at 1M parts), a common one it guessed rare sorted every match.
# Statement-level triggers keep it: an import of many parts adds their pieces in one statement.
GRAM_TABLE = (
    "CREATE TABLE IF NOT EXISTS part_gram (gram text NOT NULL, part_id integer NOT NULL, "
    "PRIMARY KEY (gram, part_id))",
    """CREATE OR REPLACE FUNCTION part_gram_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO part_gram (gram, part_id)
        SELECT piece, added.id FROM added, unnest(part_name_grams(added.name_zh)) AS piece
        WHERE added.name_zh IS NOT NULL;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION part_gram_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Each old piece deleted by its key (piece, part): no index on the part alone is needed.
        DELETE FROM part_gram USING (
            SELECT piece, gone.id FROM gone JOIN kept ON kept.id = gone.id, unnest(part_name_grams(gone.name_zh))
                AS piece
            WHERE gone.name_zh IS DISTINCT FROM kept.name_zh) AS stale (piece, id)
        WHERE part_gram.gram = stale.piece AND part_gram.part_id = stale.id;
        INSERT INTO part_gram (gram, part_id)
        SELECT piece, kept.id FROM kept JOIN gone ON gone.id = kept.id, unnest(part_name_grams(kept.name_zh))
            AS piece
        WHERE gone.name_zh IS DISTINCT FROM kept.name_zh;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION part_gram_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM part_gram USING (
            SELECT piece, gone.id FROM gone, unnest(part_name_grams(gone.name_zh)) AS piece
            WHERE gone.name_zh IS NOT NULL) AS stale (piece, id)
        WHERE part_gram.gram = stale.piece AND part_gram.part_id = stale.id;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS part_gram_insert ON part",
    "CREATE TRIGGER part_gram_insert AFTER INSERT ON part REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION part_gram_added()",
    "DROP TRIGGER IF EXISTS part_gram_update ON part",
    "CREATE TRIGGER part_gram_update AFTER UPDATE ON part REFERENCING OLD TABLE AS gone NEW TABLE AS kept "
    "FOR EACH STATEMENT EXECUTE FUNCTION part_gram_changed()",
    "DROP TRIGGER IF EXISTS part_gram_delete ON part",
    "CREATE TRIGGER part_gram_delete AFTER DELETE ON part REFERENCING OLD TABLE AS gone "
    "FOR EACH STATEMENT EXECUTE FUNCTION part_gram_removed()",
)
# Its rows made afresh from the parts (after the triggers were off: a bulk copy of the parts table).
GRAM_ROWS = (
    "DELETE FROM part_gram",
    "INSERT INTO part_gram (gram, part_id) SELECT piece, part.id FROM part, unnest(part_name_grams(part.name_zh)) "
    "AS piece WHERE part.name_zh IS NOT NULL",
    "ANALYZE part_gram",
)

GRAM_TABLE_DROP = (
    "DROP TRIGGER IF EXISTS part_gram_insert ON part",
    "DROP TRIGGER IF EXISTS part_gram_update ON part",
    "DROP TRIGGER IF EXISTS part_gram_delete ON part",
    "DROP FUNCTION IF EXISTS part_gram_added()",
    "DROP FUNCTION IF EXISTS part_gram_changed()",
    "DROP FUNCTION IF EXISTS part_gram_removed()",
    "DROP TABLE IF EXISTS part_gram",
)


def build_gram_table(conn: Connection) -> None:
    """Make (or remake) part_gram, its triggers and its rows from every part's Chinese name."""
    for statement in GRAM_TABLE:
        conn.execute(text(statement))
    fill_gram_table(conn)


def fill_gram_table(conn: Connection) -> None:
    """Make part_gram's rows afresh from every part's Chinese name (what the triggers would have made)."""
    for statement in GRAM_ROWS:
        conn.execute(text(statement))


def trigram_schema(conn: Connection) -> str | None:
    """The schema pg_trgm is installed in, or None when this database does not have it."""
    return conn.execute(text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                             "WHERE extname = 'pg_trgm'")).scalar()


def missing_trigram_line(conn: Connection, reason: str) -> str:
    """The one line that says search works without the trigram indexes, and what to ask the DBA for."""
    database = conn.execute(text("SELECT current_database()")).scalar()
    return _("part search works but scans the parts table: the PostgreSQL extension pg_trgm could not be created "
             "({reason}); ask the database administrator to run `CREATE EXTENSION pg_trgm;` in database {database}, "
             "then run `partsdesk db upgrade` to build the search indexes").format(reason=reason, database=database)


def build_search_indexes(conn: Connection, *, extension: str | None = None) -> bool:
    """Make the search indexes, pg_trgm first where this role may create it; where it may not, say so in one line
    on stderr and make the rest (search still answers, slower). True when the trigram indexes exist."""
    for statement in PLAIN_INDEXES:
        conn.execute(text(statement))
    schema = trigram_schema(conn)
    if schema is None:
        try:
            # In a savepoint: a refused CREATE EXTENSION would otherwise abort the whole upgrade's transaction.
            with conn.begin_nested():
                conn.execute(text(extension or EXTENSION))
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            print(missing_trigram_line(conn, reason), file=sys.stderr)
            return False
        schema = trigram_schema(conn)
        if schema is None:  # a stand-in statement that made nothing (tests): treat as refused
            print(missing_trigram_line(conn, _("it is not installed")), file=sys.stderr)
            return False
    ops = f'"{schema}".gin_trgm_ops'
    for statement in TRIGRAM_INDEXES:
        conn.execute(text(statement.format(ops=ops)))
    return True


# The GIN indexes, which an insert updates entry by entry (every trigram of three texts, every piece of a name):
# filling an empty parts table, they are built once after the rows instead (gin_indexes_built_after).
GIN_INDEX_NAMES = ("ix_part_name_grams", "ix_part_no_trgm", "ix_part_name_trgm", "ix_part_name_zh_trgm")
# Memory for building them: the server's default 64 MB spills a 200,000-part build to disk.
GIN_BUILD_MEMORY = "256MB"


@contextmanager
def gin_indexes_built_after(conn: Connection) -> Iterator[None]:
    """A block, in the caller's transaction, that fills an empty parts table (the demo station): the GIN indexes
    it has are dropped first and built again at its end, as the migrations build them (the COPY of the demo's
    50,000 parts took 3.4 s so, 5.9 s updating them row by row). The drop holds the table's lock till the
    transaction ends, and an error rolls the drop back with the rows."""
    present = [name for name in GIN_INDEX_NAMES if name not in search_indexes_missing(conn)]
    for name in present:
        conn.execute(text(f"DROP INDEX {name}"))
    yield
    conn.execute(text(f"SET LOCAL maintenance_work_mem = '{GIN_BUILD_MEMORY}'"))
    for statement in PLAIN_INDEXES:
        conn.execute(text(statement))
    schema = trigram_schema(conn)
    if schema is not None and any(name.endswith("_trgm") for name in present):
        for statement in TRIGRAM_INDEXES:
            conn.execute(text(statement.format(ops=f'"{schema}".gin_trgm_ops')))


def search_indexes_missing(conn: Connection) -> list[str]:
    """The names of the search indexes the parts table lacks on this PostgreSQL schema."""
    present = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                    "AND tablename = 'part'")).scalars())
    return [name for name in INDEX_NAMES if name not in present]
