"""PostgreSQL: filling empty tables in bulk (the demo station), their foreign keys checked once at the end.

A foreign key checks each new row by itself: the demo's 200,000 parts, 300,000 lots and their 300,000 opening
ledger rows were seven such checks a row, most of the COPYs' time. Inside the fill's transaction the keys of the
tables being filled are dropped, and added back at its end, when PostgreSQL checks every row against each key in
one statement, as strictly: a row naming nothing is refused there and the whole fill with it. The drop holds the
tables' lock till the transaction ends, and an error rolls it back with the rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, text

_KEYS_OF = text("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY conrelid, conname")


@contextmanager
def keys_checked_after(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """A block, in the caller's transaction, that fills `tables` (empty before it, PostgreSQL): their foreign keys
    are dropped first and added back at its end, each checking every row then."""
    keys = conn.execute(_KEYS_OF, {"tables": list(tables)}).all()
    for table, name, _definition in keys:
        conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    yield
    for table, name, definition in keys:
        conn.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
