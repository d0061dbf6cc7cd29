"""The long listings' fast paths print what the slow ones printed: quantities and money formatted from the stored
integers as fmt_qty and fmt_money format the Decimals, local time from naive UTC as local() gives it across changes
of offset, an ASCII row through one str.format as through the padding of each cell, and the services' text rows
the same as their Decimal rows."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.decimals import fmt_cents, fmt_money, fmt_qty, fmt_thousandths, fmt_value_raw, money
from core.roles import Role
from core.services import catalog, stock
from tests.helpers.staff import make_staff
from tests.helpers.station import PARTS, add_parts, receive
from tui import cli_support
from tui.cli_support import iso, iso_from_utc, local, local_from_utc, write_table

# Past BIGINT both ways: the formatters are exact for any integer the columns or their sums hold.
RAW = st.integers(min_value=-(10**19), max_value=10**19)


@settings(max_examples=3000, deadline=None)
@given(RAW)
def test_stored_integers_print_as_their_decimals_do(raw):
    assert fmt_thousandths(raw) == fmt_qty(Decimal(raw).scaleb(-3))
    assert fmt_cents(raw) == fmt_money(Decimal(raw).scaleb(-2))
    assert fmt_value_raw(raw) == fmt_money(money(Decimal(raw).scaleb(-5)))


@pytest.mark.parametrize(("raw", "qty", "value"), [
    (0, "0", "0.00"), (1500, "1.5", "0.02"), (-500, "-0.5", "-0.01"), (-499, "-0.499", "-0.00"), (499, "0.499", "0.00"),
])
def test_half_up_and_signs(raw, qty, value):
    assert (fmt_thousandths(raw), fmt_value_raw(raw)) == (qty, value)


@pytest.fixture
def zone(monkeypatch):
    """Set the process's local time zone for a test (TZ and tzset), restored after it."""
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


# Zones with an hour's summer time, half an hour's (Lord Howe), and a change at a half hour (St John's).
@pytest.mark.parametrize("name", ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns", "UTC"])
def test_local_time_from_naive_utc_is_locals_across_offset_changes(zone, name):
    zone(name)
    text = local_from_utc()
    start = datetime(2024, 1, 1)
    # Every 7 minutes through 2024 and 2025, through every change of offset and both ends of each day.
    for step in range(0, 2 * 366 * 24 * 60, 7):
        at = start + timedelta(minutes=step, seconds=step % 60)
        assert text(at) == local(at.replace(tzinfo=timezone.utc)), at
    at = datetime(2024, 3, 31, 1, 0, 0, 123456)
    assert iso_from_utc(at) == iso(at.replace(tzinfo=timezone.utc))


def _lines(rows, window: int, monkeypatch) -> list[str]:
    monkeypatch.setattr(cli_support, "WIDTH_WINDOW", window)
    lines: list[str] = []
    write_table(lines.append, "title 标题", ["location", "part no", "name", "qty", "value"], iter(rows), right={3, 4})
    return lines


def test_rows_past_the_window_print_as_rows_inside_it(monkeypatch):
    """The first row is the widest in every column, so the widths are the same whether the window holds every
    row (each padded cell by cell) or only the first (the rest through the one format, where ASCII)."""
    rows = [["CRZ-01-01-01-LONG", "13301204-LONG", "Headlamp assembly, left, long 左前大灯", "-1234.567", "99999.99"],
            ["EXC-01-02-03", "96536697", "Front brake pad set", "15", "3850.00"],
            ["EXC-01-02-04", "96800106", "机油滤清器", "2.5", "25.00"],
            ["GEN-01", None, "", 7, Decimal("1.50")],
            ["GEN-02", "{0} {1!r}", "a {brace} %s", "1", "0.00"],
            ["GEN-03", "X", "ｆｕｌｌ width", "1", "1.00"]]
    assert _lines(rows, 1, monkeypatch) == _lines(rows, 1000, monkeypatch)
    monkeypatch.setattr(cli_support, "WIDTH_WINDOW", 1)
    with pytest.raises(ValueError):  # a row of the wrong length is refused past the window too
        write_table(lambda line: None, None, ["a", "b"], iter([["x", "y"], ["x", "y", "z"]]))


def test_text_rows_are_the_decimal_rows_formatted(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    with any_db.writing() as uow:  # oil by the litre: quantities in thousandths
        catalog.add_part("OIL-5W30", "Engine oil 5W-30", name_zh="机油", unit="L", price="80",
                         location="GEN-01-01-01", actor=staff[Role.PLANNER], uow=uow)
    numbers = ["OIL-5W30", *PARTS]
    receive(any_db, staff, numbers[0], "2.5", cost="10.33", location="GEN-01-01-01")
    receive(any_db, staff, numbers[0], "0.125", cost="0.07", location="GEN-01-01-01")
    receive(any_db, staff, numbers[1], "3", cost="1999.99")
    receive(any_db, staff, numbers[2], "1", cost="0.01")
    with any_db.reading() as uow:
        lines = stock.stock_list(uow=uow)
        rows = list(stock.stock_text_rows(uow=uow))
        assert rows == [(s.location, s.part_no, s.name, s.name_zh, fmt_qty(s.on_hand), fmt_money(s.value))
                        for s in lines]
        assert len(rows) == 3 and rows[-1][4:] == ("2.625", "25.83")
        moves = stock.part_ledger(numbers[0], uow=uow)
        assert list(stock.move_text_rows(numbers[0], uow=uow)) == [
            (m.id, m.at.replace(tzinfo=None), m.kind, fmt_qty(m.qty), m.lot, m.location, fmt_money(m.unit_cost),
             m.document, m.operator, m.note) for m in moves]
        assert len(moves) == 2
