"""Benchmark of a stocktake (盘点, issue 15 item 1) on a station of N parts: one zone opened, counted by two people,
closed and approved through the services, each step's time, median of --runs; the limit is per step.

    .venv/bin/python tests/bench/bench_stocktake.py                      # the shared 200,000-part station
    .venv/bin/python tests/bench/bench_stocktake.py --quick              # 5,000 parts, built here: a smoke run
    .venv/bin/python tests/bench/bench_stocktake.py --results out.jsonl  # also one JSON line per target
    .venv/bin/python tests/bench/bench_stocktake.py --db-url postgresql+psycopg://…  # on PostgreSQL

The zone is the station's smallest (GEN, general parts: 5 % of the parts, about 10,000 at 200k parts, each at its
home bin and sometimes an overflow bin). Each run works on a fresh copy of bench_station's cached station (on
PostgreSQL, a fresh schema copied from it), so every run opens the same zone on the same stock. The count is the
whole sheet in one call, as `stocktake count --file` enters a printed sheet: every line at its book quantity but
one in a hundred, which is one unit short, so the approval has losses to post. The book is read here by SQL (the
bench knows it; the counters do not). The approval is the parts manager's and, when the variances are over the
station's stocktake_value_limit, the accountant's after it: their sum is the approve figure. A report, not a test:
pytest does not collect tests/bench.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import bench_station, pg_station  # noqa: E402
from tests.bench.results import finish, result  # noqa: E402

SHARED = Path(tempfile.gettempdir()) / "partsdesk-bench"
SEED = 20261126
QUICK_PARTS = 5_000
ZONE = "GEN"
SHORT_EVERY = 100  # one line in this many is counted one unit short
# Seconds each step may take on the zone, at any size (1M parts as 200,000): a parts manager waits for it at the desk.
LIMITS = {"stocktake-open": 2.0, "stocktake-count": 10.0, "stocktake-close": 5.0, "stocktake-approve": 5.0}
ACCOUNTANT = "ACC1"


def people(database):
    """The parts manager, two storekeepers and an accountant of the station (the accountant added to this copy)."""
    from sqlalchemy import select

    from core import tables as t
    from core.services import operators

    with database.writing() as uow:
        admin = operators.authenticate("ADMIN", bench_station.PIN, uow=uow)
        with uow.read() as conn:
            known = conn.execute(select(t.operator.c.id).where(t.operator.c.code == ACCOUNTANT)).first()
        if known is None:
            operators.add_operator(ACCOUNTANT, "Zhou Min 周敏", ["accountant"], bench_station.PIN, actor=admin,
                                   uow=uow)
    with database.writing() as uow:
        return [operators.authenticate(code, bench_station.PIN, uow=uow)
                for code in ("PM1", bench_station.STOREKEEPER, "STORE2", ACCOUNTANT)]


def counts(database, number: str) -> list:
    """The sheet's lines counted: each at its book (read by SQL here, never shown to a counter), one in a hundred
    one unit short."""
    from sqlalchemy import func, select

    from core import tables as t
    from core.services.stocktake import CountEntry, sheet

    with database.reading() as uow:
        lines = sheet(number, uow=uow)
        with uow.read() as conn:
            lot = t.stock_lot
            book = dict(((part_no, code), qty) for part_no, code, qty in conn.execute(
                select(t.part.c.part_no, t.location.c.code, func.sum(lot.c.qty_remaining))
                .join(t.part, t.part.c.id == lot.c.part_id).join(t.location, t.location.c.id == lot.c.location_id)
                .where(t.location.c.zone == ZONE).group_by(t.part.c.part_no, t.location.c.code)).all())
    entries = []
    for index, line in enumerate(lines):
        qty = Decimal(book.get((line.part_no, line.location), 0))
        if index % SHORT_EVERY == 0 and qty >= 1:
            qty -= 1
        entries.append(CountEntry(line.part_no, line.location, qty))
    return entries


def one_round(url: str) -> tuple[dict[str, float], int]:
    """Open, count, close and approve the zone once on the database at `url`: each step's seconds, and the lines."""
    from core.services import stocktake
    from data.db import Database

    database = Database(url)
    manager, first, second, accountant = people(database)
    times: dict[str, float] = {}
    started = time.perf_counter()
    with database.writing() as uow:
        number = stocktake.open_stocktake("zone", ZONE, actor=manager, uow=uow)
    times["stocktake-open"] = time.perf_counter() - started
    entries = counts(database, number)
    started = time.perf_counter()
    with database.writing() as uow:
        stocktake.count(number, entries, first=first, second=second, uow=uow)
    times["stocktake-count"] = time.perf_counter() - started
    started = time.perf_counter()
    with database.writing() as uow:
        stocktake.close(number, actor=manager, uow=uow)
    times["stocktake-close"] = time.perf_counter() - started
    started = time.perf_counter()
    with database.writing() as uow:
        done = stocktake.approve(number, actor=manager, uow=uow)
    if done.state != "approved":
        with database.writing() as uow:
            done = stocktake.approve(number, actor=accountant, uow=uow)
    times["stocktake-approve"] = time.perf_counter() - started
    database.dispose()
    if done.state != "approved":
        raise SystemExit(f"{number} was not approved: {done.state}")
    return times, len(entries)


def main(argv: list[str] | None = None) -> int:
    """Measure each step, print the table, append the results; non-zero when a target is missed (full run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=bench_station.DEFAULT_PARTS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PARTS} parts, one run")
    parser.add_argument("--results", type=Path, help="append one JSON object per target to this file")
    parser.add_argument("--db-url", help="measure on PostgreSQL, in a schema copied from the station")
    args = parser.parse_args(argv)
    if args.quick:
        args.parts, args.runs = QUICK_PARTS, 1
    import core.services.stocktake  # noqa: F401  (imported before any timing)

    station = bench_station.cached_station(SHARED, args.parts, SEED)
    for line in bench_station.machine_lines():
        print(line)
    backend = "postgresql" if args.db_url else "sqlite"
    print(f"station : {station} ({args.parts:,} parts) on {backend}, zone {ZONE}")
    rounds, lines = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            schema = f"bench_stocktake_{os.getpid()}_{run}"
            if args.db_url:
                # Each round posts its variances: a fresh schema of its own, so every round counts the same stock
                # and the shared copy of the station, which other benches read, is never written.
                url = pg_station.pg_station(station, args.db_url, rebuild=True, schema=schema)
            else:
                work = Path(folder) / f"stocktake-{run}.sqlite"
                shutil.copy(station, work)
                os.chmod(work, 0o644)  # the shared station is read-only; its copy is ours
                url = f"sqlite:///{work}"
            try:
                times, lines = one_round(url)
            finally:
                if args.db_url:
                    pg_station.drop_station(args.db_url, schema)
            rounds.append(times)
            print(f"run {run + 1}: " + ", ".join(f"{k.removeprefix('stocktake-')} {v:.2f} s" for k, v in times.items())
                  + f" ({lines:,} lines; load {os.getloadavg()[0]:.1f})", flush=True)
            if not args.db_url:
                work.unlink()
    rows = []
    for target, limit in LIMITS.items():
        median = statistics.median(r[target] for r in rounds)
        print(f"{target:<20} {median:6.2f} s  (limit {limit} s)")
        rows.append(result(target, f"stocktake {target.removeprefix('stocktake-')} of zone {ZONE} "
                           f"({lines:,} lines) through the service, median", backend, args.parts, median, "s", limit))
    return finish(rows, args.results, args.quick)


if __name__ == "__main__":
    sys.exit(main())
