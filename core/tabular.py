"""Reading the files people bring (CSV from any Chinese or Western Excel, or XLSX) into rows of text, streamed."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.decimals import from_decimal_comma
from core.errors import BadInput, ImportProblem
from core.i18n import _, ngettext
from core.text import text_problem

_BOMS = (("utf-8-sig", b"\xef\xbb\xbf"),)
_CHUNK = 1 << 20
# How much of a file the encoding is guessed from (then the whole file is checked to decode in it).
_SAMPLE = 1 << 18
# What charset-normalizer may call the two families of files the station receives besides UTF-8.
_CHINESE = {"gb18030", "gbk", "gb2312", "hz"}
_WESTERN = {"cp1252", "cp1250", "cp1257", "cp850", "cp858", "cp437", "latin_1", "iso8859_15", "iso8859_2",
            "mac_roman", "mac_latin2", "cp775", "cp852"}
# Western Excel's "CSV" is Windows-1252; its non-ASCII characters are Latin letters and a few signs.
_WESTERN_SIGNS = set("€–—‘’“”„°²³µ×÷·§¶«»¿¡£¥¢©®™…•±½¼¾")


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header and its data rows, each row with its row number in the file (header = 1)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    # Columns split by semicolons: the file comes from where the comma is the decimal mark ("1,50").
    decimal_comma: bool = False


@dataclass(frozen=True, slots=True)
class TableStream:
    """A file's header and an iterator over its data rows (row number, cells), read as they are needed."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str
    decimal_comma: bool = False


def _plausible_chinese(text: str) -> bool:
    """Nearly every non-ASCII character is one a Chinese file commonly holds (GB2312: the common hanzi,
    full-width forms): a real Chinese file may name a rare character now and then, a misread Western one
    ("f黵" for "für") is rare characters throughout."""
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return False
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(wide)


def _plausible_western(text: str) -> bool:
    """Every non-ASCII character is a Latin letter or a sign a Western spreadsheet writes."""
    for ch in {ch for ch in text if ord(ch) > 127}:
        if ch in _WESTERN_SIGNS:
            continue
        if not (unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, "")):
            return False
    return True


def _guess(sample: bytes) -> str:
    """The encoding of a file's first bytes when they are not UTF-8: GB18030 or Windows-1252, else BadInput.

    A byte string often decodes in both; the characters it decodes to tell which is meant ("f\xfcr" is "für",
    not "f黵"), and charset-normalizer decides when both look plausible.
    """
    # The sample may end inside a character: decode what is whole.
    decoded: dict[str, str] = {}
    for name in ("gb18030", "cp1252"):
        decoder = codecs.getincrementaldecoder(name)()
        try:
            decoded[name] = decoder.decode(sample, final=False)
        except UnicodeDecodeError:
            continue
    chinese = "gb18030" in decoded and _plausible_chinese(decoded["gb18030"])
    western = "cp1252" in decoded and _plausible_western(decoded["cp1252"])
    if chinese != western:
        return "gb18030" if chinese else "cp1252"
    if chinese and western:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        name = (best.encoding if best else "").lower()
        if name in _CHINESE:
            return "gb18030"
        if name in _WESTERN:
            return "cp1252"
    raise BadInput(_("the file is neither UTF-8 nor GB18030 (Chinese) nor Windows-1252 (Western) text, as far as "
                     "its characters tell: save it as UTF-8"))


def detect_encoding(path: Path) -> str:
    """The encoding a text file is read in: UTF-8 with or without BOM, else GB18030 or Windows-1252 as
    its characters say; the whole file is checked to decode in it (in chunks: a big file is never held whole)."""
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
        for name, bom in _BOMS:
            if head.startswith(bom):
                encoding = name
                break
        else:
            encoding = "utf-8" if _decodes(handle, head, "utf-8") else _guess(head)
        if encoding != "utf-8":
            handle.seek(0)
            if not _decodes(handle, handle.read(_SAMPLE), encoding):
                raise BadInput(_("the file is not valid {encoding} text throughout: save it as UTF-8").format(
                    encoding=encoding))
    return encoding


def _decodes(handle, first: bytes, encoding: str) -> bool:
    """Whether `first` and the rest of the open file decode in the encoding."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(first)
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def file_encoding(path: str | Path) -> str:
    """How a file people bring is read: "xlsx" for a workbook, else the encoding of its text."""
    path = Path(path)
    with path.open("rb") as handle:
        magic = handle.read(4)
    if path.suffix.lower() in (".xlsx", ".xlsm") or magic == b"PK\x03\x04":
        return "xlsx"
    return detect_encoding(path)


def read_table(path: str | Path) -> Table:
    """The table in a .csv or .xlsx file, every row in memory; anything unreadable is one BadInput line."""
    with open_table(path) as stream:
        return Table(stream.headers, list(stream.rows), stream.encoding, stream.decimal_comma)


@contextmanager
def open_table(path: str | Path) -> Iterator[TableStream]:
    """The table in a .csv or .xlsx file with its rows read one by one as they are taken (a CSV of a million
    rows is never held whole); anything unreadable is one BadInput line."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if path.suffix.lower() in (".xlsx", ".xlsm") or magic == b"PK\x03\x04":
            yield _read_xlsx(path.read_bytes(), path)
            return
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="") as text:
            yield _stream_csv(text, encoding)
    except FileNotFoundError:
        raise BadInput(_("no such file: {path}").format(path=path)) from None
    except IsADirectoryError:
        raise BadInput(_("{path} is a folder, not a file").format(path=path)) from None
    except UnicodeDecodeError:
        raise BadInput(_("the file is not valid {encoding} text throughout: save it as UTF-8").format(
            encoding=encoding)) from None
    except OSError as exc:
        raise BadInput(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None


def _stream_csv(text, encoding: str) -> TableStream:
    sample = text.read(4096)
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    records = csv.reader(text, dialect)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            strip = str.strip
            for number, record in enumerate(records, start=1):
                cells = list(map(strip, record))  # map: a third of the list comprehension's time a row
                if any(cells):
                    yield number, cells
        except csv.Error as exc:
            raise BadInput(_("the file is not valid CSV: {reason}").format(reason=exc)) from None

    rows = numbered()
    first = next(rows, None)
    if first is None:
        raise BadInput(_("the file is empty"))
    headers = [h.lstrip("\ufeff").strip() for h in first[1]]
    return TableStream(headers, rows, encoding, dialect.delimiter == ";")


def _read_xlsx(raw: bytes, path: Path) -> TableStream:
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
    table = _table(records, "xlsx")
    return TableStream(table.headers, iter(table.rows), table.encoding)


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
        raise BadInput(ngettext(
            "{what} lacks the column {missing}; expected {expected}",
            "{what} lacks the columns {missing}; expected {expected}", len(missing)).format(
            what=what, missing=", ".join(missing), expected=", ".join(columns)))
    return mapped


class RowReader:
    """One file row being checked: its cells by column name, and the problems found in it."""

    def __init__(self, number: int, cells: list[str], columns: dict[str, int], headers: list[str], *,
                 decimal_comma: bool = False, lengths: dict[str, int] | None = None) -> None:
        """The row's cells by the file's column mapping; every known column's text is checked at once for
        control characters and, where `lengths` gives one, for its length (core.text), naming row and column."""
        self.number = number
        self.decimal_comma = decimal_comma
        self.cells = cells
        self.columns = columns
        self.headers = headers
        self.problems: list[ImportProblem] = []
        for column in columns:
            problem = text_problem(self.cell(column), (lengths or {}).get(column))
            if problem:
                self.problem(column, _("the text {problem}").format(problem=problem))

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


# -- writing: the files the desk exports (order files, the planner's sheet) ----------------------------

# OWASP's CSV injection rule: a spreadsheet reads a cell starting with one of these as a formula (or, for tab and
# carriage return, as the start of one after its own trimming).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """A cell as it is safe to export: text starting like a formula gets a leading single quote, which a
    spreadsheet shows as text; numbers (int, Decimal, float) go as they are, they can never be a formula.

    Every text cell is escaped, a negative number written as text ("-5") included: the exports write quantities and
    prices that are never negative, and a text "-5" is what a payload like "-2+3" looks like to a spreadsheet.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """A CSV export: every text cell escaped (escape_cell), CRLF lines, UTF-8 with a BOM so that a Chinese Excel
    opens the names right."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    """An XLSX export with one sheet: text cells are stored as text, never as formulas, and carry Excel's quote
    prefix where they start like a formula (the XLSX form of escape_cell: the value itself stays exact, so the
    sheet reads back as written); numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row_no, row in enumerate([header, *rows], start=1):
        for column_no, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_no, column=column_no, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
