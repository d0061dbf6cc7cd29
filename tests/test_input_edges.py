"""Input at the edge: numbers past the station's limits, decimal commas in files, text no column can hold.

Every refusal is one line naming the field (and, in a file, the row and column), the same on SQLite and
PostgreSQL, and never a traceback; sums stay exact in the scaled BIGINT columns.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.decimals import MAX_MONEY, MAX_QTY, MAX_VALUE, check_value, parse_money, parse_qty
from core.errors import BadInput, ImportRejected, RuleViolation
from core.roles import Role
from core.services import catalog, settings, stock
from core.services.part_import import import_parts
from tests.helpers import SAMPLES
from tests.helpers.cli import Station, refused
from tests.helpers.staff import make_staff

BIGINT = 2**63 - 1
A_MILLION = 10**6


# -- numbers ----------------------------------------------------------------------------------


def test_a_million_lots_at_every_limit_still_sum_inside_bigint():
    # Stored raw: quantity in thousandths, money in cents; the database multiplies them (10^5 per unit of money).
    assert A_MILLION * int(MAX_QTY * 1000) < BIGINT
    assert A_MILLION * int(MAX_MONEY * 100) < BIGINT
    assert A_MILLION * int(MAX_VALUE * 100_000) < BIGINT
    # ... and one lot's raw product never leaves BIGINT either, whatever quantity and cost make its value.
    assert int(MAX_QTY * 1000) * int(Decimal("0.01") * 100) <= int(MAX_VALUE * 100_000)


@given(st.integers(min_value=int(MAX_QTY) + 1, max_value=10**300))
def test_every_quantity_past_the_limit_is_refused_in_one_line_naming_it(value):
    for typed in (str(value), f"{value:,}", f"-{value}", f"{value}.5"):
        with pytest.raises(BadInput) as caught:
            parse_qty(typed, "quantity of 96536697")
        message = caught.value.message
        assert "quantity of 96536697" in message and "at most 9,999,999" in message and "\n" not in message
        assert len(message) < 200  # a 300-digit number is not repeated whole


@given(st.decimals(min_value=MAX_MONEY + Decimal("0.01"), max_value=Decimal(10) ** 40, places=2,
                   allow_nan=False, allow_infinity=False))
def test_every_price_past_the_limit_is_refused_naming_the_limit(value):
    with pytest.raises(BadInput, match="at most 9,999,999.99"):
        parse_money(str(value), "price")


@given(st.decimals(min_value=0, max_value=MAX_QTY, places=3), st.decimals(min_value=0, max_value=MAX_MONEY, places=2))
def test_a_value_is_accepted_exactly_when_it_is_within_the_limit(qty, cost):
    if qty * cost <= MAX_VALUE:
        assert check_value(qty, cost, "line") == qty * cost
    else:
        with pytest.raises(BadInput, match="at most 9,999,999.99"):
            check_value(qty, cost, "line")


def test_lots_at_the_limits_sum_exactly_and_a_lot_past_them_is_refused(any_db):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        # Opening balances this large would otherwise wait for approval (adjust_value_limit): the limits are tested.
        settings.set_setting("adjust_value_limit", "999999999", actor=staff[Role.ADMIN], uow=uow)
        catalog.add_part("96536697", "Engine oil", unit="L", price="9999999.99", location="EXC-01-02-03",
                         actor=staff[Role.PLANNER], uow=uow)
    lots = [("9999999", "1"), ("9999999", "0.99"), ("1", "9999999.99"), ("0.001", "9999999.99")]
    for qty, cost in lots:
        with any_db.writing() as uow:
            stock.adjust("96536697", qty, location="EXC-01-02-03", reason="opening balance", unit_cost=cost,
                         actor=staff[Role.PARTS_MANAGER], uow=uow)
    for qty, cost, message in (("999999999", "999999999.99", "quantity 999999999 is too large"),
                               ("2", "9999999.99", "the value of a new lot"),
                               ("9999999", "2", "at most 9,999,999.99")):
        with any_db.writing() as uow, pytest.raises(BadInput, match=message):
            stock.adjust("96536697", qty, location="EXC-01-02-03", reason="opening balance", unit_cost=cost,
                         actor=staff[Role.PARTS_MANAGER], uow=uow)
    with any_db.reading() as uow:
        (line,) = stock.stock_list(uow=uow)
        assert stock.invariant_violations(uow=uow) == []
    assert line.on_hand == Decimal("19999999.001")
    expected = sum((Decimal(q) * Decimal(c) for q, c in lots), Decimal(0))
    assert line.value == expected.quantize(Decimal("0.01"))  # exact: no float on the way


HUGE = "9" * 30


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("demo", "--parts", "12").exit_code == 0
    monkeypatch.setenv("PARTSDESK_PIN_MECH1", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_STORE2", "1234")
    return s


@pytest.mark.parametrize("args, who", [
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", HUGE, "--reason", "lost"], "PM1"),
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "1", "--reason", "lost",
      "--unit-cost", HUGE], "PM1"),
    (["issue", "RO-2026-000001", "--line", f"96536697:{HUGE}", "--to", "MECH1"], "STORE1"),
    (["shortage", "log", "96536697", "--qty", HUGE, "--ro", "RO-2026-000001"], "ADV1"),
    (["part", "add", "ABCD1234", "--name", "x", "--price", HUGE], "PLAN1"),
    (["part", "add", "ABCD1234", "--name", "x", "--pack-qty", HUGE], "PLAN1"),
    (["receive", "count", "RCV-2026-000002", "--by", "STORE1", "--by", "STORE2", "--line", f"96536697={HUGE}"],
     "STORE1"),
    (["po", "create", "--urgent", "--for", "RO-2026-000001", "--supplier", "SGM", "--line", f"96536697:{HUGE}"],
     "PLAN1"),
    (["po", "create", "--urgent", "--for", "RO-2026-000001", "--supplier", "SGM", "--line", f"96536697:1:{HUGE}"],
     "PLAN1"),
])
def test_numbers_of_thirty_digits_are_one_line_on_every_face(station, args, who):
    refused(station.run(*args, as_=who), 2, "too large")


# -- the decimal comma in files ---------------------------------------------------------------


def test_a_semicolon_file_reads_its_decimal_commas_like_typed_numbers(db, tmp_path):
    staff = make_staff(db)
    sheet = tmp_path / "teile.csv"
    sheet.write_text("part_no;name;unit;unit_price;pack_qty;location\n"
                     "AB1234;Bremsbelag;pc;1,50;2;EXC-01-01-01\n"
                     "AB1235;Filter;pc;1.234,50;1;EXC-01-01-02\n"
                     "AB1236;Öl;L;12;0,5;EXC-01-01-03\n", encoding="utf-8")
    with db.writing() as uow:
        result = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert result.created == 3
    with db.reading() as uow:
        prices = {p: catalog.get_part(p, uow=uow).list_price for p in ("AB1234", "AB1235", "AB1236")}
        pack = catalog.get_part("AB1236", uow=uow).pack_qty
    assert prices == {"AB1234": Decimal("1.50"), "AB1235": Decimal("1234.50"), "AB1236": Decimal("12.00")}
    assert pack == Decimal("0.5")


def test_a_number_that_reads_two_ways_in_a_semicolon_file_is_refused_naming_row_and_column(db, tmp_path):
    staff = make_staff(db)
    sheet = tmp_path / "teile.csv"
    sheet.write_text("part_no;name;unit_price\nAB1234;Bremsbelag;1.234\nAB1235;Filter;1,2,3\n"
                     f"AB1236;Öl;{HUGE}\n", encoding="utf-8")
    with db.writing() as uow, pytest.raises(ImportRejected) as caught:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [(2, "unit_price"), (3, "unit_price"), (4, "unit_price")]
    assert "ambiguous" in caught.value.problems[0].message
    assert "at most 9,999,999.99" in caught.value.problems[2].message


def test_a_comma_file_still_reads_thousands_and_refuses_a_decimal_comma(db, tmp_path):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    sheet.write_text('part_no,name,unit_price\nAB1234,Brake pad,"1,234.50"\nAB1235,Filter,"1,50"\n', encoding="utf-8")
    with db.writing() as uow, pytest.raises(ImportRejected) as caught:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "unit_price")]


# -- text -------------------------------------------------------------------------------------


def test_nul_and_over_long_text_are_refused_alike_on_both_backends_naming_the_field(any_db):
    staff = make_staff(any_db)
    for name, message in (("Brake\x00pad", "U+0000"), ("Brake\x1bpad", "U+001B"), ("x" * 201, "longer than 200"),
                          ("Brake\u202epad", "U+202E")):
        with any_db.writing() as uow, pytest.raises(BadInput, match=re.escape(message)) as caught:
            catalog.add_part("96536697", name, price="1", actor=staff[Role.PLANNER], uow=uow)
        assert "name" in caught.value.message and "\n" not in caught.value.message
    with any_db.writing() as uow:  # a name of exactly 200 characters, Chinese included, is stored whole
        catalog.add_part("96536697", "刹" * 200, price="1", actor=staff[Role.PLANNER], uow=uow)
    with any_db.reading() as uow:
        assert catalog.get_part("96536697", uow=uow).name == "刹" * 200


def test_a_nul_in_a_count_sheet_is_a_problem_of_its_row_and_column(db, tmp_path):
    from core.services.receiving import read_count_file

    sheet = tmp_path / "count.csv"
    sheet.write_bytes(b"part_no,qty\n96536697,3\n96800106\x00,5\n" + b"X" * 41 + b",1\n")
    with pytest.raises(ImportRejected) as caught:
        read_count_file(sheet)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "part_no"), (4, "part_no")]
    assert "U+0000" in caught.value.problems[0].message and "longer than 40" in caught.value.problems[1].message


def test_an_over_long_cell_in_a_parts_file_names_row_and_column(db, tmp_path):
    staff = make_staff(db)
    sheet = tmp_path / "parts.csv"
    sheet.write_text("part_no,name,unit_price\nAB1234,ok,1\nAB1235," + "n" * 201 + ",1\n", encoding="utf-8")
    with db.writing() as uow, pytest.raises(ImportRejected) as caught:
        import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "name")]


def test_a_latin1_file_reads_as_western_text_and_says_so(db, tmp_path):
    staff = make_staff(db)
    sheet = tmp_path / "teile.csv"
    sheet.write_bytes("part_no,name,unit_price\nAB1234,Bremsbelag für Vorderachse,12.50\nAB1235,Ölfilter groß,3\n"
                      .encode("latin-1"))
    with db.writing() as uow:
        result = import_parts(sheet, actor=staff[Role.PLANNER], uow=uow)
    assert result.encoding == "cp1252"
    with db.reading() as uow:
        assert catalog.get_part("AB1234", uow=uow).name == "Bremsbelag für Vorderachse"
        assert catalog.get_part("AB1235", uow=uow).name == "Ölfilter groß"


def test_a_short_latin1_line_is_not_taken_for_a_rare_chinese_character(tmp_path):
    from core.tabular import read_table

    sheet = tmp_path / "kurz.csv"
    sheet.write_bytes("part_no,name\n1234,für\n".encode("latin-1"))
    table = read_table(sheet)
    assert table.encoding == "cp1252" and table.rows[0][1][1] == "für"


@pytest.mark.parametrize("name", ["parts_master_gb18030.csv", "packing_list_gb18030.csv"])
def test_the_gb18030_samples_still_read_as_chinese(name):
    from core.tabular import read_table

    shared = Path(__file__).resolve().parents[2] / "shared" / "samples" / name
    path = shared if shared.exists() else SAMPLES / name
    table = read_table(path)
    assert table.encoding == "gb18030"
    text = " ".join(" ".join(cells) for _n, cells in table.rows) + " ".join(table.headers)
    assert "零件号" in text and ("刹车片" in text or "滤清器" in text)


def test_a_file_in_neither_encoding_is_refused_in_one_line(tmp_path):
    from core.tabular import read_table

    sheet = tmp_path / "junk.csv"
    sheet.write_bytes(b"part_no,name\n1234," + bytes([0x81, 0x30, 0xFF, 0x9D]) + b"\n")
    with pytest.raises(BadInput, match="neither UTF-8 nor GB18030"):
        read_table(sheet)


def test_the_cli_names_the_encoding_of_an_import(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    assert s.run("operator", "add", "PLAN1", "--name", "P", "--role", "planner", "--pin", "1234",
                 as_="ADMIN").exit_code == 0
    sheet = tmp_path / "teile.csv"
    sheet.write_bytes("part_no,name,unit_price\nAB1234,Bremsbelag für,1\n".encode("latin-1"))
    assert s.json("part", "import", str(sheet), as_="PLAN1")["encoding"] == "cp1252"


# -- codes ------------------------------------------------------------------------------------


def test_a_full_width_location_is_the_same_location(db):
    staff = make_staff(db)
    with db.writing() as uow:
        catalog.add_location("EXC-01-02-03", None, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.writing() as uow, pytest.raises(RuleViolation, match="already exists"):
        catalog.add_location("EXC-０１-０２-０３", None, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.writing() as uow:
        catalog.add_part("ＡＢＣＤ１２３４", "Brake pad", price="1", location="ｅｘｃ-０１-０２-０３",
                         actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow:
        part = catalog.get_part("abcd1234", uow=uow)
        assert [p.code for p in catalog.list_locations(uow=uow)] == ["EXC-01-02-03"]
    assert (part.part_no, part.location) == ("ABCD1234", "EXC-01-02-03")


@pytest.mark.parametrize("code, char", [("EXC-٠١-02-03", "ARABIC-INDIC DIGIT ZERO"), ("ЕХС-01-02-03", "CYRILLIC"),
                                        ("EXC-01-02-0३", "DEVANAGARI")])
def test_other_scripts_letters_and_digits_in_a_location_are_refused_naming_them(db, code, char):
    staff = make_staff(db)
    with db.writing() as uow, pytest.raises(BadInput, match=char):
        catalog.add_location(code, None, actor=staff[Role.PARTS_MANAGER], uow=uow)


def test_a_part_number_in_another_script_is_refused(db):
    staff = make_staff(db)
    with db.writing() as uow, pytest.raises(BadInput, match="codes are ASCII"):
        catalog.add_part("ABCDé1234", "x", price="1", actor=staff[Role.PLANNER], uow=uow)


def test_a_chinese_file_with_a_rare_character_still_reads_as_chinese(tmp_path):
    from core.tabular import read_table

    sheet = tmp_path / "gbk.csv"
    rows = "零件号,名称,单价\n" + "".join(f"{n},刹车片{n},1\n" for n in range(30)) + "99,镕基牌滤清器,2\n"
    sheet.write_bytes(rows.encode("gb18030"))  # 镕 is in GBK and GB18030, not in GB2312
    table = read_table(sheet)
    assert table.encoding == "gb18030" and table.rows[-1][1][1] == "镕基牌滤清器"


def test_a_lot_stored_past_the_limits_before_them_is_never_valued_through_a_float(db):
    from sqlalchemy import text

    staff = make_staff(db)
    with db.writing() as uow:
        catalog.add_part("96536697", "Front brake pad set", price="1", location="EXC-01-02-03",
                         actor=staff[Role.PLANNER], uow=uow)
        stock.adjust("96536697", "1", location="EXC-01-02-03", reason="opening balance", unit_cost="1",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
    # What an older partsdesk let in: 999,999,999 units at 999,999,999.99 (raw thousandths x cents leave BIGINT).
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE stock_lot SET qty_received = 999999999000, qty_remaining = 999999999000, "
                          "unit_cost = 99999999999"))
    with db.reading() as uow, pytest.raises(RuleViolation, match="past what can be added exactly"):
        stock.stock_list(uow=uow)
