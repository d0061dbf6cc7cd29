"""Snapshots of the login, home and part screens on fixed data with the frozen clock.

Update with `pytest tests/test_snapshots.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from core.roles import Role
from tests.helpers.tui import (
    BRAKE_PADS,
    make_app,
    settle,
    sign_in,
    steady_cursors,
)


def test_login_screen(snap_compare, size, db, staff):
    """The empty login form with the cursor in the operator code."""

    async def run_before(pilot):
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_login_refused(snap_compare, size, db, staff):
    """A wrong PIN: the message under the form, the PIN emptied, the code kept."""

    async def run_before(pilot):
        await sign_in(pilot, Role.STOREKEEPER, pin="9999")
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_home_screen(snap_compare, size, db, staff):
    """Home for the parts manager: code, name, role with its Chinese title, and part lookup."""

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_part_screen(snap_compare, size, stocked):
    """The brake pads after a scan: facts, on hand, and three lots oldest first in local time."""

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*BRAKE_PADS, "enter")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_lookup_results(snap_compare, size, stocked):
    """Lookup after typing a Chinese substring: the Chinese names stay aligned in their column."""

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"大灯")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
