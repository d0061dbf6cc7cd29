"""Parts and locations by their codes: the ids the other tables point to, a valid new location made on first use."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, bindparam, insert, select

from core import tables as t
from core.byte_order import byte_order
from core.codes import location_zone, normalise_part_no, normalise_series, validate_location
from core.direct import DIRECT_LIST_MAX, Direct
from core.errors import NotFound
from core.i18n import _
from core.measures import check_qty
from core.records.batches import IN_BATCH, batched, one_of
from core.records.zones import zone_of


def ensure_location(conn: Connection, code: str, series: str | None) -> int:
    """The id of a location, creating it (inside the caller's transaction) when the valid code is new: a new
    bin in a zone the warehouse has takes the zone's series (core.records.zones); `series` founds a new zone."""
    code = validate_location(code)
    found = conn.execute(select(t.location.c.id).where(t.location.c.code == code)).scalar()
    if found is not None:
        return found
    zone = zone_of(conn, location_zone(code))
    return conn.execute(
        insert(t.location).values(code=code, zone=location_zone(code),
                                  series=zone.series if zone.exists else normalise_series(series))
    ).inserted_primary_key[0]


def location_id(conn: Connection, code: str) -> int:
    """The id of an existing location, or NotFound."""
    normalised = validate_location(code)
    found = conn.execute(select(t.location.c.id).where(t.location.c.code == normalised)).scalar()
    if found is None:
        raise NotFound(_("unknown location {code}").format(code=normalised))
    return found


_PART_ID = Direct(select(t.part.c.id).where(t.part.c.part_no == bindparam("part_no")))
_PART_UNITS = Direct(select(t.part.c.part_no, t.part.c.unit).where(
    byte_order(t.part.c.part_no).in_(bindparam("part_nos", expanding=True))), lists=["part_nos"])


def part_id(conn: Connection, part_no: str) -> int:
    """The id of a part by its number as typed or scanned (normalised first), or NotFound."""
    normalised = normalise_part_no(part_no)
    found = _PART_ID.execute(conn, {"part_no": normalised}).scalar()
    if found is None:
        raise NotFound(_("unknown part number {part_no}").format(part_no=normalised or repr(part_no)))
    return found


def part_units(conn: Connection, part_nos: Iterable[str]) -> dict[str, str]:
    """The unit of each part the master knows, by part number (normalised numbers in, unknown ones left out).

    Looked up UNITS_CHUNK numbers a statement: a packing list of any length never builds an IN-list past
    SQLite's or PostgreSQL's parameter limit, and a count sheet's tens of thousands are one array a batch on
    PostgreSQL (core.records.batches.one_of)."""
    units: dict[str, str] = {}
    for chunk in batched(sorted(set(part_nos)), UNITS_CHUNK):
        if len(chunk) <= DIRECT_LIST_MAX:  # the counter's few: straight to the driver (core.direct)
            units.update(_PART_UNITS.execute(conn, {"part_nos": chunk}).all())
        else:
            units.update(conn.execute(select(t.part.c.part_no, t.part.c.unit)
                                      .where(one_of(conn, byte_order(t.part.c.part_no), chunk))).all())
    return units


# Part numbers per look-up statement in part_units: a batch (core.records.batches).
UNITS_CHUNK = IN_BATCH


def check_whole(conn: Connection, lines: Iterable[tuple[str, Decimal]]) -> None:
    """Refuse (BadInput) a fraction of a part stocked in a whole unit (pc, set, ...) on any line given as
    (part number, quantity); a part the master does not know is left to the caller to refuse."""
    wanted = [(normalise_part_no(part_no), qty) for part_no, qty in lines]
    units = part_units(conn, {part_no for part_no, _qty in wanted})
    for part_no, qty in wanted:
        if part_no in units:
            check_qty(units[part_no], qty, part_no)
