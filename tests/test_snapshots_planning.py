"""Snapshots of planning on fixed data with the frozen clock: the review screen at the order meeting, the dashboard
on home with one item of each kind, and the forecast view of a part with a year of history.

Update with `pytest tests/test_snapshots_planning.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from decimal import Decimal

from core.roles import Role
from core.services import requests
from core.services.requests import LineChange
from tests.helpers.planning import (
    FILTER,
    FILTER_MONTHS,
    PADS,
    advance,
    consumption,
    draft,
    late_order,
    log_shortage,
    overdue_receipt,
    repair_order,
)
from tests.helpers.tui import make_app, settle, sign_in


def test_review_screen(snap_compare, size, stocked, staff, clock):
    """The station manager's meeting: the draft he changed (the filter line highlighted), a jump with its reason."""
    consumption(stocked, staff, clock, [10, 10, 10, 10, 10, 80], left=10)
    number = draft(stocked, staff)
    with stocked.writing() as uow:
        requests.edit_request(number, [LineChange(FILTER, reason="fleet contract from December")],
                              actor=staff[Role.PLANNER], uow=uow)
    advance(stocked, staff, number, Role.PARTS_MANAGER)
    clock.advance(minutes=40)
    with stocked.writing() as uow:
        requests.edit_request(number, [LineChange(PADS, Decimal(6), "two more brake jobs booked")],
                              actor=staff[Role.STATION_MANAGER], uow=uow)
    clock.advance(minutes=5)

    async def run_before(pilot):
        await sign_in(pilot, Role.STATION_MANAGER)
        await pilot.press("f7")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_dashboard_on_home(snap_compare, size, stocked, staff, clock):
    """Home for the parts manager: a shortage counting down, an overdue receipt, a late order, a draft waiting."""
    ro = repair_order(stocked, staff)
    consumption(stocked, staff, clock, [120] * 6, ro=ro)  # the history on the same order: it keeps its number
    log_shortage(stocked, staff, clock, ro, minutes_ago=12)
    overdue_receipt(stocked, staff, clock)
    late_order(stocked, staff, clock)
    draft(stocked, staff)

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_forecast_view(snap_compare, size, stocked, staff, clock):
    """The oil filter's last 12 months as a chart and a table, the forecast and the suggested order."""
    consumption(stocked, staff, clock, FILTER_MONTHS)

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*FILTER, "enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
