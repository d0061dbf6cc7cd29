"""Parts master import: all rows or none, every problem with its row and column, any encoding."""

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from core.errors import BadInput, ImportRejected
from core.roles import Role
from core.services import catalog
from core.services.part_import import import_parts

SAMPLES = Path(__file__).resolve().parent / "samples"
HEADER = "part_no,name,model_series,unit,unit_price,fragile,location\n"
GOOD = "96536697,Front brake pad set,EXCELLE,set,286.00,no,EXC-01-02-03\n"


def _count(db):
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM part")).scalar_one()


def _import(db, staff, path):
    with db.writing() as uow:
        return import_parts(path, actor=staff[Role.PLANNER], uow=uow)


def _rejected(db, staff, path) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        _import(db, staff, path)
    assert _count(db) == 0
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_the_english_sample_imports(db, staff):
    result = _import(db, staff, SAMPLES / "parts_master.csv")
    assert (result.created, result.updated, result.encoding) == (12, 0, "utf-8")
    with db.reading() as uow:
        part = catalog.get_part("13301204", uow=uow)
        belt = catalog.get_part("24258947", uow=uow)
    assert part.fragile and part.location == "CRZ-03-01-01" and part.model_series == "CRUZE"
    assert belt.location is None  # no location on purpose: it gets one before shelving


def test_the_gb18030_sample_imports_with_chinese_names(db, staff):
    result = _import(db, staff, SAMPLES / "parts_master_gb18030.csv")
    assert (result.created, result.encoding) == (12, "gb18030")
    with db.reading() as uow:
        hits = catalog.search_parts("滤清器", uow=uow)
    assert "96800106" in [h.part_no for h in hits]


def test_chinese_import_after_english_keeps_both_names(db, staff):
    _import(db, staff, SAMPLES / "parts_master.csv")
    result = _import(db, staff, SAMPLES / "parts_master_gb18030.csv")
    assert (result.created, result.updated) == (0, 12)
    with db.reading() as uow:
        part = catalog.get_part("96536697", uow=uow)
    assert (part.name, part.name_zh) == ("Front brake pad set", "前刹车片")


def test_utf8_with_bom_imports(db, staff, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        ("零件号,名称,车型,单位,单价,易损件,库位\n96800106,机油滤清器,EXCELLE,个,38.50,否,EXC-01-01-01\n").encode(
            "utf-8-sig"
        )
    )
    result = _import(db, staff, path)
    assert (result.created, result.encoding) == (1, "utf-8-sig")


def test_xlsx_imports(db, staff, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["part_no", "name", "model_series", "unit", "unit_price", "fragile", "location"])
    sheet.append(["5C6 941 005 B", "Headlamp", "GOLF", "pc", 1580.5, "yes", "GLF-01-01-01"])
    sheet.append([96800106, "Oil filter", "EXCELLE", "pc", 38.5, "no", None])
    book.save(tmp_path / "master.xlsx")
    result = _import(db, staff, tmp_path / "master.xlsx")
    assert result.created == 2
    with db.reading() as uow:
        lamp = catalog.get_part("5c6941005b", uow=uow)
    assert str(lamp.list_price) == "1580.50" and lamp.fragile


def test_the_bad_sample_is_refused_whole_with_row_numbers(db, staff):
    problems = _rejected(db, staff, SAMPLES / "parts_master_bad.csv")
    assert [(row, column) for row, column, _ in problems] == [
        (3, "part_no"), (4, "part_no"), (5, "unit_price"), (6, "unit_price")
    ]
    assert "duplicate part number 96536697" in problems[0][2]
    assert "empty part number" in problems[1][2]
    assert "negative price" in problems[2][2]
    assert "not a number" in problems[3][2]


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("96800106,Oil filter,EXCELLE,pc,38.50,no,EXC-1-1-1\n", "location", "does not follow the scheme"),
        ("96800106,,EXCELLE,pc,38.50,no,EXC-01-01-01\n", "name", "empty name"),
        ("96800106,Oil filter,EXCELLE,pc,,no,EXC-01-01-01\n", "unit_price", "empty price"),
        ("96800106,Oil filter,EXCELLE,pc,38.505,no,EXC-01-01-01\n", "unit_price", "decimal places"),
        ("96800106,Oil filter,EXCELLE,pc,38.50,maybe,EXC-01-01-01\n", "fragile", "not yes or no"),
        ("968#0106,Oil filter,EXCELLE,pc,38.50,no,EXC-01-01-01\n", "part_no", "characters"),
        ("9680 0106,Oil filter,EXCELLE,pc,38.50,no,EXC-01-01-01\n96800106,Again,EXCELLE,pc,1,no,\n", "part_no",
         "duplicate"),
    ],
)
def test_each_bad_cell_is_named(db, staff, tmp_path, line, column, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + GOOD + line, encoding="utf-8")
    problems = _rejected(db, staff, path)
    assert len(problems) == 1
    row, named, text_ = problems[0]
    assert row >= 3 and named == column and message in text_


def test_missing_columns_and_unreadable_files(db, staff, tmp_path):
    (tmp_path / "cols.csv").write_text("part,title\n1,x\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 4)
    for name, message in [("cols.csv", "lacks the column"), ("empty.csv", "empty"), ("junk.xlsx", "XLSX"),
                          ("binary.csv", "neither UTF-8 nor GB18030"), ("nope.csv", "no such file")]:
        with pytest.raises(BadInput, match=message):
            _import(db, staff, tmp_path / name)
    assert _count(db) == 0
