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
# Settings' numbers (not stored as scaled integers) stay below this.
LIMIT = Decimal("999999999")
# The limits no station reaches, chosen so that every sum stays exact in the scaled BIGINT columns
# (core.sqltypes: quantity in thousandths, money in cents) on SQLite and PostgreSQL alike. BIGINT holds
# 9.2 x 10^18; the sums below are for a million lots or lines, each at the limit:
# - a quantity (typed or read from a file) is at most 9,999,999 units: raw 10^10, a million sum to 10^16;
# - a price or an amount is at most 9,999,999.99: raw 10^9 cents, a million sum to 10^15;
# - the value of one lot or line (quantity x unit cost, checked where lots are made, core.ledger) is at
#   most 9,999,999.99 too. The database multiplies the raw numbers (thousandths x cents, 10^5 per unit of
#   money): 10^12 per lot, a million lots sum to 10^18. Never a product past BIGINT, so SQLite never
#   falls back to a float and PostgreSQL never says "bigint out of range".
MAX_QTY = Decimal("9999999")
MAX_MONEY = Decimal("9999999.99")
MAX_VALUE = Decimal("9999999.99")

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


# In a file whose columns are split by semicolons (what Excel writes where the comma is the decimal mark),
# "1,50" is 1.50 and "1.234,50" is 1234.50; "1.234" could be either reading and is refused.
_COMMA_DECIMAL = re.compile(r"^[+-]?[0-9]*,[0-9]+$|^[+-]?[0-9]+,$")
_POINT_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")


def from_decimal_comma(text: str, what: str) -> str:
    """A number from a file that writes the decimal comma, rewritten with a decimal point (the one parser
    reads it next); BadInput naming it when it could mean two numbers."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if _POINT_GROUPED.match(raw):
        if "," not in raw:
            raise BadInput(_("{what} {value!r} is ambiguous in a file with decimal commas: "
                             "write 1234 or 1,234").format(what=what, value=_shown(text.strip())))
        return raw.replace(".", "").replace(",", ".")
    if _COMMA_DECIMAL.match(raw):
        return raw.replace(",", ".")
    if "," in raw:
        raise BadInput(_("{what} {value!r} is ambiguous: a file with decimal commas has one comma "
                         "in a number").format(what=what, value=_shown(text.strip())))
    return raw


def _shown(text: str) -> str:
    """What was typed, cut short when it is too long to repeat in one line."""
    return text if len(text) <= 40 else text[:36] + "…"


def fmt_limit(limit: Decimal) -> str:
    """A limit as people read it: 9,999,999 or 9,999,999.99."""
    return f"{limit:,f}"


def _parse(text: str | int | Decimal, places: int, what: str, signed: bool = True,
           limit: Decimal = LIMIT) -> Decimal:
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
    if abs(value) > limit:
        raise BadInput(_("{what} {value} is too large (at most {limit})").format(
            what=what, value=_shown(shown), limit=fmt_limit(limit)))
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step, rounding=ROUND_HALF_UP):
        raise BadInput(
            _("{what} {value} has more than {places} decimal places").format(what=what, value=shown, places=places)
        )
    return value.quantize(step) + 0  # + 0 turns -0 into 0


def parse_qty(text: str | int | Decimal, what: str = "quantity", *, signed: bool = True) -> Decimal:
    """A quantity a person typed, read as described above (at most 3 places, at most MAX_QTY; with `signed`
    off a sign is refused); anything else is BadInput naming the text."""
    return _parse(text, QTY_PLACES, what, signed, MAX_QTY)


def positive_qty(value: str | int | Decimal, part_no: str = "") -> Decimal:
    """A quantity a person typed that must be more than zero, else BadInput naming the part if given."""
    what = _("quantity of {part_no}").format(part_no=part_no) if part_no else _("quantity")
    amount = parse_qty(value, what)
    if amount <= 0:
        raise BadInput(_("{what} must be more than zero, not {qty}").format(what=what, qty=fmt_qty(amount)))
    return amount


def parse_count(text: str | int, what: str) -> int:
    """A whole number of things a person typed (boxes), read as a quantity is; no sign, no fraction."""
    value = _parse(text, QTY_PLACES, what, signed=False, limit=MAX_QTY)
    if value != value.to_integral_value():
        raise BadInput(_("{what} {value} is not a whole number").format(what=what, value=str(text).strip()))
    return int(value)


def parse_number(text: str, what: str, places: int) -> Decimal:
    """A number a person typed for a setting, read as a quantity is (at most `places` places), its trailing
    zeros kept off: "0.50" is 0.5."""
    value = _parse(text, places, what)
    return value.normalize() if value else Decimal(0)


def parse_money(text: str | int | Decimal, what: str = "price", *, signed: bool = True) -> Decimal:
    """An amount of money a person typed, read as a quantity is (at most 2 places, at most MAX_MONEY)."""
    return _parse(text, MONEY_PLACES, what, signed, MAX_MONEY)


def check_value(qty_: Decimal, unit_cost: Decimal, what: str) -> Decimal:
    """The value of one lot or line (quantity x unit cost), else BadInput naming it and the limit."""
    value = qty_ * unit_cost
    if abs(value) > MAX_VALUE:
        raise BadInput(_("{what}: {qty} x {cost} = {value} is too large (at most {limit})").format(
            what=what, qty=fmt_qty(qty_), cost=fmt_money(unit_cost), value=fmt_money(value),
            limit=fmt_limit(MAX_VALUE)))
    return value


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


def fmt_thousandths(raw: int) -> str:
    """fmt_qty of a quantity stored in thousandths (core.sqltypes.Qty), from the integer: no Decimal made.

    Long listings (`stock list`, `ledger`) print one a row; the text is the same as fmt_qty's.
    """
    if raw < 0:
        return "-" + fmt_thousandths(-raw)
    units, rest = divmod(raw, 1000)
    if not rest:
        return str(units)
    return f"{units}.{rest:03d}".rstrip("0")


def fmt_cents(raw: int) -> str:
    """fmt_money of an amount stored in cents (core.sqltypes.Money), from the integer: no Decimal made."""
    sign = "-" if raw < 0 else ""
    units, cents = divmod(abs(raw), 100)
    return f"{sign}{units}.{cents:02d}"


def fmt_value_raw(raw: int) -> str:
    """fmt_money of a quantity in thousandths times a cost in cents (a value in 1/100,000 of money), rounded
    half up to cents as money() rounds: the stock value the database sums, printed without a Decimal."""
    units = abs(raw)
    cents = (units + 500) // 1000  # half up, away from zero as ROUND_HALF_UP is
    # Decimal keeps the sign of a negative value that rounds to zero ("-0.00"): so does this.
    sign = "-" if raw < 0 else ""
    whole, part = divmod(cents, 100)
    return f"{sign}{whole}.{part:02d}"
