"""Quantities (3 places) and money (2 places) as Decimal: parsing, rounding and plain printing."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import BadInput
from core.i18n import _

QTY_PLACES = 3
MONEY_PLACES = 2
QTY_STEP = Decimal("0.001")
MONEY_STEP = Decimal("0.01")
# Large enough for any station, small enough that scaled integers fit a BIGINT with room to sum.
LIMIT = Decimal("1000000000")

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _parse(text: str | int | Decimal, places: int, what: str) -> Decimal:
    if isinstance(text, float):
        raise TypeError("floats are not accepted for quantities or money")
    raw = str(text).strip().replace(",", "") if isinstance(text, str) else str(text)
    if not _PLAIN.match(raw):
        raise BadInput(_("{what} {value!r} is not a number").format(what=what, value=str(text)))
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise BadInput(_("{what} {value!r} is not a number").format(what=what, value=str(text))) from None
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step, rounding=ROUND_HALF_UP):
        raise BadInput(
            _("{what} {value} has more than {places} decimal places").format(what=what, value=raw, places=places)
        )
    if abs(value) >= LIMIT:
        raise BadInput(_("{what} {value} is too large").format(what=what, value=raw))
    return value.quantize(step)


def parse_qty(text: str | int | Decimal, what: str = "quantity") -> Decimal:
    """A quantity from user input: plain decimal, at most 3 places; anything else is BadInput."""
    return _parse(text, QTY_PLACES, what)


def positive_qty(value: str | int | Decimal, part_no: str = "") -> Decimal:
    """A quantity a person typed that must be more than zero, else BadInput naming the part if given."""
    what = _("quantity of {part_no}").format(part_no=part_no) if part_no else _("quantity")
    amount = parse_qty(value, what)
    if amount <= 0:
        raise BadInput(_("{what} must be more than zero, not {qty}").format(what=what, qty=fmt_qty(amount)))
    return amount


def parse_money(text: str | int | Decimal, what: str = "price") -> Decimal:
    """An amount of money from user input: plain decimal, at most 2 places."""
    return _parse(text, MONEY_PLACES, what)


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
