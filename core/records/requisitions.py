"""Requisitions inside a transaction: found by number, and what each one took from the ledger."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core import tables as t
from core.errors import BadInput, NotFound
from core.i18n import _
from core.ledger import Take
from core.models import MoveKind

REQUISITION = "REQ"


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
        raise NotFound(_("unknown requisition {number}").format(number=number))
    return row


def issued_takes(conn: Connection, req_no: str) -> dict[int, list[Take]]:
    """What a requisition took, per part id, in the order it took it (oldest lot first): from the ledger."""
    rows = conn.execute(
        select(
            t.stock_move.c.part_id,
            t.stock_move.c.lot_id,
            t.location.c.code,
            t.stock_move.c.qty,
            t.stock_move.c.unit_cost,
            t.stock_lot.c.received_at,
        )
        .join(t.location, t.location.c.id == t.stock_move.c.location_id)
        .join(t.stock_lot, t.stock_lot.c.id == t.stock_move.c.lot_id)
        .where(
            t.stock_move.c.doc_type == REQUISITION,
            t.stock_move.c.doc_no == req_no,
            t.stock_move.c.kind == MoveKind.ISSUE.value,
        )
        .order_by(t.stock_move.c.id)
    ).all()
    takes: dict[int, list[Take]] = {}
    for r in rows:
        takes.setdefault(r.part_id, []).append(Take(r.lot_id, r.code, -r.qty, r.unit_cost, r.received_at))
    return takes
