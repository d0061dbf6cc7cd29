"""Operators inside a transaction: who a code and PIN belong to, wrong PINs counted and locked, and the mechanic
who signs for parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, bindparam, select, update

from core import tables as t
from core.codes import fold
from core.counter_rules import signs_for_himself
from core.direct import Direct
from core.errors import AuthenticationFailed, BadInput, OperatorLocked, RuleViolation
from core.i18n import ENGLISH, _
from core.pins import WRONG_PINS_BEFORE_LOCK, check_pin, hash_pin, lockout_delay
from core.records.audit import AuditAction, operator_subject, record_change
from core.roles import Actor, Permission, parse_roles


@dataclass(frozen=True, slots=True)
class PinCheck:
    """What a PIN check found, before it is counted: the operator's row as read, and whether the PIN matched."""

    code: str
    row_id: int | None  # None: no operator with this code (nothing to count)
    name: str
    roles: str
    active: bool
    right: bool
    failed_pins: int
    lockouts: int
    locked_until: datetime | None
    language: str = ENGLISH

    def actor(self) -> Actor:
        """The operator this check signed in, with his language."""
        return Actor(self.row_id, self.code, self.name, parse_roles(self.roles), self.language)

    def settled(self) -> bool:
        """Whether nothing is left to write: the right PIN, nothing counted, no lock (no write lock is taken)."""
        return self.row_id is None or (self.right and self.active and not self.failed_pins and not self.lockouts
                                       and self.locked_until is None)


def refused() -> AuthenticationFailed:
    """One message for every failure, so that a wrong guess does not reveal which codes exist."""
    return AuthenticationFailed(_("operator code or PIN not accepted"))


def locked(code: str, until: datetime) -> OperatorLocked:
    """The line a locked operator sees: until when, in local time."""
    return OperatorLocked(_("{code} is locked after {count} wrong PINs until {until} (local time); an admin can "
                            "unlock it sooner: partsdesk operator unlock {code}").format(
        code=code, count=WRONG_PINS_BEFORE_LOCK, until=until.astimezone().strftime("%Y-%m-%d %H:%M")),
        code=code, until=until)


# Built once and sent straight to the driver (core.direct): every sign-in and every issue's mechanic.
_PIN_ROW = Direct(select(t.operator.c.id, t.operator.c.code, t.operator.c.name, t.operator.c.roles,
                         t.operator.c.pin_hash, t.operator.c.active, t.operator.c.failed_pins, t.operator.c.lockouts,
                         t.operator.c.locked_until, t.operator.c.language)
                  .where(t.operator.c.code == bindparam("code")))


def check_operator_pin(conn: Connection, code: str, pin: str) -> PinCheck:
    """Check a code and PIN without locking anything (scrypt is slow on purpose): the result is counted after,
    under the operator's row lock, by settle_pin_check."""
    normalised = fold(code).strip()
    row = _PIN_ROW.execute(conn, {"code": normalised}).first()
    if row is None:
        check_pin(pin or "", _dummy_hash())  # the same cost as a real check
        return PinCheck(normalised, None, "", "", False, False, 0, 0, None)
    return PinCheck(row.code, row.id, row.name, row.roles, row.active, check_pin(pin or "", row.pin_hash),
                    row.failed_pins, row.lockouts, row.locked_until, row.language)


def settle_pin_check(conn: Connection, check: PinCheck, at: datetime) -> Actor | AuthenticationFailed:
    """Count a PIN check under the operator's row lock (in a write block): the operator, or the refusal to raise
    once the block has committed the count.

    The decision is taken here, serialised per operator, whatever order concurrent checks finished in: once
    the fifth wrong PIN in a row is counted, every later check is refused until the lock ends, right PIN or not.
    """
    if check.row_id is None:
        return refused()
    o = t.operator.c
    row = conn.execute(select(o.failed_pins, o.lockouts, o.locked_until, o.active)
                       .where(o.id == check.row_id).with_for_update()).one()
    if row.locked_until is not None and row.locked_until > at:
        return locked(check.code, row.locked_until)
    if check.right and row.active:
        if row.failed_pins or row.lockouts or row.locked_until is not None:
            conn.execute(update(t.operator).where(o.id == check.row_id).values(
                failed_pins=0, lockouts=0, locked_until=None))
        return check.actor()
    if check.right:  # an inactive operator: refused alike, and nothing to count
        return refused()
    failed = row.failed_pins + 1
    if failed < WRONG_PINS_BEFORE_LOCK:
        conn.execute(update(t.operator).where(o.id == check.row_id).values(failed_pins=failed))
        return refused()
    lockouts = row.lockouts + 1
    until = at + lockout_delay(lockouts)
    conn.execute(update(t.operator).where(o.id == check.row_id).values(
        failed_pins=0, lockouts=lockouts, locked_until=until))
    record_change(conn, operator=check.code, action=AuditAction.LOCKOUT, subject=operator_subject(check.code),
                  old=None, new=until.isoformat(), at=at)
    return locked(check.code, until)


def check_signer(code: str, *, actor: Actor, doing: str) -> str:
    """The code of the mechanic who signs for parts, before his PIN is checked: named, and not the storekeeper."""
    normalised = fold(code).strip()
    if not normalised:
        raise BadInput(_("name the mechanic who signs (an operator code)"))
    if signs_for_himself(actor, normalised):
        # 出入分离: the hand that issues is never the hand that signs for receiving.
        raise RuleViolation(_("{code} may not {doing} himself: the mechanic who signs must be someone else").format(
            code=actor.code, doing=doing))
    return normalised


def check_mechanic(mechanic: Actor) -> Actor:
    """The signer, once his PIN is accepted, must hold the mechanic's role."""
    if not mechanic.can(Permission.SIGN_FOR_PARTS):
        raise RuleViolation(_("{code} is not a mechanic and cannot sign for parts").format(code=mechanic.code))
    return mechanic


@cache
def _dummy_hash() -> str:
    return hash_pin("0000")
