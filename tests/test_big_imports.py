"""Big parts files: streamed and saved in batches inside the one transaction, all rows or none, on both backends."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core import tables as t
from core.errors import ImportRejected
from core.roles import Role
from core.services import catalog, part_import
from core.services.part_import import import_parts
from tests.helpers.staff import make_staff


def write_parts(path, rows: int, *, start: int = 0, bad_row: int | None = None) -> None:
    """A parts master of generated rows (row `bad_row`, counted from 0, has a price no one can read)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("part_no,name,unit_price,location\n")
        for n in range(start, start + rows):
            price = "abc" if n - start == bad_row else f"{n % 900}.{n % 100:02d}"
            out.write(f"BIG{n:07d},Part {n},{price},EXC-{n // 1000 % 100:02d}-{n // 100 % 10 + 1:02d}-"
                      f"{n // 10 % 10 + 1:02d}\n")


def parts(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.part)).scalar_one()


def test_a_file_of_many_batches_is_saved_whole_with_updates_across_batches(any_db, tmp_path, monkeypatch):
    monkeypatch.setattr(part_import, "BATCH_ROWS", 7)
    staff = make_staff(any_db)
    first = tmp_path / "first.csv"
    write_parts(first, 50)
    with any_db.writing() as uow:
        result = import_parts(first, actor=staff[Role.PLANNER], uow=uow)
    assert (result.created, result.updated) == (50, 0) and parts(any_db) == 50
    # Half of them again, half new: the known ones are found batch by batch and updated.
    second = tmp_path / "second.csv"
    write_parts(second, 50, start=25)
    with any_db.writing() as uow:
        result = import_parts(second, actor=staff[Role.PLANNER], uow=uow)
    assert (result.created, result.updated) == (25, 25) and parts(any_db) == 75
    with any_db.reading() as uow:
        assert catalog.get_part("BIG0000074", uow=uow).list_price == Decimal("74.74")


def test_a_problem_in_a_late_batch_rolls_the_earlier_batches_back(any_db, tmp_path, monkeypatch):
    monkeypatch.setattr(part_import, "BATCH_ROWS", 7)
    staff = make_staff(any_db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 60, bad_row=55)
    with any_db.writing() as uow, pytest.raises(ImportRejected) as caught:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert [(p.row, p.column) for p in caught.value.problems] == [(57, "unit_price")]
    assert parts(any_db) == 0


def test_a_file_bad_throughout_names_its_first_problems_and_counts_them_all(db, tmp_path, monkeypatch):
    monkeypatch.setattr(part_import, "MAX_PROBLEMS", 5)
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    sheet.write_text("part_no,name,unit_price\n" + "".join(f"X{n:05d},x,abc\n" for n in range(40)), encoding="utf-8")
    with db.writing() as uow, pytest.raises(ImportRejected) as caught:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert len(caught.value.problems) == 5 and "40 problems" in caught.value.message


# On the worker's schema emptied after many tests, this import took 268 s in a full suite against 23-43 s on a
# new schema, though not after one earlier test alone; the cause is not found yet (the bulk load's plans?).
@pytest.mark.fresh_schema
def test_more_rows_than_postgresql_takes_parameters_in_one_statement(pg_db, tmp_path):
    # 70,000 part numbers: one IN list or one multi-row INSERT of them would pass 65,535 parameters.
    staff = make_staff(pg_db)
    sheet = tmp_path / "parts.csv"
    write_parts(sheet, 70_000)
    with pg_db.writing() as uow:
        result = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert result.created == 70_000 and parts(pg_db) == 70_000
