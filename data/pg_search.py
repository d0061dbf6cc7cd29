"""PostgreSQL's part-search indexes: pg_trgm GIN indexes over number and names, a byte-order index on the number
for prefixes, and a GIN index over the one- and two-character pieces of the Chinese names for short queries."""

from __future__ import annotations

import sys

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


def search_indexes_missing(conn: Connection) -> list[str]:
    """The names of the search indexes the parts table lacks on this PostgreSQL schema."""
    present = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                    "AND tablename = 'part'")).scalars())
    return [name for name in INDEX_NAMES if name not in present]
