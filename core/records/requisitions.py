"""Requisitions inside a transaction: issued and written ones found by number (what each issued one took is
core.ledger.issued_takes)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core import tables as t
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.labels import REQUISITION_STATE, label


def normalise_document(text: str, what: str) -> str:
    """A document number as typed or scanned: trimmed and upper-cased, never empty."""
    number = "".join((text or "").split()).upper()
    if not number:
        raise BadInput(_("{what} number is empty").format(what=what))
    return number


def requisition_row(conn: Connection, req_no: str, *, lock: bool = False):
    """The requisition's row by number (locked when asked), or NotFound."""
    number = normalise_document(req_no, _("requisition"))
    statement = select(t.requisition).where(t.requisition.c.req_no == number)
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        written = conn.execute(select(t.written_requisition.c.state).where(
            t.written_requisition.c.req_no == number)).scalar_one_or_none()
        if written is not None:
            # Written and not issued (or cancelled): nothing was issued on it, so it has no slip of parts taken.
            raise RuleViolation(_("{number} is {state}: nothing was issued on it").format(
                number=number, state=label(REQUISITION_STATE, written)))
        raise NotFound(_("unknown requisition {number}").format(number=number))
    return row


def written_row(conn: Connection, req_no: str, *, lock: bool = False):
    """The written requisition's row by number (locked when asked), or NotFound."""
    number = normalise_document(req_no, _("requisition"))
    statement = select(t.written_requisition).where(t.written_requisition.c.req_no == number)
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown requisition {number}").format(number=number))
    return row
