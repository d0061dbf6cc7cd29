"""The audit trail inside a transaction: one row per change to operators, roles, PINs, settings and a part's master
data.

Written with the same connection as the change, so a change and its row commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, insert

from core import clock
from core import tables as t


class AuditAction(StrEnum):
    """What an audit row records (its `action`): the names scripts read from `partsdesk audit --json`."""

    FIRST_ADMIN = "first_admin"
    ADD_OPERATOR = "add_operator"
    SET_ROLES = "set_roles"
    SET_LANGUAGE = "set_language"
    DEACTIVATE = "deactivate"
    RESET_PIN = "reset_pin"
    SET_SETTING = "set_setting"
    LOCKOUT = "lockout"
    UNLOCK = "unlock"
    RESTORE = "restore"
    EDIT_PART = "edit_part"


def record_change(conn: Connection, *, operator: str, action: AuditAction, subject: str, old: str | None = None,
                  new: str | None = None, at: datetime | None = None) -> None:
    """Append one audit row (who, what, about what, from what to what), in the caller's transaction."""
    conn.execute(insert(t.audit_entry).values(
        at=at or clock.now(), operator=operator, action=action.value, subject=subject[:100], old=old, new=new))


def operator_subject(code: str) -> str:
    """The subject of a row about an operator."""
    return f"operator {code}"


def setting_subject(key: str) -> str:
    """The subject of a row about a station setting."""
    return f"setting {key}"


def part_subject(part_no: str) -> str:
    """The subject of a row about a part's master data."""
    return f"part {part_no}"


def operator_summary(name: str, roles: str) -> str:
    """The `new` of a row adding an operator: his name and role codes. Data, never translated here (the trail
    is read in the reader's language: core.services.audit.shown)."""
    return f"{name}; roles {roles}"
