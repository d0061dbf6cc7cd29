"""Snapshots of the audit screen (issue 11, item 9) with the frozen clock: the admin's trail with a locked operator
and a part edit.

Update with `pytest tests/test_snapshots_people.py --snapshot-update` only after looking at snapshot_report.html.
"""

from __future__ import annotations

from core.roles import Role
from core.services import catalog, operators, settings
from tests.helpers.tui import make_app, settle, sign_in


def test_audit_screen(snap_compare, size, db, staff, clock):
    """The admin's audit screen: STORE1 locked after five wrong PINs, a role change, a printer command and, newest,
    a part's price and Chinese name changed (spelt out under the list)."""
    admin = staff[Role.ADMIN]
    with db.writing() as uow:
        clock.advance(minutes=5)
        operators.set_roles("PLAN1", ["planner", "parts_manager"], actor=admin, uow=uow)
        clock.advance(minutes=5)
        settings.set_setting("printer_command", "lp -d counter", actor=admin, uow=uow)
    clock.advance(minutes=5)
    for _ in range(5):
        with db.writing() as uow:
            try:
                operators.authenticate("STORE1", "9999", uow=uow)
            except Exception:  # noqa: BLE001  (each is refused; the fifth locks)
                pass
    with db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", price="20", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:  # in the lockout's minute: STORE1 is still locked
        catalog.edit_part("P-100", name="wiper blade", name_zh="雨刮片", price="22", actor=staff[Role.PLANNER],
                          uow=uow)

    async def run_before(pilot):
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f11")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
