"""The audit trail read back: who changed operators, roles, PINs, settings and parts' master data, and the lockouts,
oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select

from core import labels
from core import tables as t
from core.errors import BadInput
from core.i18n import N_, _, language_name, pgettext
from core.records.audit import AuditAction
from core.records.part_audit import read_fields
from core.records.settings import SETTINGS
from core.roles import Actor, Permission, require
from core.services.operators import OperatorInfo, list_operators
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit row as stored: codes and values, the same in every language (`audit --json`)."""

    at: datetime
    operator: str
    action: str
    subject: str
    old: str | None
    new: str | None

    def shown(self) -> tuple[str, str, str]:
        """The subject, old and new values in the reader's language: roles, languages, states and settings by
        their labels, a lock's end in local time. The stored row keeps its codes."""
        return _subject(self.subject), _value(self.action, self.old), _value(self.action, self.new)


def _subject(subject: str) -> str:
    kind, _space, code = subject.partition(" ")
    if kind == "operator" and code:
        return _("operator {code}").format(code=code)
    if kind == "part" and code:
        return _("part {part_no}").format(part_no=code)
    if kind == "setting" and code:
        spec = SETTINGS.get(code)
        return _("setting {key} ({meaning})").format(key=code, meaning=_(spec.meaning)) if spec else subject
    if subject == "database":
        return _("the database")
    return subject


def _value(action: str, value: str | None) -> str:
    if not value:
        return ""
    if action in (AuditAction.LOCKOUT, AuditAction.UNLOCK):
        try:
            return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    if action == AuditAction.SET_ROLES:
        return labels.labels(labels.ROLE, value.split(","))
    if action in (AuditAction.ADD_OPERATOR, AuditAction.FIRST_ADMIN):
        name, found, roles = value.rpartition("; roles ")
        if found:
            return _("{name}; roles {roles}").format(name=name, roles=labels.labels(labels.ROLE, roles.split(",")))
    if action == AuditAction.SET_LANGUAGE:
        return language_name(value)
    if action == AuditAction.DEACTIVATE:
        return {"active": _("active"), "inactive": _("inactive")}.get(value, value)
    if action == AuditAction.EDIT_PART:
        shown = (_("{field}: {value}").format(field=_(_PART_FIELDS.get(name, name)), value=_part_value(name, text))
                 for name, text in read_fields(value).items())
        return pgettext("between fields", "; ").join(shown)
    return value


# The part form's names of the master fields an edit row names (core.records.part_audit.PART_FIELDS).
_PART_FIELDS = {
    "name": N_("Name"), "name_zh": N_("Chinese name"), "model_series": N_("Model series"),
    "part_group": N_("Part group"), "unit": N_("Unit"), "list_price": N_("List price"), "pack_qty": N_("Pack qty"),
    "fragile": N_("Fragile"), "general": N_("General"), "supplier": N_("Supplier"),
    "location": N_("Default location"),
}


def _part_value(name: str, text: str) -> str:
    """A master field's stored value as read: yes/no for a mark, — for none."""
    if name in ("fragile", "general"):
        return _("yes") if text == "true" else _("no")
    return text or "—"


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


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the audit trail, with how many rows it has in all."""

    rows: list[AuditRow]
    total: int


def audit_page(*, actor: Actor, uow: ReadUnit, limit: int, offset: int = 0, newest_first: bool = True) -> AuditPage:
    """`limit` audit rows from `offset`, newest first (or oldest first), and the count of all (admin and station
    manager): SQL orders, counts and pages, so the screen reads no more of a trail that only grows than it shows."""
    require(actor, Permission.READ_AUDIT)
    a = t.audit_entry.c
    query = (select(a.at, a.operator, a.action, a.subject, a.old, a.new)
             .order_by(a.id.desc() if newest_first else a.id).limit(max(0, limit)).offset(max(0, offset)))
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(t.audit_entry)).scalar_one()
        rows = [AuditRow(r.at, r.operator, r.action, r.subject, r.old, r.new) for r in conn.execute(query)]
    return AuditPage(rows, total)


def locked_operators(*, actor: Actor, uow: ReadUnit) -> list[OperatorInfo]:
    """The operators locked out now, by code (what the admin unlocks)."""
    require(actor, Permission.READ_AUDIT)
    return [o for o in list_operators(uow=uow) if o.locked_until is not None]
