"""Snapshots of the print preview and the location screen on fixed data with the frozen clock.

Update with `pytest tests/test_snapshots_printing.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from tests.helpers.tui import burst, make_app, settle, sign_in


def test_print_preview_of_a_purchase_order(snap_compare, size, db, staff, papers):
    """A purchase order scanned from home: its text slip with Chinese, the print keys in the footer."""

    async def run_before(pilot):
        await sign_in(pilot)
        await burst(pilot, *papers["po"], "enter")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_print_preview_of_a_receipts_papers(snap_compare, size, db, staff, papers):
    """A receipt's papers from the receipt screen (F10): the list first, one of several."""

    async def run_before(pilot):
        await sign_in(pilot)
        await burst(pilot, *papers["receipt"], "enter")
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_location_screen(snap_compare, size, db, staff, papers):
    """A location scanned from home: what lies there and its value."""

    async def run_before(pilot):
        await sign_in(pilot)
        await burst(pilot, *"EXC-01-02-03", "enter")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
