"""Any structured document as fixed-width text for dot-matrix and receipt printers: Chinese counts double
(core.textwidth), so columns stay aligned whatever mix of Chinese and Latin a name holds."""

from __future__ import annotations

from core.printing.model import Column, Document, PartName
from core.textwidth import cell_width, columns, fit, wrap

NOTE_INDENT = 4
MIN_GROW = 6
SIGN_LINE = "_" * 16  # to sign on paper, ending at the right margin
SHORT_SIGN = "________"  # two to a line on a wide printer
TWO_SIGNATURES = 60  # columns from which two short signature lines share a line


def column_widths(cols: tuple[Column, ...], width: int) -> list[int]:
    """Each column's width on a slip `width` columns wide: the fixed ones as given, the growing one the rest."""
    fixed = sum(c.width for c in cols if not c.grow) + len(cols) - 1
    return [max(MIN_GROW, width - fixed) if c.grow else c.width for c in cols]


def _title(document: Document, width: int) -> list[str]:
    """The bilingual title, centred, and its rule."""
    return [fit(document.heading(), width, "center").rstrip(), "=" * width]


def _fields(items: tuple[tuple[str, str], ...], width: int) -> list[str]:
    """Label: value pairs, two to a line where they fit."""
    half = width // 2
    cells = [f"{label}: {value}" for label, value in items]
    lines = []
    for i in range(0, len(cells), 2):
        left, right = cells[i], cells[i + 1] if i + 1 < len(cells) else ""
        if right and cell_width(left) < half and cell_width(right) <= width - half:
            lines.append((fit(left, half) + right).rstrip())
        else:
            lines.extend(wrap(left, width))
            if right:
                lines.extend(wrap(right, width))
    return lines


def _table(document: Document, width: int) -> list[str]:
    widths = column_widths(document.columns, width)
    aligns = [c.align for c in document.columns]
    headings = [c.headings() for c in document.columns]
    depth = max(sum(1 for line in lines if line) for lines in headings)  # no empty second row of headings
    lines = [columns([h[i] if i < len(h) else "" for h in headings], widths, aligns) for i in range(depth)]
    lines.append("-" * width)
    for row in document.rows:
        if isinstance(row, str):
            lines += [" " * NOTE_INDENT + piece for piece in wrap(row, width - NOTE_INDENT)]
        else:
            # A part's two names where the column holds both, else its Chinese name: never the Chinese one cut.
            cells = [cell.chinese if isinstance(cell, PartName) and cell_width(cell) > room else cell
                     for cell, room in zip(row, widths, strict=True)]
            lines += _row_lines(cells, widths, aligns)
    return lines


def _row_lines(cells: list[str], widths: list[int], aligns: list[str]) -> list[str]:
    """One row of the table: a name longer than its column goes on under itself (the row's figures on the first
    line), so that a name on paper is read whole; a single line where everything fits."""
    pieces = [wrap(cell, room) if align == "left" and room > 0 and cell_width(cell) > room else [cell]
              for cell, room, align in zip(cells, widths, aligns, strict=True)]
    depth = max(len(piece) for piece in pieces)
    return [columns([piece[i] if i < len(piece) else "" for piece in pieces], widths, aligns).rstrip()
            if i else columns([piece[0] for piece in pieces], widths, aligns) for i in range(depth)]


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


def _signatures(labels: tuple[str, ...], width: int) -> list[str]:
    """Lines to sign on: two short ones to a line on a wide printer, else each label (with who signed in
    the desk) at the left margin and its line ending at the right one."""
    half = width // 2
    short = [f"{label}: {SHORT_SIGN}" for label in labels]
    lines = [""]
    if width >= TWO_SIGNATURES and all(cell_width(cell) < half for cell in short):
        for i in range(0, len(short), 2):
            lines += ["".join(fit(cell, half) for cell in short[i:i + 2]).rstrip(), ""]
        return lines
    for label in labels:
        room = width - len(SIGN_LINE) - 2
        if cell_width(label) <= room:
            lines += [label + " " * (width - len(SIGN_LINE) - cell_width(label)) + SIGN_LINE, ""]
        else:  # a narrow printer: the whole label (who signed is never cut), the line under it
            lines += [*wrap(label, width), fit(SIGN_LINE, width, "right"), ""]
    return lines


def render_text(document: Document, width: int) -> str:
    """The document as fixed-width text `width` columns wide: title, fields, table, totals, blocks, signatures."""
    lines = _title(document, width)
    lines += _fields(document.fields, width)
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
    if document.signatures:
        lines += _signatures(document.signatures, width)
    return "\n".join(line.rstrip() for line in lines) + "\n"
