"""The warehouse's zones by model series (入库必须按车型入库): which series a zone belongs to, and whether a part
may lie in one of its bins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from core import tables as t
from core.codes import location_zone, normalise_series, series_misfit, validate_location, zone_series_clash
from core.errors import BadInput, RuleViolation


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone code, whether the warehouse has a bin in it yet, and its series (None: general)."""

    code: str
    exists: bool
    series: str | None


def zone_of(conn: Connection, zone: str) -> Zone:
    """The zone as its oldest bin founded it: every later bin takes that series (core.records.catalog)."""
    row = conn.execute(
        select(t.location.c.series).where(t.location.c.zone == zone).order_by(t.location.c.id).limit(1)
    ).first()
    return Zone(zone, row is not None, row.series if row is not None else None)


def check_new_bin(conn: Connection, code: str, series: str | None) -> None:
    """BadInput when a new bin is given a series other than its zone's (`location add CRZ-09-09-09 --series
    EXCELLE` where CRZ belongs to CRUZE); a zone the warehouse has not got yet takes the series given."""
    code = validate_location(code)
    zone = zone_of(conn, location_zone(code))
    if zone.exists:
        clash = zone_series_clash(code, normalise_series(series), zone.series)
        if clash:
            raise BadInput(clash, field="series")


def part_series(conn: Connection, part_id: int) -> tuple[str, str | None, bool]:
    """(part number, model series, general) of a part by id."""
    row = conn.execute(
        select(t.part.c.part_no, t.part.c.model_series, t.part.c.general).where(t.part.c.id == part_id)
    ).one()
    return row.part_no, row.model_series, bool(row.general)


def check_part_bin(conn: Connection, part_id: int, code: str, *, founding: bool = True) -> None:
    """RuleViolation when the part may not lie at location `code`: its zone belongs to another model series
    and the part is not general. A zone with no bin yet is founded by this part's series (`founding`), so it
    fits."""
    code = validate_location(code)
    part_no, series, general = part_series(conn, part_id)
    zone = zone_of(conn, location_zone(code))
    if not zone.exists and founding:
        return
    misfit = series_misfit(part_no, series, general, code, zone.series)
    if misfit:
        raise RuleViolation(misfit)


def founding_series(conn: Connection, part_id: int) -> str | None:
    """The series a zone takes when this part's bin is the first in it: the part's own, none for a general
    part (a zone of general parts takes any part)."""
    _part_no, series, general = part_series(conn, part_id)
    return None if general else series
