"""What the station's safety commands leave in its books: the audit row of a restore."""

from __future__ import annotations

from core.records.audit import AuditAction, record_change
from core.roles import Actor, Permission, require
from core.units import WriteUnit


def record_restore(actor: Actor, source: str, kept: str | None, *, uow: WriteUnit) -> None:
    """The audit row of a restore, written into the restored database: who restored it, from which backup file
    (`new`), and where the replaced database was kept (`old`; None when there was none)."""
    require(actor, Permission.RESTORE_DATABASE)
    with uow.write() as conn:
        record_change(conn, operator=actor.code, action=AuditAction.RESTORE, subject="database", old=kept,
                      new=source)
