"""Snapshots of lists read a page at a time, on fixed data with the frozen clock: the full to-do list (home's
`a`) with an item of each kind, the counter's picker of written requisitions and the transfer notes (receiving's
ctrl+o).

Update with `pytest tests/test_snapshots_lists.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from core.roles import Role
from core.services import settings, transfers
from core.services.written_requisitions import write_requisition
from tests.helpers.counter import order_in
from tests.helpers.planning import PADS, draft, late_order, log_shortage, overdue_receipt, repair_order
from tests.helpers.tui import BRAKE_PADS, make_app, settle, sign_in, steady_cursors, stock_samples


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


def test_transfer_notes(snap_compare, size, stocked, staff, clock):
    """The transfer notes, newest first: one entered and waiting for its check (highlighted, shown below), one
    checked, whose lots moved with their dates and costs."""
    def enter(qty: str):
        with stocked.writing() as uow:
            return transfers.create_transfer(BRAKE_PADS, qty, from_location="EXC-01-02-03", to_location="EXC-01-02-04",
                                             actor=staff[Role.STOREKEEPER], uow=uow)

    checked = enter("4")
    with stocked.writing() as uow:
        transfers.check_transfer(checked.number, actor=staff[Role.CHECKER], uow=uow)
    clock.advance(minutes=5)
    enter("1")

    async def run_before(pilot):
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
