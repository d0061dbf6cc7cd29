"""Writes core/table_defs.py, the station's tables as plain SQLAlchemy Core tables, from the SQLModel models.

The models stay the one definition of the schema (Alembic and the schema tests read their metadata). Every
statement in core is a Core statement on `core.tables`, and building a model class costs a pydantic model and an
ORM mapping each; a CLI read built some thirty of them, with sqlmodel and pydantic loaded first, for a handful
of columns (issue 14: a CLI read within 0.3 s). The generated module holds what a statement uses of each table
(columns with their types, keys, defaults and foreign keys); constraints and indexes live in the models and the
migrations only. After changing a model: `python -m core.models.mirror --write` (tests/test_table_defs.py fails
until then).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import sqlalchemy
from sqlalchemy import Column, Table
from sqlalchemy.sql.elements import False_, True_

import core.models
from core import sqltypes

TARGET = Path(__file__).resolve().parent.parent / "table_defs.py"

HEADER = '''"""The station's tables as SQLAlchemy Core tables for statements, made by
`python -m core.models.mirror --write` from the SQLModel models in core.models; do not edit. Columns, types,
keys, defaults and foreign keys only (the constraints and indexes are the models' and the migrations')."""

from __future__ import annotations

'''


def _type(column: Column) -> str:
    """The column's type as source: its repr, which names the class and its arguments."""
    return repr(column.type)


def _server_default(column: Column) -> str | None:
    """The column's server default as source, or None."""
    if column.server_default is None:
        return None
    arg = column.server_default.arg
    if isinstance(arg, False_):
        return "false()"
    if isinstance(arg, True_):
        return "true()"
    if isinstance(arg, str):
        return repr(arg)
    raise SystemExit(f"{column.table.name}.{column.name}: server default {arg!r} is not rendered")


def column_source(column: Column) -> str:
    """One `Column(...)` of a table, as source."""
    parts = [repr(column.name), _type(column)]
    parts += [f"ForeignKey({fk.target_fullname!r}" + (f", name={fk.name!r}" if fk.name else "") + ")"
              for fk in sorted(column.foreign_keys, key=lambda fk: fk.target_fullname)]
    if column.primary_key:
        parts.append("primary_key=True")
    if column.autoincrement is not True and column.autoincrement != "auto":
        parts.append(f"autoincrement={column.autoincrement!r}")
    parts.append(f"nullable={column.nullable!r}")
    if column.default is not None:
        parts.append(f"default={column.default.arg!r}")
    server = _server_default(column)
    if server:
        parts.append(f"server_default={server}")
    return f"Column({', '.join(parts)})"


def table_source(table: Table) -> str:
    """A function building one table in a metadata, as source."""
    columns = "".join(f"        {column_source(c)},\n" for c in table.columns)
    return (f"\n\ndef {table.name}(metadata: MetaData) -> Table:\n"
            f'    """The {table.name} table."""\n'
            f"    return Table(\n        {table.name!r},\n        metadata,\n{columns}    )\n")


def render() -> str:
    """The whole of core/table_defs.py from the models' metadata."""
    from sqlmodel import SQLModel

    core.models.load_all()
    tables = sorted(SQLModel.metadata.tables.values(), key=lambda table: table.name)
    body = "".join(table_source(table) for table in tables)
    names = "".join(f"    {table.name!r}: {table.name},\n" for table in tables)
    return (HEADER + _imports(body) + body
            + f"\n\n# SQL table name -> the function that builds it.\nBUILDERS = {{\n{names}}}\n")


def _imports(body: str) -> str:
    """The import lines the generated tables need: the SQLAlchemy and core.sqltypes names they use."""
    used = set(re.findall(r"\b([A-Za-z_]\w*)\(", body))
    ours = sorted(name for name in used
                  if getattr(getattr(sqltypes, name, None), "__module__", "") == sqltypes.__name__)
    theirs = sorted(name for name in used - set(ours) if hasattr(sqlalchemy, name)) + ["MetaData", "Table"]
    lines = "from decimal import Decimal\n\n" if "Decimal(" in body else ""
    lines += f"from sqlalchemy import {', '.join(sorted(set(theirs)))}\n\n"
    if ours:
        lines += f"from core.sqltypes import {', '.join(ours)}\n"
    return lines


def main(argv: list[str] | None = None) -> int:
    """`--write` writes core/table_defs.py; without it, exit 1 when the file is out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write core/table_defs.py")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        TARGET.write_text(text, encoding="utf-8")
        return 0
    if TARGET.read_text(encoding="utf-8") != text:
        print("core/table_defs.py is out of date: run python -m core.models.mirror --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
