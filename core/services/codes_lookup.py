"""What a scanned or typed code stands for: a part, a location or a document, by the station's code rules.

A scan only asks whether the code names something (one indexed SELECT each); reading it is for the
screen it opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from core import tables as t
from core.codes import LOCATION_PATTERN, PART_NO_PATTERN, normalise_part_no
from core.documents import REQUEST, REQUISITION, RETURN, kind_of, number_exists
from core.errors import BadInput, NotFound
from core.i18n import _
from core.units import ReadUnit

PART, LOCATION, DOCUMENT = "part", "location", "document"
# Purchase requests have a number and a screen (review) but no paper of their own.
REQUEST_KIND = REQUEST.name


@dataclass(frozen=True, slots=True)
class Resolved:
    """A code found: what it is, its normalised key, the kind of document, and the repair order a
    requisition or return belongs to (the counter opens on it)."""

    kind: str
    key: str
    document_kind: str | None = None
    parent: str | None = None


def resolve_code(text: str, *, uow: ReadUnit) -> Resolved:
    """The part, location or document a code names (locations first, then document numbers by prefix,
    then part numbers); BadInput for an empty code, NotFound for one that names nothing known."""
    code = normalise_part_no(text)  # scanners add no spaces, but a typed code may have them
    if not code:
        raise BadInput(_("nothing scanned"))
    with uow.read() as conn:
        if LOCATION_PATTERN.match(code) and _found(conn, t.location.c.code, code):
            return Resolved(LOCATION, code)
        document = _document(conn, code)
        if document is not None:
            return document
        if PART_NO_PATTERN.match(code) and _found(conn, t.part.c.part_no, code):
            return Resolved(PART, code)
    shown = (text or "").strip()
    raise NotFound(_("{code!r} is no known part, location or document").format(code=shown[:40]))


def _found(conn: Connection, column, code: str) -> bool:
    """Whether a row has this code in its (unique, indexed) column."""
    return conn.execute(select(column).where(column == code).limit(1)).first() is not None


def _document(conn: Connection, code: str) -> Resolved | None:
    """The document numbered `code`, or None (no prefix a scan opens, or no such number: it may still be
    a part number with a dash)."""
    kind = kind_of(code)
    if kind is None or not kind.scanned or not number_exists(conn, kind, code):
        return None
    parent = _repair_order_of(conn, kind.name, code) if kind in (REQUISITION, RETURN) else None
    return Resolved(DOCUMENT, code, kind.name, parent)


def _repair_order_of(conn: Connection, kind: str, number: str) -> str | None:
    """The repair order a requisition or a return belongs to."""
    statement = select(t.repair_order.c.ro_no).join(
        t.requisition, t.requisition.c.repair_order_id == t.repair_order.c.id)
    if kind == REQUISITION.name:
        statement = statement.where(t.requisition.c.req_no == number)
    else:
        statement = statement.join(t.return_slip, t.return_slip.c.requisition_id == t.requisition.c.id).where(
            t.return_slip.c.ret_no == number)
    return conn.execute(statement).scalar()
