"""Snapshots of the planning workflow (⇧F4) on fixed data with the frozen clock: the cycle's draft with each line's
last cycles beside it and a jump without its reason, and the orders with their state labels and a late one, at
80x24 and 120x36.

Update with `pytest tests/test_planning_screen_snapshots.py --snapshot-update` only after looking at the report."""

from __future__ import annotations

from core.roles import Role
from core.services import purchasing
from screens import keys
from tests.helpers.planning import FILTER, PADS, consumption, draft, late_order, repair_order
from tests.helpers.tui import make_app, settle, sign_in, steady_cursors


def test_planning_draft(snap_compare, size, stocked, staff, clock):
    """The planner's draft: the pads added by hand, the filter jumping against its history without a reason yet."""
    consumption(stocked, staff, clock, [10, 10, 10, 10, 10, 80], left=10)
    draft(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.PLANNING)
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_planning_orders(snap_compare, size, stocked, staff, clock):
    """The orders, newest first: an urgent one drafted, one sent and late (in red), one closed."""
    late_order(stocked, staff, clock)
    ro = repair_order(stocked, staff)
    clock.advance(minutes=-90)
    with stocked.writing() as uow:
        closed = purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{FILTER}:3")], [ro],
                                                actor=staff[Role.PLANNER], uow=uow)
        purchasing.close_order(closed, actor=staff[Role.PLANNER], uow=uow)
    clock.advance(minutes=60)
    with stocked.writing() as uow:
        purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:2")], [ro],
                                       actor=staff[Role.PLANNER], uow=uow)
    clock.advance(minutes=30)

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.PLANNING)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_planning_drafts_list(snap_compare, size, stocked, staff, clock):
    """Every draft, newest first: the month's and a week's, each with its cycle, state by its label and lines."""
    draft(stocked, staff)
    clock.advance(minutes=30)
    draft(stocked, staff, cycle="week")

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.PLANNING)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
