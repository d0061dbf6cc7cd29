"""Benchmark of part search on PostgreSQL beside SQLite on the same parts: every query kind of bench_station.

A report, not a test. The parts, locations and lots of a SQLite benchmark station (a copy of it: the station
itself is never written) are loaded into a PostgreSQL schema of its own at revision 0015, then `upgrade` builds
migration 0016's search indexes (timed), and each query of bench_station.search_queries runs through
core.services.catalog.search_parts on both databases, interleaved:

    PARTSDESK_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python tests/bench/bench_pg_search.py [--station FILE] [--quick] [--results FILE]

The schema is dropped at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LANGUAGE", "en")

from sqlalchemy import create_engine, text  # noqa: E402

from core.codes import normalise_part_no  # noqa: E402
from core.services.catalog import _pg_search, _pg_search_params, search_parts  # noqa: E402
from data.db import Database  # noqa: E402
from data.migrations import upgrade  # noqa: E402
from tests.bench.bench_station import cached_station, search_queries  # noqa: E402

# The cached stations of bench_station (built when missing, migrated forward when the schema moved).
SHARED_CACHE = Path(tempfile.gettempdir()) / "partsdesk-bench"
STATION_PARTS = 200_000
SEED = 20261126
LIMIT_MS = 10.0
QUICK_PARTS = 20_000
# Columns copied as they are (SQLite's storage of dates and scaled integers is what PostgreSQL's columns take).
COPIED = {
    "location": ("id", "code", "zone", "series"),
    "part": ("id", "part_no", "name", "name_zh", "model_series", "unit", "list_price", "fragile", "pack_qty",
             "default_location_id", "general"),
    "stock_lot": ("id", "part_id", "location_id", "received_at", "qty_received", "qty_remaining", "unit_cost",
                  "doc_type", "doc_no"),
}


def copy_station(source: Path, workdir: Path) -> Path:
    """A private copy of the station file (with its -wal), so that nothing here can write the shared one."""
    target = workdir / "station.sqlite"
    shutil.copy(source, target)
    target.chmod(0o600)  # the shared file is read-only, and shutil.copy copied that too
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copy(wal, Path(f"{target}-wal"))
        Path(f"{target}-wal").chmod(0o600)
    return target


# More parts from the ones there: the same names and fields under new numbers (the number with R and the copy's
# number), added copy by copy so that ids keep rising; made on the SQLite copy, then copied to PostgreSQL.
SCALE_SQL = (
    "WITH RECURSIVE copy (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < :scale - 1) "
    "INSERT INTO part (part_no, name, name_zh, model_series, unit, list_price, fragile, pack_qty, "
    "default_location_id, general) "
    "SELECT part.part_no || 'R' || copy.n, name, name_zh, model_series, unit, list_price, fragile, pack_qty, "
    "default_location_id, general FROM copy, part ORDER BY copy.n, part.id"
)


def load_postgresql(station: Path, url: str, max_parts: int | None) -> None:
    """Copy locations, parts and their lots (the first `max_parts` parts) from the SQLite station by COPY (with
    --scale, the station's copy already holds the copied parts)."""
    src = sqlite3.connect(station)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for table, columns in COPIED.items():
                where = ""
                if max_parts is not None and table == "part":
                    where = f" WHERE id <= {max_parts}"
                elif max_parts is not None and table == "stock_lot":
                    where = f" WHERE part_id <= {max_parts}"
                rows = src.execute(f"SELECT {', '.join(columns)} FROM {table}{where} ORDER BY id")
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_pg_value(table, col, v) for col, v in zip(columns, row, strict=True)])
            for table in COPIED:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    finally:
        src.close()
        engine.dispose()


def _pg_value(table: str, column: str, value: object) -> object:
    if column in ("fragile", "general"):
        return bool(value)
    return value


def measure(db: Database, query: str, reps: int) -> list[float]:
    """The seconds of `reps` searches for one query (after it has run once)."""
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        with db.reading() as uow:
            search_parts(query, uow=uow)
        times.append(time.perf_counter() - began)
    return times


_RAW_SQL: dict = {}


def raw_search(conn, query: str, limit: int = 50) -> list:
    """The search's one statement on a raw psycopg connection in autocommit and unprepared, as the service sends
    it: what PostgreSQL and the wire cost without the service."""
    from sqlalchemy.dialects import postgresql

    part_no = normalise_part_no(query)
    statement = _pg_search(query, part_no)
    sql = _RAW_SQL.get(statement)
    if sql is None:  # compiled once, as SQLAlchemy's cache does for the service
        sql = _RAW_SQL[statement] = str(statement.compile(dialect=postgresql.psycopg.dialect()))
    return conn.execute(sql, _pg_search_params(query, part_no, limit), prepare=False).fetchall()


def measure_raw(conn, query: str, reps: int) -> list[float]:
    """The seconds of `reps` raw searches for one query."""
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        raw_search(conn, query)
        times.append(time.perf_counter() - began)
    return times


# The target ids run_targets.py expects, by bench_station's query kinds (and this bench's own, exact numbers).
TARGETS = {
    "exact part no (typed, scanned)": "pg-search-exact",
    "prefix (part no)": "pg-search-prefix",
    "substring: name words": "pg-search-name",
    "substring: zh 2 chars, common": "pg-search-zh-2",
    "substring: zh 3 chars": "pg-search-zh-3",
    "substring: 2 chars, rare or none": "pg-search-short",
    "substring: part-no fragment": "pg-search-fragment",
    "no match, 3+ chars": "pg-search-none",
}


def slug(kind: str) -> str:
    """The target id of a query kind ('pg-search-' and the kind's words for one not in TARGETS)."""
    return TARGETS.get(kind) or "pg-search-" + re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")


def exact_queries(station: Path, seed: int) -> list[str]:
    """Whole part numbers of the station as typed and as a scanner or a hand gives them (lower case, spaced)."""
    import random

    rng = random.Random(seed + 2)
    conn = sqlite3.connect(station)
    try:
        count = conn.execute("SELECT max(id) FROM part").fetchone()[0]
        numbers = [conn.execute("SELECT part_no FROM part WHERE id >= ? ORDER BY id LIMIT 1",
                                (rng.randint(1, count),)).fetchone()[0] for _ in range(6)]
    finally:
        conn.close()
    return numbers[:2] + [n.lower() for n in numbers[2:4]] + [" ".join((n[:3], n[3:])) for n in numbers[4:]]


def main() -> int:
    """Load, index, measure every query kind on both databases, print the table, append --results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--station", type=Path, help="a SQLite station (copied, never written); default: the cached "
                        f"station of {STATION_PARTS:,} parts ({QUICK_PARTS:,} with --quick)")
    parser.add_argument("--db-url", default=os.environ.get("PARTSDESK_TEST_PG"), help="a PostgreSQL URL")
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--parts", type=int, help="station size: up to the station's, its first parts; more, "
                        "its parts copied under new numbers (--scale)")
    parser.add_argument("--scale", type=int, default=1,
                        help="copies of the station's parts (new numbers, same names) on both sides: 5 -> 1M parts")
    parser.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PARTS} parts, 5 reps")
    parser.add_argument("--results", type=Path, help="append one JSON line per target")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema (its name is printed)")
    args = parser.parse_args()
    if not args.db_url:
        print("give --db-url or set PARTSDESK_TEST_PG to a PostgreSQL URL", file=sys.stderr)
        return 2
    if args.station is None:
        args.station = cached_station(SHARED_CACHE, QUICK_PARTS if args.quick else STATION_PARTS, SEED)
    if not args.station.exists():
        print(f"no station at {args.station}: build one with tests/bench/bench_station.py", file=sys.stderr)
        return 2
    reps = 5 if args.quick else args.reps
    max_parts = QUICK_PARTS if args.quick else None
    workdir = Path(tempfile.mkdtemp(prefix="pgsearch-bench-"))
    schema = f"bench_search_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in args.db_url else "?"
    pg_url = f"{args.db_url}{separator}options=-csearch_path%3D{schema}"
    try:
        station = copy_station(args.station, workdir)
        if args.parts:  # counted on the copy: the shared station is never opened
            with sqlite3.connect(station) as conn:
                have = conn.execute("SELECT count(*) FROM part").fetchone()[0]
            if args.parts <= have:
                max_parts = args.parts if args.parts < have else None
            else:
                args.scale = -(-args.parts // have)
        # The queries from the station's own parts, before copies with other numbers are made; on a small part
        # of the station its few numbers may not give every kind (bench_station.search_queries wants 8 numeric
        # ones), and then the whole station's queries serve (a smoke run: they find less).
        whole = {"exact part no (typed, scanned)": exact_queries(station, SEED), **search_queries(station, SEED)}
        if max_parts is not None:
            with sqlite3.connect(station) as conn:  # the copy only: the SQLite side holds the same parts
                conn.execute("PRAGMA foreign_keys=OFF")
                conn.execute("DELETE FROM stock_lot WHERE part_id > ?", (max_parts,))
                # The moves stay, pointing at parts no longer there: only search runs on this copy.
                conn.execute("DELETE FROM part WHERE id > ?", (max_parts,))
        try:
            queries = {"exact part no (typed, scanned)": exact_queries(station, SEED),
                       **search_queries(station, SEED)}
        except IndexError:
            queries = whole
        if args.scale > 1:
            with sqlite3.connect(station) as conn:  # the copy only; its triggers index the new names
                conn.execute(SCALE_SQL, {"scale": args.scale})
        sqlite_db = Database(f"sqlite:///{station}")
        upgrade(sqlite_db.engine)
        pg_db = Database(pg_url)
        upgrade(pg_db.engine, "0015")
        began = time.perf_counter()
        load_postgresql(station, pg_url, max_parts)
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        upgrade(pg_db.engine)  # migration 0016: the search indexes
        indexed = time.perf_counter() - began
        with admin.connect() as conn:
            for table in COPIED:
                conn.execute(text(f"ANALYZE {schema}.{table}"))
            parts = conn.execute(text(f"SELECT count(*) FROM {schema}.part")).scalar()
        print(f"PostgreSQL schema {schema}: {parts} parts loaded in {loaded:.1f} s, search indexes (0016) built in "
              f"{indexed:.1f} s; load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        results = []
        import psycopg

        raw = psycopg.connect(args.db_url.replace("postgresql+psycopg://", "postgresql://"),
                              options=f"-csearch_path={schema}")
        raw.autocommit = True
        print(f"{'kind':42} {'PostgreSQL':>12} {'raw psycopg':>12} {'SQLite':>10} {'x SQLite':>9}  target")
        for kind, qs in queries.items():
            pg_times, raw_times, lite_times, same = [], [], [], 0
            for q in qs:
                with pg_db.reading() as uow:
                    pg_hits = search_parts(q, uow=uow)
                with sqlite_db.reading() as uow:
                    lite_hits = search_parts(q, uow=uow)
                same += [h.part_no for h in pg_hits] == [h.part_no for h in lite_hits]
                for _ in range(2):  # warm all three: plans, caches
                    measure(pg_db, q, 1)
                    measure_raw(raw, q, 1)
                    measure(sqlite_db, q, 1)
                for rep in range(reps):  # interleaved, so that a busy moment hits all
                    if rep % 2:
                        lite_times += measure(sqlite_db, q, 1)
                        raw_times += measure_raw(raw, q, 1)
                        pg_times += measure(pg_db, q, 1)
                    else:
                        pg_times += measure(pg_db, q, 1)
                        raw_times += measure_raw(raw, q, 1)
                        lite_times += measure(sqlite_db, q, 1)
            pg_ms, lite_ms = statistics.median(pg_times) * 1000, statistics.median(lite_times) * 1000
            raw_ms = statistics.median(raw_times) * 1000
            met = pg_ms <= LIMIT_MS
            print(f"{kind:42} {pg_ms:9.2f} ms {raw_ms:9.2f} ms {lite_ms:7.2f} ms {pg_ms / lite_ms:8.1f}x  "
                  f"<= {LIMIT_MS:g} ms {'met' if met else 'MISSED'}  (same hits in the same order: {same}/{len(qs)})")
            results.append({"target": slug(kind),
                            "what": f"search_parts median, {kind}, {len(qs)} queries x {reps}",
                            "backend": "postgresql", "parts": parts, "value": round(pg_ms, 3), "unit": "ms",
                            "limit": LIMIT_MS, "baseline": round(raw_ms, 3),
                            "baseline_what": "raw psycopg, same statement, autocommit, unprepared, same run (SQLite: "
                                             f"{lite_ms:.3f} ms)", "met": met})
        raw.close()
        if args.results:
            with args.results.open("a", encoding="utf-8") as out:
                for row in results:
                    out.write(json.dumps(row) + "\n")
        sqlite_db.dispose()
        pg_db.dispose()
        # A missed target fails a full run; a quick (smoke) run only has to work.
        return 0 if args.quick or all(r["met"] for r in results) else 1
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        else:
            print(f"kept schema {schema}")
        admin.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
