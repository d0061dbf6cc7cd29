"""Code 128 through python-barcode: which codes a label may carry, their bars, and bars on a PDF page."""

from __future__ import annotations

from core.errors import BadInput
from core.i18n import _

# Longer codes make bars too thin to scan on a 70 mm label; no part, location or document number is near it.
MAX_CODE = 40


def check_code(code: str) -> str:
    """The code, or BadInput naming the first character a scanned label could not carry.

    Code 128 itself carries any ASCII, but a control character or a space would reach the desk as a
    keystroke or be dropped by the normalising of part numbers, so only printable ASCII is accepted.
    """
    if not code:
        raise BadInput(_("an empty code cannot be printed as a barcode"))
    for position, char in enumerate(code, start=1):
        if not "!" <= char <= "~":
            raise BadInput(_("{code!r} cannot be printed as a Code 128 barcode: {char!r} (character {position}) "
                             "is not a printable ASCII character").format(code=code, char=char, position=position))
    if len(code) > MAX_CODE:
        raise BadInput(_("{code!r} is longer than {limit} characters: too long for a label barcode").format(
            code=code, limit=MAX_CODE))
    return code


def modules(code: str) -> str:
    """The code's Code 128 modules as python-barcode encodes them: '1' a bar, '0' a space, quiet zones excluded."""
    from barcode import Code128

    return Code128(check_code(code)).build()[0]


def bar_runs(code: str) -> list[tuple[int, int]]:
    """Each bar of the code as (first module, width in modules)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, module in enumerate(modules(code) + "0"):
        if module == "1" and start is None:
            start = index
        elif module == "0" and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def draw_bars(canvas, code: str, x: float, y: float, width: float, height: float, max_module: float) -> float:
    """Draw the code's bars on a reportlab canvas inside (x, y, width, height) in points, centred, each
    module at most `max_module` wide; returns the width the bars took."""
    runs = bar_runs(code)
    count = runs[-1][0] + runs[-1][1]
    module = min(max_module, width / count)
    left = x + (width - module * count) / 2
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for start, run in runs:
        canvas.rect(left + start * module, y, run * module, height, stroke=0, fill=1)
    canvas.restoreState()
    return module * count
