"""The parts master and the locations: adding, looking up and searching as the storekeeper types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, bindparam, func, insert, select, text, update

from core import tables as t
from core.codes import (
    location_zone,
    normalise_part_no,
    normalise_series,
    validate_location,
    validate_part_no,
)
from core.decimals import parse_money, parse_qty
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.measures import check_qty, check_unit
from core.records.catalog import ensure_location, part_id
from core.records.part_audit import audited_part_edit
from core.records.zones import check_new_bin, check_part_bin, founding_series
from core.roles import Actor, Permission, require
from core.units import UNPREPARED, ReadUnit, WriteUnit


@dataclass(frozen=True, slots=True)
class LocationInfo:
    """A location as lists show it."""

    code: str
    zone: str
    series: str | None


@dataclass(frozen=True, slots=True)
class PartInfo:
    """A part of the master with its default location code."""

    part_no: str
    name: str
    name_zh: str | None
    model_series: str | None
    unit: str
    list_price: Decimal
    fragile: bool
    pack_qty: Decimal
    location: str | None
    general: bool = False  # 通用件 or common to several series: any series' zone takes it
    part_group: str | None = None  # the group a price rule may name (core.records.pricing)


@dataclass(frozen=True, slots=True)
class PartHit:
    """One line of a search result: enough to recognise the part and see its stock."""

    part_no: str
    name: str
    name_zh: str | None
    model_series: str | None
    location: str | None
    on_hand: Decimal


# -- locations ---------------------------------------------------------------------------------


def add_location(code: str, series: str | None = None, *, actor: Actor, uow: WriteUnit) -> LocationInfo:
    """Add a location; its code must follow the station's scheme and be new. The first bin of a zone gives
    the zone its model series (none: general); a later bin takes the zone's, and another series is BadInput."""
    require(actor, Permission.EDIT_LOCATIONS)
    code = validate_location(code)
    series = normalise_series(series)
    with uow.write() as conn:
        if conn.execute(select(t.location.c.id).where(t.location.c.code == code)).first():
            raise RuleViolation(_("location {code} already exists").format(code=code))
        check_new_bin(conn, code, series)
        loc_id = ensure_location(conn, code, series)
        series = conn.execute(select(t.location.c.series).where(t.location.c.id == loc_id)).scalar()
    return LocationInfo(code, location_zone(code), series)


def list_locations(*, uow: ReadUnit, series: str | None = None) -> list[LocationInfo]:
    """Every location by code, optionally only one model series'."""
    statement = select(t.location.c.code, t.location.c.zone, t.location.c.series).order_by(t.location.c.code)
    if series:
        statement = statement.where(t.location.c.series == normalise_series(series))
    with uow.read() as conn:
        return [LocationInfo(r.code, r.zone, r.series) for r in conn.execute(statement)]


# -- parts -------------------------------------------------------------------------------------


def add_part(
    part_no: str,
    name: str,
    *,
    name_zh: str | None = None,
    model_series: str | None = None,
    unit: str = "pc",
    price: str | Decimal = "0",
    fragile: bool = False,
    pack_qty: str | Decimal = "1",
    location: str | None = None,
    general: bool = False,
    actor: Actor,
    uow: WriteUnit,
) -> PartInfo:
    """Add a part to the master (general: it may lie in any series' zone); its location must be in a zone of
    its series or a general one (a new bin takes its zone's series; a new zone is founded in the part's)."""
    require(actor, Permission.EDIT_PARTS)
    part_no = validate_part_no(part_no)
    name = (name or "").strip()
    if not name:
        raise BadInput(_("part {part_no} needs a name").format(part_no=part_no), field="name")
    list_price = parse_money(price, _("price"))
    if list_price < 0:
        raise BadInput(_("price {price} is negative").format(price=price), field="price")
    pack = parse_qty(pack_qty, _("pack quantity"))
    if pack <= 0:
        raise BadInput(_("pack quantity must be more than zero"), field="pack_qty")
    series = normalise_series(model_series)
    unit = check_unit((unit or "pc").strip() or "pc")
    check_qty(unit, pack, part_no)
    with uow.write() as conn:
        if conn.execute(select(t.part.c.id).where(t.part.c.part_no == part_no)).first():
            raise RuleViolation(_("part {part_no} already exists").format(part_no=part_no))
        pid = conn.execute(
            insert(t.part).values(
                part_no=part_no, name=name, name_zh=(name_zh or "").strip() or None, model_series=series,
                unit=unit, list_price=list_price, fragile=fragile, pack_qty=pack, general=bool(general),
            )
        ).inserted_primary_key[0]
        if location:
            _place(conn, pid, location)
    return get_part(part_no, uow=uow)


def _place(conn: Connection, pid: int, location: str) -> None:
    """Make `location` the part's default bin, if its zone's series lets the part lie there (core.records.zones)."""
    check_part_bin(conn, pid, location)
    loc_id = ensure_location(conn, location, founding_series(conn, pid))
    conn.execute(update(t.part).where(t.part.c.id == pid).values(default_location_id=loc_id))


def set_part_location(part_no: str, location: str, *, actor: Actor, uow: WriteUnit) -> PartInfo:
    """Give a part its default location (created if the valid code is new): a code before shelving. A bin
    of another series' zone is refused unless the part is general (入库必须按车型入库). Another bin than the
    part had is an audit row."""
    require(actor, Permission.EDIT_LOCATIONS)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        with audited_part_edit(conn, pid, operator=actor.code):
            _place(conn, pid, location)
    return get_part(part_no, uow=uow)


def set_part_general(part_no: str, general: bool, *, actor: Actor, uow: WriteUnit) -> PartInfo:
    """Mark a part general (通用件, or common to several series: any series' zone takes it), or not; unmarking
    is refused while its default bin is in another series' zone. A change is an audit row."""
    require(actor, Permission.EDIT_PARTS)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        with audited_part_edit(conn, pid, operator=actor.code):
            conn.execute(update(t.part).where(t.part.c.id == pid).values(general=bool(general)))
            code = conn.execute(select(t.location.c.code).join(t.part, t.part.c.default_location_id == t.location.c.id)
                                .where(t.part.c.id == pid)).scalar()
            if code is not None:
                check_part_bin(conn, pid, code)
    return get_part(part_no, uow=uow)


def edit_part(
    part_no: str,
    *,
    name: str,
    name_zh: str | None = None,
    model_series: str | None = None,
    unit: str = "pc",
    price: str | Decimal = "0",
    fragile: bool = False,
    pack_qty: str | Decimal = "1",
    general: bool = False,
    actor: Actor,
    uow: WriteUnit,
) -> PartInfo:
    """Change a part's master data (planner, parts manager), checked as `add_part` checks a new one. The unit is
    fixed once the part has moved in the ledger (its stock is counted in it), and its default bin must still
    suit its series. An audit row names the fields that changed, from what to what (nothing changed: none)."""
    require(actor, Permission.EDIT_PARTS)
    name = (name or "").strip()
    normalised = normalise_part_no(part_no)
    if not name:
        raise BadInput(_("part {part_no} needs a name").format(part_no=normalised), field="name")
    list_price = parse_money(price, _("price"))
    if list_price < 0:
        raise BadInput(_("price {price} is negative").format(price=price), field="price")
    pack = parse_qty(pack_qty, _("pack quantity"))
    if pack <= 0:
        raise BadInput(_("pack quantity must be more than zero"), field="pack_qty")
    series = normalise_series(model_series)
    unit = check_unit((unit or "pc").strip() or "pc")
    check_qty(unit, pack, normalised)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        old_unit = conn.execute(select(t.part.c.unit).where(t.part.c.id == pid).with_for_update()).scalar_one()
        moved = conn.execute(select(t.stock_move.c.id).where(t.stock_move.c.part_id == pid).limit(1)).first()
        if unit != old_unit and moved is not None:
            raise BadInput(_("{part_no} has moved in the ledger in {old}: its unit stays {old}").format(
                part_no=normalised, old=old_unit), field="unit")
        with audited_part_edit(conn, pid, operator=actor.code):
            conn.execute(update(t.part).where(t.part.c.id == pid).values(
                name=name, name_zh=(name_zh or "").strip() or None, model_series=series, unit=unit,
                list_price=list_price, fragile=bool(fragile), pack_qty=pack, general=bool(general)))
            code = conn.execute(select(t.location.c.code)
                                .join(t.part, t.part.c.default_location_id == t.location.c.id)
                                .where(t.part.c.id == pid)).scalar()
            if code is not None:
                check_part_bin(conn, pid, code)  # a new series must still fit the default bin's zone
    return get_part(part_no, uow=uow)


def series_misfits(places: list[tuple[str, str]], *, uow: ReadUnit) -> dict[tuple[str, str], str]:
    """For (part number, location) pairs, why each part may not lie there (入库必须按车型入库: its bin is in
    another series' zone and it is not general), keyed by the pair; pairs that fit, or name an unknown part or
    bin, are left out."""
    from core.codes import location_zone, series_misfit
    from core.records.zones import zone_of

    found: dict[tuple[str, str], str] = {}
    with uow.read() as conn:
        for part_no, location in places:
            row = conn.execute(select(t.part.c.model_series, t.part.c.general)
                               .where(t.part.c.part_no == normalise_part_no(part_no))).first()
            if row is None or not location:
                continue
            zone = zone_of(conn, location_zone(location))
            why = series_misfit(part_no, row.model_series, bool(row.general), location, zone.series)
            if zone.exists and why:
                found[(part_no, location)] = why
    return found


def _part_columns():
    return (
        t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series, t.part.c.unit,
        t.part.c.list_price, t.part.c.fragile, t.part.c.pack_qty, t.location.c.code.label("location"),
        t.part.c.general, t.part.c.part_group,
    )


def _part_info(row) -> PartInfo:
    return PartInfo(
        row.part_no, row.name, row.name_zh, row.model_series, row.unit, row.list_price, bool(row.fragile),
        row.pack_qty, row.location, bool(row.general), row.part_group,
    )


def get_part(part_no: str, *, uow: ReadUnit) -> PartInfo:
    """A part by its number as typed or scanned; NotFound when the master does not know it."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        row = conn.execute(
            select(*_part_columns())
            .select_from(t.part.outerjoin(t.location, t.part.c.default_location_id == t.location.c.id))
            .where(t.part.c.part_no == normalised)
        ).first()
    if row is None:
        raise NotFound(_("unknown part number {part_no}").format(part_no=normalised or repr(part_no)))
    return _part_info(row)


# -- search ------------------------------------------------------------------------------------

_TRIGRAM = 3  # FTS5's trigram index answers substrings of at least three characters


def search_parts(query: str, *, uow: ReadUnit, limit: int = 50) -> list[PartHit]:
    """Parts whose number starts with the query, then parts whose number or names contain it.

    Part numbers are matched normalised (so "5c6 941" finds 5C6941005B); names are matched as
    typed, case-insensitive, Chinese included. At most `limit` hits, in one documented order on
    every database: first the numbers that start with the query in byte order of the number (so an
    exact number comes first), then the parts that contain it in the order they entered the master.
    """
    query = (query or "").strip()
    if not query or limit <= 0:
        return []
    part_no = normalise_part_no(query)
    # On PostgreSQL one statement, outside a transaction; on SQLite read_once is an ordinary read block.
    with uow.read_once() as conn:
        if conn.dialect.name == "postgresql":
            rows = list(conn.execute(_pg_search(query, part_no), _pg_search_params(query, part_no, limit)))
            return [_hit(r) for r in rows]
        ids: list[int] = []
        if part_no:
            ids = list(conn.execute(_SQLITE_PREFIX, {"low": part_no, "high": part_no + "\U0010ffff",
                                                     "limit": limit}).scalars())
        if len(ids) < limit:
            seen = set(ids)
            for found in _sqlite_substring_ids(conn, query, part_no, limit + len(ids)):
                if found not in seen:
                    seen.add(found)
                    ids.append(found)
                    if len(ids) == limit:
                        break
        if not ids:
            return []
        rows_by_id = {r.id: r for r in conn.execute(_HIT_ROWS, {"ids": ids})}
    return [_hit(r) for i in ids if (r := rows_by_id.get(i)) is not None]


def _hit(row) -> PartHit:
    return PartHit(row.part_no, row.name, row.name_zh, row.model_series, row.location,
                   row.on_hand or Decimal("0.000"))


# The hits' lines and stock in one statement: each round trip is a good part of a search on PostgreSQL.
_HIT_ROWS = (
    select(
        t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series,
        t.location.c.code.label("location"),
        select(func.sum(t.stock_lot.c.qty_remaining))
        .where(t.stock_lot.c.part_id == t.part.c.id, t.stock_lot.c.qty_remaining > 0)
        .scalar_subquery()
        .label("on_hand"),
    )
    .select_from(t.part.outerjoin(t.location, t.part.c.default_location_id == t.location.c.id))
    .where(t.part.c.id.in_(bindparam("ids", expanding=True)))
)


_SQLITE_PREFIX = text("SELECT id FROM part WHERE part_no >= :low AND part_no < :high ORDER BY part_no LIMIT :limit")

# PostgreSQL: the whole search in one statement, since each round trip to the server is a good part of its
# time. The number's prefix in byte order whatever the database's locale (migration 0016's ix_part_no_bytes;
# SQLite compares text bytewise already), then the parts that contain the query by id, without the ones whose
# number starts so (when the prefix fills the page none of those is shown; when it does not, it found them
# all, and leaving them out of the rest is leaving out the ones it found). Containing has SQLite's reach:
# three characters and more, the number and the names through pg_trgm's GIN indexes (without the extension
# the same statement scans, slower); one or two characters, the pieces of the Chinese names (part_gram, kept by
# triggers, needs no extension).
_PG_SEARCH = """
WITH prefix AS (
    SELECT id, part_no COLLATE "C" AS sort_no FROM part
    WHERE :has_no AND part_no COLLATE "C" >= :low AND part_no COLLATE "C" < :high
    ORDER BY part_no COLLATE "C" LIMIT :limit),
containing AS ({containing}),
hits AS (
    SELECT id, 0 AS grp, sort_no, 0 AS n FROM prefix
    UNION ALL
    SELECT id, 1, NULL, id FROM containing
    ORDER BY grp, sort_no, n LIMIT :limit)
SELECT part.id, part.part_no, part.name, part.name_zh, part.model_series, location.code AS location,
       (SELECT sum(stock_lot.qty_remaining) FROM stock_lot
        WHERE stock_lot.part_id = part.id AND stock_lot.qty_remaining > 0) AS on_hand
FROM hits JOIN part ON part.id = hits.id LEFT OUTER JOIN location ON location.id = part.default_location_id
ORDER BY hits.grp, hits.sort_no, hits.n
"""
_PG_CONTAINING = """
    SELECT id FROM part
    WHERE ({where}) AND NOT (:has_no AND part_no COLLATE "C" >= :low AND part_no COLLATE "C" < :high)
    ORDER BY id LIMIT :limit"""
_PG_CONTAINING_NAMES = "name ILIKE :pattern OR name_zh ILIKE :pattern"
_PG_CONTAINING_NO = " OR part_no LIKE :no_pattern"
# One or two characters: the parts from part_gram's key (migration 0018) in id order, as SQLite reads them; the
# planner cannot misjudge how common the piece is, and reads no more of the key than the page needs. The parts
# whose number starts so are left out by a lookup of the part per piece row, a scalar subquery: a join let the
# planner merge with the parts table walked in id order up to the page's last part (140 ms for a piece found
# 17,700 times in 1M parts), and NOT EXISTS became a hash of every part whose number starts so (0.4 s for "1").
_PG_CONTAINING_GRAM = """
    SELECT part_gram.part_id AS id FROM part_gram
    WHERE part_gram.gram = :gram
      AND NOT (:has_no AND (SELECT part.part_no COLLATE "C" >= :low AND part.part_no COLLATE "C" < :high
                            FROM part WHERE part.id = part_gram.part_id))
    ORDER BY part_gram.part_id LIMIT :limit"""
_PG_STATEMENTS = {}


def _pg_search(query: str, part_no: str):
    """The one statement of a search on PostgreSQL for this length of query (with or without a number)."""
    if len(query) < _TRIGRAM:
        key = "gram"
    else:
        key = "names+no" if part_no else "names"
    statement = _PG_STATEMENTS.get(key)
    if statement is None:
        containing = {"gram": _PG_CONTAINING_GRAM,
                      "names": _PG_CONTAINING.format(where=_PG_CONTAINING_NAMES),
                      "names+no": _PG_CONTAINING.format(where=_PG_CONTAINING_NAMES + _PG_CONTAINING_NO)}[key]
        # Unprepared: planned for each query's pattern (see core.units.UNPREPARED).
        statement = _PG_STATEMENTS[key] = text(_PG_SEARCH.format(containing=containing)).columns(
            t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series,
            t.location.c.code.label("location"), t.stock_lot.c.qty_remaining.label("on_hand"),
        ).execution_options(**{UNPREPARED: True})
    return statement


def _pg_search_params(query: str, part_no: str, limit: int) -> dict[str, object]:
    return {"has_no": bool(part_no), "low": part_no, "high": part_no + "\U0010ffff", "limit": limit,
            "pattern": _like_pattern(query), "no_pattern": _like_pattern(part_no), "gram": query.lower()}


def _sqlite_substring_ids(conn: Connection, query: str, part_no: str, limit: int) -> list[int]:
    # Three characters and more: the FTS5 trigram index over number and names answers in well under
    # a millisecond. Shorter: the pieces of the Chinese names (one or two characters of 滤清器); a
    # scan of 200,000 names for a rare pair took ~95 ms, and one or two Latin letters inside an
    # English name are not a search anyone means (the number prefix above still answers them).
    # Each in rowid (id) order, which FTS5 and the gram table's key give without sorting.
    if len(query) >= _TRIGRAM:
        phrases = {query.lower()}
        if len(part_no) >= _TRIGRAM:
            phrases.add(part_no.lower())
        match = " OR ".join('"' + p.replace('"', '""') + '"' for p in sorted(phrases))
        return list(conn.execute(_FTS_MATCH, {"match": match, "limit": limit}).scalars())
    gram = query.lower()
    if len(gram) == 2:
        return list(conn.execute(_GRAM_EQUAL, {"gram": gram, "limit": limit}).scalars())
    return list(conn.execute(_GRAM_PREFIX, {"gram": gram, "upper": gram + "\U0010ffff", "limit": limit}).scalars())


_FTS_MATCH = text("SELECT rowid FROM part_fts WHERE part_fts MATCH :match ORDER BY rowid LIMIT :limit")
_GRAM_EQUAL = text("SELECT part_id FROM part_gram WHERE gram = :gram ORDER BY part_id LIMIT :limit")
_GRAM_PREFIX = text(
    "SELECT DISTINCT part_id FROM part_gram WHERE gram >= :gram AND gram < :upper ORDER BY part_id LIMIT :limit"
)


def _like_pattern(text_: str) -> str:
    """A LIKE pattern for 'contains', with the user's % and _ taken literally."""
    escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
