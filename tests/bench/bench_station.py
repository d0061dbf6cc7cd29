"""Benchmark of partsdesk on a station of N parts: each service median beside a raw-sqlite3 baseline of the same SQL.

Run it from the repository root (it is a report, not a test; pytest does not collect tests/bench):

    .venv/bin/python tests/bench/bench_station.py             # 200,000 parts, the issue's targets
    .venv/bin/python tests/bench/bench_station.py --quick     # 5,000 parts, few rounds: a smoke run
    .venv/bin/python tests/bench/bench_station.py --profile   # also cProfile a requisition through the service

The station (parts with English and Chinese names, model series, ZONE-RR-SS-BB locations, 1-3 lots per
part and a ledger whose sum per lot equals the lot's remaining quantity) is built once with bulk inserts
and cached under --cache-dir, keyed by N, the schema revision and the generator version; --rebuild
builds it again. Every run works on a copy of the cached file, so the cache never wears out.

The baselines run in the same process and the same rounds as the measured code, interleaved, so that a
ratio survives a noisy 2-core machine where another engineer runs tests. The exit status is non-zero
only on an error, never on a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import fcntl
import io
import math
import os
import platform
import pstats
import random
import re
import select
import shlex
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from core import clock, ledger, ledger_chain, pins  # noqa: E402
from core.documents import DocumentRef  # noqa: E402
from core.roles import Actor  # noqa: E402
from core.services import operators  # noqa: E402
from core.services.catalog import search_parts  # noqa: E402
from core.services.repair_orders import open_repair_order  # noqa: E402
from core.services.requisitions import issue_requisition  # noqa: E402
from data.db import BUSY_TIMEOUT_MS, Database  # noqa: E402
from data.migrations import HEAD_REVISION, upgrade  # noqa: E402

# Bump when the generated data changes shape, so a cached station of the old shape is not reused.
GENERATOR_VERSION = 3  # 3: ledger rows chained (core.ledger_chain)
DEFAULT_PARTS = 200_000
QUICK_PARTS = 5_000
PIN = "1234"
STOREKEEPER = "STORE1"
MECHANIC = "MECH1"
VENV_BIN = Path(sys.executable).parent  # the environment running the bench: .venv here, .ci-venv in CI
PYTHON = Path(sys.executable)
PARTSDESK = VENV_BIN / "partsdesk"
TUI_SIZE = (120, 36)  # columns, lines: the size the snapshot tests use

# -- the catalogue the generator draws from ---------------------------------------------------------

# (series, zone, Chinese name, weight): a GM dealer's model series; the zone is the location prefix.
SERIES = [
    ("EXCELLE", "EXC", "凯越", 18),
    ("CRUZE", "CRZ", "科鲁兹", 16),
    ("REGAL", "REG", "君威", 14),
    ("LACROSSE", "LAC", "君越", 12),
    ("ENCORE", "ENC", "昂科拉", 10),
    ("ENVISION", "ENV", "昂科威", 10),
    ("GL8", "GLE", "别克GL8", 8),
    ("MALIBU", "MAL", "迈锐宝", 7),
    ("GENERAL", "GEN", "通用", 5),
]

# Positions a component may come in; the names follow the samples ("Headlamp assembly, left" / 左前大灯总成).
POSITIONS = {
    None: [("", "")],
    "side": [("left", "左"), ("right", "右")],
    "axle": [("front", "前"), ("rear", "后")],
    "corner": [("front left", "左前"), ("front right", "右前"), ("rear left", "左后"), ("rear right", "右后")],
}

# (English, Chinese, unit, price range in yuan, fragile, positions, weight)
COMPONENTS = [
    ("Oil filter", "机油滤清器", "pc", (25, 90), False, None, 10),
    ("Air filter element", "空气滤芯", "pc", (40, 160), False, None, 8),
    ("Cabin air filter", "空调滤芯", "pc", (35, 140), False, None, 6),
    ("Fuel filter", "燃油滤清器", "pc", (60, 260), False, None, 4),
    ("Brake pad set", "刹车片", "set", (180, 900), False, "axle", 9),
    ("Brake disc", "刹车盘", "pc", (260, 1400), False, "axle", 6),
    ("Brake caliper", "制动卡钳", "pc", (600, 2600), False, "corner", 3),
    ("Headlamp assembly", "大灯总成", "pc", (900, 6800), True, "side", 4),
    ("Tail lamp assembly", "尾灯总成", "pc", (500, 3200), True, "side", 4),
    ("Fog lamp", "雾灯", "pc", (180, 900), True, "side", 3),
    ("Door trim strip", "门饰条", "pc", (120, 480), True, "corner", 4),
    ("Door mirror glass", "后视镜镜片", "pc", (90, 520), True, "side", 3),
    ("Windscreen glass", "前挡风玻璃", "pc", (1600, 4800), True, None, 2),
    ("Wiper blade", "雨刮片", "pc", (60, 240), False, "side", 6),
    ("Spark plug", "火花塞", "pc", (30, 120), False, None, 6),
    ("Ignition coil", "点火线圈", "pc", (260, 900), False, None, 4),
    ("Timing belt", "正时皮带", "pc", (280, 900), False, None, 3),
    ("Timing chain kit", "正时链条套件", "set", (900, 3600), False, None, 2),
    ("Water pump", "水泵", "pc", (380, 1600), False, None, 3),
    ("Thermostat", "节温器", "pc", (120, 480), False, None, 3),
    ("Radiator", "散热器", "pc", (900, 3200), False, None, 2),
    ("Cylinder head gasket", "气缸垫", "pc", (180, 760), False, None, 2),
    ("Valve cover gasket", "气门室盖垫", "pc", (80, 300), False, None, 3),
    ("Shock absorber", "减震器", "pc", (380, 1900), False, "corner", 4),
    ("Control arm", "控制臂", "pc", (300, 1400), False, "corner", 3),
    ("Stabiliser link", "平衡杆球头", "pc", (80, 360), False, "axle", 3),
    ("Wheel bearing", "轮毂轴承", "pc", (260, 1200), False, "corner", 3),
    ("CV joint boot kit", "球笼防尘套", "set", (90, 380), False, "side", 2),
    ("Clutch kit", "离合器套件", "set", (1200, 3800), False, None, 2),
    ("Engine mount", "发动机支架", "pc", (260, 1100), False, "side", 2),
    ("Alternator", "发电机", "pc", (1400, 4200), False, None, 1),
    ("Starter motor", "起动机", "pc", (1100, 3600), False, None, 1),
    ("Battery 60Ah", "蓄电池", "pc", (480, 1200), False, None, 2),
    ("CD head unit", "CD主机", "pc", (2200, 5200), True, None, 1),
    ("Bumper cover", "保险杠皮", "pc", (900, 3400), True, "axle", 2),
    ("Grille", "中网", "pc", (600, 2400), True, None, 2),
    ("Door handle", "门把手", "pc", (90, 420), False, "corner", 3),
    ("Window regulator", "玻璃升降器", "pc", (360, 1300), False, "corner", 2),
    ("Drive belt", "发动机皮带", "pc", (90, 380), False, None, 4),
    ("Oxygen sensor", "氧传感器", "pc", (420, 1500), False, None, 2),
    ("Wheel speed sensor", "轮速传感器", "pc", (180, 760), False, "corner", 2),
    ("Drain plug washer", "放油螺栓垫片", "pc", (2, 12), False, None, 6),
    ("Engine oil 5W-30", "机油", "L", (60, 110), False, None, 3),
    ("Brake fluid DOT4", "刹车油", "L", (40, 90), False, None, 2),
    ("Coolant", "防冻液", "L", (30, 80), False, None, 2),
    # Rare names: a short query for them finds few hits, so a scan cannot stop early.
    ("Sunroof motor", "天窗电机", "pc", (800, 2600), False, None, 0.05),
    ("Tow hook cover", "拖车钩盖", "pc", (20, 90), False, "axle", 0.03),
]
VARIANTS = ["", "", "", "", " 1.5L", " 1.6T", " 2.0T", " LED", " chrome", " black"]

# Search queries by kind; the part-number prefixes and fragments are drawn from the station itself.
NAME_WORDS = ["filter", "brake pad", "headlamp", "wiper", "gasket", "sensor", "assembly, left"]
ZH_2 = ["刹车", "大灯", "滤芯", "玻璃", "皮带", "轴承"]
# Below three characters the trigram index cannot help and search falls back to LIKE over every part.
SHORT_RARE = ["天窗", "拖车", "鲸鱼", "扶手", "QZ", "z9"]
ZH_3 = ["滤清器", "刹车片", "大灯总", "雨刮片", "传感器", "减震器"]
NO_MATCH = ["zzqx", "XQ9Z7W", "不存在的件", "nothing here", "天窗玻璃", "ACC-00000Z"]

_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME storage format, so the services read it back


def _ts(at: datetime) -> str:
    """An instant as SQLAlchemy stores it in SQLite (naive UTC text)."""
    return at.strftime(_TIME)


# -- the machine and the report -------------------------------------------------------------------


def machine_lines() -> list[str]:
    """CPU model, cores, load, Python, SQLite and library versions: what a reader needs to compare runs."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import sqlalchemy
    import textual

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"machine : {cpu}, {os.cpu_count()} cores, load {load}, {platform.platform()}",
        f"python  : {platform.python_version()} ({sys.executable})",
        f"sqlite  : {sqlite3.sqlite_version}; SQLAlchemy {sqlalchemy.__version__}; Textual {textual.__version__}",
    ]


@dataclass
class Row:
    """One line of the result table."""

    metric: str
    value: str
    baseline: str = "-"
    ratio: str = "-"
    target: str = "-"
    verdict: str = "-"


@dataclass
class Report:
    """The rows gathered so far and the notes printed under the table."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args: str, **kwargs: str) -> None:
        """Append a row."""
        self.rows.append(Row(*args, **kwargs))

    def skip(self, metric: str, target: str, reason: str) -> None:
        """A row for a measurement that could not run, with the reason as a note."""
        self.rows.append(Row(metric, "skipped", target=target, verdict="SKIP"))
        self.notes.append(f"{metric}: skipped: {reason}")

    def print(self) -> None:
        """Print the table with aligned columns, then the notes."""
        header = Row("metric", "median", "baseline median", "ratio", "target", "result")
        cells = [[r.metric, r.value, r.baseline, r.ratio, r.target, r.verdict] for r in [header, *self.rows]]
        widths = [max(len(c[i]) for c in cells) for i in range(len(header.__dict__))]
        for n, line in enumerate(cells):
            print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) if i < 4 else c.ljust(w)
                            for i, (c, w) in enumerate(zip(line, widths, strict=False))).rstrip())
            if n == 0:
                print("  ".join("-" * w for w in widths))
        for note in self.notes:
            print(textwrap.fill(note, 110, initial_indent="* ", subsequent_indent="  "))


def median(values: list[float]) -> float:
    """The median (statistics.median, named here for the call sites)."""
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds with a precision that suits the size."""
    ms = seconds * 1000
    return f"{ms:.3f} ms" if ms < 10 else f"{ms:.1f} ms"


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


# -- building the station -------------------------------------------------------------------------


def station_path(cache_dir: Path, n_parts: int, seed: int) -> Path:
    """The cached station file for N parts at this schema revision and generator version."""
    return cache_dir / f"station-n{n_parts}-rev{HEAD_REVISION}-gen{GENERATOR_VERSION}-seed{seed}.sqlite"


def cached_station(cache_dir: Path, n_parts: int, seed: int, *, rebuild: bool = False) -> Path:
    """The cached station of N parts at this schema revision: built when missing, or, where the cache holds one of
    an older revision from the same generator, copied and migrated forward (a 1M-part build takes a quarter hour)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = station_path(cache_dir, n_parts, seed)
    if cached.exists() and not rebuild:
        return cached
    older = sorted(cache_dir.glob(f"station-n{n_parts}-rev*-gen{GENERATOR_VERSION}-seed{seed}.sqlite"))
    if older and not rebuild:
        started = time.perf_counter()
        migrating = cached.with_name(f".migrating-{os.getpid()}-{cached.name}")
        shutil.copyfile(older[-1], migrating)
        migrating.chmod(0o600)
        db = Database(f"sqlite:///{migrating}")
        upgrade(db.engine)
        db.dispose()
        os.replace(migrating, cached)
        for leftover in _sqlite_files(migrating)[1:]:
            leftover.unlink(missing_ok=True)
        print(f"station : {older[-1].name} migrated to {cached.name} in {time.perf_counter() - started:.1f} s")
        return cached
    build_station(cached, n_parts, seed)
    return cached


def raw_connect(path: Path) -> sqlite3.Connection:
    """A raw sqlite3 connection with the pragmas data/db.py sets: autocommit driver, WAL, FKs, NORMAL, busy timeout."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def build_station(path: Path, n_parts: int, seed: int) -> None:
    """Create the migrated file with operators through the services, then bulk-insert parts, lots and ledger."""
    started = time.perf_counter()
    building = path.with_name(f".building-{os.getpid()}-{path.name}")
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)
    db = Database(f"sqlite:///{building}")
    upgrade(db.engine)
    # Operators go through the services so their PIN hashes are real; scrypt costs about 40 ms each.
    with db.writing() as uow:
        operators.create_first_admin("ADMIN", "Admin 管理员", PIN, uow=uow)
        admin = operators.authenticate("ADMIN", PIN, uow=uow)
        for code, name, role in [
            (STOREKEEPER, "Wang Lei 王磊", "storekeeper"),
            ("STORE2", "Li Na 李娜", "storekeeper"),
            ("PLAN1", "Zhang Wei 张伟", "planner"),
            ("PM1", "Liu Yang 刘洋", "parts_manager"),
        ]:
            operators.add_operator(code, name, [role], PIN, actor=admin, uow=uow)
    db.dispose()

    conn = raw_connect(building)
    # Speed over durability while building: a crash only loses a cache file that is rebuilt.
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    ids = dict(conn.execute("SELECT code, id FROM operator"))
    storekeepers = [ids[STOREKEEPER], ids["STORE2"]]
    conn.execute("BEGIN IMMEDIATE")
    counts = _generate(conn, n_parts, random.Random(seed), storekeepers, ids["PLAN1"])
    conn.execute("COMMIT")
    _check_station(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(building, path)
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)
    print(f"built {path.name}: {counts} in {time.perf_counter() - started:.1f} s")


def _sqlite_files(path: Path) -> list[Path]:
    """A SQLite file with its WAL and shared-memory companions."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _generate(conn: sqlite3.Connection, n_parts: int, rng: random.Random, storekeepers: list[int],
              planner: int) -> str:
    """Insert locations, parts, lots and ledger rows in chunks with executemany; ids are assigned here."""
    # Locations: every zone gets 20 rows x 10 shelves x 10 bins, so about a dozen parts share a bin.
    locations = []
    zone_locations: dict[str, list[int]] = {}
    for series, zone, _zh, _w in SERIES:
        for row in range(1, 21):
            for shelf in range(1, 11):
                for bin_ in range(1, 11):
                    loc_id = len(locations) + 1
                    locations.append((loc_id, f"{zone}-{row:02d}-{shelf:02d}-{bin_:02d}", zone, series))
                    zone_locations.setdefault(series, []).append(loc_id)
    conn.executemany("INSERT INTO location (id, code, zone, series) VALUES (?, ?, ?, ?)", locations)

    series_names = [s[0] for s in SERIES]
    series_weights = [s[3] for s in SERIES]
    comp_weights = [c[6] for c in COMPONENTS]
    seen: set[str] = set()
    start = datetime(2024, 1, 2, tzinfo=timezone.utc)
    span_days = (datetime(2026, 11, 1, tzinfo=timezone.utc) - start).days
    doc_last: dict[tuple[str, int], int] = {}
    part_id = lot_id = move_id = 0
    chain = ledger_chain.SEED
    chunk = 10_000
    for first in range(0, n_parts, chunk):
        parts, lots, moves = [], [], []
        for _ in range(min(chunk, n_parts - first)):
            part_id += 1
            part_no = _part_no(rng, seen)
            series = rng.choices(series_names, series_weights)[0]
            en, zh, unit, (lo, hi), fragile, positions, _w = rng.choices(COMPONENTS, comp_weights)[0]
            pos_en, pos_zh = rng.choice(POSITIONS[positions])
            variant = rng.choice(VARIANTS)
            name = f"{en}, {pos_en}{variant}" if pos_en else f"{en}{variant}"
            name_zh = f"{pos_zh}{zh}{variant}"
            price = rng.randint(lo * 100, hi * 100)
            home = rng.choice(zone_locations[series])
            parts.append((part_id, part_no, name, name_zh, series, unit, price, int(fragile), 1000, home))
            # 1-3 lots, received at different times, each at a slightly different cost.
            n_lots = rng.choices((1, 2, 3), (35, 30, 35))[0]
            days = sorted(rng.sample(range(span_days), n_lots))
            for k, day in enumerate(days):
                lot_id += 1
                received_at = start + timedelta(days=day, hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
                # Mostly the home bin, sometimes an overflow bin in the same zone.
                loc = home if rng.random() < 0.8 else rng.choice(zone_locations[series])
                received = rng.randint(2, 40) * 1000
                cost = int(price * rng.uniform(0.55, 0.75))
                newest = k == n_lots - 1
                if not newest and k == 0 and rng.random() < 0.12:
                    consumed = received  # an emptied oldest lot, as FIFO leaves behind
                else:
                    consumed = rng.randint(0, (received // 2 if newest else received - 1000) // 1000) * 1000
                rcv = _doc_no(doc_last, "RCV", received_at, per_day=True)
                lots.append((lot_id, part_id, loc, _ts(received_at), received, received - consumed, cost, "RCV", rcv))
                move_id += 1
                moves.append((move_id, received_at, "receipt", part_id, lot_id, loc, received, cost, "RCV", rcv,
                              planner, None))
                # The consumption as one to three requisitions after the receipt.
                left, at = consumed, received_at
                while left > 0:
                    take = left if rng.random() < 0.5 else rng.randint(1, left // 1000) * 1000
                    at = at + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
                    move_id += 1
                    moves.append((move_id, at, "issue", part_id, lot_id, loc, -take, cost, "REQ",
                                  _doc_no(doc_last, "REQ", at), rng.choice(storekeepers), None))
                    left -= take
        conn.executemany(
            "INSERT INTO part (id, part_no, name, name_zh, model_series, unit, list_price, fragile, pack_qty,"
            " default_location_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", parts)
        conn.executemany(
            "INSERT INTO stock_lot (id, part_id, location_id, received_at, qty_received, qty_remaining, unit_cost,"
            " doc_type, doc_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", lots)
        # Each ledger row chained to the one before, as core.ledger_chain.append does for the services.
        chained = []
        for move in moves:
            chain = ledger_chain.link(chain, ledger_chain.encode(*move))
            chained.append((*move[:1], _ts(move[1]), *move[2:], chain))
        conn.executemany(
            "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chained)
    # Numbering continues after the history, as if the station had handed these numbers out itself.
    conn.executemany(
        "INSERT INTO document_sequence (doc_type, year, last_no) VALUES (?, ?, ?)",
        [(t, y, n) for (t, y), n in doc_last.items()])
    conn.execute("UPDATE ledger_head SET last_id = ?, chain = ?", (move_id, chain))
    return f"{part_id:,} parts, {lot_id:,} lots, {move_id:,} ledger rows, {len(locations):,} locations"


def _part_no(rng: random.Random, seen: set[str]) -> str:
    """A new realistic part number: mostly GM 8-digit numbers, some lettered accessory and import numbers."""
    while True:
        kind = rng.random()
        if kind < 0.85:
            part_no = f"{rng.choice('1122999995')}{rng.randint(0, 9_999_999):07d}"
        elif kind < 0.95:
            part_no = f"{rng.choice(('5Q0', '1K0', '3C0', '06L', '04E', '5C6'))}{rng.randint(100, 999)}" \
                      f"{rng.randint(0, 999):03d}{rng.choice(('', 'A', 'B', 'C', 'D'))}"
        else:
            part_no = f"{rng.choice(('ACC', 'GMA'))}-{rng.randint(10000, 99999)}{rng.choice('ABCDEFGH')}"
        if part_no not in seen:
            seen.add(part_no)
            return part_no


def _doc_no(last: dict[tuple[str, int], int], doc_type: str, at: datetime, per_day: bool = False) -> str:
    """A document number of the year of `at`: receipts one per day (the day of year), requisitions counted."""
    key = (doc_type, at.year)
    number = at.timetuple().tm_yday if per_day else last.get(key, 0) + 1
    last[key] = max(last.get(key, 0), number)
    return f"{doc_type}-{at.year}-{number:06d}"


def _check_station(conn: sqlite3.Connection) -> None:
    """Refuse a station whose ledger disagrees with its lots, or whose search index misses rows."""
    bad = conn.execute(
        "SELECT count(*) FROM stock_lot l LEFT JOIN (SELECT lot_id, sum(qty) AS s FROM stock_move GROUP BY lot_id) m"
        " ON m.lot_id = l.id WHERE coalesce(m.s, 0) != l.qty_remaining OR l.qty_remaining < 0").fetchone()[0]
    if bad:
        raise RuntimeError(f"generated station is inconsistent: {bad} lots disagree with the ledger")
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise RuntimeError("generated station breaks a foreign key")
    conn.execute("INSERT INTO part_fts(part_fts) VALUES ('integrity-check')")


def working_copy(args: argparse.Namespace) -> Path:
    """Build the cached station if needed, then copy it for this run (issues consume stock)."""
    cache_dir = Path(args.cache_dir)
    cached = cached_station(cache_dir, args.parts, args.seed, rebuild=args.rebuild)
    print(f"station : cached {cached} (use --rebuild to build it again)")
    run = cache_dir / f"run-{os.getpid()}.sqlite"
    shutil.copyfile(cached, run)
    run.chmod(0o600)
    # The one-step issue the benchmark times (the station's default is the parts clerk's written requisition,
    # which refuses it): set on the copy, so stations cached before that default still serve.
    conn = raw_connect(run)
    conn.execute("INSERT INTO setting (key, value) VALUES ('separate_issue', 'off')"
                 " ON CONFLICT (key) DO UPDATE SET value = 'off'")
    conn.close()
    return run


def station_summary(path: Path) -> str:
    """Counts and file size of the station, for the header."""
    conn = sqlite3.connect(path)
    try:
        parts, lots, moves = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                              for t in ("part", "stock_lot", "stock_move"))
    finally:
        conn.close()
    return f"{parts:,} parts, {lots:,} lots, {moves:,} ledger rows, {path.stat().st_size / 1e6:.0f} MB"


# -- issuing a requisition -------------------------------------------------------------------------

# What SQLAlchemy sends for a one-line requisition (issue_requisition), written out by hand; compare with
# --show-sql. A read block checks the mechanic's PIN, then the write block: the repair order locked, the
# part's id, what may be issued, the next number, the requisition, the lots oldest first, the guarded
# updates, the ledger rows and the line. The unit of work switches the connection's query_only pragma when
# it passes from reading to writing and sends BEGIN itself (data/db.py), so the baseline does the same.
SQL_MECHANIC = ("SELECT operator.id, operator.code, operator.name, operator.roles, operator.pin_hash, operator.active"
                " FROM operator WHERE operator.code = ?")
SQL_RO = "SELECT * FROM repair_order WHERE repair_order.ro_no = ?"
SQL_PART_ID = "SELECT part.id FROM part WHERE part.part_no = ?"
SQL_ISSUABLE = (
    "SELECT part.part_no, sum(stock_lot.qty_remaining) AS sum_1 FROM part JOIN stock_lot ON stock_lot.part_id = part.id"
    " JOIN location ON location.id = stock_lot.location_id WHERE part.part_no IN (?) AND stock_lot.qty_remaining > ?"
    " AND location.zone != ? GROUP BY part.part_no")
SQL_NEXT_NUMBER = ("INSERT INTO document_sequence (doc_type, year, last_no) VALUES (?, ?, ?)"
                   " ON CONFLICT (doc_type, year) DO UPDATE SET last_no = (document_sequence.last_no + ?)"
                   " RETURNING last_no")
SQL_REQUISITION = ("INSERT INTO requisition (req_no, repair_order_id, issued_at, storekeeper_id, mechanic_id)"
                   " VALUES (?, ?, ?, ?, ?)")
SQL_FIFO_LOTS = (
    "SELECT stock_lot.id, stock_lot.part_id, stock_lot.location_id, stock_lot.qty_remaining, stock_lot.unit_cost,"
    " stock_lot.received_at, location.code FROM stock_lot JOIN part ON part.id = stock_lot.part_id"
    " JOIN location ON location.id = stock_lot.location_id WHERE part.part_no = ? AND stock_lot.qty_remaining > ?"
    " AND location.zone != ? ORDER BY stock_lot.received_at, stock_lot.id")
SQL_TAKE = ("UPDATE stock_lot SET qty_remaining=(stock_lot.qty_remaining - ?)"
            " WHERE stock_lot.id = ? AND stock_lot.qty_remaining >= ?")
SQL_HEAD = "SELECT ledger_head.last_id, ledger_head.chain FROM ledger_head WHERE ledger_head.id = ?"
SQL_MOVE = ("INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_HEAD_MOVED = "UPDATE ledger_head SET last_id=?, chain=? WHERE ledger_head.id = ?"


def raw_append(conn: sqlite3.Connection, at: datetime, moves: list[tuple]) -> None:
    """Ledger rows by hand as core.ledger_chain.append writes them: the head, the next ids, each row's chain."""
    last_id, chain = conn.execute(SQL_HEAD, (1,)).fetchone()
    rows = []
    for move in moves:
        last_id += 1
        chain = ledger_chain.link(chain, ledger_chain.encode(last_id, at, *move))
        rows.append((last_id, _ts(at), *move, chain))
    conn.executemany(SQL_MOVE, rows)
    conn.execute(SQL_HEAD_MOVED, (last_id, chain, 1))


SQL_LINE = "INSERT INTO requisition_line (requisition_id, line_no, part_id, qty, cost) VALUES (?, ?, ?, ?, ?)"


BENCH_DOCUMENT = DocumentRef("REQ", "REQ-2026-BENCH1")


@dataclass(frozen=True)
class IssueCase:
    """One issue to run: a part whose three lots with stock the issue crosses, and the quantity in thousandths."""

    part_no: str
    qty: int
    lots: tuple[int, ...]

    @property
    def qty_decimal(self) -> Decimal:
        """The quantity as the service takes it."""
        return Decimal(self.qty).scaleb(-3)


@dataclass(frozen=True)
class Counter:
    """Who stands at the counter: the storekeeper issuing, the mechanic signing, the open repair order."""

    storekeeper: Actor
    mechanic: str
    ro: str


def open_counter(db: Database, storekeeper: Actor) -> Counter:
    """A mechanic and an open repair order on the working copy (the cached station has neither).

    The mechanic's PIN hash is made at a low scrypt cost, as the tests make theirs: the cost is stored in the
    hash and the check reads it back, so each issue still checks the PIN the way production does, but the
    benchmark times the issue path rather than scrypt (about 40 ms a check at production cost, on both paths).
    """
    previous = pins._N
    pins._N = 2**8
    try:
        with db.writing() as uow:
            admin = operators.authenticate("ADMIN", PIN, uow=uow)
            operators.add_operator(MECHANIC, "Zhao Gang 赵刚", ["mechanic"], PIN, actor=admin, uow=uow)
            operators.add_operator("ADV1", "Sun Li 孙丽", ["advisor"], PIN, actor=admin, uow=uow)
            advisor = operators.authenticate("ADV1", PIN, uow=uow)
            ro = open_repair_order(customer="王先生", phone="13800138000", vin="LSGPC54U3AF123456", plate="沪A12345",
                                   series="EXCELLE", mileage=42000, complaint="bench", actor=advisor, uow=uow).ro_no
    finally:
        pins._N = previous
    return Counter(storekeeper, MECHANIC, ro)


def issue_cases(path: Path, seed: int) -> list[IssueCase]:
    """Parts with exactly three lots holding stock, shuffled; each issue empties two lots and takes 1 of the third."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT p.part_no, l.id, l.qty_remaining FROM stock_lot l JOIN part p ON p.id = l.part_id"
            " WHERE l.qty_remaining > 0 ORDER BY l.part_id, l.received_at, l.id").fetchall()
    finally:
        conn.close()
    by_part: dict[str, list[tuple[int, int]]] = {}
    for part_no, lot, remaining in rows:
        by_part.setdefault(part_no, []).append((lot, remaining))
    cases = [IssueCase(p, lots[0][1] + lots[1][1] + 1000, tuple(lot for lot, _r in lots))
             for p, lots in by_part.items() if len(lots) == 3]
    random.Random(seed).shuffle(cases)
    return cases


def raw_issue(conn: sqlite3.Connection, case: IssueCase, counter: Counter) -> None:
    """A one-line requisition by hand on raw sqlite3: the same statements issue_requisition sends, in its order."""
    now = datetime.now(timezone.utc)
    at = _ts(now)
    # The read block: the mechanic's PIN, checked outside the write lock.
    conn.execute("PRAGMA query_only=1")
    conn.execute("BEGIN")
    mechanic = conn.execute(SQL_MECHANIC, (counter.mechanic,)).fetchone()
    conn.execute("ROLLBACK")
    if mechanic is None or not pins.check_pin(PIN, mechanic[4]) or not mechanic[5]:
        raise RuntimeError("the mechanic's code or PIN was not accepted")
    conn.execute("PRAGMA query_only=0")
    conn.execute("BEGIN IMMEDIATE")
    try:
        ro = conn.execute(SQL_RO, (counter.ro,)).fetchone()
        (pid,) = conn.execute(SQL_PART_ID, (case.part_no,)).fetchone()
        on_hand = dict(conn.execute(SQL_ISSUABLE, (case.part_no, 0, "QRN")).fetchall())
        if on_hand.get(case.part_no, 0) < case.qty:
            raise RuntimeError(f"not enough stock of {case.part_no}")
        (number,) = conn.execute(SQL_NEXT_NUMBER, ("REQ", 2026, 1, 1)).fetchone()
        req_no = f"REQ-2026-{number:06d}"
        req_id = conn.execute(SQL_REQUISITION, (req_no, ro[0], at, counter.storekeeper.id, mechanic[0])).lastrowid
        lots = conn.execute(SQL_FIFO_LOTS, (case.part_no, 0, "QRN")).fetchall()
        left, picks = case.qty, []
        for lot in lots:
            take = min(lot[3], left)
            picks.append((lot, take))
            left -= take
            if not left:
                break
        if left:
            raise RuntimeError(f"not enough stock of {case.part_no}")
        taken = conn.executemany(SQL_TAKE, [(take, lot[0], take) for lot, take in picks]).rowcount
        if taken != len(picks):
            raise RuntimeError(f"stock of {case.part_no} changed meanwhile")
        raw_append(conn, now, [
            ("issue", pid, lot[0], lot[2], -take, lot[4], "REQ", req_no, counter.storekeeper.id, counter.ro)
            for lot, take in picks])
        # The line's cost: each lot's quantity at that lot's cost (thousandths times cents), rounded to cents.
        cost = round(sum(take * lot[4] for lot, take in picks) / 1000)
        conn.execute(SQL_LINE, (req_id, 1, pid, case.qty, cost))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def service_issue(db: Database, case: IssueCase, counter: Counter) -> None:
    """A one-line requisition through the service, in a unit of work of its own as a screen or a CLI command
    opens one."""
    with db.writing() as uow:
        issued = issue_requisition(counter.ro, [(case.part_no, case.qty_decimal)], mechanic=counter.mechanic,
                                   mechanic_pin=PIN, actor=counter.storekeeper, uow=uow)
    took = tuple(take.lot for take in issued.lines[0].takes)
    if took != case.lots:
        # Timing an issue that is not FIFO would measure the wrong thing: stop and say so.
        raise RuntimeError(f"the requisition of {case.part_no} took lots {took}, oldest first would be {case.lots}")


def raw_take(conn: sqlite3.Connection, case: IssueCase, counter: Counter) -> None:
    """The stock ledger's oldest-first take by hand on raw sqlite3: BEGIN IMMEDIATE, the lots, the guarded
    updates, the ledger rows, COMMIT (what core.ledger.take_oldest_first sends inside a write block)."""
    now = datetime.now(timezone.utc)
    conn.execute("PRAGMA query_only=0")
    conn.execute("BEGIN IMMEDIATE")
    try:
        lots = conn.execute(SQL_FIFO_LOTS, (case.part_no, 0, "QRN")).fetchall()
        left, picks = case.qty, []
        for lot in lots:
            take = min(lot[3], left)
            picks.append((lot, take))
            left -= take
            if not left:
                break
        if left:
            raise RuntimeError(f"not enough stock of {case.part_no}")
        taken = conn.executemany(SQL_TAKE, [(take, lot[0], take) for lot, take in picks]).rowcount
        if taken != len(picks):
            raise RuntimeError(f"stock of {case.part_no} changed meanwhile")
        raw_append(conn, now, [
            ("issue", lot[1], lot[0], lot[2], -take, lot[4], "REQ", "REQ-2026-BENCH1", counter.storekeeper.id, None)
            for lot, take in picks])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def service_take(db: Database, case: IssueCase, counter: Counter) -> None:
    """The stock ledger's oldest-first take (core.ledger.take_oldest_first) in a write unit of its own: the hot
    path under every issue, without the requisition's document around it."""
    with db.writing() as uow, uow.write() as conn:
        takes = ledger.take_oldest_first(conn, case.part_no, case.qty_decimal, document=BENCH_DOCUMENT,
                                         actor=counter.storekeeper, at=clock.now())
    took = tuple(take.lot for take in takes)
    if took != case.lots:
        raise RuntimeError(f"the take of {case.part_no} took lots {took}, oldest first would be {case.lots}")


def bench_issue(path: Path, args: argparse.Namespace, report: Report, cases: list[IssueCase],
                db: Database, counter: Counter, *, what: str = "requisition") -> list[IssueCase]:
    """Rounds of service and raw batches, interleaved and alternating which goes first; returns the cases used.

    `what` is "requisition" (issue_requisition, the counter's whole document) or "take" (the ledger's
    oldest-first take alone, the hot path under it)."""
    service, raw_fn = (service_issue, raw_issue) if what == "requisition" else (service_take, raw_take)
    rounds, batch = args.rounds, args.batch
    warm = 20
    needed = 2 * (rounds * batch + warm)
    if len(cases) < needed:
        # A small station has few three-lot parts: shrink the batches rather than fail.
        batch = max(5, (len(cases) // 2 - warm) // rounds)
        report.notes.append(f"issue: only {len(cases)} three-lot parts, batches cut to {batch}")
        needed = 2 * (rounds * batch + warm)
    svc_cases, raw_cases = cases[0:needed:2], cases[1:needed:2]
    raw = raw_connect(path)
    try:
        for case in svc_cases[:warm]:
            service(db, case, counter)
        for case in raw_cases[:warm]:
            raw_fn(raw, case, counter)
        svc_ops, raw_ops, svc_rate, raw_rate = [], [], [], []

        def run(fn, todo, ops, rates):
            """One batch: each issue timed alone, and the batch's throughput."""
            t_batch = time.perf_counter()
            for case in todo:
                t0 = time.perf_counter()
                fn(case)
                ops.append(time.perf_counter() - t0)
            rates.append(len(todo) / (time.perf_counter() - t_batch))

        for r in range(rounds):
            s = svc_cases[warm + r * batch: warm + (r + 1) * batch]
            w = raw_cases[warm + r * batch: warm + (r + 1) * batch]
            jobs = [(lambda c: service(db, c, counter), s, svc_ops, svc_rate),
                    (lambda c: raw_fn(raw, c, counter), w, raw_ops, raw_rate)]
            for job in (jobs if r % 2 == 0 else jobs[::-1]):
                run(*job)
    finally:
        raw.close()
    rate, raw_rate_m = median(svc_rate), median(raw_rate)
    op, raw_op = median(svc_ops), median(raw_ops)
    n = len(svc_ops)
    if what == "take":
        label = "ledger take, oldest first over 3 lots"
        # The hot path's own target: what the counter's issue costs in the ledger, whatever document is around it.
        rate_target, rate_ok = ">= 2,000/s", verdict(rate >= 2000)
    else:
        label = "requisition, 1 line over 3 lots"
        # A whole document (number, repair order, line, PIN check): judged against the same work done raw.
        rate_target, rate_ok = "-", "-"
    report.add(f"{label}: ops/s ({rounds} batches of {batch})", f"{rate:,.0f}/s",
               f"{raw_rate_m:,.0f}/s", f"{raw_rate_m / rate:.1f}x", rate_target, rate_ok)
    report.add(f"{label}: per op (n={n})", fmt_ms(op), fmt_ms(raw_op),
               f"{op / raw_op:.1f}x", "<= 5x raw", verdict(op / raw_op <= 5))
    report.add(f"{label}: per op p95", fmt_ms(p95(svc_ops)), fmt_ms(p95(raw_ops)),
               f"{p95(svc_ops) / p95(raw_ops):.1f}x")
    if what == "take":
        report.notes.append(
            "ledger take: core.ledger.take_oldest_first inside a write unit of its own (BEGIN IMMEDIATE, the lots "
            "oldest first, guarded updates, one ledger row per lot, COMMIT), crossing three lots of a part not "
            "issued before; baseline: the same statements by hand on raw sqlite3")
        return svc_cases + raw_cases
    report.notes.append(
        "requisition: issue_requisition of one line against an open repair order, signed by the mechanic's PIN "
        "(hashed at a low scrypt cost, see open_counter; production adds about 40 ms a requisition for it), "
        "crossing three lots (empties the two oldest, takes 1 from the third) of a part not issued before, in a "
        "unit of work of its own; ops/s is the median over batches of batch size / batch wall time (so WAL "
        "checkpoints and GC pauses count), per op the median of single issues; baseline: the same statements by "
        "hand on one raw sqlite3 connection with the same pragmas, the same PIN check, query_only switches and "
        "BEGINs")
    return svc_cases + raw_cases


def check_issued(path: Path, used: list[IssueCase]) -> None:
    """After the issues, every touched lot's ledger must still equal its remaining quantity."""
    conn = sqlite3.connect(path)
    try:
        lots = [lot for case in used for lot in case.lots]
        bad = 0
        for i in range(0, len(lots), 500):
            part = lots[i:i + 500]
            marks = ",".join("?" * len(part))
            bad += conn.execute(
                f"SELECT count(*) FROM stock_lot l JOIN (SELECT lot_id, sum(qty) AS s FROM stock_move"
                f" WHERE lot_id IN ({marks}) GROUP BY lot_id) m ON m.lot_id = l.id WHERE m.s != l.qty_remaining",
                part).fetchone()[0]
    finally:
        conn.close()
    if bad:
        raise RuntimeError(f"{bad} lots disagree with the ledger after the issue benchmark")


# -- search_parts ---------------------------------------------------------------------------------


class SqlCapture:
    """Records what one engine sends to the driver (statements, parameters, rollbacks and commits)."""

    def __init__(self, db: Database) -> None:
        """Start listening on the database's engine."""
        self.log: list[tuple[str, object]] = []
        event.listen(db.engine, "before_cursor_execute", self._execute)
        event.listen(db.engine, "rollback", lambda conn: self.log.append(("ROLLBACK", None)))
        event.listen(db.engine, "commit", lambda conn: self.log.append(("COMMIT", None)))

    def _execute(self, conn, cursor, statement, parameters, context, executemany):
        """Record one statement as the driver receives it."""
        self.log.append((statement, parameters))

    def take(self) -> list[tuple[str, object]]:
        """The statements since the last take."""
        log, self.log = self.log, []
        return log


def replay(conn: sqlite3.Connection, log: list[tuple[str, object]]) -> int:
    """Run captured statements on raw sqlite3, fetching every row as the service does; returns the row count."""
    rows = 0
    for statement, params in log:
        if statement == "ROLLBACK":
            conn.rollback()
        elif statement == "COMMIT":
            conn.commit()
        else:
            rows += len(conn.execute(statement, params or ()).fetchall())
    return rows


def search_queries(path: Path, seed: int) -> dict[str, list[str]]:
    """The queries by kind; part-number prefixes and fragments come from part numbers in the station."""
    rng = random.Random(seed + 1)
    conn = sqlite3.connect(path)
    try:
        count = conn.execute("SELECT max(id) FROM part").fetchone()[0]
        numbers = [conn.execute("SELECT part_no FROM part WHERE id = ?", (rng.randint(1, count),)).fetchone()[0]
                   for _ in range(12)]
    finally:
        conn.close()
    numeric = [p for p in numbers if p.isdigit()] or numbers
    prefixes = [numeric[0][:2], numeric[1][:3], numeric[2][:4], numeric[3][:6], numeric[4], numbers[-1][:5].lower()]
    fragments = [numeric[5][2:7], numeric[6][3:8], numeric[7][1:7], numbers[-2][3:7]]
    return {
        "prefix (part no)": prefixes,
        "substring: name words": NAME_WORDS,
        "substring: zh 2 chars, common": ZH_2,
        "substring: 2 chars, rare or none": SHORT_RARE,
        "substring: zh 3 chars": ZH_3,
        "substring: part-no fragment": fragments,
        "no match, 3+ chars": NO_MATCH,
    }


def bench_search(path: Path, args: argparse.Namespace, report: Report, db: Database) -> None:
    """Every query through the service and as a raw replay of the exact SQL it sent, interleaved."""
    capture_db = Database(f"sqlite:///{path}")  # its own engine, so the measured one carries no listener
    capture = SqlCapture(capture_db)
    raw = raw_connect(path)
    queries = search_queries(path, args.seed)
    details = []
    try:
        for kind, qs in queries.items():
            svc, base = [], []
            for q in qs:
                with capture_db.reading() as uow:
                    hits = search_parts(q, uow=uow)
                log = capture.take()
                first = len(svc)
                for _ in range(3):  # warm both paths: statement caches, pages
                    with db.reading() as uow:
                        search_parts(q, uow=uow)
                    replay(raw, log)
                for rep in range(args.reps):
                    order = (0, 1) if rep % 2 == 0 else (1, 0)
                    for which in order:
                        t0 = time.perf_counter()
                        if which == 0:
                            with db.reading() as uow:
                                search_parts(q, uow=uow)
                            svc.append(time.perf_counter() - t0)
                        else:
                            replay(raw, log)
                            base.append(time.perf_counter() - t0)
                details.append(f"{q!r} {len(hits)} hits {fmt_ms(median(svc[first:]))}")
            m, b = median(svc), median(base)
            report.add(f"search_parts {kind} ({len(qs)} queries x {args.reps})", fmt_ms(m), fmt_ms(b),
                       f"{m / b:.1f}x", "<= 10 ms", verdict(m <= 0.010))
            report.add(f"search_parts {kind}: p95", fmt_ms(p95(svc)), fmt_ms(p95(base)), f"{p95(svc) / p95(base):.1f}x")
    finally:
        raw.close()
        capture_db.dispose()
    report.notes.append("search queries (hits, at most 50; service median): " + "; ".join(details))
    report.notes.append("search baseline: the exact statements and parameters the service sent for that query "
                        "(BEGIN, range query, FTS MATCH or LIKE, details, on-hand sums, ROLLBACK) replayed on sqlite3")


# -- start-up -------------------------------------------------------------------------------------


def cli_ready(path: Path, part_no: str) -> str | None:
    """None when `partsdesk part show --json` works on the station, else why not."""
    if not PARTSDESK.exists():
        return f"{PARTSDESK} is not installed"
    try:
        done = subprocess.run([str(PARTSDESK), "--db", str(path), "part", "show", part_no, "--json"],
                              capture_output=True, text=True, timeout=30, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return "`partsdesk part show` did not finish in 30 s"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
        return f"`partsdesk part show` exited {done.returncode}: {tail[0][:200]}"
    if part_no not in done.stdout:
        return f"`partsdesk part show --json` printed no {part_no}: {done.stdout[:120]!r}"
    return None


def wall(argv: list[str]) -> float:
    """Wall time of one subprocess run to its end."""
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=True)
    return time.perf_counter() - t0


def bench_cli(path: Path, args: argparse.Namespace, report: Report, part_no: str) -> None:
    """Wall time of `partsdesk --db FILE part show PART --json` against `python -c pass`."""
    metric = f"start-up: CLI `part show --json` wall time (n={args.startup_runs})"
    reason = cli_ready(path, part_no)
    if reason:
        report.skip(metric, "<= 1.0 s", reason)
        return
    cli = [str(PARTSDESK), "--db", str(path), "part", "show", part_no, "--json"]
    base = [str(PYTHON), "-c", "pass"]
    times, base_times = [], []
    for n in range(args.startup_runs):
        for which in ((0, 1) if n % 2 == 0 else (1, 0)):
            (times if which == 0 else base_times).append(wall(cli if which == 0 else base))
    m, b = median(times), median(base_times)
    report.add(metric, f"{m:.3f} s", f"{b:.3f} s", f"{m / b:.1f}x", "<= 1.0 s", verdict(m <= 1.0))
    report.notes.append(f"CLI baseline: `{PYTHON.name} -c pass`; command: {shlex.join(cli)}")


# CSI sequences, OSC strings, DCS/APC strings and two-byte escapes.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_=>]"
)


def screen_text(raw: bytes) -> str:
    """What a terminal would show of the output, roughly: escape sequences removed."""
    return _ANSI.sub("", raw.decode("utf-8", "replace"))


def gist(screen: str) -> str:
    """The last few lines of a screen that say something (an error line if any), without box drawing."""
    lines = [re.sub(r"[\u2500-\u257f]+", " ", line).strip() for line in screen.splitlines()]
    lines = [line for line in lines if re.search(r"\w", line)]
    errors = [line for line in lines if "error" in line.lower()]
    return " | ".join((errors or lines)[-3:])[:300] or "(nothing)"


def first_paint(argv: list[str], marker: str, timeout: float) -> tuple[float | None, str]:
    """Seconds from spawn until `marker` appears on a 120x36 pseudo-terminal (None if never), and the screen text."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL")}
    env.update(TERM="xterm-256color", COLUMNS=str(TUI_SIZE[0]), LINES=str(TUI_SIZE[1]), COLORTERM="truecolor")
    master, slave = os.openpty()
    # Textual asks the terminal for its size; COLUMNS/LINES alone do not reach ioctl(TIOCGWINSZ).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TUI_SIZE[1], TUI_SIZE[0], 0, 0))
    out = bytearray()
    found = None
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    try:
        while (left := t0 + timeout - time.perf_counter()) > 0:
            ready, _w, _x = select.select([master], [], [], min(left, 0.05))
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
            if marker in screen_text(bytes(out)):
                found = time.perf_counter() - t0
                break
    finally:
        # The child leads its own session (start_new_session), so its group id is its pid: only what we started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    return found, screen_text(bytes(out))


BASELINE_APP = '''\
"""A trivial Textual app painting one Static: the floor of any Textual first paint."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Baseline(App):
    def compose(self) -> ComposeResult:
        yield Static("Operator code and PIN")


if __name__ == "__main__":
    Baseline().run()
'''


def bench_tui(path: Path, args: argparse.Namespace, report: Report) -> None:
    """Time to the login screen's text in a pseudo-terminal against a one-Static Textual app."""
    metric = f"start-up: TUI first screen painted, until {args.tui_marker!r} (n={args.startup_runs})"
    if not PARTSDESK.exists():
        report.skip(metric, "<= 0.6 s", f"{PARTSDESK} is not installed")
        return
    app = [str(PARTSDESK), "--db", str(path)]
    found, screen = first_paint(app, args.tui_marker, args.tui_timeout)  # also warms the page cache
    if found is None:
        report.skip(metric, "<= 0.6 s", f"{args.tui_marker!r} did not appear within {args.tui_timeout:.0f} s "
                                        f"of `{shlex.join(app)}`; it showed: {gist(screen)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "baseline_app.py"
        script.write_text(BASELINE_APP)
        base = [str(PYTHON), str(script)]
        if first_paint(base, "PIN", args.tui_timeout)[0] is None:
            raise RuntimeError("the baseline Textual app did not paint: the pty harness is broken")
        times, base_times = [], []
        for n in range(args.startup_runs):
            for which in ((0, 1) if n % 2 == 0 else (1, 0)):
                seconds, screen = first_paint(app if which == 0 else base, args.tui_marker if which == 0 else "PIN",
                                              args.tui_timeout)
                if seconds is None:
                    raise RuntimeError(f"{'partsdesk' if which == 0 else 'baseline'} did not paint: {gist(screen)}")
                (times if which == 0 else base_times).append(seconds)
    m, b = median(times), median(base_times)
    report.add(metric, f"{m:.3f} s", f"{b:.3f} s", f"{m / b:.1f}x", "<= 0.6 s", verdict(m <= 0.6))
    report.notes.append("TUI baseline: a Textual app with one Static, same pty (120x36, TERM=xterm-256color); "
                        f"command: {shlex.join(app)}")


# -- profiling ------------------------------------------------------------------------------------


def profile_issue(db: Database, cases: list[IssueCase], counter: Counter) -> None:
    """cProfile a run of service issues and print where the time goes, by own time and by cumulative time."""
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    for case in cases:
        service_issue(db, case, counter)
    profiler.disable()
    elapsed = time.perf_counter() - t0
    stats = pstats.Stats(profiler)
    total = sum(tt for _cc, _nc, tt, _ct, _callers in stats.stats.values())
    # Time inside the driver's C methods: what raw sqlite3 would also spend; the rest is Python on top.
    driver = sum(v[2] for k, v in stats.stats.items() if "sqlite3." in k[2])
    print(f"\nprofile of {len(cases)} service issues: {elapsed / len(cases) * 1000:.3f} ms each under cProfile, "
          f"{driver / total:.0%} of it inside sqlite3 calls (execute, executemany, commit), "
          f"{1 - driver / total:.0%} in Python (SQLAlchemy, unit of work, service)")
    for (file, line, name), (_cc, nc, _tt, ct, _callers) in sorted(stats.stats.items(), key=lambda i: -i[1][3]):
        if file.endswith(("requisitions.py", "ledger.py", "catalog.py", "units.py", "db.py")) or "sqlite3." in name:
            print(f"  {ct / len(cases) * 1e6:8.1f} us/op cumulative  {nc / len(cases):4.1f} calls/op  "
                  f"{Path(file).name}:{line}({name})")
    for order in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(30)
        print(buffer.getvalue())


def show_sql(path: Path, case: IssueCase, counter: Counter) -> None:
    """Print the statements the service sends for one issue and one search, to compare with the raw baseline."""
    capture_db = Database(f"sqlite:///{path}")
    capture = SqlCapture(capture_db)
    try:
        service_issue(capture_db, case, counter)
        print("\nSQL of one requisition through the service (BEGIN and the query_only pragma go straight to the "
              "driver, so they are not listed):")
        for statement, params in capture.take():
            print(f"  {statement}  {params!r}"[:400])
        with capture_db.reading() as uow:
            search_parts("brake pad", uow=uow)
        print("SQL of search_parts('brake pad'):")
        for statement, params in capture.take():
            print(f"  {statement}  {params!r}"[:400])
    finally:
        capture_db.dispose()


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; --quick changes the defaults that were not given."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--parts", type=int,
                   help=f"parts in the station (default {DEFAULT_PARTS:,}; --quick {QUICK_PARTS:,})")
    p.add_argument("--quick", action="store_true", help="a small station and few rounds: a smoke run")
    p.add_argument("--rebuild", action="store_true", help="build the cached station again")
    p.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "partsdesk-bench"))
    p.add_argument("--seed", type=int, default=20261126)
    p.add_argument("--rounds", type=int, help="issue rounds, each a service and a raw batch (default 10)")
    p.add_argument("--batch", type=int, help="issues per batch (default 200)")
    p.add_argument("--reps", type=int, help="runs of each search query per path (default 30)")
    p.add_argument("--startup-runs", type=int, help="subprocess runs per start-up measurement (default 9)")
    p.add_argument("--tui-marker", default="PIN", help="text of the login screen that means it is painted")
    p.add_argument("--tui-timeout", type=float, default=15.0)
    p.add_argument("--only", action="append", choices=("issue", "search", "receive", "cli", "tui"),
                   help="run only these measurements (repeatable)")
    p.add_argument("--profile", action="store_true", help="cProfile requisitions through the service after the table")
    p.add_argument("--show-sql", action="store_true", help="print the SQL the service sends for an issue and a search")
    p.add_argument("--keep", action="store_true", help="keep this run's working copy of the station")
    args = p.parse_args(argv)
    quick = args.quick
    for name, full, small in (("parts", DEFAULT_PARTS, QUICK_PARTS), ("rounds", 10, 4), ("batch", 200, 50),
                              ("reps", 30, 5), ("startup_runs", 9, 3)):
        if getattr(args, name) is None:
            setattr(args, name, small if quick else full)
    args.only = set(args.only or ("issue", "search", "receive", "cli", "tui"))
    return args


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the station, run the measurements, print the table."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    print("partsdesk benchmark")
    print(f"command : {shlex.join([sys.executable, *sys.argv])}")
    for line in machine_lines():
        print(line)
    path = working_copy(args)
    report = Report()
    db = Database(f"sqlite:///{path}")
    try:
        print(f"station : {station_summary(path)} (working copy {path})")
        with db.writing() as uow:
            actor = operators.authenticate(STOREKEEPER, PIN, uow=uow)  # once: scrypt is slow on purpose
        counter = open_counter(db, actor)
        cases = issue_cases(path, args.seed)
        # The CLI shows a part the issue benchmark does not touch; the profile gets parts of its own too.
        spare = min(501, len(cases) // 4)
        show_part, profile_cases, cases = cases[-1], cases[-spare:-1], cases[:-spare]
        if "issue" in args.only:
            # Half the three-lot parts for the ledger's take, half for whole requisitions.
            used = bench_issue(path, args, report, cases[0::2], db, counter, what="take")
            used += bench_issue(path, args, report, cases[1::2], db, counter)
            check_issued(path, used)
        if "search" in args.only:
            bench_search(path, args, report, db)
        if "receive" in args.only:
            from bench_receiving import bench_receiving

            with db.writing() as uow:
                planner = operators.authenticate("PLAN1", PIN, uow=uow)
                second = operators.authenticate("STORE2", PIN, uow=uow)
            bench_receiving(path, raw_connect, report, db, actor, planner, second, args.seed,
                            max(3, args.rounds // 2), median, fmt_ms, verdict)
        if "cli" in args.only:
            bench_cli(path, args, report, show_part.part_no)
        if "tui" in args.only:
            bench_tui(path, args, report)
        report.skip("lookup screen holds no more rows than it shows", "rows <= visible",
                    "covered by a Pilot test (tests of screens), not timed here")
        print()
        report.print()
        if args.show_sql:
            show_sql(path, profile_cases[-1], counter)
        if args.profile:
            profile_issue(db, profile_cases[:-1], counter)
    finally:
        db.dispose()
        if not args.keep:
            for leftover in _sqlite_files(path):
                leftover.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
