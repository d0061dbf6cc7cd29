"""Snapshots of the administration screen (⇧F6: the operators over the settings with their allowed values), its new
operator form (the roles ticked in a list of their labels) and of the
part form over a part's card, at 80x24 and 120x36 with the frozen clock.

Update with `pytest tests/test_admin_snapshots.py --snapshot-update` only after reading the SVGs' text."""

from __future__ import annotations

from core.roles import Role
from tests.helpers.tui import BRAKE_PADS, burst, make_app, settle, sign_in, steady_cursors


def test_admin_screen(snap_compare, size, db, staff):
    """The operators (roles by label, language, locked, active) and every setting with what it allows."""

    async def run_before(pilot):
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f18")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_part_form(snap_compare, size, stocked, staff):
    """The brake pads' master data in the part form, over their card."""

    async def run_before(pilot):
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f2")
        await settle(pilot)
        await burst(pilot, *BRAKE_PADS, "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_new_operator_form(snap_compare, size, db, staff):
    """The new operator's form with its roles listed by their labels, two ticked, the list's keys in the footer."""

    async def run_before(pilot):
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f18")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await burst(pilot, *"STORE9", "enter", *"Wang Wu", "enter", "space", "down", "down", "space")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
