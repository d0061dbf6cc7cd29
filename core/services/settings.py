"""Station settings: read every value, change one (admin) after its check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core import tables as t
from core.errors import BadInput
from core.i18n import _
from core.records.audit import AuditAction, record_change, setting_subject
from core.records.settings import SETTINGS, read_settings
from core.roles import Actor, Permission, require
from core.units import ReadUnit, WriteUnit


def get_settings(*, uow: ReadUnit) -> dict[str, str]:
    """Every setting's value."""
    with uow.read() as conn:
        return read_settings(conn)


@dataclass(frozen=True, slots=True)
class SettingRow:
    """A setting as the admin screen lists it: its key, value, meaning and the values it allows (reader's words)."""

    key: str
    value: str
    meaning: str
    allowed: str


def setting_rows(*, uow: ReadUnit) -> list[SettingRow]:
    """Every setting with its value, what it means and what it allows, in the settings' order."""
    values = get_settings(uow=uow)
    return [SettingRow(key, values[key], _(spec.meaning), spec.allowed()) for key, spec in SETTINGS.items()]


def set_setting(key: str, value: str, *, actor: Actor, uow: WriteUnit) -> str:
    """Change a setting (admin); the value is checked first; an audit row keeps the old value and the new.
    Returns the value stored."""
    require(actor, Permission.MANAGE_SETTINGS)
    spec = SETTINGS.get(key)
    if spec is None:
        raise BadInput(_("unknown setting {key!r}; the settings are {keys}").format(key=key, keys=", ".join(SETTINGS)))
    try:
        checked = spec.check((value or "").strip())
    except BadInput as exc:
        raise BadInput(f"{key}: {exc.message}") from None
    with uow.write() as conn:
        old = conn.execute(select(t.setting.c.value).where(t.setting.c.key == key)).scalar_one_or_none()
        if old is not None:
            conn.execute(t.setting.update().where(t.setting.c.key == key).values(value=checked))
        else:
            conn.execute(t.setting.insert().values(key=key, value=checked))
        # Every change is an audit row, printer_command above all: it is a command the desk runs.
        record_change(conn, operator=actor.code, action=AuditAction.SET_SETTING, subject=setting_subject(key),
                      old=old, new=checked)
    return checked
