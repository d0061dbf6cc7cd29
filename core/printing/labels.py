"""What each label shows (a part, a location, a document) and which labels a sheet holds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Row, select

from core import tables as t
from core.byte_order import byte_order
from core.codes import validate_location
from core.documents import paper_of, require_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.measures import measure_of, whole
from core.printing.barcodes import check_code
from core.records.batches import rows_in_batches
from core.services.catalog import get_part
from core.services.receiving import get_receipt
from core.units import ReadUnit

# A sheet run larger than this is a mistyped pattern rather than a plan: some 200 A4 pages.
MAX_LABELS = 5000
# A receipt line gets one label per accepted unit up to this many; above it (or for a quantity that is
# not whole, such as litres) the line gets a single label, since nobody sticks 500 labels on washers.
UNIT_CAP = 50


@dataclass(frozen=True, slots=True)
class Label:
    """A label: the code as the barcode and in large print, and the lines printed under it."""

    code: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceiptLabels:
    """The labels of a receipt's accepted goods, and the lines that got one label instead of one per unit."""

    labels: tuple[Label, ...]
    lines: int
    single: tuple[str, ...]  # part numbers labelled once: over UNIT_CAP or not a whole number


def _part_label(part_no: str, name: str, name_zh: str | None, series: str | None, location: str | None) -> Label:
    lines = [name_zh] if name_zh and name_zh != name else []
    lines += [name, "  ".join(filter(None, [series, location])) or "-"]
    return Label(check_code(part_no), tuple(lines))


def part_label(part_no: str, *, uow: ReadUnit) -> Label:
    """A part's label: its number, its names (Chinese first when known), model series and location."""
    info = get_part(part_no, uow=uow)
    return _part_label(info.part_no, info.name, info.name_zh, info.model_series, info.location)


def location_label(code: str, *, uow: ReadUnit) -> Label:
    """A bin's label: its code and the model series it holds."""
    normalised = validate_location(code)
    with uow.read() as conn:
        row = conn.execute(select(t.location.c.code, t.location.c.zone, t.location.c.series)
                           .where(t.location.c.code == normalised)).first()
    if row is None:
        raise NotFound(_("unknown location {code}").format(code=normalised))
    return Label(check_code(row.code), (row.series or row.zone,))


def document_label(number: str, *, uow: ReadUnit) -> Label:
    """A document's label, to stick on a box or a folder: its number and what kind of paper it is; the
    number is looked up, not the document read (NotFound when no paper has it)."""
    kind = paper_of(number)
    with uow.read() as conn:
        normalised = require_number(conn, kind, number)
    return Label(check_code(normalised), (kind.title_zh, kind.paper_title()))


def glob_to_like(pattern: str) -> str:
    """A prefix (EXC-01) or a glob (EXC-01-*, 9653?697) as a SQL LIKE pattern, escaped with '\\'."""
    text = "".join((pattern or "").split()).upper()
    if not text:
        raise BadInput(_("the pattern is empty"))
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = escaped.replace("*", "%").replace("?", "_")
    return like if "*" in text or "?" in text else like + "%"


def _checked_count(labels: list[Label], what: str, pattern: str) -> tuple[Label, ...]:
    if not labels:
        raise NotFound(_("no {what} matches {pattern!r}").format(what=what, pattern=pattern))
    if len(labels) > MAX_LABELS:
        raise BadInput(_("{count} labels is more than {limit} in one sheet run: narrow the pattern").format(
            count=len(labels), limit=MAX_LABELS))
    return tuple(labels)


def part_labels(pattern: str, *, uow: ReadUnit) -> tuple[Label, ...]:
    """The labels of every part whose number matches the prefix or glob, by part number."""
    with uow.read() as conn:
        rows = conn.execute(
            select(t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series,
                   t.location.c.code.label("location"))
            .select_from(t.part.outerjoin(t.location, t.location.c.id == t.part.c.default_location_id))
            .where(t.part.c.part_no.like(glob_to_like(pattern), escape="\\"))
            .order_by(t.part.c.part_no)
            .limit(MAX_LABELS + 1)
        ).all()
    return _checked_count([_part_label(r.part_no, r.name, r.name_zh, r.model_series, r.location) for r in rows],
                          _("part"), pattern)


def location_labels(pattern: str, *, uow: ReadUnit) -> tuple[Label, ...]:
    """The labels of every location whose code matches the prefix or glob, in walking order (by code)."""
    with uow.read() as conn:
        rows = conn.execute(
            select(t.location.c.code, t.location.c.zone, t.location.c.series)
            .where(t.location.c.code.like(glob_to_like(pattern), escape="\\"))
            .order_by(t.location.c.code)
            .limit(MAX_LABELS + 1)
        ).all()
    return _checked_count([Label(check_code(r.code), (r.series or r.zone,)) for r in rows], _("location"), pattern)


def part_details(part_nos: list[str], *, uow: ReadUnit) -> dict[str, Row]:
    """Name, Chinese name and model series of known parts, by part number (one query for a whole document)."""
    with uow.read() as conn:
        details = select(t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series)
        return {r.part_no: r for r in rows_in_batches(
            conn, lambda batch: details.where(byte_order(t.part.c.part_no).in_(batch)), sorted(set(part_nos)))}


def _copies(qty: Decimal, unit: str | None) -> int:
    # A label goes on each piece, set or box; litres or metres of a part get one for the line (5 L of oil
    # in a drum is one drum). A unit the list does not know is labelled per whole unit, as before the list.
    divisible = measure_of(unit) is not None and not whole(unit)
    return int(qty) if not divisible and qty == qty.to_integral_value() and 0 < qty <= UNIT_CAP else 1


def receipt_labels(number: str, *, uow: ReadUnit, per_unit: bool = True) -> ReceiptLabels:
    """The part labels to stick on at putaway: one per accepted unit (one per line when asked, or for a
    line above UNIT_CAP units or of a divisible unit such as litres), with the location the line goes to."""
    receipt = get_receipt(number, uow=uow)
    accepted = [line for line in receipt.lines if line.accepted]
    if not accepted:
        raise RuleViolation(_("receipt {number} has nothing accepted yet: count it first").format(
            number=receipt.number))
    parts = part_details([line.part_no for line in accepted], uow=uow)
    labels: list[Label] = []
    single: list[str] = []
    for line in sorted(accepted, key=lambda item: (item.location or "~", item.part_no)):
        part = parts[line.part_no]  # an accepted line is always a known part
        label = _part_label(line.part_no, part.name, part.name_zh, part.model_series, line.location)
        copies = _copies(line.accepted, line.unit) if per_unit else 1
        if per_unit and copies == 1 and line.accepted != 1:
            single.append(line.part_no)
        labels += [label] * copies
    if len(labels) > MAX_LABELS:
        raise BadInput(_("{count} labels is more than {limit} in one sheet run: use one label per line").format(
            count=len(labels), limit=MAX_LABELS))
    return ReceiptLabels(tuple(labels), len(accepted), tuple(single))
