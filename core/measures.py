"""The units of measure the station stocks parts in: which are whole (pc, set) and which divisible (L, m)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import labels
from core.decimals import fmt_qty
from core.errors import BadInput
from core.i18n import _


@dataclass(frozen=True)
class Measure:
    """A unit of measure: its code, the names a master file may spell it with, and whether it is whole."""

    code: str
    whole: bool
    spellings: tuple[str, ...]

    @property
    def label(self) -> str:
        """The unit as a person reads it after a quantity ("3 pc", "1.5 L")."""
        return labels.label(labels.UNIT, self.code)

    @property
    def plural(self) -> str:
        """The unit in "counted in ..." ("pieces", "litres")."""
        return labels.label(labels.UNIT_PLURAL, self.code)


# Every unit a part may be stocked in. The master keeps the spelling it was given (a Chinese master
# says 个, 套, 升); each spelling belongs to one measure. Whole units are counted, never split:
# a set of brake pads or a wiper blade is issued, received and counted in whole numbers.
MEASURES: tuple[Measure, ...] = (
    Measure("pc", True, ("pc", "pcs", "piece", "ea", "个", "件", "只", "根", "片")),
    Measure("set", True, ("set", "套")),
    Measure("pair", True, ("pair", "对", "副")),
    Measure("box", True, ("box", "盒")),
    Measure("bottle", True, ("bottle", "瓶")),
    Measure("can", True, ("can", "罐", "桶")),
    Measure("roll", True, ("roll", "卷")),
    Measure("kit", True, ("kit", "组")),
    Measure("L", False, ("L", "l", "litre", "liter", "升")),
    Measure("mL", False, ("mL", "ml", "毫升")),
    Measure("m", False, ("m", "米")),
    Measure("kg", False, ("kg", "千克", "公斤")),
    Measure("g", False, ("g", "克")),
)

_BY_SPELLING = {spelling.casefold(): measure for measure in MEASURES for spelling in measure.spellings}


def measure_of(unit: str | None) -> Measure | None:
    """The measure a unit as stored or typed names (case does not matter), or None for an unknown one."""
    return _BY_SPELLING.get((unit or "").strip().casefold())


def whole(unit: str | None) -> bool:
    """True when the unit is counted in whole numbers only. A unit the list does not know (stored
    before the list existed) is not refused anything: it is treated as divisible."""
    found = measure_of(unit)
    return found is not None and found.whole


def check_unit(unit: str | None) -> str:
    """A unit for the parts master, as given (trimmed), if the list knows it; else BadInput naming it."""
    text = (unit or "").strip()
    if measure_of(text) is None:
        raise BadInput(_("unit {unit!r} is not one the station uses ({known})").format(
            unit=text, known=", ".join(m.code for m in MEASURES)))
    return text


def check_qty(unit: str | None, qty: Decimal, part_no: str) -> Decimal:
    """The quantity back if it suits the unit; a fraction of a whole unit is BadInput naming the part."""
    found = measure_of(unit)
    if found is not None and found.whole and qty != qty.to_integral_value():
        # field: a form puts the cursor back on its quantity (core.errors.BadInput).
        raise BadInput(_("{part_no} is counted in {units}: {qty} is not a whole number").format(
            part_no=part_no, units=found.plural, qty=fmt_qty(qty)), field="qty")
    return qty


def unit_key(unit: str | None) -> str:
    """What quantities of this unit are added up under: the measure's code (个 and pc are one), or
    the unit as stored when the list does not know it (never added to anything else)."""
    found = measure_of(unit)
    return found.code if found is not None else (unit or "").strip()


def totals_by_unit(quantities: list[tuple[str | None, Decimal]]) -> list[tuple[str, Decimal]]:
    """Quantities added up per unit, never litres to pieces: [("pc", 12), ("L", 4.5)], in first-seen order."""
    totals: dict[str, Decimal] = {}
    for unit, qty in quantities:
        key = unit_key(unit)
        totals[key] = totals.get(key, Decimal(0)) + qty
    return list(totals.items())


def unit_label(unit: str | None) -> str:
    """The unit as a person reads it: the measure's label, or the unit as stored when the list does not know it."""
    found = measure_of(unit)
    return found.label if found is not None else (unit or "").strip()


def fmt_totals(totals: list[tuple[str, Decimal]]) -> str:
    """Per-unit totals as one line: "12 pc, 4.5 L"."""
    return ", ".join(f"{fmt_qty(qty)} {unit_label(unit)}".rstrip() for unit, qty in totals)
