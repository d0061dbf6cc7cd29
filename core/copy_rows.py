"""Many rows of one table inserted at once: PostgreSQL's COPY where the backend has it, an executemany elsewhere.

A demo station of 200,000 parts inserts 200,000 parts, as many bins, some 300,000 lots and their ledger rows;
SQLAlchemy's executemany sent them to PostgreSQL as multi-row INSERTs whose text psycopg parsed afresh for each
batch, and the seed took 147 s. COPY streams the same rows in one statement.

What SQLAlchemy's execute did and must still be done here is done here: each value through its column's type
(Decimal to thousandths and cents, an aware time to naive UTC), the text guard (core.text) over the rows, a
driver error raised as SQLAlchemy's DBAPIError, the connection invalidated when it was lost (core.units' retry
reads both). Rows of different columns, a column default computed in Python, and a connection whose statements a
test watches (before_cursor_execute) go through SQLAlchemy's executemany instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection, String, Table, insert
from sqlalchemy.exc import DBAPIError

from core.text import control_character, guard_statement

# Below this many rows a COPY saves nothing worth a second path: the plain executemany sends them.
COPY_MIN_ROWS = 100


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict]) -> None:
    """Insert rows (dicts of the table's columns, every row the same keys) in the caller's transaction: by COPY on
    PostgreSQL from COPY_MIN_ROWS rows, else by SQLAlchemy's executemany."""
    if not rows:
        return
    keys = tuple(rows[0])
    if (len(rows) < COPY_MIN_ROWS or conn.dialect.name != "postgresql" or conn.dispatch.before_cursor_execute
            or any(row.keys() != rows[0].keys() for row in rows) or _python_defaults(conn, table, keys)):
        conn.execute(insert(table), list(rows))
        return
    guard_rows(conn, table, keys, rows)
    conversions = type_conversions(conn, table, keys)
    copy_tuples(conn, table.name, [table.c[key].name for key in keys],
                (converted([row[key] for key in keys], conversions) for row in rows))


def type_conversions(conn: Connection, table: Table, keys: Sequence[str]) -> list[tuple[int, Callable]]:
    """The positions among the columns `keys` whose type converts a value on its way to the driver (a Decimal to
    thousandths, an aware time to naive UTC), each with its conversion, as SQLAlchemy's execute applies it."""
    return [(i, process) for i, key in enumerate(keys)
            if (process := table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))]


def converted(values: list, conversions: list[tuple[int, Callable]]) -> list:
    """A row's values (a list, changed in place and returned) through their columns' conversions; None stays."""
    for i, process in conversions:
        if values[i] is not None:
            values[i] = process(values[i])
    return values


def _python_defaults(conn: Connection, table: Table, keys: tuple[str, ...]) -> bool:
    """Whether inserting these columns needs a default computed in Python for another (COPY would skip it)."""
    return bool(insert(table).compile(dialect=conn.dialect, column_keys=list(keys)).insert_prefetch)


def copy_tuples(conn: Connection, table_name: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY rows of values already as the database stores them (PostgreSQL) into the table's named columns, on the
    transaction's own connection; a driver error raised as SQLAlchemy's execute raises it."""
    if not conn.in_transaction():
        conn.begin()  # as SQLAlchemy's execute does first (core.direct)
    statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as exc:
        # As SQLAlchemy's own execute would raise it: the services' retry and the faces' messages read that.
        lost = conn.dialect.is_disconnect(exc, driver, None)
        error = DBAPIError.instance(statement, None, exc, dbapi.Error, connection_invalidated=lost,
                                    dialect=conn.dialect)
        if lost:
            conn.invalidate(exc)
        raise error from exc


def guard_rows(conn: Connection, table: Table, keys: Sequence[str], rows: Sequence[dict]) -> None:
    """The engine's text guard (core.text) over a batch at once: each text column's values joined are searched for
    a control character once, and their longest against the column's length; where one looks wrong the guard
    itself runs over the rows, naming the table and column as it does for any other insert."""
    for key in keys:
        column = table.c[key]
        if not isinstance(column.type, String):
            continue
        texts = [value for row in rows if isinstance(value := row[key], str)]
        if not texts:
            continue
        limit = column.type.length
        if control_character("\n".join(texts)) or (limit is not None and max(map(len, texts)) > limit):
            guard_statement(conn, insert(table), list(rows), {}, {})
