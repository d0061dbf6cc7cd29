"""Numbers mean what they say: one quantity parser for every face (commas, full-width digits, exponents,
NaN refused or read unambiguously), units that are whole or divisible, and a fraction of a whole unit
refused by every service a quantity enters through, with nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from core.decimals import MAX_MONEY, MAX_QTY, fmt_money, fmt_qty, parse_count, parse_money, parse_qty, positive_qty
from core.errors import BadInput, ImportRejected
from core.measures import check_qty, check_unit, fmt_totals, totals_by_unit, whole
from core.printing.labels import receipt_labels
from core.roles import Role
from core.services import catalog, purchasing, receipt_counts, receiving, requests, shortages, stock
from core.services.part_import import import_parts
from core.services.receiving import CountEntry
from core.services.requests import LineChange
from tests.helpers import make_staff
from tests.helpers.counter import issue, order_in, take_back
from tests.helpers.shipments import Line, write_packing_list

PADS, OIL, BLADE = "96536697", "93165557", "96474545"

# -- the parser -------------------------------------------------------------------------------

READ = [
    ("1.5", "1.5"), ("12", "12"), (".5", "0.5"), ("5.", "5"), ("  7 ", "7"), ("1,234", "1234"),
    ("1,234.5", "1234.5"), ("1,234,567", "1234567"), ("１２", "12"), ("１．５", "1.5"), ("１，２３４", "1234"),
    ("+2", "2"), ("-3", "-3"), ("-0", "0"), ("1.2300", "1.23"), ("9999999", "9999999"),
    ("9,999,998.999", "9999998.999"),
]

REFUSED = [
    ("1,5", "ambiguous"), ("1,50", "ambiguous"), ("1,2345", "ambiguous"), ("12,34,567", "ambiguous"),
    (",5", "ambiguous"), ("1,", "ambiguous"), ("1，５", "ambiguous"), ("1e9", "not a number"),
    ("1E3", "not a number"), ("NaN", "not a number"), ("nan", "not a number"), ("Infinity", "not a number"),
    ("-inf", "not a number"), ("", "nothing typed"), ("   ", "nothing typed"), ("1 234", "not a number"),
    ("٣", "not a number"), ("0x10", "not a number"), ("1.2.3", "not a number"), ("two", "not a number"),
    ("1.2345", "more than 3 decimal places"), ("1000000000", "too large"), ("10000000", "at most 9,999,999"),
    ("9999999.001", "at most 9,999,999"), ("-10,000,000", "too large"),
    ("99999999999999999999999999999999999", "too large"),
]


@pytest.mark.parametrize("typed, value", READ)
def test_the_parser_reads_plain_and_unambiguous_numbers(typed, value):
    assert parse_qty(typed) == Decimal(value)


@pytest.mark.parametrize("typed, message", REFUSED)
def test_the_parser_refuses_anything_else_in_one_line_naming_what_was_typed(typed, message):
    with pytest.raises(BadInput) as caught:
        parse_qty(typed)
    line = caught.value.message
    assert message in line and "\n" not in line
    if typed.strip():
        assert typed.strip() in line


def test_a_count_of_things_is_a_whole_number_read_the_same_way():
    assert parse_count("１２", "boxes") == 12 and parse_count("1,000", "boxes") == 1000
    for typed, message in (("1.5", "not a whole number"), ("-1", "may not have a sign"), ("1e3", "not a number"),
                           ("1,5", "ambiguous"), ("", "nothing typed")):
        with pytest.raises(BadInput, match=message):
            parse_count(typed, "boxes")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_decimal_that_is_not_finite_is_refused(value):
    with pytest.raises(BadInput, match="not a number"):
        parse_qty(value)


def test_signs_are_refused_where_not_allowed_and_money_reads_the_same_way():
    for typed in ("-1", "+1"):
        with pytest.raises(BadInput, match="may not have a sign"):
            parse_qty(typed, signed=False)
    with pytest.raises(BadInput, match="more than zero"):
        positive_qty("-2", "96536697")
    assert parse_money("1,234.50") == Decimal("1234.50")
    for typed, message in (("12,50", "ambiguous"), ("1.005", "more than 2 decimal places"), ("1e2", "not a number")):
        with pytest.raises(BadInput, match=message):
            parse_money(typed)


def test_a_setting_is_read_by_the_same_parser(db, staff):
    """Station settings typed by the admin read numbers as every other face does."""
    from core.services import settings

    admin = staff[Role.ADMIN]
    with db.writing() as uow:
        assert settings.set_setting("print_width", "８０", actor=admin, uow=uow) == "80"
        assert settings.set_setting("alpha", "０.５0", actor=admin, uow=uow) == "0.5"
        for key, typed, message in (("alpha", "1e-1", "not a number"), ("alpha", "0,5", "ambiguous"),
                                    ("beta", "0.12345", "more than 4 decimal places"),
                                    ("print_width", "80.5", "not a whole number"), ("label_rows", "-3", "sign")):
            with pytest.raises(BadInput, match=message):
                settings.set_setting(key, typed, actor=admin, uow=uow)
        assert settings.get_settings(uow=uow)["alpha"] == "0.5"


QUANTITIES = st.decimals(min_value=-MAX_QTY, max_value=MAX_QTY, places=3,
                         allow_nan=False, allow_infinity=False)


@given(QUANTITIES)
def test_what_is_printed_reads_back_as_the_same_quantity(value):
    assert parse_qty(fmt_qty(value)) == value


@given(QUANTITIES)
def test_a_quantity_with_thousands_separators_reads_back_the_same(value):
    assert parse_qty(f"{value:,f}") == value


@given(st.decimals(min_value=-MAX_MONEY, max_value=MAX_MONEY, places=2, allow_nan=False, allow_infinity=False))
def test_money_printed_reads_back_as_the_same_amount(value):
    assert parse_money(fmt_money(value)) == value


# -- units ------------------------------------------------------------------------------------


def test_units_are_whole_or_divisible_and_the_list_knows_every_spelling_in_use():
    for unit in ("pc", "set", "pair", "box", "bottle", "can", "个", "套", "件", "对", "盒", "PC", "Set"):
        assert whole(unit), unit
    for unit in ("L", "l", "升", "m", "米", "kg", "千克"):
        assert not whole(unit), unit
    assert not whole("furlong")  # unknown (stored before the list): refused nothing
    assert check_unit(" 套 ") == "套"
    with pytest.raises(BadInput, match="'furlong' is not one the station uses"):
        check_unit("furlong")
    assert check_qty("L", Decimal("1.5"), OIL) == Decimal("1.5")
    with pytest.raises(BadInput) as caught:
        check_qty("set", Decimal("1.5"), PADS)
    assert caught.value.message == "96536697 is counted in sets: 1.5 is not a whole number"


def test_totals_never_add_litres_to_pieces():
    totals = totals_by_unit([("pc", Decimal(4)), ("L", Decimal("4.5")), ("个", Decimal(2)), ("set", Decimal(1))])
    assert totals == [("pc", Decimal(6)), ("L", Decimal("4.5")), ("set", Decimal(1))]
    assert fmt_totals(totals) == "6 pc, 4.5 L, 1 set"


# -- whole units in every service -------------------------------------------------------------


@pytest.fixture
def station(any_db):
    """Brake pads in sets, engine oil in litres, wiper blades in pieces; each with stock on the shelf."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        for part_no, name, unit, location in ((PADS, "Front brake pad set", "set", "EXC-01-02-03"),
                                              (OIL, "Engine oil 5W-30", "L", "GEN-01-01-01"),
                                              (BLADE, "Wiper blade", "pc", "EXC-01-03-01")):
            catalog.add_part(part_no, name, unit=unit, price="100", location=location,
                             actor=staff[Role.PLANNER], uow=uow)
        for part_no, location, qty in ((PADS, "EXC-01-02-03", 10), (OIL, "GEN-01-01-01", 20),
                                       (BLADE, "EXC-01-03-01", 10)):
            stock.adjust(part_no, Decimal(qty), location=location, reason="opening", unit_cost="50",
                         actor=staff[Role.PARTS_MANAGER], uow=uow)
    return any_db, staff


TABLES = ("stock_lot", "stock_move", "requisition_line", "return_line", "receipt", "receipt_line",
          "purchase_order_line", "purchase_request_line", "shortage", "part")


def _rows(database) -> dict[str, list]:
    with database.engine.connect() as conn:
        return {table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
                for table in TABLES}


def _refused_whole(database, action, part_no=PADS, qty="1.5", units="sets") -> None:
    before = _rows(database)
    with pytest.raises(BadInput) as caught:
        action()
    assert caught.value.message == f"{part_no} is counted in {units}: {qty} is not a whole number"
    assert _rows(database) == before


def test_issuing_a_fraction_of_a_set_is_refused_and_litres_issue(station):
    database, staff = station
    ro = order_in(database, staff, "in_repair")
    _refused_whole(database, lambda: issue(database, staff, ro, (PADS, "1.5")))
    issued = issue(database, staff, ro, (OIL, "4.5"), (PADS, "2"))
    assert [line.qty for line in issued.lines] == [Decimal("4.5"), Decimal(2)]


def test_returning_a_fraction_of_a_set_is_refused(station):
    database, staff = station
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, (PADS, "2"), (OIL, "4")).number
    _refused_whole(database, lambda: take_back(database, staff, req, (PADS, "0.5")), qty="0.5")
    assert take_back(database, staff, req, (OIL, "0.5"), (PADS, "1")).lines


def test_adjusting_stock_by_a_fraction_of_a_piece_is_refused(station):
    database, staff = station

    def adjust():
        with database.writing() as uow:
            stock.adjust(BLADE, "-0.5", location="EXC-01-03-01", reason="damaged", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
    _refused_whole(database, adjust, part_no=BLADE, qty="-0.5", units="pieces")


def test_receiving_a_fraction_of_a_whole_unit_is_refused_on_the_packing_list_and_in_the_count(station, tmp_path):
    database, staff = station
    store, manager = staff[Role.STOREKEEPER], staff[Role.PARTS_MANAGER]
    bad_list = write_packing_list(tmp_path, [Line(PADS, "1.5"), Line(OIL, "2.5")])

    before = _rows(database)
    with pytest.raises(ImportRejected) as caught, database.writing() as uow:
        receiving.open_receipt(bad_list, actor=store, uow=uow)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "qty", "96536697 is counted in sets: 1.5 is not a whole number")]  # the litres' row is fine
    assert _rows(database) == before
    with database.writing() as uow:
        number = receiving.open_receipt(write_packing_list(tmp_path, [Line(BLADE, "2"), Line(OIL, "2.5")]),
                                        actor=store, uow=uow)
    with database.writing() as uow:
        receiving.check_boxes(number, 2, actor=store, second=staff[Role.PLANNER], uow=uow)

    def count(entries):
        with database.writing() as uow:
            receiving.count_receipt(number, entries, first=store, second=manager, uow=uow)
    _refused_whole(database, lambda: count([CountEntry(BLADE, Decimal("1.5")), CountEntry(OIL, Decimal("2.5"))]),
                   part_no=BLADE, units="pieces")
    _refused_whole(database, lambda: count([CountEntry(BLADE, Decimal(2), Decimal("0.5"))]), part_no=BLADE,
                   qty="0.5", units="pieces")
    count([CountEntry(BLADE, Decimal(2)), CountEntry(OIL, Decimal("2.5"))])


def test_a_request_line_of_a_fraction_of_a_set_is_refused(station):
    database, staff = station
    planner = staff[Role.PLANNER]
    with database.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)

    def edit():
        with database.writing() as uow:
            requests.edit_request(number, [LineChange(PADS, Decimal("2.5"))], actor=planner, uow=uow)
    _refused_whole(database, edit, qty="2.5")


def test_an_order_line_of_a_fraction_of_a_set_is_refused(station):
    database, staff = station
    ro = order_in(database, staff, "in_repair")

    def order():
        with database.writing() as uow:
            purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:1.5")], [ro],
                                           actor=staff[Role.PLANNER], uow=uow)
    _refused_whole(database, order)


def test_a_shortage_of_a_fraction_of_a_set_is_refused(station):
    database, staff = station
    ro = order_in(database, staff, "in_repair")

    def log():
        with database.writing() as uow:
            shortages.log_shortage(PADS, "0.5", ro, actor=staff[Role.ADVISOR], uow=uow)
    _refused_whole(database, log, qty="0.5")


def test_the_parts_master_refuses_an_unknown_unit_and_a_fractional_pack_of_a_whole_one(station):
    database, staff = station
    for unit, pack, message in (("furlong", "1", "'furlong' is not one the station uses"),
                                ("set", "2.5", "is counted in sets: 2.5 is not a whole number")):
        before = _rows(database)
        with pytest.raises(BadInput, match=message), database.writing() as uow:
            catalog.add_part("99999999", "Test", unit=unit, pack_qty=pack, actor=staff[Role.PLANNER], uow=uow)
        assert _rows(database) == before


def test_the_parts_import_names_the_row_and_column_of_an_unknown_unit(db, tmp_path):
    staff = make_staff(db)
    path = tmp_path / "parts.csv"
    path.write_text("part_no,name,model_series,unit,unit_price,fragile,location,pack_qty\n"
                    "96536697,Front brake pad set,EXCELLE,set,286.00,no,EXC-01-02-03,1\n"
                    "93165557,Engine oil,GENERAL,gallon,80.00,no,GEN-01-01-01,1\n"
                    "96474545,Wiper blade,EXCELLE,pc,60.00,no,,0.5\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught, db.writing() as uow:
        import_parts(path, actor=staff[Role.PLANNER], uow=uow)
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [(3, "unit"), (4, "pack_qty")]
    assert "gallon" in caught.value.problems[0].message


def test_a_box_numbered_with_a_superscript_digit_is_a_name_not_a_number(station, tmp_path):
    database, staff = station
    path = tmp_path / "boxes.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                    "S1,10,96536697,pads,2,10.00\nS1,²,93165557,oil,1.5,10.00\nS1,2,96474545,blade,1,10.00\n",
                    encoding="utf-8")
    with database.writing() as uow:
        number = receiving.open_receipt(path, actor=staff[Role.STOREKEEPER], uow=uow)
    with database.reading() as uow:
        info = receiving.get_receipt(number, uow=uow)
    assert info.boxes_expected == 3 and [line.unit for line in info.lines] == ["set", "L", "pc"]


def test_labels_go_one_per_piece_and_one_per_line_of_litres(station, tmp_path):
    database, staff = station
    store = staff[Role.STOREKEEPER]
    with database.writing() as uow:
        number = receiving.open_receipt(write_packing_list(tmp_path, [Line(BLADE, "2"), Line(OIL, "5")]),
                                        actor=store, uow=uow)
    with database.writing() as uow:
        receiving.check_boxes(number, 2, actor=store, second=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow:
        receiving.count_receipt(number, [CountEntry(BLADE, Decimal(2)), CountEntry(OIL, Decimal(5))], first=store,
                                second=staff[Role.PARTS_MANAGER], uow=uow)
    with database.reading() as uow:
        labels = receipt_labels(number, uow=uow)
    assert sorted(label.code for label in labels.labels) == sorted([BLADE, BLADE, OIL])
    assert labels.single == (OIL,)


def test_a_stored_scan_of_a_fraction_of_a_whole_unit_is_refused(station, tmp_path):
    database, staff = station
    store = staff[Role.STOREKEEPER]
    with database.writing() as uow:
        number = receiving.open_receipt(write_packing_list(tmp_path, [Line(BLADE, "2"), Line(OIL, "2.5")]),
                                        actor=store, uow=uow)
    with database.writing() as uow:
        receiving.check_boxes(number, 2, actor=store, second=staff[Role.PLANNER], uow=uow)

    def set_counted(part_no, qty):
        with database.writing() as uow:
            return receipt_counts.set_counted(number, part_no, qty, actor=store, uow=uow)
    _refused_whole(database, lambda: set_counted(BLADE, "1.5"), part_no=BLADE, units="pieces")
    assert set_counted(OIL, "2.5").parts[OIL].counted == Decimal("2.5")
    with database.writing() as uow:
        receipt_counts.set_counted(number, BLADE, "2", actor=store, uow=uow)
    with database.writing() as uow, pytest.raises(BadInput, match="counted in pieces: 0.5 is not a whole"):
        receipt_counts.set_damaged(number, BLADE, "0.5", actor=store, uow=uow)
