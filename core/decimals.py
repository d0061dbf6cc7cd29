"""Quantities (3 places) and money (2 places) as Decimal: parsing, rounding and plain printing."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from core.errors import BadInput
from core.i18n import _

QTY_PLACES = 3
MONEY_PLACES = 2
QTY_STEP = Decimal("0.001")
MONEY_STEP = Decimal("0.01")
# Large enough for any station, small enough that scaled integers fit a BIGINT with room to sum.
LIMIT = Decimal("1000000000")

# One reading of a typed number for every face (counter, count, line edit, CLI, imports).
# After NFKC (full-width "１２．５" reads as "12.5") a number is plain digits with an optional point
# ("1.5", ".5", "12."), or uses commas only as thousands separators in the one unambiguous form:
# one to three digits, then groups of exactly three ("1,234", "12,345.5"). Any other comma ("1,5",
# "1,50", "1,2345", "1,") is a decimal comma or a typo: it cannot be read safely, so it is refused.
# Exponents, NaN, Infinity, spaces inside and any other script's digits are refused too.
_PLAIN = re.compile(r"^(?P<sign>[+-]?)(?P<body>[0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_GROUPED = re.compile(r"^(?P<sign>[+-]?)(?P<body>[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?)$")


def _read(text: str, what: str) -> tuple[str, Decimal]:
    """The plain text a person typed and the value it unambiguously means, else BadInput naming it."""
    shown = text.strip()
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise BadInput(_("{what}: nothing typed").format(what=what))
    match = _PLAIN.match(raw) or _GROUPED.match(raw)
    if match is None:
        if "," in raw or "\u3001" in raw:
            raise BadInput(_("{what} {value!r} is ambiguous: a comma is not a decimal mark here; "
                             "type 1.5, or 1,234 for thousands").format(what=what, value=shown))
        raise BadInput(_("{what} {value!r} is not a number").format(what=what, value=shown))
    return raw.replace(",", ""), Decimal(raw.replace(",", ""))


def _parse(text: str | int | Decimal, places: int, what: str, signed: bool = True) -> Decimal:
    if isinstance(text, float):
        raise TypeError("floats are not accepted for quantities or money")
    if isinstance(text, str):
        raw, value = _read(text, what)
        shown = text.strip()
    else:
        raw = shown = str(text)
        value = Decimal(text)
        if not value.is_finite():
            raise BadInput(_("{what} {value!r} is not a number").format(what=what, value=shown))
    if not signed and (value < 0 or raw.startswith(("+", "-"))):
        raise BadInput(_("{what} {value!r} may not have a sign").format(what=what, value=shown))
    # Too large first: a huge value cannot even be rounded to places within Decimal's precision.
    if abs(value) >= LIMIT:
        raise BadInput(_("{what} {value} is too large").format(what=what, value=shown))
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step, rounding=ROUND_HALF_UP):
        raise BadInput(
            _("{what} {value} has more than {places} decimal places").format(what=what, value=shown, places=places)
        )
    return value.quantize(step) + 0  # + 0 turns -0 into 0


def parse_qty(text: str | int | Decimal, what: str = "quantity", *, signed: bool = True) -> Decimal:
    """A quantity a person typed, read as described above (at most 3 places; with `signed` off a
    sign is refused); anything else is BadInput naming the text."""
    return _parse(text, QTY_PLACES, what, signed)


def positive_qty(value: str | int | Decimal, part_no: str = "") -> Decimal:
    """A quantity a person typed that must be more than zero, else BadInput naming the part if given."""
    what = _("quantity of {part_no}").format(part_no=part_no) if part_no else _("quantity")
    amount = parse_qty(value, what)
    if amount <= 0:
        raise BadInput(_("{what} must be more than zero, not {qty}").format(what=what, qty=fmt_qty(amount)))
    return amount


def parse_count(text: str | int, what: str) -> int:
    """A whole number of things a person typed (boxes), read as a quantity is; no sign, no fraction."""
    value = _parse(text, QTY_PLACES, what, signed=False)
    if value != value.to_integral_value():
        raise BadInput(_("{what} {value} is not a whole number").format(what=what, value=str(text).strip()))
    return int(value)


def parse_number(text: str, what: str, places: int) -> Decimal:
    """A number a person typed for a setting, read as a quantity is (at most `places` places), its trailing
    zeros kept off: "0.50" is 0.5."""
    value = _parse(text, places, what)
    return value.normalize() if value else Decimal(0)


def parse_money(text: str | int | Decimal, what: str = "price", *, signed: bool = True) -> Decimal:
    """An amount of money a person typed, read as a quantity is (at most 2 places)."""
    return _parse(text, MONEY_PLACES, what, signed)


def qty(value: Decimal | int | str) -> Decimal:
    """Normalise an already-valid quantity to 3 places."""
    return Decimal(value).quantize(QTY_STEP)


def money(value: Decimal | int | str) -> Decimal:
    """Round an amount to cents, half up as a cashier would."""
    return Decimal(value).quantize(MONEY_STEP, rounding=ROUND_HALF_UP)


def fmt_qty(value: Decimal | int) -> str:
    """A quantity in plain notation without trailing zeros: "3", "2.5"."""
    text = format(Decimal(value).quantize(QTY_STEP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_money(value: Decimal) -> str:
    """Money in plain notation with exactly two places: "12.50"."""
    return format(money(value), "f")
