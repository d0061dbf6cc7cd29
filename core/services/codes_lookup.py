"""What a scanned or typed code stands for: a part, a location or a document, by the station's code rules."""

from __future__ import annotations

from dataclasses import dataclass

from core.codes import LOCATION_PATTERN, PART_NO_PATTERN, normalise_part_no
from core.errors import BadInput, NotFound, PartsdeskError
from core.i18n import _
from core.units import ReadUnit

PART, LOCATION, DOCUMENT = "part", "location", "document"
# Purchase requests have a number and a screen (review) but no paper of their own.
REQUEST_KIND = "request"


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
    if LOCATION_PATTERN.match(code) and _location_exists(code, uow):
        return Resolved(LOCATION, code)
    document = _document(code, uow)
    if document is not None:
        return document
    if PART_NO_PATTERN.match(code):
        from core.services.catalog import get_part

        try:
            return Resolved(PART, get_part(code, uow=uow).part_no)
        except NotFound:
            pass
    shown = (text or "").strip()
    raise NotFound(_("{code!r} is no known part, location or document").format(code=shown[:40]))


def _location_exists(code: str, uow: ReadUnit) -> bool:
    from core.printing.labels import location_label

    try:
        location_label(code, uow=uow)
    except NotFound:
        return False
    return True


def _document(code: str, uow: ReadUnit) -> Resolved | None:
    """The document numbered `code`, or None (no known prefix, or no such number)."""
    from core.printing.documents import build_document, kind_of
    from core.services.requests import REQUEST, get_request

    prefix, dash, _rest = code.partition("-")
    if not dash:
        return None
    try:
        if prefix == REQUEST:
            return Resolved(DOCUMENT, get_request(code, uow=uow).number, REQUEST_KIND)
        kind = kind_of(code)
        if kind == "requisition":
            from core.services.requisitions import get_requisition

            view = get_requisition(code, uow=uow)
            return Resolved(DOCUMENT, view.number, kind, view.ro.ro_no)
        if kind == "return":
            from core.services.returns import get_return

            ret = get_return(code, uow=uow)
            return Resolved(DOCUMENT, ret.number, kind, ret.ro.ro_no)
        return Resolved(DOCUMENT, build_document(kind, code, uow=uow).number, kind)
    except PartsdeskError:  # an unknown prefix or number: it may still be a part number with a dash
        return None
