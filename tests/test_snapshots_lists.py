"""Snapshots of two lists read a page at a time, on fixed data with the frozen clock: the full to-do list (home's
`a`) with an item of each kind, and the counter's picker of written requisitions.

Update with `pytest tests/test_snapshots_lists.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from core.roles import Role
from core.services import settings
from core.services.written_requisitions import write_requisition
from tests.helpers.counter import order_in
from tests.helpers.planning import PADS, draft, late_order, log_shortage, overdue_receipt, repair_order
from tests.helpers.tui import make_app, settle, sign_in, steady_cursors, stock_samples


def test_todo_screen(snap_compare, size, stocked, staff, clock):
    """Everything waiting for the parts manager: shortages (one overdue), an overdue receipt, a late order and a
    draft to review, the summary of the counts above them."""
    ro = repair_order(stocked, staff)
    for minutes in (45, 12, 3):
        log_shortage(stocked, staff, clock, ro, minutes_ago=minutes)
    overdue_receipt(stocked, staff, clock)
    late_order(stocked, staff, clock)
    draft(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("a")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_written_requisitions_picker(snap_compare, size, db, staff, clock):
    """The storekeeper's list of requisitions written and waiting to be issued, oldest first, over the counter."""
    stock_samples(db, staff, clock)
    with db.writing() as uow:
        settings.set_setting("separate_issue", "on", actor=staff[Role.ADMIN], uow=uow)
    orders = [order_in(db, staff, "in_repair"), order_in(db, staff, "in_repair")]
    for index in range(4):
        clock.advance(minutes=1)
        with db.writing() as uow:
            write_requisition(orders[index % 2], [(PADS, str(index + 1))], actor=staff[Role.PARTS_CLERK], uow=uow)

    async def run_before(pilot):
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
