"""The parts import's fast check (core.services.part_import._FastCheck): every row it takes comes out as the slow
check (RowReader, _check_row) makes it, and every row it is unsure of goes to the slow check, so a file gives the
same rows and the same problems, row for row, with or without it."""

from __future__ import annotations

import csv
import random

import pytest

from core.services import part_import
from core.tabular import map_columns, open_table

HEADER = ["part_no", "name", "name_zh", "model_series", "unit", "unit_price", "fragile", "location", "pack_qty",
          "general"]
# Each column's cells: plain ones the fast check takes, and edges it must leave to the one parser and the codes.
CELLS = {
    "part_no": ["96536697", "ab-12/3_x.y", "5C6 941 005 B", "９６５３", "P\u00e9", "", "A" * 41, "X\u200eY"],
    "name": ["Brake pad", "刹车片", "", "N" * 201, "bad\x07bell", "line\nbreak"],
    "name_zh": ["", "前刹车片", "Z" * 201, "\u202eevil"],
    "model_series": ["", "EXCELLE", "cruze", "Crüze", "bad!", "S" * 41, "ＲＥＧＡＬ"],
    "unit": ["", "set", "PC", "个", "L", "litre", "furlong", "u" * 13],
    "unit_price": ["286.00", "0", "12.", ".5", "0012.5", "9999999.99", "10000000", "1,234.50", "1,5", "-1", "+5",
                   "1e3", "1.234", "", "abc", "１２"],
    "fragile": ["", "yes", "NO", "是", "x", "maybe"],
    "location": ["", "EXC-01-02-03", "exc-01-02-03", "EXC-1-2-3", "ＥＸＣ-01-02-03", "CRZ-01-01-01", "E" * 21],
    "pack_qty": ["", "1", "0003", "1.5", "0", "10000000", "2.000", "-2"],
    "general": ["", "是", "no", "perhaps"],
}


def _rows_of(sheet, *, fast: bool, monkeypatch) -> tuple[list, list]:
    if not fast:
        monkeypatch.setattr(part_import._FastCheck, "row", lambda self, number, cells: None)
    problems = part_import._Problems()
    with open_table(sheet) as table:
        columns = map_columns(table.headers, part_import.COLUMNS, part_import.REQUIRED, "the file")
        rows = list(part_import._rows(table, columns, {}, problems))
    monkeypatch.undo()
    return rows, [(p.row, p.column, p.message) for p in problems.kept]


def _edge_rows() -> list[list[str]]:
    """A plain row with one column changed to each of its edges, then some rows every column of which varies."""
    plain = {column: cells[1] if column in ("name", "unit_price") else cells[0] for column, cells in CELLS.items()}
    plain["part_no"] = "P0"
    rows = []
    for n, (column, cells) in enumerate((c, v) for c, values in CELLS.items() for v in values):
        row = {**plain, "part_no": f"P{n}", column: cells}
        rows.append([row[c] for c in HEADER])
    pick = random.Random(14)
    for n in range(600):  # rows mixing edges, most of them plain in most columns
        row = {column: pick.choice(cells) if pick.random() < 0.3 else plain[column] for column, cells in CELLS.items()}
        rows.append([f"M{n}" if c == "part_no" and row[c] == "P0" else row[c] for c in HEADER])
    rows.append(["P1", "Duplicate of row 3", "", "", "", "1.00", "", "", "", ""])
    rows.append(["P2", "a short row"])
    rows.append(["P3", "Has, more cells", "", "", "", "1", "", "", "", "", "extra"])
    return rows


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_fast_check_gives_the_rows_and_problems_the_slow_one_gives(tmp_path, monkeypatch, delimiter):
    sheet = tmp_path / "parts.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(_edge_rows())
    fast = _rows_of(sheet, fast=True, monkeypatch=monkeypatch)
    slow = _rows_of(sheet, fast=False, monkeypatch=monkeypatch)
    assert fast == slow
    assert len(fast[0]) > 20 and len(fast[1]) > 50  # both kinds of rows are there
    # The values are the same objects' values to the last digit: 12.5 is 12.50 either way.
    assert [str(r.list_price) for r in fast[0]] == [str(r.list_price) for r in slow[0]]
    assert [str(r.pack_qty) for r in fast[0]] == [str(r.pack_qty) for r in slow[0]]


def test_the_fast_check_takes_the_plain_rows(tmp_path, monkeypatch):
    # The plain rows of a big file never reach RowReader (what makes the check fast).
    sheet = tmp_path / "parts.csv"
    sheet.write_text("part_no,name,unit_price,location\n" + "".join(
        f"BIG{n:07d},Part {n},{n % 900}.{n % 100:02d},EXC-01-01-{n % 9 + 1:02d}\n" for n in range(500)),
        encoding="utf-8")
    slow = []
    monkeypatch.setattr(part_import, "RowReader", lambda *args, **kwargs: slow.append(args))
    problems = part_import._Problems()
    with open_table(sheet) as table:
        columns = map_columns(table.headers, part_import.COLUMNS, part_import.REQUIRED, "the file")
        rows = list(part_import._rows(table, columns, {}, problems))
    assert len(rows) == 500 and not slow and not problems.found
