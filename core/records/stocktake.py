"""A stocktake's rows in SQL: its scope's bins and parts, the book of a part at a bin, a variance's value at the
lots' costs, and the last-counted dates; inside the caller's transaction."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import ARRAY, BigInteger, Connection, bindparam, delete, func, insert, literal, select, union, update

from core import tables as t
from core.byte_order import byte_order
from core.codes import QUARANTINE_ZONE, normalise_location, validate_location
from core.decimals import money
from core.errors import BadInput, NotFound
from core.fifo import pick_fifo
from core.i18n import _
from core.models import StocktakeScope
from core.records.abc import abc_classes
from core.records.batches import batched, one_of
from core.sqltypes import Qty

ZERO = Decimal("0.000")
# How often a part is due for a cycle count by its ABC class: A monthly, B quarterly, C yearly.
CYCLE_DAYS = {"A": 30, "B": 91, "C": 365}
_ZONE = re.compile(r"^[A-Z]{2,4}$")
_PATTERN = re.compile(r"^[A-Z0-9*?\-]{1,20}$")


def location_filter(kind: str, scope: str):
    """The WHERE clause on t.location choosing the bins of a zone or a pattern (a glob EXC-01-*, or a range
    EXC-01-01-01..EXC-01-02-99); None for the scopes chosen by part (cycle, days)."""
    if kind == StocktakeScope.ZONE:
        return t.location.c.zone == scope
    if kind == StocktakeScope.LOCATIONS:
        first, dots, last = scope.partition("..")
        if dots:
            return t.location.c.code.between(first, last)
        # A glob: * any run of characters, ? one; the pattern's characters hold no LIKE wildcard of their own.
        return t.location.c.code.like(scope.replace("*", "%").replace("?", "_"))
    return None


def normalise_scope(kind: str, text: str | int) -> str:
    """The scope as stored: an upper-case zone, a glob or a range of two bin codes, a number of days; BadInput
    naming the problem otherwise."""
    if kind == StocktakeScope.ZONE:
        zone = normalise_location(str(text))
        if not _ZONE.match(zone):
            raise BadInput(_("zone {zone!r} is not a zone code (2-4 letters, e.g. EXC)").format(zone=text))
        return zone
    if kind == StocktakeScope.LOCATIONS:
        pattern = normalise_location(str(text))
        first, dots, last = pattern.partition("..")
        if dots:
            first, last = validate_location(first), validate_location(last)
            if first > last:
                raise BadInput(_("the range {pattern} runs backwards").format(pattern=pattern))
            return f"{first}..{last}"
        if not _PATTERN.match(pattern):
            raise BadInput(_("{pattern!r} is not a pattern of bins: a glob such as EXC-01-* or a range such as "
                             "EXC-01-01-01..EXC-01-02-99").format(pattern=text))
        return pattern
    return str(text)


def _bins_with_parts(where_location, where_part) -> object:
    """(part id, location id) of every part with stock at a bin, and every part's own bin, under the filters."""
    lot = t.stock_lot
    stocked = (select(lot.c.part_id, lot.c.location_id)
               .join(t.location, t.location.c.id == lot.c.location_id)
               .where(lot.c.qty_remaining > 0))
    homes = (select(t.part.c.id.label("part_id"), t.part.c.default_location_id.label("location_id"))
             .join(t.location, t.location.c.id == t.part.c.default_location_id))
    if where_location is not None:
        stocked, homes = stocked.where(where_location), homes.where(where_location)
    else:  # chosen by part: never the quarantine's damaged units, which a claim or a write-off settles
        stocked = stocked.where(t.location.c.zone != QUARANTINE_ZONE)
        homes = homes.where(t.location.c.zone != QUARANTINE_ZONE)
    if where_part is not None:
        stocked, homes = stocked.where(where_part(lot.c.part_id)), homes.where(where_part(t.part.c.id))
    return union(stocked, homes).subquery("lines")


def fill_lines(conn: Connection, stocktake_id: int, kind: str, scope: str, at: datetime) -> int:
    """Put the scope's lines on the stocktake (INSERT … SELECT for a location scope, in batches of parts for a
    part scope); how many. NotFound when a location scope names no bin."""
    where = location_filter(kind, scope)
    if where is not None:
        if conn.execute(select(t.location.c.id).where(where).limit(1)).first() is None:
            raise NotFound(_("no bin matches {scope}").format(scope=scope))
        lines = _bins_with_parts(where, None)
        return _insert_lines(conn, stocktake_id, lines)
    parts = due_parts(conn, kind, scope, at)
    total = 0
    for batch in batched(parts):
        total += _insert_lines(conn, stocktake_id, _bins_with_parts(None, lambda column, b=batch: column.in_(b)))
    return total


def _insert_lines(conn: Connection, stocktake_id: int, lines) -> int:
    chosen = select(literal(stocktake_id), lines.c.part_id, lines.c.location_id, literal(0))
    return conn.execute(insert(t.stocktake_line).from_select(
        ["stocktake_id", "part_id", "location_id", "recounts"], chosen)).rowcount


def due_parts(conn: Connection, kind: str, scope: str, at: datetime) -> list[int]:
    """The parts a cycle count is due for (by ABC class: A after 30 days, B 91, C 365) or, for `days`, the parts
    not counted for that many days; a part never counted is due. In part id order."""
    last = dict(conn.execute(select(t.part_count.c.part_id, t.part_count.c.counted_at)).all())
    if kind == StocktakeScope.DAYS:
        since = at - timedelta(days=int(scope))
        ids = conn.execute(select(t.part.c.id).order_by(t.part.c.id)).scalars()
        return [pid for pid in ids if pid not in last or last[pid] <= since]
    classes = abc_classes(conn, at)
    return [pid for pid, grade in sorted(classes.items())
            if pid not in last or last[pid] <= at - timedelta(days=CYCLE_DAYS[grade])]


def book_at(conn: Connection, part: int, location: int) -> Decimal:
    """The book of a part at a bin now: its lots' remaining there (equal to the ledger's sum, the books' rule)."""
    found = conn.execute(select(func.sum(t.stock_lot.c.qty_remaining)).where(
        t.stock_lot.c.part_id == part, t.stock_lot.c.location_id == location)).scalar()
    return ZERO if found is None else found


def books_at(conn: Connection, keys: list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """The book of each (part, bin) now, as book_at reads it, in one grouped read per batch of parts: a whole
    count sheet of a zone (14,000 lines at 200,000 parts) is a few statements, not one a line."""
    lot = t.stock_lot.c
    found: dict[tuple[int, int], Decimal] = {}
    for batch in batched(sorted({part for part, _loc in keys})):
        for part, loc, qty in conn.execute(select(lot.part_id, lot.location_id, func.sum(lot.qty_remaining))
                                           .where(one_of(conn, lot.part_id, batch))
                                           .group_by(lot.part_id, lot.location_id)):
            found[(part, loc)] = qty
    return {key: found.get(key, ZERO) for key in keys}


def store_counts(conn: Connection, counts: list[tuple[int, Decimal, Decimal]], *, at: datetime, first: int,
                 second: int | None) -> None:
    """Store (line id, counted, book) on each line with its counters and time: one executemany on SQLite; on
    PostgreSQL an UPDATE from arrays a batch at a time, since an executemany of a zone's 68,834 lines at 1M
    parts was as many statements (6 s)."""
    line = t.stocktake_line
    same = {"counted_at": at, "counted_by": first, "counted_by_second": second}
    if conn.dialect.name != "postgresql":
        conn.execute(update(line).where(line.c.id == bindparam("line_id")).values(
            counted=bindparam("b_counted"), book=bindparam("b_book"), **same),
            [{"line_id": key, "b_counted": counted, "b_book": book} for key, counted, book in counts])
        return
    for batch in batched(counts):
        keys, counted, books = (list(column) for column in zip(*batch, strict=True))
        given = (func.unnest(bindparam(None, keys, type_=ARRAY(BigInteger)),
                             bindparam(None, counted, type_=ARRAY(Qty())),
                             bindparam(None, books, type_=ARRAY(Qty())))
                 .table_valued("line_id", "counted", "book").render_derived())
        conn.execute(update(line).where(line.c.id == given.c.line_id).values(
            counted=given.c.counted, book=given.c.book, **same))


def ids_of(conn: Connection, part_nos: list[str], codes: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The ids of these part numbers and bin codes (normalised), a few statements for a whole sheet; the unknown
    ones are left out (the caller's per-number look-up names them)."""
    parts: dict[str, int] = {}
    for batch in batched(sorted(set(part_nos))):
        parts.update(conn.execute(select(t.part.c.part_no, t.part.c.id)
                                  .where(one_of(conn, byte_order(t.part.c.part_no), batch))).all())
    bins: dict[str, int] = {}
    for batch in batched(sorted(set(codes))):
        bins.update(conn.execute(select(t.location.c.code, t.location.c.id)
                                 .where(one_of(conn, t.location.c.code, batch))).all())
    return parts, bins


def last_cost(conn: Connection, part: int) -> Decimal:
    """The cost of the part's newest lot anywhere, else its list price: what a gain is valued and booked at."""
    cost = conn.execute(select(t.stock_lot.c.unit_cost).where(t.stock_lot.c.part_id == part)
                        .order_by(t.stock_lot.c.received_at.desc(), t.stock_lot.c.id.desc()).limit(1)).scalar()
    if cost is None:
        cost = conn.execute(select(t.part.c.list_price).where(t.part.c.id == part)).scalar_one()
    return cost


def variance_value(conn: Connection, part: int, location: int, variance: Decimal) -> Decimal:
    """What a variance is worth: a gain at the part's last cost; a loss at the costs of the lots at the bin it
    would take, oldest first (what is short of them at the last cost)."""
    if variance >= 0:
        return money(variance * last_cost(conn, part))
    lots = conn.execute(select(t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost).where(
        t.stock_lot.c.part_id == part, t.stock_lot.c.location_id == location, t.stock_lot.c.qty_remaining > 0)
        .order_by(t.stock_lot.c.received_at, t.stock_lot.c.id)).all()
    wanted = -variance
    held = sum((lot.qty_remaining for lot in lots), ZERO)
    picks = pick_fifo([(lot, lot.qty_remaining) for lot in lots], min(wanted, held)) or []
    value = sum((pick.qty * pick.lot.unit_cost for pick in picks), Decimal(0))
    if wanted > held:
        value += (wanted - held) * last_cost(conn, part)
    return -money(value)


def mark_counted(conn: Connection, counted: dict[int, datetime], number: str) -> None:
    """Set the parts' last-counted dates (a part counted at several bins: its latest count)."""
    for batch in batched(sorted(counted)):
        conn.execute(delete(t.part_count).where(one_of(conn, t.part_count.c.part_id, batch)))
        conn.execute(insert(t.part_count), [{"part_id": pid, "counted_at": counted[pid], "stocktake_no": number}
                                            for pid in batch])

