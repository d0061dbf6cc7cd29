"""Snapshots of the stocktake screens (盘点) on fixed data with the frozen clock: the list of stocktakes, and one
stocktake closed with its variances (book, counted, variance, value), at 80x24 and 120x36.

Update with `pytest tests/test_stocktake_snapshots.py --snapshot-update` only after looking at the report."""

from __future__ import annotations

from core.roles import Role
from core.services import operators
from core.services import stocktake as st
from tests.helpers import PIN
from tests.helpers.tui import BRAKE_PADS, make_app, settle, sign_in, steady_cursors


def _stocktakes(db, staff):
    """One stocktake closed with a loss and a gain, and one open over the cycle count."""
    with db.writing() as uow:
        operators.add_operator("STORE2", "storekeeper two", ["storekeeper"], PIN, actor=staff[Role.ADMIN], uow=uow)
        second = operators.authenticate("STORE2", PIN, uow=uow)
    with db.writing() as uow:
        number = st.open_stocktake("locations", "EXC-01-02-0?", actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:
        st.count(number, [st.parse_count_line(f"{BRAKE_PADS}@EXC-01-02-03=11"),
                          st.parse_count_line(f"{BRAKE_PADS}@EXC-01-02-04=7")],
                 first=staff[Role.STOREKEEPER], second=second, uow=uow)
    with db.writing() as uow:
        st.close(number, actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:
        st.open_stocktake("zone", "CRZ", actor=staff[Role.STOREKEEPER], uow=uow)


def test_stocktake_list(snap_compare, size, stocked, staff):
    """The stocktakes, newest first: one open over a zone, one closed with its variance value."""
    _stocktakes(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f13")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_stocktake_variances(snap_compare, size, stocked, staff):
    """The closed stocktake: each line's book, count, variance (red short, green over) and value."""
    _stocktakes(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f13")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
