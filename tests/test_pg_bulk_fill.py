"""The demo's bulk fill on PostgreSQL (data.pg_bulk_fill, data.pg_search.gin_indexes_built_after): the filled
tables' foreign keys are checked once at the end, as strictly, and the keys and the search indexes are all there
after it, as the migrations made them."""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from core import tables as t
from data.demo import BULK_TABLES, seed_demo
from data.pg_bulk_fill import keys_checked_after
from data.pg_search import INDEX_NAMES

SCHEMA_OF = text(
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace "
    "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
    "ORDER BY 1, 2")


def _schema(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(SCHEMA_OF)]


@pytest.mark.fresh_schema
def test_the_demo_leaves_every_key_and_index_as_the_migrations_made_them(pg_db):
    before = _schema(pg_db)
    assert any(name == "stock_move_lot_id_fkey" for _table, name, _sql in before)
    assert set(INDEX_NAMES) <= {name for _table, name, _sql in before}
    assert seed_demo(pg_db, parts=300).parts == 300
    assert _schema(pg_db) == before


def test_a_row_naming_nothing_refuses_the_whole_fill_at_its_end(pg_db):
    with pytest.raises(IntegrityError) as refused, pg_db.engine.begin() as conn:
        with keys_checked_after(conn, BULK_TABLES):
            # Inside the block the key is not there: the row goes in, and the key's check at the end finds it.
            conn.execute(insert(t.part).values(part_no="ORPHAN", name="orphan", unit="pc", list_price=1,
                                               fragile=False, pack_qty=1, general=False, default_location_id=987654))
    assert refused.value.orig.diag.constraint_name == "part_default_location_id_fkey"
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM part WHERE part_no = 'ORPHAN'")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM pg_constraint WHERE conname = "
                                 "'part_default_location_id_fkey' AND connamespace = current_schema()::regnamespace"
                                 )).scalar() == 1
