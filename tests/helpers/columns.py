"""Printed text in tests: what a line shows in given cell columns, a wide character counting two."""

from __future__ import annotations

from core.textwidth import cell_width


def field(line: str, start: int, width: int) -> str:
    """The text a line shows in cell columns [start, start + width), a wide character counting two."""
    out, col = [], 0
    for char in line:
        w = cell_width(char)
        if start <= col and col + w <= start + width:
            out.append(char)
        col += w
    return "".join(out)
