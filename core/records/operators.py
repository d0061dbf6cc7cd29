"""Operators inside a transaction: who a code and PIN belong to, and the mechanic who signs for parts."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, select

from core import tables as t
from core.codes import fold
from core.counter_rules import signs_for_himself
from core.errors import AuthenticationFailed, BadInput, RuleViolation
from core.i18n import _
from core.pins import check_pin, hash_pin
from core.roles import Actor, Permission, parse_roles


def operator_for_pin(conn: Connection, code: str, pin: str) -> Actor:
    """The operator for a code and PIN; an unknown code, an inactive operator or a wrong PIN is refused alike."""
    normalised = fold(code).strip()
    row = conn.execute(
        select(t.operator.c.id, t.operator.c.code, t.operator.c.name, t.operator.c.roles, t.operator.c.pin_hash,
               t.operator.c.active).where(t.operator.c.code == normalised)
    ).first()
    # One message for every failure, so that a wrong guess does not reveal which codes exist.
    refused = AuthenticationFailed(_("operator code or PIN not accepted"))
    if row is None:
        check_pin(pin or "", _dummy_hash())  # the same cost as a real check
        raise refused
    if not check_pin(pin or "", row.pin_hash) or not row.active:
        raise refused
    return Actor(row.id, row.code, row.name, parse_roles(row.roles))


def confirming_mechanic(conn: Connection, code: str, pin: str, *, actor: Actor, doing: str) -> Actor:
    """The mechanic who signs for parts, checked by his PIN: someone else than the storekeeper, with the role.

    Run it in a read block before the write block: the PIN's deliberate cost is not spent holding the lock.
    """
    normalised = fold(code).strip()
    if not normalised:
        raise BadInput(_("name the mechanic who signs (an operator code)"))
    if signs_for_himself(actor, normalised):
        # 出入分离: the hand that issues is never the hand that signs for receiving.
        raise RuleViolation(_("{code} may not {doing} himself: the mechanic who signs must be someone else").format(
            code=actor.code, doing=doing))
    try:
        mechanic = operator_for_pin(conn, normalised, pin)
    except AuthenticationFailed:
        raise AuthenticationFailed(_("the mechanic's code or PIN was not accepted ({code}): nothing changed").format(
            code=normalised)) from None
    if not mechanic.can(Permission.SIGN_FOR_PARTS):
        raise RuleViolation(_("{code} is not a mechanic and cannot sign for parts").format(code=mechanic.code))
    return mechanic


@cache
def _dummy_hash() -> str:
    return hash_pin("0000")
