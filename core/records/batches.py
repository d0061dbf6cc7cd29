"""Fixed-size batches: a statement never carries a list of values that grows with the data.

SQLite refuses a statement with more than 32,766 bound parameters and PostgreSQL one with more than 65,535,
so a list that comes from the data (the parts of a packing list, the lines of a document) is sent in batches
of at most IN_BATCH values, and many rows are inserted at most INSERT_ROWS at a time. Where the values come
from the database anyway, a join or a subquery is better still: no list at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import ARRAY, Connection, Row, any_, bindparam
from sqlalchemy.sql import ColumnElement, Executable

# Well under both databases' limits, leaving room for the statement's other parameters.
IN_BATCH = 10_000
INSERT_ROWS = 5_000

T = TypeVar("T")


def batched(values: Iterable[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """The values in consecutive lists of at most `size`, in their order (none for no values)."""
    items = iter(values)
    while batch := list(islice(items, size)):
        yield batch


def one_of(conn: Connection, column: ColumnElement, values: list) -> ColumnElement[bool]:
    """`column` is one of `values` (a batch): an IN-list on SQLite, one array parameter on PostgreSQL."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def rows_in_batches(conn: Connection, statement_for: Callable[[list[T]], Executable],
                    values: Iterable[T]) -> Iterator[Row]:
    """The rows of `statement_for(batch)` run once per batch of the distinct values: for a statement that filters
    with `column.in_(batch)`, each row matching one value, so the union of the batches is the whole answer."""
    for batch in batched(dict.fromkeys(values)):
        yield from conn.execute(statement_for(batch))
