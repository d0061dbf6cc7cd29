"""Snapshots of each step of receiving on fixed data with the frozen clock: the open receipts, the box check,
the count with its differences in colour, the second counter's PIN, a missing location, the posted receipt,
the putaway list and the receipt list.

Update with `pytest tests/test_snapshots_receiving.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from decimal import Decimal

from core.roles import Role
from core.services.receiving import CountEntry, check_boxes, count_receipt, post_receipt
from tests.helpers.receiving import (
    ALL_COUNTED,
    BRAKE_PADS,
    HEADLAMP_LEFT,
    HEADLAMP_RIGHT,
    OIL_FILTER,
    counted,
    open_receipt_screen,
    open_receiving,
    open_sample,
    scan,
)
from tests.helpers.tui import make_app, settle, steady_cursors

ENGINE_OIL, WIPERS = "19300011", "13227301"


def with_differences(db, staff) -> str:
    """The sample shipment with box 2's seal broken, counted with a difference of every kind."""
    number = open_sample(db, staff, supplier="SGM", carrier="ANJI")
    with db.writing() as uow:
        check_boxes(number, 3, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow, broken_seal=["2"])
    return number


def signed(db, staff, number: str) -> str:
    """The count of `with_differences` signed by the storekeeper and the parts manager."""
    entries = [CountEntry(BRAKE_PADS, Decimal(10)), CountEntry(OIL_FILTER, Decimal(55)),
               CountEntry(HEADLAMP_LEFT, Decimal(1)), CountEntry(ENGINE_OIL, Decimal(50), Decimal(2)),
               CountEntry(HEADLAMP_RIGHT, Decimal(1))]
    with db.writing() as uow:
        count_receipt(number, entries, first=staff[Role.STOREKEEPER], second=staff[Role.PARTS_MANAGER],
                      uow=uow)
    return number


def test_open_receipts(snap_compare, size, stocked, staff, clock):
    """Receiving: two receipts waiting, the one that arrived four days ago overdue in red."""
    clock.advance(days=-4)
    open_sample(stocked, staff)
    clock.advance(days=4)
    open_sample(stocked, staff, supplier="SGM")

    async def run_before(pilot):
        await open_receiving(pilot)
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_box_check_form(snap_compare, size, stocked, staff):
    """The box check over a new receipt: three boxes arrived, box 2's seal broken, the fragile headlamp named."""
    number = open_sample(stocked, staff)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number)
        await pilot.press("ctrl+b")
        await settle(pilot)
        await pilot.press("enter", "2", "enter")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_counting_with_differences(snap_compare, size, stocked, staff):
    """Counting by scanner and keyboard: ok green, short and missing red, over yellow, damaged and wrong magenta."""
    number = with_differences(stocked, staff)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number)
        await scan(pilot, *[BRAKE_PADS] * 10, *[HEADLAMP_LEFT] * 3, HEADLAMP_RIGHT, OIL_FILTER)
        await pilot.press(*"55", "*")
        await scan(pilot, ENGINE_OIL)
        await pilot.press(*"48", "*", "2", "ctrl+d")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_second_counter_pin(snap_compare, size, stocked, staff):
    """The second counter's code typed and the PIN as dots, the count's tally above."""
    number = with_differences(stocked, staff)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number)
        await scan(pilot, *[BRAKE_PADS] * 10, OIL_FILTER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"PM1", "enter", *"1234")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_missing_location(snap_compare, size, stocked, staff, tmp_path):
    """Posting stopped by a part without a location: the planner gives it one on the spot."""
    belts = tmp_path / "belts.csv"
    belts.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                     "SH-2,1,24258947,Timing belt,4,420.00\n", encoding="utf-8")
    number = open_sample(stocked, staff, belts)
    with stocked.writing() as uow:
        check_boxes(number, 1, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    with stocked.writing() as uow:
        count_receipt(number, [CountEntry("24258947", Decimal(4))], first=staff[Role.STOREKEEPER],
                      second=staff[Role.PARTS_MANAGER], uow=uow)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number, Role.PLANNER)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("enter")  # yes, post
        await settle(pilot)
        await pilot.press(*"EXC-02-01-01")
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_posted_receipt(snap_compare, size, stocked, staff):
    """Posted by the planner: every step stamped, the discrepancy record, the surplus receipt and the claims."""
    number = signed(stocked, staff, with_differences(stocked, staff))

    async def run_before(pilot):
        await open_receipt_screen(pilot, number, Role.PLANNER)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("enter")  # yes, post
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_putaway(snap_compare, size, stocked, staff):
    """The putaway list in walking order: the pads go behind the 13 already in their bin."""
    number = counted(stocked, staff, open_sample(stocked, staff), ALL_COUNTED)
    with stocked.writing() as uow:
        post_receipt(number, actor=staff[Role.PLANNER], uow=uow)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number)
        await pilot.press("ctrl+t")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_receipt_list(snap_compare, size, stocked, staff):
    """The receipt list (入库清单) of a posted receipt with its attachments, as it prints."""
    number = signed(stocked, staff, with_differences(stocked, staff))
    with stocked.writing() as uow:
        post_receipt(number, actor=staff[Role.PLANNER], uow=uow)

    async def run_before(pilot):
        await open_receipt_screen(pilot, number)
        await pilot.press("ctrl+l")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
