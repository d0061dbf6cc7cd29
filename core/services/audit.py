"""The audit trail read back: who changed operators, roles, PINs and settings, and the lockouts, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from core import tables as t
from core.errors import BadInput
from core.i18n import _
from core.roles import Actor, Permission, require
from core.services.operators import OperatorInfo, list_operators
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit row as the CLI and the admin's screen show it."""

    at: datetime
    operator: str
    action: str
    subject: str
    old: str | None
    new: str | None


def parse_since(text: str) -> datetime:
    """A --since day (YYYY-MM-DD) as the instant its local day begins; anything else is BadInput."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        raise BadInput(_("--since wants a day as YYYY-MM-DD, not {text!r}").format(text=text)) from None
    return datetime.combine(day, time.min).astimezone()


def audit_trail(*, actor: Actor, uow: ReadUnit, since: datetime | None = None) -> list[AuditRow]:
    """The audit rows, oldest first, from `since` on (admin and station manager)."""
    require(actor, Permission.READ_AUDIT)
    a = t.audit_entry.c
    query = select(a.at, a.operator, a.action, a.subject, a.old, a.new).order_by(a.id)
    if since is not None:
        query = query.where(a.at >= since)
    with uow.read() as conn:
        return [AuditRow(r.at, r.operator, r.action, r.subject, r.old, r.new) for r in conn.execute(query)]


def locked_operators(*, actor: Actor, uow: ReadUnit) -> list[OperatorInfo]:
    """The operators locked out now, by code (what the admin unlocks)."""
    require(actor, Permission.READ_AUDIT)
    return [o for o in list_operators(uow=uow) if o.locked_until is not None]
