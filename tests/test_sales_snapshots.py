"""Snapshots of the counter sales screen (销售订单) on fixed data with the frozen clock: the sales by state with the
highlighted one's lines and bins, and the new-sale form with two lines, at 80x24 and 120x36.

Update with `pytest tests/test_sales_snapshots.py --snapshot-update` only after looking at the report."""

from __future__ import annotations

from core.roles import Role
from core.services import sales
from tests.helpers.tui import BRAKE_PADS, make_app, settle, sign_in, steady_cursors

OIL_FILTER = "96800106"


def _sales(db, staff):
    """Three sales: one checked (issued over two lots), one settled, one waiting for its check."""
    store = staff[Role.STOREKEEPER]
    for customer, lines in [("李四汽修 Li Si Garage", [f"{BRAKE_PADS}:5"]), ("Wang Wu", [f"{BRAKE_PADS}:1"]),
                            ("张三", [f"{BRAKE_PADS}:2"])]:
        with db.writing() as uow:
            sales.create_sale(customer, lines, phone="13800138000", actor=store, uow=uow)
    with db.writing() as uow:
        sales.check_sale("SAL-2026-000001", actor=staff[Role.CHECKER], uow=uow)
        sales.check_sale("SAL-2026-000002", actor=staff[Role.CHECKER], uow=uow)
    with db.writing() as uow:
        sales.settle_sale("SAL-2026-000002", actor=staff[Role.ACCOUNTANT], uow=uow)


def test_sales_list(snap_compare, size, stocked, staff):
    """The sales newest first; the cursor on the first one checked, its lines with the bins they left from."""
    _sales(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f14")
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_new_sale_form(snap_compare, size, stocked, staff):
    """The new-sale form with the customer, the phone and two lines at their prices, and the total."""

    async def run_before(pilot):
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f14")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"Li Si", "enter", *"13800138000", "enter", *BRAKE_PADS, "enter", "2", "enter")
        await settle(pilot)
        await pilot.press(*OIL_FILTER, "enter", "3", "enter")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
