"""The deterministic demo station: operators for every role, a catalogue by model series, aged lots."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text, update

from core import clock, ledger_chain
from core import tables as t
from core.copy_rows import insert_rows
from core.decimals import money
from core.documents import ADJUSTMENT, next_number
from core.errors import RuleViolation
from core.i18n import CHINESE, _
from core.models.enums import MoveKind
from core.roles import Actor, Role
from core.services import operators
from core.services.part_import import PartRow, save_part_rows
from data.db import Database
from data.demo_counter import seed_counter
from data.demo_planning import seed_planning
from data.migrations import upgrade
from data.pg_bulk_fill import keys_checked_after
from data.pg_search import gin_indexes_built_after

CATALOGUE = Path(__file__).resolve().parent / "catalogue.csv"
DEMO_KEY = "demo_station"
DEMO_PIN = "1234"
# model series -> location zone: the warehouse is kept by model series (入库必须按车型入库); each zone's first bin
# founds it in its series (core.records.zones), and the parts of each series lie only in their zone.
SERIES = {"EXCELLE": "EXC", "CRUZE": "CRZ", "REGAL": "REG", "LACROSSE": "LAC", "ENCORE": "ENC", "ENVISION": "ENV"}
# General consumables (通用件: oil, coolant, brake fluid): marked general, in the general zone GEN, which has no series.
GENERAL = ("GENERAL", "GEN")
# code, name, roles: one operator per role, and a second storekeeper and mechanic for the counter.
STAFF = [
    ("ADMIN", "系统管理员 Admin", [Role.ADMIN]),
    ("STORE1", "王建国 Wang Jianguo", [Role.STOREKEEPER]),
    ("STORE2", "赵磊 Zhao Lei", [Role.STOREKEEPER]),
    ("CLERK1", "孙丽 Sun Li", [Role.PARTS_CLERK]),
    ("PLAN1", "李娜 Li Na", [Role.PLANNER]),
    ("ADV1", "陈静 Chen Jing", [Role.ADVISOR]),
    ("PM1", "张伟 Zhang Wei", [Role.PARTS_MANAGER]),
    ("ACCT1", "刘芳 Liu Fang", [Role.ACCOUNTANT]),
    ("SM1", "杨光 Yang Guang", [Role.STATION_MANAGER]),
    ("SD1", "黄涛 Huang Tao", [Role.SERVICE_DIRECTOR]),
    ("MECH1", "周强 Zhou Qiang", [Role.MECHANIC]),
    ("MECH2", "吴斌 Wu Bin", [Role.MECHANIC]),
    # 发货检验员: checks the storekeeper's transfer notes (二审), so the demo shows a transfer's two-level check.
    ("CHECK1", "马俊 Ma Jun", [Role.CHECKER]),
]
FIRST_DAY = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
DAYS = 170


@dataclass(frozen=True)
class DemoResult:
    """What the seed made (or that it found the demo already there)."""

    parts: int = 0
    lots: int = 0
    operators: int = 0
    already: bool = False


def _catalogue() -> tuple[list[dict], list[dict]]:
    with CATALOGUE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r["part_no"]], [r for r in rows if not r["part_no"]]


# The scheme's two digits a level (core.codes): rows 11-99 of five shelves of ten bins hold a zone's first
# 4,450 generated parts; past them the same rows carry shelves 06-99 of bins 01-99, never a code used before.
FIRST_ROW, ROWS = 11, 89
SMALL_SHELVES, SMALL_BINS = 5, 10
BIG_SHELF, BIG_SHELVES, BIG_BINS = 6, 94, 99
SMALL_ZONE = ROWS * SMALL_SHELVES * SMALL_BINS
ZONE_BINS = SMALL_ZONE + ROWS * BIG_SHELVES * BIG_BINS


def demo_location(zone: str, n: int) -> str:
    """The location code of a zone's `n`-th generated bin (from 0), a valid code for every n below ZONE_BINS."""
    if n < SMALL_ZONE:
        row, rest = divmod(n, SMALL_SHELVES * SMALL_BINS)
        shelf, slot = divmod(rest, SMALL_BINS)
        return f"{zone}-{row + FIRST_ROW:02d}-{shelf + 1:02d}-{slot + 1:02d}"
    if n >= ZONE_BINS:
        raise ValueError(f"zone {zone} has no bin {n}")
    row, rest = divmod(n - SMALL_ZONE, BIG_SHELVES * BIG_BINS)
    shelf, slot = divmod(rest, BIG_BINS)
    return f"{zone}-{row + FIRST_ROW:02d}-{shelf + BIG_SHELF:02d}-{slot + 1:02d}"


def demo_parts(count: int) -> list[PartRow]:
    """`count` parts: the sample catalogue's real part numbers first, then each template in every series."""
    rng = random.Random(20261120)
    fixed, templates = _catalogue()
    parts: list[PartRow] = []
    used: set[str] = set()
    bins: dict[str, int] = {}

    def next_location(zone: str) -> str:
        # Generated parts start at row 11, clear of the sample catalogue's bins.
        n = bins.get(zone, 0)
        bins[zone] = n + 1
        return demo_location(zone, n)

    def add(part_no, name, name_zh, series, zone, unit, price, fragile, location=None):
        used.add(part_no)
        parts.append(PartRow(len(parts) + 2, part_no, name, name_zh, series, unit, price, fragile, Decimal(1),
                             location if location is not None else next_location(zone), series == GENERAL[0]))

    for row in fixed:
        series = row["series"]
        zone = SERIES.get(series, GENERAL[1])
        # The sample parts keep their real bins; 24258947 has none on purpose (a code before shelving).
        add(row["part_no"], row["name"], row["name_zh"], series, zone, row["unit"], Decimal(row["price"]),
            row["fragile"] == "yes", row["location"] or "")
    while len(parts) < count:
        for row in templates:
            if row["series"]:
                series, zone = row["series"], GENERAL[1]
            else:
                series, zone = rng.choice(list(SERIES.items()))
            part_no = f"{rng.randrange(10_000_000, 99_999_999)}"
            if part_no in used:
                continue
            # Prices differ a little between series, as they do in a real catalogue.
            price = money(Decimal(row["price"]) * Decimal(rng.randrange(85, 120)) / 100)
            add(part_no, row["name"], row["name_zh"], series, zone, row["unit"], price, row["fragile"] == "yes")
            if len(parts) == count:
                break
    return parts[:count]


# Opening balances per statement: one chunk's lots and moves stay well inside either database's parameter limit.
OPENING_CHUNK = 2000


def _insert_lots(conn: Connection, lots: list[dict]) -> list[int]:
    """Insert lots, their ids in order. On PostgreSQL the ids are drawn from the lots' sequence first and the
    rows copied in with them (core.copy_rows). On SQLite RETURNING in parameter order runs row by row, so the
    rows go in one executemany and their ids are read back: under the write lock every id past the old last one
    is one of them, given in the order they went in."""
    if conn.dialect.name == "postgresql":
        ids = sorted(conn.execute(text("SELECT nextval(pg_get_serial_sequence('stock_lot', 'id')) "
                                       "FROM generate_series(1, :n)"), {"n": len(lots)}).scalars())
        insert_rows(conn, t.stock_lot, [{"id": lot_id, **lot} for lot_id, lot in zip(ids, lots, strict=True)])
        return ids
    last = conn.execute(select(func.coalesce(func.max(t.stock_lot.c.id), 0))).scalar_one()
    conn.execute(insert(t.stock_lot), lots)
    ids = list(conn.execute(select(t.stock_lot.c.id).where(t.stock_lot.c.id > last).order_by(t.stock_lot.c.id))
               .scalars())
    assert len(ids) == len(lots), (len(ids), len(lots))
    return ids


def _book_openings(conn: Connection, openings: list[tuple], manager: Actor) -> None:
    """Book the opening balances as stock.adjust books each one (its own ADJ number, a lot, a ledger row on the
    chain), in date order, but a chunk of them per statement: 400,000 one-by-one adjustments took minutes."""
    if not openings:
        return
    part_ids = dict(conn.execute(select(t.part.c.part_no, t.part.c.id)).all())
    location_ids = dict(conn.execute(select(t.location.c.code, t.location.c.id)).all())
    # The numbers stock.adjust would have drawn one by one, taken as one range (the year is the demo's only one).
    assert all(day.year == FIRST_DAY.year for day, *_rest in openings)
    first_no = int(next_number(conn, ADJUSTMENT.prefix, FIRST_DAY).rsplit("-", 1)[1])
    sequence = t.document_sequence
    conn.execute(update(sequence).where(sequence.c.doc_type == ADJUSTMENT.prefix, sequence.c.year == FIRST_DAY.year)
                 .values(last_no=first_no + len(openings) - 1))
    reason = _("opening balance")
    for start in range(0, len(openings), OPENING_CHUNK):
        chunk = openings[start:start + OPENING_CHUNK]
        lots = []
        for n, (day, part_no, location, qty, cost) in enumerate(chunk, start=first_no + start):
            lots.append({"part_id": part_ids[part_no], "location_id": location_ids[location], "received_at": day,
                         "qty_received": Decimal(qty), "qty_remaining": Decimal(qty), "unit_cost": cost,
                         "doc_type": ADJUSTMENT.prefix, "doc_no": f"{ADJUSTMENT.prefix}-{day.year}-{n:06d}"})
        ids = _insert_lots(conn, lots)
        ledger_chain.append(conn, [
            {"at": lot["received_at"], "kind": MoveKind.ADJUST.value, "part_id": lot["part_id"], "lot_id": lot_id,
             "location_id": lot["location_id"], "qty": lot["qty_received"], "unit_cost": lot["unit_cost"],
             "doc_type": lot["doc_type"], "doc_no": lot["doc_no"], "operator_id": manager.id, "note": reason}
            for lot, lot_id in zip(lots, ids, strict=True)])


def seed_demo(database: Database, *, parts: int = 2000) -> DemoResult:
    """Fill an empty database with the demo station; a database that already holds it is left alone."""
    upgrade(database.engine)
    with database.reading() as uow, uow.read() as conn:
        if conn.execute(select(t.setting.c.value).where(t.setting.c.key == DEMO_KEY)).scalar():
            return DemoResult(already=True)
        if conn.execute(select(func.count()).select_from(t.part)).scalar_one():
            raise RuleViolation(_("this database already holds a station; the demo needs an empty one (use --db)"))
    previous = clock.set_clock(clock.FixedClock(FIRST_DAY))
    try:
        return _seed(database, parts)
    finally:
        clock.set_clock(previous)


# The seed's connection caches this many KiB of pages (SQLite's default is 2,000): the seed is one transaction of
# some 200 MB at 200,000 parts, and with the default cache its b-tree pages were spilled to the WAL and read back
# again and again.
SEED_CACHE_KIB = 64_000


@contextmanager
def _page_cache(conn: Connection) -> Iterator[None]:
    """SQLite's page cache at SEED_CACHE_KIB for the block, as it was after it; other databases unchanged."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


# The tables the demo fills in bulk, empty before it (seed_demo refuses a station that holds parts).
BULK_TABLES = ("location", "part", "stock_lot", "stock_move")


@contextmanager
def _filled_in_bulk(conn: Connection) -> Iterator[None]:
    """On PostgreSQL, the parts' GIN indexes built and the filled tables' foreign keys checked once after the
    rows, not entry by entry and row by row (data.pg_search, data.pg_bulk_fill); SQLite as it is."""
    if conn.dialect.name != "postgresql":
        yield
        return
    with gin_indexes_built_after(conn), keys_checked_after(conn, BULK_TABLES):
        yield


def _seed(database: Database, count: int) -> DemoResult:
    # One write block holds every service below (theirs join it): the station, its history and the
    # demo's mark commit together, so a demo killed at any moment leaves an empty database to run again.
    rng = random.Random(7)
    with database.writing() as uow, uow.write() as conn, _page_cache(conn):
        # The demo is a Chinese station: its setting, and so its operators, speak Chinese (an admin may change it).
        if conn.execute(select(t.setting.c.value).where(t.setting.c.key == "language")).first() is None:
            conn.execute(insert(t.setting).values(key="language", value=CHINESE))
        if not operators.has_operators(uow=uow):
            operators.create_first_admin("ADMIN", STAFF[0][1], DEMO_PIN, uow=uow)
        admin = operators.authenticate("ADMIN", DEMO_PIN, uow=uow)
        existing = {o.code for o in operators.list_operators(uow=uow)}
        for code, name, roles in STAFF[1:]:
            if code not in existing:
                operators.add_operator(code, name, [r.value for r in roles], DEMO_PIN, actor=admin, uow=uow)
        manager = operators.authenticate("PM1", DEMO_PIN, uow=uow)
        planner = operators.authenticate("PLAN1", DEMO_PIN, uow=uow)
        rows = demo_parts(count)
        with _filled_in_bulk(conn):
            save_part_rows(rows, actor=planner, uow=uow)
            # Opening balances at different dates and costs, applied in date order like the real history.
            openings = []
            for row in rows:
                if not row.location:
                    continue
                for _lot in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
                    qty = rng.choice((1, 2, 2, 4, 5, 6, 10, 12, 20, 24))
                    cost = money(row.list_price * Decimal(rng.randrange(55, 80)) / 100)
                    openings.append((day, row.part_no, row.location, qty, cost))
            openings.sort()
            _book_openings(conn, openings, manager)
        # Repair orders with a requisition and a return; then receiving and planning at work.
        seed_counter(uow, FIRST_DAY + timedelta(days=DAYS, hours=2))
        seed_planning(uow, FIRST_DAY + timedelta(days=DAYS, hours=5))
        with uow.write() as conn:
            conn.execute(insert(t.setting).values(key=DEMO_KEY, value=str(count)))
    return DemoResult(parts=len(rows), lots=len(openings), operators=len(STAFF))
