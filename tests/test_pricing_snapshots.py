"""Snapshots of prices on the repair-order board with the frozen clock, at 80x24 and 120x36: an order's parts
charged by payer beside their cost, and the margin the parts manager sees. (The review screen's draft values are
in tests/test_snapshots_planning.py's review snapshot.)

Update with `pytest tests/test_pricing_snapshots.py --snapshot-update` only after looking at the report."""

from __future__ import annotations

from core.roles import Role
from core.services import pricing, stock
from tests.helpers.counter import drive, issue, open_order
from tests.helpers.tui import BRAKE_PADS, make_app, settle, sign_in, steady_cursors

FILTER = "96800106"


def test_repair_order_with_charges(snap_compare, size, stocked, staff):
    """An order in warranty whose pads the customer pays after all (cost plus the EXCELLE series' 25%), the oil
    filter for the workshop (at cost); the parts manager sees the margin."""
    with stocked.writing() as uow:
        stock.adjust(FILTER, "5", location="EXC-01-01-01", reason="opening balance", unit_cost="18.00",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
        pricing.set_rule("series", "EXCELLE", markup="25", floor=None, actor=staff[Role.PARTS_MANAGER], uow=uow)
    ro = open_order(stocked, staff)
    drive(stocked, staff, ro, "in_repair")
    issue(stocked, staff, ro, (BRAKE_PADS, "2"), (FILTER, "1"))
    with stocked.writing() as uow:
        pricing.set_payer(ro, BRAKE_PADS, "customer", actor=staff[Role.ADVISOR], uow=uow)
        pricing.set_payer(ro, FILTER, "internal", actor=staff[Role.ADVISOR], uow=uow)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f4")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
