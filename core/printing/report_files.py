"""A report (core.services.reports) exported to a file: XLSX through openpyxl (one sheet a table, numbers as
numbers) or PDF through the desk's PDF renderer (core.printing.pdf: Chinese fonts, the heading on each page)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path

from core.errors import BadInput
from core.files import check_target, write_file
from core.i18n import _
from core.printing.model import Block, Column, Document
from core.services.reports import Report, Section, open_report, total_title
from core.units import ReadUnit

XLSX, PDF = ".xlsx", ".pdf"
EXPORT_SUFFIXES = (XLSX, PDF)
PDF_WIDTH = 80  # characters across the page's table, as the slips' widths are counted


def export_form(path: str | Path) -> str:
    """The export's form from its file name's suffix, or BadInput naming the suffixes there are."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise BadInput(_("cannot export a report to {path}: the file name must end in .xlsx or .pdf").format(
            path=path))
    return suffix


def _number(cell: str | None):
    """A numeric cell as a Decimal for the sheet (a number a spreadsheet adds up), or the text as it is."""
    if cell is None:
        return None
    try:
        return Decimal(cell)
    except InvalidOperation:
        return cell


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name, each name once.
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: a first sheet with its title, dates and totals, then a sheet a table
    (written row by row: a long report is never held whole)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    head = book.create_sheet(_sheet_title(report.title, used))
    head.append([f"{report.title_zh} {report.title}"])
    for key, value in report.params.items():
        head.append([key, value])
    for section in report.sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        sheet.append([column.title for column in section.columns])
        for row in section.rows:
            sheet.append([_number(cell) if column.numeric else column.shown(cell)
                          for column, cell in zip(section.columns, row, strict=True)])
    # The totals last: a report adds some of them up from its rows as they are written.
    totals = book.create_sheet(_sheet_title(_("totals"), used))
    for key, value in report.totals.items():
        totals.append([total_title(key), _number(value)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _paper_columns(section: Section) -> tuple[Column, ...]:
    widths = [max(6, min(14, len(column.title) + 1)) for column in section.columns]
    grow = next((i for i, column in enumerate(section.columns) if column.key == "name"), None)
    return tuple(Column(column.title, width, "right" if column.numeric else "left", grow=i == grow)
                 for i, (column, width) in enumerate(zip(section.columns, widths, strict=True)))


def _block(section: Section) -> Block:
    """A small table (a summary) as lines under a heading: "title: value, title: value"."""
    lines = tuple("; ".join(f"{column.title}: {column.shown(cell)}"
                            for column, cell in zip(section.columns, row, strict=True) if cell is not None)
                  for row in section.rows)
    return Block(section.title, lines)


def report_document(report: Report) -> Document:
    """The report as the desk's structured paper: its main table as the table, the others as blocks."""
    main = report.main_section()
    rows = tuple(tuple(column.shown(cell) for column, cell in zip(main.columns, row, strict=True))
                 for row in main.rows)  # first: a summary after it is added up from these rows
    number = "-".join(["RPT", report.name.upper(), *(v.replace("-", "") for v in report.params.values())])
    return Document(
        kind="report", number=number[:40], title_zh=report.title_zh, title_en=report.title.upper(),
        fields=tuple(report.params.items()), columns=_paper_columns(main), rows=rows,
        totals=tuple((total_title(key), value) for key, value in report.totals.items()),
        blocks=tuple(_block(section) for section in report.sections if section is not main))


def report_pdf(report: Report, *, font_file: str | None = None) -> bytes:
    """The report as an A4 PDF."""
    from core.printing.pdf import render_pdf

    return render_pdf(report_document(report), font_file=font_file)


def export_report(name: str, out: str | Path, *, uow: ReadUnit, force: bool = False, **options) -> Path:
    """Read a report and write it to `out` (.xlsx or .pdf, whole or not at all); the file is checked before
    anything is read."""
    from core.services.settings import get_settings

    form = export_form(out)
    check_target(out, force=force)
    font = get_settings(uow=uow)["pdf_font"] if form == PDF else None
    with open_report(name, uow=uow, **options) as report:
        data = report_xlsx(report) if form == XLSX else report_pdf(report, font_file=font)
    return write_file(out, data, force=force)
