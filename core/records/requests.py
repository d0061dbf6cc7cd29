"""Purchase-request drafts inside a transaction: found by number, their history written, closed as ordered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from core import tables as t
from core.errors import NotFound, RuleViolation
from core.i18n import _
from core.labels import REQUEST_STATE, label
from core.models import RequestState
from core.roles import Actor


def record_event(conn: Connection, request_id: int, actor: Actor, at: datetime, action: str, state: RequestState,
            revision: int, comment: str | None = None, as_role: str | None = None,
            detail: str | None = None) -> None:
    conn.execute(
        insert(t.purchase_request_event).values(
            request_id=request_id,
            at=at,
            operator_id=actor.id,
            action=action,
            state_after=state.value,
            revision=revision,
            comment=(comment or "").strip()[:500] or None,
            as_role=as_role,
            detail=detail,
        )
    )


def request_row(conn: Connection, number: str, *, lock: bool = False):
    """A request's row by number (locked for update when asked), or NotFound."""
    normalised = (number or "").strip().upper()
    statement = select(t.purchase_request).where(t.purchase_request.c.number == normalised)
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown purchase request {number}").format(number=normalised or repr(number)))
    return row


def mark_ordered(conn: Connection, number: str, actor: Actor, at: datetime, orders: list[str]) -> None:
    """Close an approved request once its orders exist (inside the ordering transaction)."""
    row = request_row(conn, number, lock=True)
    if row.state != RequestState.APPROVED:
        raise RuleViolation(_("request {number} is {state}: only an approved request becomes orders").format(
            number=row.number, state=label(REQUEST_STATE, row.state)))
    conn.execute(
        update(t.purchase_request)
        .where(t.purchase_request.c.id == row.id)
        .values(state=RequestState.ORDERED.value, revision=row.revision + 1)
    )
    record_event(conn, row.id, actor, at, "ordered", RequestState.ORDERED, row.revision + 1, ", ".join(orders))
