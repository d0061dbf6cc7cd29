"""Reading the files people bring (CSV from any Chinese or Western Excel, or XLSX) into rows of text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.decimals import from_decimal_comma
from core.errors import BadInput, ImportProblem
from core.i18n import _

_BOMS = (("utf-8-sig", b"\xef\xbb\xbf"),)


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header and its data rows, each row with its row number in the file (header = 1)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    # Columns split by semicolons: the file comes from where the comma is the decimal mark ("1,50").
    decimal_comma: bool = False


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding name of a file's bytes: UTF-8 with or without BOM, else GB18030."""
    for name, bom in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode("utf-8"), name
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 covers GBK and GB2312: what a Chinese Excel saves as "CSV".
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise BadInput(_("the file is neither UTF-8 nor GB18030 text")) from None


def read_table(path: str | Path) -> Table:
    """The table in a .csv or .xlsx file; anything unreadable is one BadInput line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(_("no such file: {path}").format(path=path)) from None
    except OSError as exc:
        raise BadInput(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, path)
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(raw, path)
    text, encoding = decode(raw)
    return _read_csv(text, encoding)


def _read_csv(text: str, encoding: str) -> Table:
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise BadInput(_("the file is not valid CSV: {reason}").format(reason=exc)) from None
    return _table(records, encoding, decimal_comma=dialect.delimiter == ";")


def _read_xlsx(raw: bytes, path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same to the user
        raise BadInput(_("{path} is not a readable XLSX workbook").format(path=path.name)) from None
    try:
        sheet = workbook.worksheets[0]
        records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table(records, "xlsx")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps numbers as binary floats; repr gives the shortest text that reads back the same.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _table(records: list[list[str]], encoding: str, *, decimal_comma: bool = False) -> Table:
    numbered = [(i, [c.strip() for c in r]) for i, r in enumerate(records, start=1)]
    numbered = [(i, r) for i, r in numbered if any(r)]
    if not numbered:
        raise BadInput(_("the file is empty"))
    headers = numbered[0][1]
    return Table([h.lstrip("\ufeff").strip() for h in headers], numbered[1:], encoding, decimal_comma)


def map_columns(headers: list[str], columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                what: str) -> dict[str, int]:
    """Which file column holds each known column, by any of its English or Chinese headers.

    BadInput names the required columns the file lacks.
    """
    lookup = {name.lower(): column for column, names in columns.items() for name in names}
    mapped: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = lookup.get(header.strip().lower())
        if column and column not in mapped:
            mapped[column] = index
    missing = [c for c in required if c not in mapped]
    if missing:
        raise BadInput(_("{what} lacks the column(s) {missing}; expected {expected}").format(
            what=what, missing=", ".join(missing), expected=", ".join(columns)))
    return mapped


class RowReader:
    """One file row being checked: its cells by column name, and the problems found in it."""

    def __init__(self, number: int, cells: list[str], columns: dict[str, int], headers: list[str], *,
                 decimal_comma: bool = False) -> None:
        self.number = number
        self.decimal_comma = decimal_comma
        self.cells = cells
        self.columns = columns
        self.headers = headers
        self.problems: list[ImportProblem] = []

    def cell(self, column: str) -> str:
        """The trimmed text of a column ("" when the file has no such column or the row is short)."""
        index = self.columns.get(column)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def problem(self, column: str, message: str) -> None:
        """Record a problem in a column, named by the file's own header."""
        index = self.columns.get(column)
        self.problems.append(ImportProblem(self.number, self.headers[index] if index is not None else column, message))

    def decimal(self, column: str, parse, what: str, default: Decimal | None) -> Decimal | None:
        """The cell parsed, the default when empty; None (with a problem recorded) when it cannot be."""
        text = self.cell(column)
        if not text:
            if default is None:
                self.problem(column, _("empty {what}").format(what=what))
            return default
        try:
            if self.decimal_comma:
                text = from_decimal_comma(text, what)
            return parse(text, what)
        except BadInput as exc:
            self.problem(column, exc.message)
            return None
