"""What the advisor types at intake, checked and normalised: VIN, plate, phone, mileage, names and the checklist.

Pure functions, so the intake form can show each field's error as it is typed, with the same words
the service would refuse it with.
"""

from __future__ import annotations

import re
import unicodedata

from core import labels
from core.decimals import parse_count
from core.errors import BadInput
from core.i18n import _
from core.text import check_text

VIN_LENGTH = 17
# ISO 3779 / GB 16735: letters and digits, never I, O or Q (they read as 1 and 0).
_VIN_FORBIDDEN = frozenset("IOQ")
_VIN_CHARS = re.compile(r"^[A-Z0-9]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]*$")
# A Chinese plate is a province character and a letter, then 5 or 6 letters or digits (沪A12345,
# 粤B·D12345 for new energy); foreign and temporary plates differ, so only length and characters are held.
_PLATE = re.compile(r"^[\w·\-]{2,12}$")
MAX_MILEAGE = 3_000_000

# The configuration checklist of the intake inspection, in the paper form's order; its words are core/labels.py's.
CHECKLIST_ITEMS: tuple[str, ...] = labels.codes(labels.CHECKLIST)


def checklist_title(item: str) -> str:
    """A checklist item as the form and the slips show it, in the active language."""
    return labels.label(labels.CHECKLIST, item)


def validate_vin(text: str) -> str:
    """A VIN: 17 letters and digits without I, O or Q, spaces dropped and upper-cased."""
    vin = re.sub(r"\s+", "", text or "").upper()
    if not vin:
        raise BadInput(_("the VIN is empty"))
    if len(vin) != VIN_LENGTH:
        raise BadInput(_("VIN {vin} has {count} characters; a VIN has 17").format(vin=vin, count=len(vin)))
    wrong = sorted({char for char in vin if char in _VIN_FORBIDDEN})
    if wrong:
        raise BadInput(_("VIN {vin} holds {letters}: a VIN never uses I, O or Q").format(
            vin=vin, letters=", ".join(wrong)))
    if not _VIN_CHARS.match(vin):
        raise BadInput(_("VIN {vin} may hold only letters and digits").format(vin=vin))
    return vin


def validate_plate(text: str) -> str:
    """A licence plate, upper-cased without spaces (沪A12345)."""
    plate = re.sub(r"\s+", "", text or "").upper()
    if not plate:
        raise BadInput(_("the plate is empty"))
    if not _PLATE.match(plate):
        raise BadInput(_("plate {plate!r} is not a licence plate (2-12 letters and digits)").format(plate=plate))
    return plate


def validate_phone(text: str) -> str:
    """A phone number: digits with optional +, spaces, dashes or brackets; 5 to 15 digits."""
    phone = " ".join((text or "").split())
    if not phone:
        raise BadInput(_("the customer's phone is empty"))
    digits = sum(char.isdigit() for char in phone)
    if not _PHONE.match(phone) or not 5 <= digits <= 15:
        raise BadInput(_("phone {phone!r} is not a phone number").format(phone=phone))
    return phone


def parse_mileage(text: str | int) -> int:
    """The odometer in whole kilometres (thousands separators allowed); not negative."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if not raw:
        raise BadInput(_("the mileage is empty"))
    if raw.lower().endswith("km"):
        raw = raw[:-2]
    try:  # the one parser of typed numbers: "45,000" is read, "45,00" (ambiguous) is not
        mileage = parse_count(raw, _("mileage"))
    except BadInput:
        raise BadInput(_("mileage {value!r} is not a whole number of kilometres").format(
            value=str(text).strip())) from None
    if mileage > MAX_MILEAGE:
        raise BadInput(_("mileage {value} km is more than any car runs").format(value=mileage))
    return mileage


def required_text(text: str | None, what: str, limit: int) -> str:
    """A text field that must not be empty, trimmed, at most `limit` characters."""
    value = (text or "").strip()
    if not value:
        raise BadInput(_("{what} is empty").format(what=what))
    if len(value) > limit:
        raise BadInput(_("{what} is longer than {limit} characters").format(what=what, limit=limit))
    return check_text(value, what)


def optional_text(text: str | None, what: str, limit: int) -> str | None:
    """A text field that may be empty (None then), trimmed, at most `limit` characters."""
    value = (text or "").strip()
    if not value:
        return None
    return required_text(value, what, limit)


def parse_checklist(items: dict[str, bool] | None) -> dict[str, bool]:
    """The checklist as item → present, in the form's order; an unknown item is BadInput."""
    items = items or {}
    unknown = sorted(set(items) - set(CHECKLIST_ITEMS))
    if unknown:
        raise BadInput(_("unknown checklist item {item!r}; the items are {known}").format(
            item=unknown[0], known=", ".join(CHECKLIST_ITEMS)))
    return {item: bool(items[item]) for item in CHECKLIST_ITEMS if item in items}
