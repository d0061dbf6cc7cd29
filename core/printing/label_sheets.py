"""An A4 sheet of labels for parts, locations or a counted receipt: what `label sheet` and the putaway screen print."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import BadInput
from core.i18n import _
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class LabelSheet:
    """The sheets' PDF, how many labels on how many pages, the receipt's lines given one label for the whole line
    (too many units, or a divisible unit), and the font file the PDF was drawn with."""

    pdf: bytes
    count: int
    pages: int
    single: tuple[str, ...]
    font_file: str


def check_choice(parts: str | None, locations: str | None, receipt: str | None, per_line: bool) -> None:
    """Refuse a sheet that names none or several of parts, locations and a receipt, or one line per part without a
    receipt."""
    if sum(bool(chosen) for chosen in (parts, locations, receipt)) != 1:
        raise BadInput(_("name exactly one of --parts PATTERN, --locations PATTERN or --receipt RCPT"))
    if per_line and not receipt:
        raise BadInput(_("--per-line goes with --receipt"))


def label_sheet(*, uow: ReadUnit, parts: str | None = None, locations: str | None = None,
                receipt: str | None = None, per_line: bool = False) -> LabelSheet:
    """Labels for exactly one of: parts matching a prefix or glob, locations matching one, or the accepted units of
    a counted receipt (one a line with `per_line`), on A4 in the label_columns x label_rows grid."""
    from core.printing.label_files import sheet_pdf
    from core.printing.labels import location_labels, part_labels, receipt_labels
    from core.services.settings import get_settings

    check_choice(parts, locations, receipt, per_line)
    single: tuple[str, ...] = ()
    settings = get_settings(uow=uow)
    if parts:
        labels = part_labels(parts, uow=uow)
    elif locations:
        labels = location_labels(locations, uow=uow)
    else:
        found = receipt_labels(receipt or "", uow=uow, per_unit=not per_line)
        labels, single = found.labels, found.single
    columns, rows = int(settings["label_columns"]), int(settings["label_rows"])
    pdf = sheet_pdf(labels, columns, rows, settings["pdf_font"])
    return LabelSheet(pdf, len(labels), -(-len(labels) // (columns * rows)), single, settings["pdf_font"])
