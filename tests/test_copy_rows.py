"""Many rows inserted at once (core.copy_rows): COPY on PostgreSQL stores what SQLAlchemy's executemany stores, with
the text guard, SQLAlchemy's errors and a watched connection's statements; the demo seeded by it keeps its books."""

from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from core import tables as t
from core.copy_rows import COPY_MIN_ROWS, insert_rows
from core.errors import BadInput
from core.services.stock import invariant_violations
from data.demo import seed_demo

MANY = COPY_MIN_ROWS + 50


def _parts(count: int, start: int = 0) -> list[dict]:
    # Chinese names, cents, a unit and a whole pack quantity, a None: each kind of value the columns convert.
    return [{"part_no": f"P{start + n:05d}", "name": f"filter {n}", "name_zh": "机油滤清器" if n % 2 else None,
             "model_series": "CRUZE", "unit": "pc", "list_price": Decimal(f"{n}.25"), "fragile": n % 3 == 0,
             "pack_qty": Decimal(1), "general": False} for n in range(count)]


def _stored(database) -> list[dict]:
    columns = [t.part.c[key] for key in _parts(1)[0]]
    with database.reading() as uow, uow.read() as conn:
        return [dict(row._mapping) for row in conn.execute(select(*columns).order_by(t.part.c.part_no))]


@pytest.mark.parametrize("count", [COPY_MIN_ROWS - 1, MANY])
def test_rows_are_stored_as_given(any_db, count):
    """Below COPY_MIN_ROWS by executemany, from it by COPY on PostgreSQL: the same values come back, Decimal cents
    and Chinese names included."""
    rows = _parts(count)
    with any_db.writing() as uow, uow.write() as conn:
        insert_rows(conn, t.part, rows)
    assert _stored(any_db) == rows


def test_a_control_character_is_refused_by_name_and_nothing_is_stored(any_db):
    rows = _parts(MANY)
    rows[MANY - 3]["name"] = "filter\x07"
    with pytest.raises(BadInput, match=r"part\.name"), any_db.writing() as uow, uow.write() as conn:
        insert_rows(conn, t.part, rows)
    assert _stored(any_db) == []


def test_a_duplicate_is_sqlalchemys_integrity_error_and_the_block_keeps_nothing(any_db):
    rows = _parts(MANY)
    rows.append(dict(rows[0]))
    with pytest.raises(IntegrityError), any_db.writing() as uow, uow.write() as conn:
        insert_rows(conn, t.part, rows)
    assert _stored(any_db) == []


def test_a_watched_connection_sees_each_insert(any_db):
    """A test that counts statements (before_cursor_execute) sees the rows go in as INSERTs, not a COPY it cannot
    see."""
    seen: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[0].upper())

    with any_db.writing() as uow, uow.write() as conn:
        event.listen(conn, "before_cursor_execute", watch)
        insert_rows(conn, t.part, _parts(MANY))
    assert "INSERT" in seen and "COPY" not in seen
    assert len(_stored(any_db)) == MANY


def test_a_demo_seeded_on_either_backend_keeps_its_books(any_db):
    """The demo's parts, bins, lots and opening ledger rows go in by COPY on PostgreSQL: each lot is its ledger row's
    (ids drawn from the sequence in order), the ledger's chain holds and ledger = lots = on hand."""
    result = seed_demo(any_db, parts=400)
    assert result.parts == 400 and result.lots > 0
    with any_db.reading() as uow:
        assert invariant_violations(uow=uow) == []
        with uow.read() as conn:
            moves = t.stock_move.join(t.stock_lot, t.stock_lot.c.id == t.stock_move.c.lot_id)
            mismatched = conn.execute(
                select(func.count()).select_from(moves)
                .where(t.stock_move.c.doc_no == t.stock_lot.c.doc_no, t.stock_move.c.doc_type == "ADJ",
                       (t.stock_move.c.part_id != t.stock_lot.c.part_id)
                       | (t.stock_move.c.qty != t.stock_lot.c.qty_received))).scalar_one()
    assert mismatched == 0
