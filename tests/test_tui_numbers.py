"""Numbers mean what they say at the desk: "1,5" typed at the counter or into a receiving count is refused
on the screen naming what was typed, and so is a fraction of a part counted in whole units; nothing is
added or counted. Litres stay divisible."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input

from core.roles import Role
from screens.counter import CounterScreen
from screens.receipt_boxes import BoxCheckDialog
from screens.review import ReviewScreen
from screens.widgets.line_edit import LineEditDialog
from tests.helpers.counter import order_in
from tests.helpers.planning import PADS, advance, consumption, draft, request
from tests.helpers.receiving import OIL_FILTER, boxes_checked, open_receipt_screen, open_sample, receipt, scan
from tests.helpers.tui import BRAKE_PADS, SIZE, burst, make_app, screen_text, settle, sign_in, stock_samples

ENGINE_OIL, WIPER_BLADE = "19300011", "13227301"  # litres; pieces


@pytest.fixture
def stocked(db, staff, clock):
    """The sample parts master (brake pads in sets, engine oil in litres) and three lots of brake pads."""
    return stock_samples(db, staff, clock)


def counter_lines(screen: CounterScreen) -> list[tuple[str, str]]:
    """The counter's lines as (part number, quantity)."""
    table = screen.query_one("#lines", DataTable)
    return [(table.get_row_at(i)[1].plain, table.get_row_at(i)[5].plain) for i in range(table.row_count)]


async def test_a_comma_or_a_fraction_of_a_set_at_the_counter_is_refused_and_nothing_is_added(stocked, staff):
    ro = order_in(stocked, staff, "in_repair")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await burst(pilot, *ro, "enter")
        await burst(pilot, *BRAKE_PADS, "*", "1", ",", "5", "enter")
        assert counter_lines(screen) == []
        assert "'1,5' is ambiguous" in screen_text(app)
        await burst(pilot, *BRAKE_PADS, "*", "1", ".", "5", "enter")
        assert counter_lines(screen) == []
        assert "96536697 is counted in sets: 1.5 is not a whole number" in screen_text(app)
        await burst(pilot, *BRAKE_PADS, "*", "2", "enter")
        assert counter_lines(screen) == [(BRAKE_PADS, "2")]
        await burst(pilot, *BRAKE_PADS, "*", "0", ".", "5", "enter")  # the line is known now: refused at once
        assert counter_lines(screen) == [(BRAKE_PADS, "2")]
        assert "96536697 is counted in sets: 0.5 is not a whole number" in screen_text(app)
        await burst(pilot, *BRAKE_PADS, "*", "１", "enter")  # a full-width digit is read as the digit
        assert counter_lines(screen) == [(BRAKE_PADS, "3")]


async def test_a_count_of_1_comma_5_or_of_half_a_wiper_blade_is_refused_and_litres_count(stocked, staff):
    number = boxes_checked(stocked, staff, open_sample(stocked, staff))
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_receipt_screen(pilot, number)
        await scan(pilot, OIL_FILTER)
        await pilot.press("1", ",", "5", "*")
        await settle(pilot)
        assert "'1,5' is ambiguous" in screen_text(app)
        assert screen.draft.lines[OIL_FILTER].counted == 1  # the scan, not fifteen
        await scan(pilot, WIPER_BLADE)
        await pilot.press("1", ".", "5", "*")
        await settle(pilot)
        assert "13227301 is counted in pieces: 1.5 is not a whole number" in screen_text(app)
        assert screen.draft.lines[WIPER_BLADE].counted == 1
        await pilot.press("1", "*", "0", ".", "5", "ctrl+d")  # half a damaged blade neither
        await settle(pilot)
        assert "is counted in pieces: 0.5 is not a whole number" in screen_text(app)
        assert screen.draft.lines[WIPER_BLADE].damaged == 0
        await scan(pilot, ENGINE_OIL)
        await pilot.press("4", "7", ".", "5", "*")
        await settle(pilot)
        assert screen.draft.lines[ENGINE_OIL].counted == Decimal("47.5")


async def test_the_box_count_reads_through_the_one_parser(stocked, staff):
    number = open_sample(stocked, staff)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_receipt_screen(pilot, number)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, BoxCheckDialog)
        dialog = app.screen
        # Through the seals, damaged boxes and fragile parts to the second signer (the planner), whose PIN records.
        await pilot.press("ctrl+u", "1", "e", "3", "enter", "enter", "enter", "enter")
        await pilot.press(*"PLAN1", "enter", *"1234", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "'1e3' is not a number" in screen_text(app)
        assert app.focused is dialog.query_one("#boxes-received", Input)
    assert receipt(stocked, number).state == "arrived"  # nothing recorded


async def test_the_review_line_edit_refuses_1_comma_5_and_half_a_set(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STATION_MANAGER)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("e")  # the first line: the brake pads, in sets
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LineEditDialog)
        # The quantity field has the focus first, and again after a refusal (the field that was wrong).
        for typed, said in ((("1", ",", "5"), "'1,5' is ambiguous"),
                            (("2", ".", "5"), "96536697 is counted in sets: 2.5 is not a whole number")):
            await pilot.press("ctrl+u", *typed, "enter", "enter")
            await settle(pilot)
            assert app.screen is dialog
            assert said in screen_text(app)
            assert app.focused is dialog.query_one("#pd-qty")
    assert {line.part_no: line.qty for line in request(stocked, number).lines}[PADS] == 4
