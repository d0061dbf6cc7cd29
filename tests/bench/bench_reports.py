"""Benchmark of the reports (`partsdesk report …`, issue 15 item 6) on a station of N parts: each report read
through the service to its last row, as the CLI streams it, median of --runs; the limit is 2 s each.

    .venv/bin/python tests/bench/bench_reports.py                      # the shared 200,000-part station
    .venv/bin/python tests/bench/bench_reports.py --quick              # 5,000 parts, built here: a smoke run
    .venv/bin/python tests/bench/bench_reports.py --results out.jsonl  # also one JSON line per target
    .venv/bin/python tests/bench/bench_reports.py --db-url postgresql+psycopg://…  # on PostgreSQL

The station is bench_station's cached one (built once, about a minute at 200k parts, under
TMPDIR/partsdesk-bench), copied for the run so the shared file is never written. Each figure is the time from
opening the report to its last row read and formatted (the rows are counted, not printed): the SQL and the
formatting the CLI does, without the terminal. The machine's load is printed beside each run, as the box is
shared. A report, not a test: pytest does not collect tests/bench.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import bench_station, pg_station  # noqa: E402
from tests.bench.results import finish, result, sized  # noqa: E402

SHARED = Path(tempfile.gettempdir()) / "partsdesk-bench"
SEED = 20261126
QUICK_PARTS = 5_000
TIME_LIMIT_S = 2.0
# What each target runs: the report and its options; the stock card's part is the one with the most moves.
RUNS = (
    ("report-valuation", "valuation", {}),
    ("report-valuation-at", "valuation", {"at": "past"}),
    ("report-aging", "aging", {}),
    ("report-slow", "slow", {}),
    ("report-card", "card", {"part_no": "busiest", "start": "2024-01-01"}),
    ("report-consumption", "consumption", {}),
    ("report-abc", "abc", {}),
    ("report-service", "service", {}),
    ("report-claims", "claims", {}),
)


def busiest_part(database) -> str:
    """The part with the most ledger rows: the longest stock card."""
    from sqlalchemy import func, select

    from core import tables as t

    with database.reading() as uow, uow.read() as conn:
        move = t.stock_move
        busiest = (select(move.c.part_id).group_by(move.c.part_id).order_by(func.count().desc()).limit(1)
                   .scalar_subquery())
        return conn.execute(select(t.part.c.part_no).where(t.part.c.id == busiest)).scalar_one()


def timed(database, name: str, options: dict) -> tuple[float, int]:
    """Seconds to read a report to its last row, and how many rows it had."""
    from core.services.reports import open_report

    started, rows = time.perf_counter(), 0
    with database.reading() as uow, open_report(name, uow=uow, **options) as report:
        for section in report.sections:
            for _row in section.rows:
                rows += 1
    return time.perf_counter() - started, rows


def main(argv: list[str] | None = None) -> int:
    """Measure each report, print the table, append the results; non-zero when a target is missed (full run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=bench_station.DEFAULT_PARTS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PARTS} parts, one run")
    parser.add_argument("--results", type=Path, help="append one JSON object per target to this file")
    parser.add_argument("--db-url", help="measure on PostgreSQL, in a schema copied from the station")
    args = parser.parse_args(argv)
    if args.quick:
        args.parts, args.runs = QUICK_PARTS, 1
    import core.services.reports  # noqa: F401  (imported before any timing)
    from data.db import Database

    station = bench_station.cached_station(SHARED, args.parts, SEED)
    for line in bench_station.machine_lines():
        print(line)
    backend = "postgresql" if args.db_url else "sqlite"
    with tempfile.TemporaryDirectory() as folder:
        if args.db_url:
            url = pg_station.pg_station(station, args.db_url)
        else:
            work = Path(folder) / "reports.sqlite"
            shutil.copy(station, work)
            os.chmod(work, 0o644)  # the shared station is read-only; its copy is ours
            url = f"sqlite:///{work}"
        print(f"station : {station} ({args.parts:,} parts) on {backend}")
        database = Database(url)
        part = busiest_part(database)
        past = time.strftime("%Y-%m-%d", time.localtime(time.time() - 150 * 86400))
        rows = []
        for target, name, options in RUNS:
            options = {key: {"busiest": part, "past": past}.get(value, value) for key, value in options.items()}
            times, count = [], 0
            timed(database, name, options)  # warm: the first read of a table pays for the file's pages
            for _run in range(args.runs):
                seconds, count = timed(database, name, options)
                times.append(seconds)
            median = statistics.median(times)
            print(f"{target:<22} {median:6.2f} s  ({count:,} rows; runs {', '.join(f'{s:.2f}' for s in times)}; "
                  f"load {os.getloadavg()[0]:.1f})", flush=True)
            rows.append(sized(result(target, f"partsdesk report {name} read to its last row ({count:,} rows), "
                                     "median", backend, args.parts, median, "s", TIME_LIMIT_S), args.parts))
        database.dispose()
    return finish(rows, args.results, args.quick)


if __name__ == "__main__":
    sys.exit(main())
