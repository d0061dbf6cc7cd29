"""Any structured document as fixed-width text, laid out like the receipt papers (Chinese counts double)."""

from __future__ import annotations

from collections.abc import Callable

from core.printing.documents import Column, Document

# The receipt papers' title, field pairs and signature lines, so every slip of the desk looks alike.
from core.services.receiving_docs import field_lines, signature_lines, title_lines
from core.textwidth import cell_width, columns, fit, wrap
from core.units import ReadUnit

NOTE_INDENT = 4
MIN_GROW = 6


def column_widths(cols: tuple[Column, ...], width: int) -> list[int]:
    """Each column's width on a slip `width` columns wide: the fixed ones as given, the growing one the rest."""
    fixed = sum(c.width for c in cols if not c.grow) + len(cols) - 1
    return [max(MIN_GROW, width - fixed) if c.grow else c.width for c in cols]


def _table(document: Document, width: int) -> list[str]:
    widths = column_widths(document.columns, width)
    aligns = [c.align for c in document.columns]
    lines = [columns([c.title for c in document.columns], widths, aligns)]
    if any(c.title_zh for c in document.columns):
        lines.append(columns([c.title_zh for c in document.columns], widths, aligns))
    lines.append("-" * width)
    for row in document.rows:
        if isinstance(row, str):
            lines += [" " * NOTE_INDENT + piece for piece in wrap(row, width - NOTE_INDENT)]
        else:
            lines.append(columns(list(row), widths, aligns))
    return lines


def _stacked(document: Document, width: int) -> list[str]:
    """The table for a printer too narrow for its columns (a 40-column receipt printer): each row's words
    on a line, its figures under them with their headings; nothing is cut, least of all a number."""
    lines = ["-" * width]
    for row in document.rows:
        if isinstance(row, str):
            lines += [" " * NOTE_INDENT + piece for piece in wrap(row, width - NOTE_INDENT)]
            continue
        cells = [(c, cell) for c, cell in zip(document.columns, row, strict=True) if cell]
        words = "  ".join(cell for c, cell in cells if c.align != "right" or c.title == "#")
        figures = "  ".join(f"{c.title} {cell}" for c, cell in cells if c.align == "right" and c.title != "#")
        lines += wrap(words, width) + ["  " + piece for piece in wrap(figures, width - 2) if figures]
    return lines


def _total(label: str, value: str, width: int) -> list[str]:
    """A total at the right margin; a label too long for the line goes above its figure, never over it."""
    line = f"{label}: {value}"
    if cell_width(line) <= width:
        return [fit(line, width, "right")]
    return [*wrap(f"{label}:", width), fit(value, width, "right")]


def render_text(document: Document, width: int) -> str:
    """The document as fixed-width text `width` columns wide: title, fields, table, totals, blocks, signatures."""
    lines = title_lines(document.title_zh, document.title_en, width)
    lines += field_lines(list(document.fields), width)
    lines.append("")
    fits = sum(column_widths(document.columns, width)) + len(document.columns) - 1 <= width
    lines += _table(document, width) if fits else _stacked(document, width)
    lines.append("-" * width)
    for label, value in document.totals:
        lines += _total(label, value, width)
    for block in document.blocks:
        lines += ["", f"{block.heading}:"]
        for line in block.lines:
            lines += ["  " + piece for piece in wrap(line, width - 2)]
    lines += signature_lines(list(document.signatures), width)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def text_of(build: Callable[[str, ReadUnit], Document]) -> Callable[[str, ReadUnit, int], str]:
    """The text form of a kind that has no slip of its own: its structured document as fixed-width text."""
    return lambda number, uow, width: render_text(build(number, uow), width)
