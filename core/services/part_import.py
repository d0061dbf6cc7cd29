"""Importing the parts master from CSV or XLSX, English or Chinese headers: all rows or none."""

from __future__ import annotations

import itertools
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, NamedTuple

from sqlalchemy import Connection, bindparam, func, insert, select, update

from core import tables as t
from core.byte_order import byte_order
from core.codes import (
    LOCATION_PATTERN,
    LOCATION_SCHEME,
    PART_NO_PATTERN,
    location_zone,
    normalise_location,
    normalise_part_no,
    normalise_series,
    series_misfit,
)
from core.copy_rows import insert_rows
from core.decimals import MONEY_STEP, QTY_STEP, parse_money, parse_qty
from core.errors import BadInput, ImportProblem, ImportRejected
from core.i18n import _, ngettext
from core.measures import check_qty, check_unit
from core.records.batches import one_of
from core.records.part_bulk import BULK_MIN_ROWS, bulk_inserts, merge_step
from core.roles import Actor, Permission, require
from core.tabular import RowReader, map_columns, open_table
from core.text import control_character
from core.units import UNPREPARED, ReadUnit, WriteUnit

# Column -> the headers that name it, English first, then what a Chinese parts master prints.
COLUMNS: dict[str, tuple[str, ...]] = {
    "part_no": ("part_no", "零件号"),
    "name": ("name", "名称"),
    "name_zh": ("name_zh", "中文名称"),
    "model_series": ("model_series", "车型"),
    "unit": ("unit", "单位"),
    "unit_price": ("unit_price", "单价"),
    "fragile": ("fragile", "易损件"),
    "location": ("location", "库位"),
    "pack_qty": ("pack_qty", "包装数量"),
    "general": ("general", "通用件"),
}
REQUIRED = ("part_no", "name", "unit_price")
# Each text column's length in the database: a longer cell is a problem of its row, not a database error.
LENGTHS = {column: t.part.c[column].type.length for column in ("part_no", "name", "name_zh", "model_series", "unit")}
LENGTHS["location"] = t.location.c.code.type.length
_YES = {"yes", "y", "true", "1", "是", "易损", "x", "√"}
_NO = {"no", "n", "false", "0", "否", ""}
_YES_OR_NO = _YES | _NO  # built once: a million-row file looks two flags up in it a row
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class PartRow(NamedTuple):
    """One valid row of a parts master file. A named tuple, not a frozen dataclass: a million-row import makes
    two million of them (the check, then the save reading its spool), and a frozen dataclass's __init__ sets each
    field through object.__setattr__ (3.4 µs a row against 0.4 µs)."""

    row: int
    part_no: str
    name: str
    name_zh: str | None
    model_series: str | None
    unit: str
    list_price: Decimal
    fragile: bool
    pack_qty: Decimal
    location: str | None
    general: bool | None = None  # 通用件 or common to several series; None: not said (a known part keeps its mark)


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    locations_created: int = 0
    encoding: str = ""


def _check_row(row: RowReader, first_row_of: dict[str, int]) -> PartRow | None:
    """The row as a PartRow, or None with its problems recorded on it."""
    part_no = normalise_part_no(row.cell("part_no"))
    if not part_no:
        row.problem("part_no", _("empty part number"))
    elif not PART_NO_PATTERN.match(part_no):
        row.problem("part_no", _("part number {part_no!r} holds characters no catalogue uses").format(part_no=part_no))
    elif part_no in first_row_of:
        row.problem("part_no", _("duplicate part number {part_no} (first on row {row})").format(
            part_no=part_no, row=first_row_of[part_no]))
    else:
        first_row_of[part_no] = row.number
    name = row.cell("name")
    if not name:
        row.problem("name", _("empty name"))
    price = row.decimal("unit_price", parse_money, _("price"), default=None)
    if price is not None and price < 0:
        row.problem("unit_price", _("negative price {price}").format(price=row.cell("unit_price")))
    fragile = row.cell("fragile").lower()
    if fragile not in _YES_OR_NO:
        row.problem("fragile", _("{value!r} is not yes or no").format(value=row.cell("fragile")))
    general = row.cell("general").lower()
    if general not in _YES_OR_NO:
        row.problem("general", _("{value!r} is not yes or no").format(value=row.cell("general")))
    location = normalise_location(row.cell("location")) or None
    if location and not LOCATION_PATTERN.match(location):
        row.problem("location", _("location {code!r} does not follow the scheme {scheme}").format(
            code=location, scheme=_(LOCATION_SCHEME)))
    unit = row.cell("unit") or "pc"
    try:
        unit = check_unit(unit)
    except BadInput as exc:
        row.problem("unit", exc.message)
    pack_qty = row.decimal("pack_qty", parse_qty, _("pack quantity"), default=Decimal(1))
    if pack_qty is not None and pack_qty <= 0:
        row.problem("pack_qty", _("pack quantity must be more than zero"))
    elif pack_qty is not None:
        try:
            check_qty(unit, pack_qty, part_no)
        except BadInput as exc:
            row.problem("pack_qty", exc.message)
    series = None
    try:
        series = normalise_series(row.cell("model_series"))
    except BadInput as exc:
        row.problem("model_series", exc.message)
    if row.problems:
        return None
    return PartRow(row.number, part_no, name, row.cell("name_zh") or None, series, unit, price,
                   fragile in _YES, pack_qty, location, general in _YES if general else None)


# Rows per statement: a batch's parameters (at most 9 a row) stay far below SQLite's 32,766 and PostgreSQL's
# 65,535, and a million-row file never holds more than one batch of rows in memory.
BATCH_ROWS = 1000
# An import of more rows than this is a long write: it commits batch by batch (each batch whole) so that the
# counter's issues, counts and scans are served between batches, and says so before it starts.
COMMIT_ROWS = 5000
# A long write's batch ends at LOCK_BUDGET_S (below), or at this many rows on a machine that saves more in that
# time. Each commit costs a pause and the commit itself, so the fewer the commits the shorter the import.
BATCH_MAX_ROWS = 20_000
# A batch also ends, at a statement's end, once it has held the write lock this long: on a busy machine 5,000
# rows can take seconds, and the counter's write must not wait more than a second (issue 14). Each batch is
# followed by a pause (BATCH_PAUSE_S); the counter's worst wait is about the batch, the statement that overshoots
# it and the waiting writer's poll (tests/bench/bench_lock.py).
LOCK_BUDGET_S = 0.4
# A long import's statements are smaller (the budget is looked at between statements, so a batch overshoots it by
# at most one statement: on a busy machine 1,000 rows took over a second while the per-row triggers built their
# name grams; built set-wise (core.records.part_bulk), 500 rows are about 30 ms of CPU).
LONG_BATCH_ROWS = 500
# Checked rows per pickled chunk of the import's spool (the temporary file between its check and its save).
SPOOL_ROWS = 1000
# The pause between two commits. A writer waiting for SQLite's lock tries it again every 5 ms
# (data.sqlite_lock.WRITE_POLL_S), whoever it is and however long it has waited: a pause of that poll plus a margin
# for a busy machine to give it the processor lets it in. SQLite's own busy handler sleeps up to 100 ms between
# tries, and the pause that had to outlast it was 15 s of a million-row import's 79 s.
BATCH_PAUSE_S = 0.02
# Bins remembered by code between batches; past this many the memory is cleared and they are looked up again.
LOCATION_CACHE = 100_000
# A file bad throughout names its first problems, not a million lines.
MAX_PROBLEMS = 1000


def parse_parts_file(path: str | Path) -> tuple[list[PartRow], list[ImportProblem], str]:
    """Every row of a parts master file checked: the valid rows, every problem found, the encoding."""
    with open_table(path) as table:
        columns = map_columns(table.headers, COLUMNS, REQUIRED, _("the file"))
        rows: list[PartRow] = []
        problems: list[ImportProblem] = []
        first_row_of: dict[str, int] = {}
        for number, cells in table.rows:
            row = RowReader(number, cells, columns, table.headers, decimal_comma=table.decimal_comma,
                            lengths=LENGTHS)
            checked = _check_row(row, first_row_of)
            if checked is None:
                problems.extend(row.problems)
            else:
                rows.append(checked)
        return rows, problems, table.encoding


@dataclass(frozen=True)
class ImportPlan:
    """What a checked file will do, said before the first write: its rows, and the most rows one commit saves
    (a batch also ends at LOCK_BUDGET_S, so how many commits it takes is known only at the end)."""

    rows: int
    batch_rows: int

    @property
    def batches(self) -> int:
        """The fewest commits that save the rows (more when batches end at LOCK_BUDGET_S)."""
        return -(-self.rows // self.batch_rows)


class _Problems:
    """The problems a check found: the first MAX_PROBLEMS kept to name, all of them counted."""

    def __init__(self) -> None:
        self.kept: list[ImportProblem] = []
        self.found = 0

    def add(self, problems: list[ImportProblem]) -> None:
        """Count the problems and keep them while fewer than MAX_PROBLEMS are kept."""
        self.found += len(problems)
        self.kept.extend(problems[:MAX_PROBLEMS - len(self.kept)])


def _rows(table, columns, first_row_of: dict[str, int], problems: _Problems) -> Iterator[PartRow]:
    """The file's rows checked one by one as they are read: each valid one, the bad ones' problems recorded.

    A plain row goes through _FastCheck (a few microseconds); a row it is not sure of, through RowReader and
    _check_row, which name every problem: the rows and refusals are the same either way."""
    fast = None if table.decimal_comma else _FastCheck(columns, first_row_of)
    for number, cells in table.rows:
        checked = fast.row(number, cells) if fast is not None else None
        if checked is not None:
            yield checked
            continue
        row = RowReader(number, cells, columns, table.headers, decimal_comma=table.decimal_comma, lengths=LENGTHS)
        checked = _check_row(row, first_row_of)
        if checked is None:
            problems.add(row.problems)
        else:
            yield checked


# What _FastCheck takes as it is: a price of whole digits and at most two places, under MAX_MONEY; a pack of
# whole digits, more than zero, under MAX_QTY (a whole number suits every unit). Anything else is read by the
# one parser (core.decimals) on the slow path.
_PLAIN_PRICE = re.compile(r"[0-9]{1,7}(?:\.[0-9]{0,2})?")
_PLAIN_PACK = re.compile(r"0*[1-9][0-9]{0,6}")
_ONE = Decimal(1)


class _FastCheck:
    """The common row of a parts master checked without RowReader's per-cell objects: it returns the PartRow
    _check_row would return, or None when the row has anything _check_row might say something about (a short
    row, a control character, a text past its length, a code that needs folding, a number not in its plainest
    form, a duplicate...), and the caller checks the row the slow way. Cells come trimmed (core.tabular), and
    the codes, series and units a file repeats are checked once each."""

    def __init__(self, columns: dict[str, int], first_row_of: dict[str, int]) -> None:
        """The file's column mapping, and the part numbers met so far (shared with the slow path)."""
        self.first_row_of = first_row_of
        self.width = max(columns.values()) + 1
        # Every mapped cell is looked at for control characters, as RowReader does (the required columns are
        # three at least, so the getter gives a tuple).
        self.mapped = itemgetter(*columns.values())
        self.index = {column: columns.get(column) for column in COLUMNS}
        self.name_limit = LENGTHS["name"]
        self.name_zh_limit = LENGTHS["name_zh"]
        self.locations: dict[str, str | None] = {}
        self.series: dict[str, str | None] = {}
        self.units: dict[str, str | None] = {}

    def row(self, number: int, cells: list[str]) -> PartRow | None:
        """The row checked, or None: check it the slow way."""
        if len(cells) < self.width or control_character("\n".join(self.mapped(cells))):
            return None
        index = self.index
        part_no = cells[index["part_no"]]
        if not part_no.isascii():
            return None
        part_no = part_no.upper()
        if not PART_NO_PATTERN.fullmatch(part_no) or part_no in self.first_row_of:
            return None
        name = cells[index["name"]]
        if not name or len(name) > self.name_limit:
            return None
        name_zh = cells[index["name_zh"]] if index["name_zh"] is not None else ""
        if len(name_zh) > self.name_zh_limit:
            return None
        price = cells[index["unit_price"]]
        if not _PLAIN_PRICE.fullmatch(price):
            return None
        fragile = cells[index["fragile"]].lower() if index["fragile"] is not None else ""
        general = cells[index["general"]].lower() if index["general"] is not None else ""
        if fragile not in _YES_OR_NO or general not in _YES_OR_NO:
            return None
        location = self._location(cells[index["location"]] if index["location"] is not None else "")
        unit = self._unit(cells[index["unit"]] if index["unit"] is not None else "")
        series = self._series(cells[index["model_series"]] if index["model_series"] is not None else "")
        if location is False or unit is None or series is False:
            return None
        pack = cells[index["pack_qty"]] if index["pack_qty"] is not None else ""
        if pack:
            if not _PLAIN_PACK.fullmatch(pack):
                return None
            pack_qty = Decimal(pack).quantize(QTY_STEP)
        else:
            pack_qty = _ONE
        self.first_row_of[part_no] = number
        return PartRow(number, part_no, name, name_zh or None, series, unit, Decimal(price).quantize(MONEY_STEP),
                       fragile in _YES, pack_qty, location, general in _YES if general else None)

    def _location(self, text: str):
        """The bin's code (None for none), or False: the slow path says what is wrong with it."""
        if text in self.locations:
            return self.locations[text]
        found = None
        if text:
            code = text.upper() if text.isascii() else ""
            found = code if len(text) <= LENGTHS["location"] and LOCATION_PATTERN.fullmatch(code) else False
        if len(self.locations) < LOCATION_CACHE:
            self.locations[text] = found
        return found

    def _unit(self, text: str) -> str | None:
        """The unit as check_unit gives it, or None: the slow path names the problem."""
        if text in self.units:
            return self.units[text]
        try:
            found = check_unit(text or "pc") if len(text) <= LENGTHS["unit"] else None
        except BadInput:
            found = None
        if len(self.units) < LOCATION_CACHE:  # a file of a million made-up units never fills the memory
            self.units[text] = found
        return found

    def _series(self, text: str):
        """The model series as normalise_series gives it, or False: the slow path names the problem."""
        if text not in self.series:
            try:
                found = normalise_series(text) if len(text) <= LENGTHS["model_series"] else False
            except BadInput:
                found = False
            if len(self.series) < LOCATION_CACHE:
                self.series[text] = found
            return found
        return self.series[text]


def check_parts_file(path: str | Path, *, uow: ReadUnit) -> ImportPlan:
    """Check a whole parts master before anything is written, streaming it: every row's cells, duplicates, and
    each bin's zone against its model series as the station and the file's earlier rows found the zones.
    ImportRejected lists the problems (the first MAX_PROBLEMS); a file of no rows is BadInput."""
    return _check_file(path, uow, None)[0]


def _check_file(path: str | Path, uow: ReadUnit, spool: BinaryIO | None) -> tuple[ImportPlan, str]:
    """check_parts_file's plan and the file's encoding; the checked rows go to `spool` (pickled lists of
    SPOOL_ROWS), so that the save reads them back rather than parsing and checking the file a second time."""
    name = Path(path).name
    problems = _Problems()
    count = 0
    chunk: list[PartRow] = []
    with open_table(path) as table, uow.read() as conn:
        columns = map_columns(table.headers, COLUMNS, REQUIRED, _("the file"))
        zones = _station_zones(conn)
        for row in _rows(table, columns, {}, problems):
            count += 1
            if spool is not None and not problems.found:
                chunk.append(tuple(row))  # a plain tuple: a named one pickles with its class, field by field
                if len(chunk) == SPOOL_ROWS:
                    pickle.dump(chunk, spool, pickle.HIGHEST_PROTOCOL)
                    chunk = []
            if row.location and not problems.found:  # past a bad row the zones founded are no longer sure
                problem = _zone_problem(conn, zones, row)
                if problem:
                    problems.add([problem])
        encoding = table.encoding
    if problems.found:
        raise ImportRejected(
            ngettext(
                "{file}: {count} problem, nothing imported",
                "{file}: {count} problems, nothing imported", problems.found).format(file=name,
                                                                                     count=problems.found),
            problems.kept)
    if not count:
        raise BadInput(_("{file} holds no parts").format(file=name))
    if spool is not None and chunk:
        pickle.dump(chunk, spool, pickle.HIGHEST_PROTOCOL)
    return ImportPlan(count, BATCH_MAX_ROWS), encoding


def _spooled(spool: BinaryIO) -> Iterator[PartRow]:
    """The checked rows _check_file wrote to the spool, in the file's order."""
    spool.seek(0)
    while True:
        try:
            chunk = pickle.load(spool)  # the import's own temporary file, written just before
        except EOFError:
            return
        yield from map(PartRow._make, chunk)


def _station_zones(conn: Connection) -> dict[str, str | None]:
    """Each zone's series, as its oldest bin founded it (core.records.zones)."""
    # The database picks each zone's oldest bin: reading every bin into Python took 0.5 s at 30,000 bins.
    oldest = select(func.min(t.location.c.id)).group_by(t.location.c.zone)
    return dict(conn.execute(select(t.location.c.zone, t.location.c.series).where(t.location.c.id.in_(oldest))).all())


def _zone_problem(conn: Connection, zones: dict[str, str | None], row: PartRow) -> ImportProblem | None:
    """The row's bin against its zone's series (入库必须按车型入库), founding the zone when it is new; a part
    whose general mark the file leaves out keeps the master's, read only where the mark decides."""
    zone = location_zone(row.location)
    general = row.general
    if general is None and (zone not in zones or (row.model_series and zones[zone]
                                                  and row.model_series != zones[zone])):
        general = bool(conn.execute(select(t.part.c.general).where(t.part.c.part_no == row.part_no)).scalar())
    if zone not in zones:
        zones[zone] = None if general else row.model_series
        return None
    misfit = series_misfit(row.part_no, row.model_series, bool(general), row.location, zones[zone])
    return ImportProblem(row.row, "location", misfit) if misfit else None


def import_parts(path: str | Path, *, actor: Actor, uow: WriteUnit,
                 announce: Callable[[ImportPlan], None] | None = None) -> ImportResult:
    """Import a parts master: new part numbers are added, known ones updated, new valid locations created.

    The whole file is checked first, streamed (check_parts_file): a file with any bad row imports nothing, and
    ImportRejected lists every problem with its row and column. A Chinese name (名称 holding Chinese) fills
    name_zh and keeps an existing English name. A file of at most COMMIT_ROWS rows is saved in one transaction.
    A longer one is a long write: `announce` is told the plan first, then it commits every BATCH_MAX_ROWS rows or
    LOCK_BUDGET_S seconds of holding the lock, each batch whole (whole statements of LONG_BATCH_ROWS rows), pausing
    between them on SQLite so that the counter's writes get the lock; an import is an upsert,
    so running it again after an interruption finishes it. The checked rows wait in a temporary file between
    the check and the save, so memory stays flat however long the file is and no row is parsed twice.
    """
    require(actor, Permission.EDIT_PARTS)
    with tempfile.TemporaryFile(prefix="partsdesk-import-") as spool:
        plan, encoding = _check_file(path, uow, spool)
        rows = _spooled(spool)
        # One batch, or a caller's write block already open: one transaction.
        if plan.rows <= COMMIT_ROWS or uow._conn is not None:
            return save_part_rows(rows, actor=actor, uow=uow, encoding=encoding, bulk=plan.rows >= BULK_MIN_ROWS)
        if announce is not None:
            announce(plan)
        result = ImportResult(encoding=encoding)
        saver = None
        pending = list(itertools.islice(rows, LONG_BATCH_ROWS))
        while pending:
            # The trigram index is merged once, after the last batch (_merge_search_index), not on the way.
            with uow.write() as conn, bulk_inserts(conn, merge_later=True) as add:
                locked, saved = time.monotonic(), 0
                # Only SQLite's lock is the whole database's: on PostgreSQL the counter never waits behind a batch.
                pausing = conn.dialect.name == "sqlite"
                if saver is None:
                    saver = _PartSaver(conn, result)
                saver.conn, saver.add = conn, add
                while pending:
                    saver.save(pending)
                    saved += len(pending)
                    if saved >= BATCH_MAX_ROWS or time.monotonic() - locked > LOCK_BUDGET_S:
                        break
                    pending = list(itertools.islice(rows, LONG_BATCH_ROWS))
            # The lock is free: the next statement's rows are read from the spool inside the pause.
            free = time.monotonic()
            pending = list(itertools.islice(rows, LONG_BATCH_ROWS)) if pending else pending
            if pending and pausing:  # the counter's waiting write takes the lock now (see BATCH_PAUSE_S)
                time.sleep(max(0.0, BATCH_PAUSE_S - (time.monotonic() - free)))
        if pausing:
            _merge_search_index(uow)
        return result


def _merge_search_index(uow: WriteUnit) -> None:
    """After a long import, the search index's segments (one a commit) merged as its own writes would have had
    them merged, in commits of LOCK_BUDGET_S with the same pauses: the next writer of a part's name (a re-import,
    a new part at the desk) finds no merging left to do under its lock."""
    while True:
        time.sleep(BATCH_PAUSE_S)
        with uow.write() as conn:
            locked = time.monotonic()
            while merge_step(conn):  # one step at least, however small the budget
                if time.monotonic() - locked > LOCK_BUDGET_S:
                    break
            else:
                return


def save_part_rows(rows: Iterable[PartRow], *, actor: Actor, uow: WriteUnit, encoding: str = "",
                   bulk: bool = True) -> ImportResult:
    """Add or update checked rows in one transaction, in batches (the import and the demo seed use it); `bulk`:
    new parts' search entries built set-wise (core.records.part_bulk), worth it past a few rows."""
    require(actor, Permission.EDIT_PARTS)
    with uow.write() as conn:
        saver = _PartSaver(conn, ImportResult(encoding=encoding))
        if bulk:
            with bulk_inserts(conn) as saver.add:
                _save_batches(saver, rows)
        else:
            _save_batches(saver, rows)
    return saver.result


def _save_batches(saver: _PartSaver, rows: Iterable[PartRow]) -> None:
    """Save rows BATCH_ROWS a statement on the saver's connection."""
    batch: list[PartRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            saver.save(batch)
            batch = []
    saver.save(batch)


# The batches' lookups (known parts, known bins) are planned afresh for each batch on PostgreSQL (UNPREPARED):
# prepared, the server plans them once for all values while the table is still small, and that plan (a scan
# of the whole table for each batch) stayed as the import grew it: 70,000 new parts took minutes, not seconds.


class _PartSaver:
    """Saves checked rows batch by batch on one connection, counting what it did."""

    def __init__(self, conn: Connection, result: ImportResult) -> None:
        self.conn = conn
        # How new parts go in: by the triggers unless a bulk block (core.records.part_bulk) gives its function.
        self.add: Callable[[list[dict]], None] = self._add_plainly
        self.result = result
        # Bins met so far, by code (dropped when it grows past LOCATION_CACHE, so memory stays flat).
        self.location_ids: dict[str, int] = {}
        # Each zone's series, as its oldest bin founded it (core.records.zones): a row's bin must fit it.
        self.zones = _station_zones(conn)

    def save(self, rows: list[PartRow]) -> None:
        """Insert the batch's new parts in one statement and update its known ones (one statement per shape)."""
        if not rows:
            return
        conn, result = self.conn, self.result
        existing = {
            r.part_no: r
            for r in conn.execute(
                select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.general).where(
                    # One batch: at most BATCH_ROWS values, one array on PostgreSQL (core.records.batches).
                    one_of(conn, byte_order(t.part.c.part_no), [r.part_no for r in rows])
                ).execution_options(**{UNPREPARED: True})  # planned per batch (above)
            )
        }
        self._find_locations({row.location for row in rows if row.location})
        new_rows = []
        updates: dict[tuple[str, ...], list[dict]] = {}
        new_bins: dict[str, str | None] = {}
        for row in rows:
            known = existing.get(row.part_no)
            general = row.general if row.general is not None else bool(known is not None and known.general)
            if row.location:
                self._check_zone(row, general)
                if row.location not in self.location_ids:
                    new_bins.setdefault(row.location, self.zones[location_zone(row.location)])
        self._add_locations(new_bins)
        for row in rows:
            known = existing.get(row.part_no)
            general = row.general if row.general is not None else bool(known is not None and known.general)
            loc_id = self.location_ids[row.location] if row.location else None
            name, name_zh = row.name, row.name_zh
            if name_zh is None and _CJK.search(name):
                name_zh = name
            values = {
                "name": name, "name_zh": name_zh, "model_series": row.model_series, "unit": row.unit,
                "list_price": row.list_price, "fragile": row.fragile, "pack_qty": row.pack_qty,
                "default_location_id": loc_id, "general": general,
            }
            if known is None:
                new_rows.append({"part_no": row.part_no, **values})
                result.created += 1
                continue
            if _CJK.search(name) and not _CJK.search(known.name):
                values["name"] = known.name  # keep the English name, add the Chinese one
            if values["name_zh"] is None:
                values["name_zh"] = known.name_zh
            if loc_id is None:
                del values["default_location_id"]
            updates.setdefault(tuple(values), []).append({"part_key": known.id, **values})
            result.updated += 1
        self.add(new_rows)
        for shape, params in updates.items():
            statement = update(t.part).where(t.part.c.id == bindparam("part_key")).values(
                {column: bindparam(column) for column in shape})
            conn.execute(statement, params)

    def _add_plainly(self, rows: list[dict]) -> None:
        """New parts in one statement, their search entries by the triggers."""
        if rows:
            self.conn.execute(insert(t.part), rows)

    def _find_locations(self, codes: set[str]) -> None:
        """Look up the batch's bins not met yet: one statement, at most BATCH_ROWS codes."""
        if len(self.location_ids) > LOCATION_CACHE:
            self.location_ids.clear()
        wanted = [code for code in codes if code not in self.location_ids]
        if wanted:
            self.location_ids.update(self.conn.execute(
                select(t.location.c.code, t.location.c.id).where(one_of(self.conn, t.location.c.code, wanted))
                .execution_options(**{UNPREPARED: True})).all())  # planned per batch (above)

    def _add_locations(self, new_bins: dict[str, str | None]) -> None:
        """Create the batch's new bins in one statement, each with its zone's series (core.records.zones)."""
        if not new_bins:
            return
        params = [{"code": code, "zone": location_zone(code), "series": series} for code, series in new_bins.items()]
        # A plain executemany, then the ids by code: RETURNING in parameter order runs row by row on SQLite.
        insert_rows(self.conn, t.location, params)
        self._find_locations(set(new_bins))
        self.result.locations_created += len(new_bins)

    def _check_zone(self, row: PartRow, general: bool) -> None:
        """Refuse a bin of another series' zone (入库必须按车型入库); a zone not seen yet is founded by the row:
        its series (None when the part is general), which every later bin of the zone takes."""
        zone = location_zone(row.location)
        if zone in self.zones:
            misfit = series_misfit(row.part_no, row.model_series, general, row.location, self.zones[zone])
            if misfit:
                raise ImportRejected(_("row {row}: {problem}").format(row=row.row, problem=misfit),
                                     [ImportProblem(row.row, "location", misfit)])
        else:
            self.zones[zone] = None if general else row.model_series
