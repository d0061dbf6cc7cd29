"""Part numbers looked up many at a time in byte order (core.byte_order): on PostgreSQL by the byte-order b-tree,
never by the search's trigram index, which the planner took for IN-lists (0.34 s for 1,000 numbers at 200,000
parts, against 5 ms); the same answers on both backends."""

from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from core import tables as t
from core.byte_order import byte_order
from core.copy_rows import insert_rows
from core.records.catalog import part_units

PARTS = 20_000


def _many_parts(database, count: int) -> list[str]:
    numbers = [f"{7_000_000 + n * 7:08d}" for n in range(count)]
    with database.writing() as uow, uow.write() as conn:
        insert_rows(conn, t.part, [{"part_no": number, "name": f"filter {n}", "unit": "pc" if n % 2 else "L",
                                    "list_price": Decimal(1), "fragile": False, "pack_qty": Decimal(1),
                                    "general": False} for n, number in enumerate(numbers)])
    return numbers


def test_postgresql_compares_in_byte_order_and_sqlite_as_it_stands():
    lookup = select(t.part.c.id).where(byte_order(t.part.c.part_no).in_(["A1", "B2"]))
    assert 'part.part_no COLLATE "C" IN' in str(lookup.compile(dialect=postgresql.dialect()))
    assert "part.part_no IN" in str(lookup.compile(dialect=sqlite.dialect()))


def test_many_numbers_are_found_as_one_by_one(any_db):
    """Known and unknown numbers, more than one statement's worth: each known one with its own unit."""
    numbers = _many_parts(any_db, 2_500)
    asked = numbers[::2] + ["00000000", "NO-SUCH-PART"]
    with any_db.reading() as uow, uow.read() as conn:
        units = part_units(conn, asked)
        one_by_one = {number: conn.execute(select(t.part.c.unit).where(t.part.c.part_no == number)).scalar()
                      for number in asked}
    assert units == {number: unit for number, unit in one_by_one.items() if unit is not None}
    assert len(units) == len(numbers[::2])


def test_postgresql_looks_many_numbers_up_by_a_btree_not_the_trigram_index(pg_db):
    numbers = _many_parts(pg_db, PARTS)
    with pg_db.writing() as uow, uow.write() as conn:
        conn.execute(text("ANALYZE part"))
    asked = numbers[::PARTS // 500]
    lookup = select(t.part.c.unit).where(byte_order(t.part.c.part_no).in_(asked))
    with pg_db.reading() as uow, uow.read() as conn:
        sql = str(lookup.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(conn.execute(text(f"EXPLAIN {sql}")).scalars())
        plain = str(select(t.part.c.unit).where(t.part.c.part_no.in_(asked))
                    .compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        plain_plan = "\n".join(conn.execute(text(f"EXPLAIN {plain}")).scalars())
    assert "ix_part_no_trgm" not in plan and "ix_part_no_bytes" in plan, plan
    # What the test guards against: the plain IN-list's plan, on the same table, reads the trigram index.
    assert "ix_part_no_trgm" in plain_plan, plain_plan
