"""A part number compared in byte order: how a look-up of many part numbers reaches a b-tree on PostgreSQL.

PostgreSQL's trigram index over the part number (the search's, data/pg_search.py) also answers equality, and the
planner takes it for `part_no IN (...)` of more than a few numbers: 0.34 s for 1,000 numbers at 200,000 parts, where
the byte-order b-tree (ix_part_no_bytes, the prefix search's) answers in 5 ms. Compared under COLLATE "C" the
numbers can only be looked up in that b-tree (an index serves a comparison of its own collation only). Equality is
the same under either collation (PostgreSQL's collations break ties by bytes), and SQLite compares bytes already:
there the column is left as it is.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class byte_order(ColumnElement):  # noqa: N801 (used like a SQL function: byte_order(t.part.c.part_no).in_(...))
    """A text column compared in byte order: `byte_order(t.part.c.part_no).in_(numbers)`."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement) -> None:
        """The column, compared in byte order wherever this expression stands for it."""
        self.column = column
        self.type = column.type


@compiles(byte_order)
def _as_is(element: byte_order, compiler, **kw) -> str:
    return compiler.process(element.column, **kw)


@compiles(byte_order, "postgresql")
def _collated(element: byte_order, compiler, **kw) -> str:
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'
