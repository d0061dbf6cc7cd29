"""Work started on a screen and not committed yet, kept per operator, screen and document so that it survives
a sign-out, a quit or a crash (the counter's lines for a repair order): saved as it changes, restored on return,
dropped once committed or emptied."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update

from core import clock
from core import tables as t
from core.errors import BadInput
from core.i18n import _
from core.roles import Actor
from core.units import ReadUnit, WriteUnit, retried

# A draft is a handful of lines, never a document's worth of data.
MAX_PAYLOAD = 20000


def _key(actor: Actor, screen: str, document: str):
    c = t.work_in_progress.c
    return (c.operator_id == actor.id, c.screen == screen[:40], c.document == (document or "")[:64])


@retried
def save_work(screen: str, document: str, payload: dict[str, Any], version: int, *, actor: Actor,
              uow: WriteUnit) -> None:
    """Keep the operator's work on `screen` for `document` (an empty payload drops it). A save older than the one
    stored (a lower `version`, its write overtaken by a later one) changes nothing."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_PAYLOAD:
        raise BadInput(_("the work in progress is too large to keep ({size} characters)").format(size=len(text)))
    with uow.write() as conn:
        key = _key(actor, screen, document)
        row = conn.execute(select(t.work_in_progress.c.id, t.work_in_progress.c.version).where(*key)
                           .with_for_update()).first()
        if row is not None and row.version > version:
            return
        if not payload:
            if row is not None:
                conn.execute(delete(t.work_in_progress).where(t.work_in_progress.c.id == row.id))
            return
        values = {"payload": text, "version": version, "saved_at": clock.now()}
        if row is None:
            conn.execute(insert(t.work_in_progress).values(operator_id=actor.id, screen=screen[:40],
                                                           document=(document or "")[:64], **values))
        else:
            conn.execute(update(t.work_in_progress).where(t.work_in_progress.c.id == row.id).values(**values))


def load_work(screen: str, document: str, *, actor: Actor, uow: ReadUnit) -> dict[str, Any] | None:
    """The operator's kept work on `screen` for `document`, or None."""
    with uow.read() as conn:
        text = conn.execute(select(t.work_in_progress.c.payload).where(*_key(actor, screen, document))).scalar()
    return json.loads(text) if text else None
