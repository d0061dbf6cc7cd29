"""core.table_defs, the Core tables every statement uses, is the SQLModel models' schema column for column, and is
made again whenever a model changes (core.models.mirror)."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel

import core.models
from core import tables as t
from core.models import mirror
from core.table_defs import BUILDERS

core.models.load_all()
MODELS = SQLModel.metadata.tables


def test_the_generated_module_is_up_to_date():
    # Fails after a model changed: run `python -m core.models.mirror --write`.
    assert mirror.TARGET.read_text(encoding="utf-8") == mirror.render()
    assert mirror.main([]) == 0


def test_every_model_table_has_its_core_table_and_no_other():
    assert set(BUILDERS) == set(MODELS) == set(t.__all__)


def _column(column) -> tuple:
    """What a statement relies on of a column: its SQL type on both databases, key, nullability, defaults and
    the columns its foreign keys point at."""
    default = None if column.default is None else column.default.arg
    server = None if column.server_default is None else str(column.server_default.arg)
    return (column.name, column.type.compile(sqlite.dialect()), column.type.compile(postgresql.dialect()),
            type(column.type), column.primary_key, column.nullable, column.autoincrement, default, server,
            sorted(fk.target_fullname for fk in column.foreign_keys))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_core_table_has_the_models_columns(name):
    built = BUILDERS[name](MetaData())
    assert [_column(c) for c in built.columns] == [_column(c) for c in MODELS[name].columns]


def test_the_tables_module_builds_each_table_once_into_one_metadata():
    assert t.part is t.part and t.stock_lot.metadata is t.part.metadata is t.metadata
    # A foreign key finds its table in the same metadata, so a join without an ON clause works.
    assert t.stock_lot.c.part_id.references(t.part.c.id)
    with pytest.raises(AttributeError, match="no table 'nowhere'"):
        _ = t.nowhere


def test_a_model_change_is_caught(monkeypatch):
    part = MODELS["part"]
    monkeypatch.setattr(part.c.name.type, "length", part.c.name.type.length + 1)
    assert mirror.render() != mirror.TARGET.read_text(encoding="utf-8")
    assert mirror.main([]) == 1
