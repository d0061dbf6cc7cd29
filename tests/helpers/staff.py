"""The station's people in tests: one operator per role, the PIN they all share, the frozen instant."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert

from core import tables as t
from core.roles import Actor, Role
from core.services import operators, settings

FROZEN = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)
PIN = "1234"
NO_APPROVAL_LIMIT = "999999999"  # the largest adjust_value_limit: no adjustment waits for approval
# One operator per role; the code is what tests and the CLI sign in with.
CODES = {
    Role.ADMIN: "ADMIN",
    Role.STOREKEEPER: "STORE1",
    Role.PARTS_CLERK: "CLERK1",
    Role.PLANNER: "PLAN1",
    Role.ADVISOR: "ADV1",
    Role.PARTS_MANAGER: "PM1",
    Role.ACCOUNTANT: "ACCT1",
    Role.STATION_MANAGER: "SM1",
    Role.SERVICE_DIRECTOR: "SD1",
    Role.MECHANIC: "MECH1",
    Role.CHECKER: "CHECK1",
}


def make_staff(database, *, separate_issue: bool = False) -> dict[Role, Actor]:
    """An admin and one operator per role, all with PIN 1234; returns the signed-in actors.

    Adjustments never wait for approval (adjust_value_limit at its maximum). The station's separate_issue is off
    unless asked: most counter tests drive the one-step issue; the tests of
    requisitions written, then issued (tests/test_procedure_requisitions.py) ask for the station's default, on.
    """
    with database.writing() as uow:
        operators.create_first_admin(CODES[Role.ADMIN], "Admin 管理员", PIN, uow=uow)
        admin = operators.authenticate(CODES[Role.ADMIN], PIN, uow=uow)
        for role, code in CODES.items():
            if role is not Role.ADMIN:
                operators.add_operator(code, f"{role.value} {code}", [role.value], PIN, actor=admin, uow=uow)
        if not separate_issue:
            settings.set_setting("separate_issue", "off", actor=admin, uow=uow)
        # Opening balances of any size post at once: the tests of the approval above a value set their own limit
        # (tests/test_adjustments.py). Written as the station's stored value, past the audit trail, so that the
        # audit screen's snapshots show the people and changes their tests made.
        with uow.write() as conn:
            conn.execute(insert(t.setting).values(key="adjust_value_limit", value=NO_APPROVAL_LIMIT))
        return {role: operators.authenticate(code, PIN, uow=uow) for role, code in CODES.items()}
