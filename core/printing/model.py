"""The one structured form of every paper (title, fields, table, totals, blocks, signatures), which the text
renderer (core.printing.text) and the PDF renderer (core.printing.pdf) both lay out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.documents import DocumentKind
from core.i18n import CHINESE, ENGLISH, _, language


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its heading (and the Chinese one), its width on an 80-column slip (the PDF keeps the
    proportions), its alignment, and whether it takes what the page leaves (the name column)."""

    title: str
    width: int
    align: str = "left"
    grow: bool = False
    title_zh: str = ""  # printed under the title, as the slips do

    def headings(self) -> tuple[str, ...]:
        """The heading's lines: the English and the form's Chinese under it; in Chinese the form's word once."""
        if language() == CHINESE:
            return (self.title_zh or self.title,)
        return (self.title, self.title_zh)


def paper_words(translated: str, chinese: str) -> str:
    """A label on a paper: the desk's English with the form's own Chinese word beside it ("Issued 发料"); in
    Chinese the form's word once, never "发料 发料"."""
    if language() == CHINESE:
        return chinese
    return f"{translated} {chinese}"


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


class PartName(str):
    """A table cell of a part's two names, the reader's language first, and `chinese`: the name the cell keeps
    alone in a column too narrow for both (the text renderer's choice; the PDF wraps them instead)."""

    chinese: str


def both_names(name: str, name_zh: str | None) -> str:
    """A part's names as the reader reads them: the Chinese name first (English beside it) when the desk speaks
    Chinese, the English one first when it speaks English; the one name a part has alone. The staff pick parts
    by the Chinese name, so a paper always carries it: a narrow column keeps it alone."""
    if not name_zh or name_zh == name:
        return name
    first, second = (name, name_zh) if language() == ENGLISH else (name_zh, name)
    cell = PartName(f"{first} {second}")
    cell.chinese = name_zh
    return cell


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph after the table: a heading and its lines (attachments, the complaint, the history)."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A document as printed: the same content for the text and the PDF form.

    A row is a tuple of cells, or a str: a note under the row before it, across the whole table. A
    signature is the label of a line to sign on (who signed in the desk, where it knows).
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

    def heading(self, gap: str = "  ") -> str:
        """The title line: the procedure's Chinese title, with the English beside it when the desk speaks
        English ("入库清单  RECEIPT LIST")."""
        if language() == CHINESE:
            return self.title_zh
        return f"{self.title_zh}{gap}{self.title_en}"


def paper(kind: DocumentKind, number: str, fields: tuple[tuple[str, str], ...], columns: tuple[Column, ...],
          rows: tuple[tuple[str, ...] | str, ...], **rest) -> Document:
    """A kind's paper, titled as the registry (core.documents) names the kind."""
    return Document(kind.name, number, kind.title_zh, kind.paper_title(), fields, columns, rows, **rest)
