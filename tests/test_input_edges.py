"""Input at the edge: numbers past the station's limits, decimal commas in files, text no column can hold.

Every refusal is one line naming the field (and, in a file, the row and column), the same on SQLite and
PostgreSQL, and never a traceback; sums stay exact in the scaled BIGINT columns.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.decimals import MAX_MONEY, MAX_QTY, MAX_VALUE, check_value, parse_money, parse_qty
from core.errors import BadInput, ImportRejected
from core.roles import Role
from core.services import catalog, stock
from core.services.part_import import import_parts
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
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", HUGE, "--reason", "x"], "PM1"),
    (["stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "1", "--reason", "x",
      "--unit-cost", HUGE], "PM1"),
    (["issue", "RO-2026-000001", "--line", f"96536697:{HUGE}", "--to", "MECH1"], "STORE1"),
    (["shortage", "log", "96536697", "--qty", HUGE, "--ro", "RO-2026-000001"], "ADV1"),
    (["part", "add", "ABCD1234", "--name", "x", "--price", HUGE], "PLAN1"),
    (["part", "add", "ABCD1234", "--name", "x", "--pack-qty", HUGE], "PLAN1"),
    (["receive", "count", "RCV-2026-000002", "--by", "STORE1", "--by", "STORE2", "--line", f"96536697={HUGE}"],
     "STORE1"),
    (["po", "create", "--supplier", "SGM", "--line", f"96536697:{HUGE}"], "PLAN1"),
    (["po", "create", "--supplier", "SGM", "--line", f"96536697:1:{HUGE}"], "PLAN1"),
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
