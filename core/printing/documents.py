"""Every printable document as one structured form (title, fields, table, blocks, signatures), the kinds
there are, and printing one: text or PDF, to a file and to the printer command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.errors import BadInput, NotFound
from core.i18n import _
from core.units import ReadUnit

TEXT, PDF = "text", "pdf"
FORMS = (TEXT, PDF)
# The kinds as the issue names them, the counter's first.
ORDER = ("requisition", "return", "receipt", "putaway", "discrepancy", "claim", "po", "ro")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its heading (and the Chinese one), its width on an 80-column slip (the PDF keeps the
    proportions), its alignment, and whether it takes what the page leaves (the name column)."""

    title: str
    width: int
    align: str = "left"
    grow: bool = False
    title_zh: str = ""  # printed under the title, as the slips do


# Headings are translated when a document is built, not at import, so a change of language shows.
def no_column() -> Column:
    """The line number column."""
    return Column("#", 2, "right")


def part_no_column() -> Column:
    """The part number column."""
    return Column(_("Part no"), 12, title_zh="零件号")


def name_column() -> Column:
    """The part name column: takes what the page leaves."""
    return Column(_("Name"), 20, grow=True, title_zh="名称")


def location_column() -> Column:
    """The location column."""
    return Column(_("Location"), 12, title_zh="库位")


def qty_column(title: str, width: int = 7, title_zh: str = "") -> Column:
    """A right-aligned number column."""
    return Column(title, width, "right", title_zh=title_zh)


def when(at: datetime | None) -> str:
    """An instant in the station's local time to the minute, as every slip prints it."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "-"


def both_names(name: str, name_zh: str | None) -> str:
    """A part's Chinese name before its English one, as the staff read it."""
    return f"{name_zh} {name}" if name_zh and name_zh != name else name


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph after the table: a heading and its lines (attachments, the complaint, the history)."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A document as printed: the same content for the text and the PDF form.

    A row is a tuple of cells, or a str: a note under the row before it, across the whole table.
    """

    kind: str
    number: str  # its own number, printed and carried as the barcode
    title_zh: str
    title_en: str
    fields: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...] | str, ...]
    totals: tuple[tuple[str, str], ...] = ()
    blocks: tuple[Block, ...] = ()
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of document: its name on the command line, its number's prefix, its structured form,
    and its fixed-width text (the slip the desk already prints, where there is one)."""

    name: str
    prefix: str | None  # None: it has no number of its own (the putaway list carries its receipt's)
    build: Callable[[str, ReadUnit], Document]
    text: Callable[[str, ReadUnit, int], str]


def _kinds() -> dict[str, Kind]:
    from core.printing import counter_forms, receiving_forms

    found = {kind.name: kind for kind in (*receiving_forms.KINDS, *counter_forms.KINDS)}
    return {name: found[name] for name in ORDER}


def kind_names() -> tuple[str, ...]:
    """The kinds of document that print, the counter's first."""
    return tuple(_kinds())


def parse_kind(text: str) -> Kind:
    """The kind named on the command line, or BadInput listing the kinds."""
    kinds = _kinds()
    kind = kinds.get((text or "").strip().lower())
    if kind is None:
        raise BadInput(_("unknown document kind {kind!r}; the kinds are {kinds}").format(
            kind=text, kinds=", ".join(kinds)))
    return kind


def kind_of(number: str) -> str:
    """The kind a document number belongs to, by its prefix (RCV-2026-000001 is a receipt)."""
    prefix = "".join((number or "").split()).upper().split("-", 1)[0]
    for kind in _kinds().values():
        if kind.prefix == prefix:
            return kind.name
    raise NotFound(_("{number!r} is not the number of a document that prints").format(number=number))


def build_document(kind: str, number: str, *, uow: ReadUnit) -> Document:
    """The structured form of a document; NotFound for an unknown number."""
    return parse_kind(kind).build(number, uow)


def document_text(kind: str, number: str, *, uow: ReadUnit, width: int | None = None) -> str:
    """A document as fixed-width text (Chinese counts double), `width` columns or the print_width setting."""
    from core.services.settings import get_settings

    chosen = parse_kind(kind)
    columns = width or int(get_settings(uow=uow)["print_width"])
    return chosen.text(number, uow, columns)


def document_pdf(kind: str, number: str, *, uow: ReadUnit) -> bytes:
    """A document as an A4 PDF with Chinese and its number as a Code 128 barcode."""
    from core.printing.pdf import render_pdf

    return render_pdf(build_document(kind, number, uow=uow))


@dataclass(frozen=True, slots=True)
class Printed:
    """What `print_document` did: the form, the bytes, the file written (if any), whether it went to the printer."""

    form: str
    data: bytes
    path: Path | None
    sent: bool


def print_document(
    kind: str, number: str, *, form: str = TEXT, out: str | Path | None = None, send: bool = False,
    width: int | None = None, uow: ReadUnit,
) -> Printed:
    """Render a document, write it to `out` (whole or not at all) and, when asked, pipe it to the
    printer command of the settings; the screens' print key and `partsdesk print` both come here."""
    from core.printing.output import PrinterFailed, checked_command, send_to_printer, write_file
    from core.services.settings import get_settings

    parse_kind(kind)
    if form not in FORMS:
        raise BadInput(_("unknown form {form!r}: text or pdf").format(form=form))
    # Checked first: with no printer command set, nothing is rendered or written.
    command = checked_command(get_settings(uow=uow)["printer_command"]) if send else ""
    if form == PDF:
        data = document_pdf(kind, number, uow=uow)
    else:
        data = document_text(kind, number, uow=uow, width=width).encode("utf-8")
    path = write_file(out, data) if out is not None else None
    if send:
        try:
            send_to_printer(data, command)
        except PrinterFailed as exc:
            if path is None:
                raise
            raise PrinterFailed(_("{reason}; {path} is written").format(reason=exc.message, path=path)) from None
    return Printed(form, data, path, send)
