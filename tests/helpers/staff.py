"""The station's people in tests: one operator per role, the PIN they all share, the frozen instant."""

from __future__ import annotations

from datetime import datetime, timezone

from core.roles import Actor, Role
from core.services import operators, settings

FROZEN = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)
PIN = "1234"
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

    The station's separate_issue is off unless asked: most counter tests drive the one-step issue; the tests of
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
        return {role: operators.authenticate(code, PIN, uow=uow) for role, code in CODES.items()}
