"""Normalising and validating the codes people type or scan: part numbers, locations, operators."""

from __future__ import annotations

import re
import unicodedata

from core.errors import BadInput
from core.i18n import N_, _

_SPACES = re.compile(r"\s+")
PART_NO_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.\-/_]{0,39}$")

# The station's location scheme, one code per bin: ZONE-ROW-SHELF-BIN, e.g. EXC-01-02-03.
# ZONE is 2-4 letters standing for the manufacturer's vehicle model series (EXC = EXCELLE),
# ROW, SHELF and BIN are two digits each.
# [0-9], not \d: \d would take any script's digits ("٠١") as a row.
LOCATION_PATTERN = re.compile(r"^(?P<zone>[A-Z]{2,4})-(?P<row>[0-9]{2})-(?P<shelf>[0-9]{2})-(?P<bin>[0-9]{2})$")
# Shown in the operator's language: translate with _(LOCATION_SCHEME) where it is shown.
LOCATION_SCHEME = N_("ZONE-ROW-SHELF-BIN (e.g. EXC-01-02-03)")

# Damaged parts taken back wait in this zone: on the books, never issued (core.ledger).
QUARANTINE_ZONE = "QRN"

OPERATOR_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
SERIES_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{0,39}$")


def fold(text: str | None) -> str:
    """A code as typed or scanned, in the one form codes are compared in: NFKC (full-width "０１" is "01",
    an IME's "ＥＸＣ" is "EXC"), then upper-cased only where it is ASCII (so "ß" never becomes "SS")."""
    if text is None:
        return ""
    if text.isascii():  # NFKC leaves ASCII as it is: the common case without a loop over the characters
        return text.upper()
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch.upper() if ch.isascii() else ch for ch in folded)


def not_ascii(code: str, what: str) -> None:
    """BadInput naming the first character of a code that is not ASCII after NFKC (another script's letter
    or digit): codes are ASCII, so that one code is never two look-alike codes."""
    for ch in code:
        if not ch.isascii():
            raise BadInput(_("{what} {code!r} holds {char!r} ({name}): codes are ASCII letters and digits").format(
                what=what, code=code, char=ch, name=unicodedata.name(ch, f"U+{ord(ch):04X}")))


def normalise_part_no(text: str) -> str:
    """Fold (see fold), trim and drop inner spaces: catalogues print "5C6 941 005 B" for 5C6941005B."""
    return _SPACES.sub("", fold(text))


def validate_part_no(text: str) -> str:
    """The normalised part number, or BadInput when it is empty or holds characters no catalogue uses."""
    part_no = normalise_part_no(text)
    if not part_no:
        raise BadInput(_("part number is empty"))
    not_ascii(part_no, _("part number"))
    if not PART_NO_PATTERN.match(part_no):
        raise BadInput(
            _("part number {part_no!r} may hold only letters, digits and . - / _ (at most 40)").format(
                part_no=part_no
            )
        )
    return part_no


# A number in scientific notation (1E9, 2.5E+3): what a spreadsheet makes of a long digit string, or a quantity
# typed into the part field; no catalogue number looks like it.
_EXPONENT = re.compile(r"^\d+(\.\d+)?E[+-]?\d+$")
SHORTEST_PART_NO = 4


def part_no_doubt(text: str) -> str | None:
    """Why a valid part number still does not look like one (a number with an exponent, too short to be a
    catalogue number: more likely a quantity or a misread), to ask before it makes a line; None: it looks fine."""
    part_no = normalise_part_no(text)
    if _EXPONENT.match(part_no):
        return _("{part_no} reads as a number with an exponent, not a part number").format(part_no=part_no)
    if len(part_no) < SHORTEST_PART_NO:
        return _("{part_no} is shorter than any part number ({shortest} characters at least)").format(
            part_no=part_no, shortest=SHORTEST_PART_NO)
    return None


def normalise_location(text: str) -> str:
    """Fold (see fold) and trim a location code: "exc-０１-０２-０３" is EXC-01-02-03."""
    return fold(text).strip()


def validate_location(text: str) -> str:
    """The normalised location code, or BadInput naming the scheme it must follow."""
    code = normalise_location(text)
    not_ascii(code, _("location"))
    if not LOCATION_PATTERN.match(code):
        raise BadInput(
            _("location {code!r} does not follow the scheme {scheme}").format(code=code, scheme=_(LOCATION_SCHEME)),
            field="location",
        )
    return code


def location_zone(code: str) -> str:
    """The zone (model-series) part of a valid location code."""
    match = LOCATION_PATTERN.match(code)
    assert match, code
    return match["zone"]


def series_misfit(part_no: str, part_series: str | None, general: bool, location: str,
                  zone_series: str | None) -> str | None:
    """Why a part may not lie in a bin (入库必须按车型入库: the warehouse keeps each model series' parts in
    that series' zones), or None where it may: a general zone takes any part, a general part (通用件, or one
    common to several series) or a part of no series goes in any zone, else the series must be the zone's."""
    if general or part_series is None or zone_series is None or part_series == zone_series:
        return None
    return _("{part_no} is a {series} part: {location} is in zone {zone}, which belongs to {zone_series}; "
             "shelve it in a {series} zone or mark the part general").format(
        part_no=part_no, series=part_series, location=location, zone=location_zone(location),
        zone_series=zone_series)


def zone_series_clash(location: str, series: str | None, zone_series: str | None) -> str | None:
    """Why a new bin cannot be given a series, or None: a zone belongs to one model series (or is general),
    so a new bin in it takes the zone's series, never another."""
    if series is None or series == zone_series:
        return None
    zone = location_zone(location)
    if zone_series is None:
        return _("the zone {zone} is general (no model series): {location} cannot be a {series} bin").format(
            zone=zone, location=location, series=series)
    return _("the zone {zone} belongs to {zone_series}: {location} cannot be a {series} bin").format(
        zone=zone, zone_series=zone_series, location=location, series=series)


def validate_operator_code(text: str) -> str:
    """An operator code: a letter then letters, digits or _, at most 16; upper-cased."""
    code = fold(text).strip()
    if not OPERATOR_PATTERN.match(code):
        raise BadInput(
            _("operator code {code!r} must be a letter followed by letters, digits or _ (at most 16)").format(
                code=code
            )
        )
    return code


def normalise_series(text: str | None) -> str | None:
    """A vehicle model series, trimmed and upper-cased; empty means none."""
    series = fold(text).strip()
    if not series:
        return None
    if not SERIES_PATTERN.match(series):
        raise BadInput(_("model series {series!r} is not valid").format(series=series))
    return series
