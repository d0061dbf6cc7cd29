"""Snapshots of the screens and dialogs the other snapshot files do not show, at 80 x 24 and 120 x 36: the keys
of a screen (F1), shortages, orders in transit, go to code, a new shipment and the counter's return dialog.

Update with `pytest tests/test_snapshots_layout.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from core.roles import Role
from screens import keys
from tests.helpers.counter import issue, order_in
from tests.helpers.planning import late_order, log_shortage, repair_order
from tests.helpers.tui import BRAKE_PADS, burst, make_app, settle, sign_in, steady_cursors


def test_keys_of_the_repair_order_board(snap_compare, size, stocked, staff):
    """F1 on the advisor's board: every key, the ones the footer has no room for too, greyed where they cannot
    apply to the selected order."""
    order_in(stocked, staff, "intake")

    async def run_before(pilot):
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press(keys.REPAIR_ORDERS)
        await settle(pilot)
        await pilot.press(keys.HELP)
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_shortages_screen(snap_compare, size, stocked, staff, clock):
    """The shortage list with one counting down, as the parts manager answers it."""
    log_shortage(stocked, staff, clock, repair_order(stocked, staff), minutes_ago=12)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press(keys.SHORTAGES)
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_orders_in_transit(snap_compare, size, stocked, staff, clock):
    """The planner's orders in transit from the to-do: one five days late."""
    late_order(stocked, staff, clock)

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("d", "enter")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_go_to_code_dialog(snap_compare, size, stocked):
    """ctrl+g from home: the field for a part, location or document number."""

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press(keys.GO_TO_CODE)
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_new_shipment_form(snap_compare, size, stocked):
    """ctrl+n on receiving: the packing list, the supplier and the carrier."""

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press(keys.RECEIVING)
        await settle(pilot)
        await pilot.press(keys.NEW)
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_return_dialog(snap_compare, size, stocked, staff):
    """ctrl+r at the counter: the requisition's lines, what is open and what comes back now."""
    ro = order_in(stocked, staff, "in_repair")
    issue(stocked, staff, ro, (BRAKE_PADS, "2"))

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press(keys.COUNTER)
        await settle(pilot)
        await burst(pilot, *ro, "enter")
        await pilot.press("ctrl+r")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
