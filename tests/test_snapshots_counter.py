"""Snapshots of the counter and the intake screens on fixed data with the frozen clock (120 x 36).

Update with `pytest tests/test_snapshots_counter.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

import pytest

from core.roles import Role
from core.services import repair_orders
from tests.helpers.counter import drive, issue, open_order
from tests.helpers.tui import BRAKE_PADS, burst, make_app, settle, sign_in, steady_cursors, stock_samples


@pytest.fixture
def counter_day(db, staff, clock):
    """The sample parts and brake pads, three repair orders in different states, one requisition issued."""
    stock_samples(db, staff, clock)
    first = open_order(db, staff, inspection="左前门划痕 scratch on the front left door",
                       checklist={"spare_wheel": True, "jack": True, "tool_kit": False})
    drive(db, staff, first, "in_repair")
    with db.writing() as uow:
        repair_orders.add_note(first, "前刹车片磨损到极限 pads worn to the limit", actor=staff[Role.MECHANIC],
                               uow=uow)
    issue(db, staff, first, (BRAKE_PADS, "2"))
    second = open_order(db, staff, customer="李四 Li Si", phone="139 1234 5678", vin="LSGJA52U7BH123456",
                        plate="沪B67890", series="CRUZE", mileage="12000", complaint="保养 scheduled service")
    drive(db, staff, second, "diagnosing")
    open_order(db, staff, customer="王五 Wang Wu", phone="137 0000 1111", vin="LSGUD84X8FE654321",
               plate="苏E24680", series="REGAL", mileage="88000", complaint="空调不制冷 A/C blows warm")
    return db, first


def test_counter_screen(snap_compare, size, counter_day):
    """The counter with an order open, its requisition listed, and lines scanned: one short, one in stock."""
    database, first = counter_day

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("f3")
        await settle(pilot)
        scans = [*first, "enter"]
        for _ in range(4):
            scans += [*BRAKE_PADS, "enter"]
        scans += [*"96800106", "enter"]
        await burst(pilot, *scans)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(database), terminal_size=size, run_before=run_before)


def test_intake_screen(snap_compare, size, counter_day):
    """The advisor's board: open orders by state, the selected order's card and history, the allowed keys."""
    database, _first = counter_day

    async def run_before(pilot):
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(make_app(database), terminal_size=size, run_before=run_before)


def test_intake_form_with_errors(snap_compare, size, db, staff):
    """The intake form after F5 with a bad VIN and the rest empty: every error under its field."""

    async def run_before(pilot):
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = pilot.app.screen
        form.set_focus(form.query_one("#field-vin"))
        await pilot.pause()
        await pilot.press(*"LSGPC52U6AF10234O")
        await pilot.press("f9")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
