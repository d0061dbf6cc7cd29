"""Barcodes read back in tests: the Code 128 modules of a code, of an SVG label and of the bars on a PDF page."""

from __future__ import annotations

import itertools
import re
from xml.dom import minidom

from barcode import Code128
from pypdf.generic import ContentStream

_MM = re.compile(r"^([\d.]+)mm$")


def modules_of(code: str) -> str:
    """python-barcode's own Code 128 modules of the code: what a scanner decodes."""
    return Code128(code).build()[0]


def runs_to_modules(runs: list[tuple[float, float]]) -> str:
    """Bars given as (x, width) in any unit back to a module string: the narrowest bar is one module (every
    Code 128 symbol ends with the stop pattern, which has a one-module bar)."""
    runs = sorted(runs)
    module = min(width for _x, width in runs)
    start = runs[0][0]
    out = ""
    for x, width in runs:
        out += "0" * (round((x - start) / module) - len(out)) + "1" * round(width / module)
    return out


def svg_modules(svg: bytes) -> str:
    """The module string of the bars of an SVG label (its black rectangles)."""
    document = minidom.parseString(svg)
    runs = []
    for rect in document.getElementsByTagName("rect"):
        if "black" in rect.getAttribute("style") and rect.getAttribute("x"):
            runs.append((float(_MM.match(rect.getAttribute("x"))[1]), float(_MM.match(rect.getAttribute("width"))[1])))
    return runs_to_modules(runs)


def svg_texts(svg: bytes) -> list[str]:
    """The text lines of an SVG label, top to bottom."""
    document = minidom.parseString(svg)
    return [node.firstChild.data for node in document.getElementsByTagName("text")]


def pdf_bar_groups(page) -> list[str]:
    """Each barcode drawn on a PDF page, as a module string: filled rectangles grouped by their y and height."""
    groups: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"re":
            x, y, width, height = (float(v) for v in operands)
            groups.setdefault((round(y, 2), round(height, 2)), []).append((x, width))
    # A barcode row may hold several labels side by side: split a group where the gap is wide.
    barcodes = []
    for runs in groups.values():
        runs.sort()
        module = min(w for _x, w in runs)
        current = [runs[0]]
        for previous, run in itertools.pairwise(runs):
            if run[0] - (previous[0] + previous[1]) > 8 * module:
                barcodes.append(current)
                current = []
            current.append(run)
        barcodes.append(current)
    return [runs_to_modules(runs) for runs in barcodes]
