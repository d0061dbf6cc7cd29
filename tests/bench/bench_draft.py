"""Benchmark of `request draft` on a station of N parts: time and peak memory of the draft through the service, beside
the raw SQL aggregation of the same history alone, and the longest wait for the write lock while the draft runs.

    .venv/bin/python tests/bench/bench_draft.py                      # the shared 200,000-part station
    .venv/bin/python tests/bench/bench_draft.py --quick              # 5,000 parts, built here: a smoke run
    .venv/bin/python tests/bench/bench_draft.py --parts 1000000      # built once into /tmp/draft-bench/
    .venv/bin/python tests/bench/bench_draft.py --results out.jsonl  # also one JSON line per target
    .venv/bin/python tests/bench/bench_draft.py --against /tmp/main-tree # main's draft too, alternating (1)

(1) a checkout of main's code beside this one: `mkdir /tmp/main-tree && git archive main | tar -x -C /tmp/main-tree`.

Each run copies the station (the shared one is never written) and drafts in a child process, which reports the
draft's seconds, its CPU time and its peak resident memory (VmHWM, the whole process: interpreter and imports
included; not ru_maxrss, which Linux carries over an exec from the parent that forked the child).
The baseline is the database's per-part, per-cycle sum of the consumption alone (raw sqlite3), run in the same
rounds. While one more draft runs, this process takes the write lock every 100 ms as a counter issue does first
(BEGIN IMMEDIATE) and reports the longest wait. Each run also edits one line of its new draft as the planning and
review screens do (change_lines) and as `request edit` does (which reads the whole draft back for its output),
and reads the parts manager's to-do (the home dashboard) while the new draft waits for him.
Medians of --runs (3). A report, not a test: pytest does not
collect tests/bench.

With --db-url (PostgreSQL) the station is copied once into a schema of its own (tests/bench/pg_station.py, kept
for later runs); each run's draft is deleted again after it is measured, so the next run can draft the same cycle.
The baseline is the same sum in SQL through SQLAlchemy's connection; PostgreSQL has no database-wide write lock, so
there is no lock-wait row for it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import bench_station, pg_station  # noqa: E402
from tests.bench.results import finish, result, sized  # noqa: E402

SHARED = Path(tempfile.gettempdir()) / "partsdesk-bench"
OWN = Path(tempfile.gettempdir()) / "draft-bench"
SEED = 20261126
QUICK_PARTS = 5_000
TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 200.0
WAIT_LIMIT_S = 1.0
ISSUE_EVERY_S = 0.1
# The history the draft sums, in raw SQL: issues and returns of the last two years per part and month.
BASELINE_SQL = ("SELECT part_id, strftime('%Y-%m-01', at) AS cycle, sum(qty) FROM stock_move "
                "WHERE kind IN ('issue', 'return') AND at >= ? AND at < ? GROUP BY part_id, cycle")
PG_BASELINE_SQL = ("SELECT part_id, date_trunc('month', at) AS cycle, sum(qty) FROM stock_move "
                   "WHERE kind IN ('issue', 'return') AND at >= :since AND at < :until GROUP BY part_id, cycle")


def station_for(args: argparse.Namespace) -> Path:
    """The station to copy: the shared one when it has the size asked for, else one built once under OWN."""
    shared = bench_station.station_path(SHARED, args.parts, SEED)
    if shared.exists():
        return shared
    OWN.mkdir(parents=True, exist_ok=True)
    own = bench_station.station_path(OWN, args.parts, SEED)
    if not own.exists():
        bench_station.build_station(own, args.parts, SEED)
    return own


def child_draft(url: str, compare: bool = False) -> None:
    """In the child: draft through the service on the database at `url`; print seconds, peak RSS in MB and the line
    count (with `compare`, whether the lines are the per-part view's). On PostgreSQL the draft is deleted again
    afterwards (the schema is kept for the next run)."""
    from sqlalchemy import delete, func, select

    from core import tables as t
    from core.services import operators, requests
    from data.db import Database

    database = Database(url)
    with database.writing() as uow:
        planner = operators.authenticate("PLAN1", bench_station.PIN, uow=uow)
    started, cpu = time.perf_counter(), time.process_time()
    with database.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_mb()
    edit, cli_edit = _line_edit_seconds(database, number, planner)
    todo_seconds = _todo_seconds(database)
    with database.reading() as uow, uow.read() as conn:
        lines = conn.execute(select(func.count()).select_from(t.purchase_request_line)).scalar_one()
        same = _same_as_view(conn, number) if compare else None
    if database.engine.dialect.name == "postgresql":
        with database.engine.begin() as conn:
            drafted = select(t.purchase_request.c.id).where(t.purchase_request.c.number == number).scalar_subquery()
            conn.execute(delete(t.purchase_request_line).where(t.purchase_request_line.c.request_id == drafted))
            conn.execute(delete(t.purchase_request_event).where(t.purchase_request_event.c.request_id == drafted))
            conn.execute(delete(t.purchase_request).where(t.purchase_request.c.number == number))
    database.dispose()
    print(json.dumps({"number": number, "seconds": seconds, "cpu": cpu, "peak_mb": peak, "lines": lines,
                      "same": same, "edit_seconds": edit,
                      "cli_edit_seconds": cli_edit, "todo_seconds": todo_seconds}))


def _todo_seconds(database) -> float:
    """Seconds of the parts manager's to-do (the home dashboard's read) with the new draft waiting for him: it
    counts the draft's lines, never reads them (core.services.draft_pages.waiting_drafts)."""
    from core.services import operators, todo

    with database.writing() as uow:
        manager = operators.authenticate("PM1", bench_station.PIN, uow=uow)
    started = time.perf_counter()
    with database.reading() as uow:
        listed = todo.read_todo(manager, uow=uow)
    seconds = time.perf_counter() - started
    if listed.counts.drafts != 1:
        raise SystemExit(f"the parts manager's to-do shows {listed.counts.drafts} drafts waiting, not the new one")
    return seconds


def _line_edit_seconds(database, number: str, planner) -> tuple[float, float]:
    """Seconds of one line's edit on the new draft as the planning and review screens make it (change_lines), and
    as `request edit` makes it (the edit, then the whole draft read back for its output)."""
    from sqlalchemy import select

    from core import tables as t
    from core.services import requests

    with database.reading() as uow, uow.read() as conn:
        part_no = conn.execute(
            select(t.part.c.part_no).join(t.purchase_request_line, t.purchase_request_line.c.part_id == t.part.c.id)
            .join(t.purchase_request, t.purchase_request.c.id == t.purchase_request_line.c.request_id)
            .where(t.purchase_request.c.number == number).limit(1)).scalar_one()
    started = time.perf_counter()
    with database.writing() as uow:
        requests.change_lines(number, [requests.LineChange(part_no, qty=Decimal(7))], actor=planner, uow=uow)
    screens = time.perf_counter() - started
    started = time.perf_counter()
    with database.writing() as uow:
        requests.edit_request(number, [requests.LineChange(part_no, qty=Decimal(8))], actor=planner, uow=uow)
    return screens, time.perf_counter() - started


def peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM, which starts afresh at exec. ru_maxrss keeps the largest
    of the forked parent's too (Linux), so a bench parent that had read a large baseline made every child look as
    large (PostgreSQL's baseline fetch: 196 MB reported for a draft whose own peak was 100 MB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _same_as_view(conn, number: str) -> bool:
    """Whether the draft's lines are those of the per-part view (core.records.demand, Decimals throughout): the same
    parts, forecasts, suggestions and flags. Run after the peak memory is taken: the view holds every line."""
    from sqlalchemy import select

    from core import tables as t
    from core.records.demand import iter_demand

    line, request = t.purchase_request_line, t.purchase_request
    stored = sorted(conn.execute(select(line.c.part_id, line.c.forecast, line.c.suggested, line.c.flagged)
                                 .join(request, request.c.id == line.c.request_id)
                                 .where(request.c.number == number)).all())
    _cycle, _start, rows = iter_demand(conn, with_history=False)
    view = sorted((pid, row.forecast, row.suggested, row.flagged) for pid, row in rows
                  if row.suggested > 0 or row.flagged)
    return [tuple(row) for row in stored] == view


def run_child(url: str, compare: bool = False, tree: Path | None = None) -> dict:
    """One draft in a child process (with `tree`, that checkout's code: its own bench_draft.py); its report."""
    script = str(tree / "tests" / "bench" / "bench_draft.py") if tree else __file__
    done = subprocess.run([sys.executable, script, "--child", url] + (["--compare"] if compare else []),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the draft failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pg_baseline(url: str) -> float:
    """Seconds for the same per-part, per-month sum on PostgreSQL, every row fetched."""
    from datetime import date, datetime

    from sqlalchemy import create_engine, text

    from core.records.demand import history_starts

    starts = history_starts(date.today(), "month")
    engine = create_engine(url)
    with engine.connect() as conn:
        started = time.perf_counter()
        rows = conn.execute(text(PG_BASELINE_SQL), {"since": datetime.combine(starts[0], datetime.min.time()),
                                                    "until": datetime.combine(starts[-1], datetime.min.time())}).all()
        seconds = time.perf_counter() - started
    engine.dispose()
    assert rows, "the station has no consumption in the last two years"
    return seconds


def baseline(path: Path) -> float:
    """Seconds for the raw per-part, per-month sum of two years of consumption, every row fetched."""
    from datetime import date

    from core.records.demand import history_starts

    starts = history_starts(date.today(), "month")
    conn = bench_station.raw_connect(path)
    started = time.perf_counter()
    rows = conn.execute(BASELINE_SQL, (f"{starts[0]} 00:00:00", f"{starts[-1]} 00:00:00")).fetchall()
    seconds = time.perf_counter() - started
    conn.close()
    assert rows, "the station has no consumption in the last two years"
    return seconds


def _against(tree: Path, url: str | None, station: Path, folder: Path) -> dict:
    """One draft by another checkout's code, on a fresh copy of the station (or the PostgreSQL schema)."""
    if url:
        return run_child(url, tree=tree)
    work = folder / "against.sqlite"
    shutil.copy(station, work)
    os.chmod(work, 0o644)
    try:
        return run_child(f"sqlite:///{work}", tree=tree)
    finally:
        work.unlink()


def lock_waits(path: Path) -> tuple[float, int, dict]:
    """The longest wait for the write lock, taken every 100 ms while a draft runs in a child; and how many."""
    waits: list[float] = []
    stop = threading.Event()

    def counter() -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        while not stop.is_set():
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")  # what an issue takes first (core.units.WriteUnit)
            waits.append(time.perf_counter() - started)
            conn.execute("ROLLBACK")
            stop.wait(ISSUE_EVERY_S)
        conn.close()

    worker = threading.Thread(target=counter)
    worker.start()
    try:
        report = run_child(f"sqlite:///{path}")
    finally:
        stop.set()
        worker.join()
    return max(waits), len(waits), report


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, append the results; non-zero when a target is missed in a full run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=bench_station.DEFAULT_PARTS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PARTS} parts, one run")
    parser.add_argument("--results", type=Path, help="append one JSON object per target to this file")
    parser.add_argument("--db-url", help="measure on PostgreSQL, in a schema copied from the station")
    parser.add_argument("--no-lock", action="store_true", help="skip the lock-wait measurement")
    parser.add_argument("--compare", action="store_true",
                        help="also check, after each draft, that its lines are the per-part view's")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="also draft with another checkout's code (e.g. main's), alternating with this one on "
                             "fresh copies of the same station, and print both medians: before and after, one load")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_draft(args.child, args.compare)
        return 0
    if args.quick:
        args.parts, args.runs = QUICK_PARTS, 1
    station = station_for(args)
    for line in bench_station.machine_lines():
        print(line)
    backend = "postgresql" if args.db_url else "sqlite"
    url = pg_station.pg_station(station, args.db_url) if args.db_url else None
    print(f"station : {station} ({args.parts:,} parts), {'copied into PostgreSQL' if url else 'copied for each run'}")
    times, cpus, peaks, bases, others = [], [], [], [], []
    with tempfile.TemporaryDirectory(dir=OWN if OWN.exists() else None) as folder:
        for run in range(args.runs):
            if url:
                bases.append(pg_baseline(url))
                report = run_child(url, args.compare)
            else:
                work = Path(folder) / f"run-{run}.sqlite"
                shutil.copy(station, work)
                os.chmod(work, 0o644)  # the shared station is read-only; its copy is ours
                bases.append(baseline(work))
                report = run_child(f"sqlite:///{work}", args.compare)
                work.unlink()
            if args.against:
                others.append(_against(args.against, url, station, Path(folder)))
                print(f"run {run + 1}: {args.against}'s draft {others[-1]['seconds']:.2f} s "
                      f"({others[-1]['cpu']:.2f} s CPU), {others[-1]['lines']:,} lines; load {os.getloadavg()[0]:.1f}")
            times.append(report["seconds"])
            cpus.append(report["cpu"])
            peaks.append(report["peak_mb"])
            same = "" if report["same"] is None else f", the view's lines: {report['same']}"
            print(f"run {run + 1}: draft {report['seconds']:.2f} s ({report['cpu']:.2f} s CPU in its process), "
                  f"peak {report['peak_mb']:.0f} MB, {report['lines']:,} lines{same}; raw SQL sum {bases[-1]:.2f} s; "
                  f"one line edited: the screens' edit {report['edit_seconds'] * 1000:.0f} ms, `request edit` "
                  f"{report['cli_edit_seconds'] * 1000:.0f} ms; the parts manager's to-do with it waiting "
                  f"{report['todo_seconds'] * 1000:.0f} ms; "
                  f"load {os.getloadavg()[0]:.1f}")
            if report["same"] is False:
                raise SystemExit("the draft's lines are not the per-part view's")
        wait = None
        if not args.no_lock and not url:
            work = Path(folder) / "lock.sqlite"
            shutil.copy(station, work)
            os.chmod(work, 0o644)
            wait, count, report = lock_waits(work)
            print(f"lock    : longest wait for the write lock {wait * 1000:.0f} ms over {count} tries "
                  f"while a draft ran ({report['seconds']:.2f} s)")
    if others:
        print(f"against : {args.against}: {statistics.median(o['seconds'] for o in others):.2f} s wall median, "
              f"{statistics.median(o['cpu'] for o in others):.2f} s CPU; this checkout: "
              f"{statistics.median(times):.2f} s, {statistics.median(cpus):.2f} s CPU")
    # At 1M parts the draft has to work, which it did to get here; its 2 s are for 200,000.
    timed = sized(result("draft-time", "request draft through the service (child process), median; its process's "
                         f"CPU (user+sys) {statistics.median(cpus):.2f} s", backend, args.parts,
                         statistics.median(times), "s", TIME_LIMIT_S, statistics.median(bases),
                         "per-part per-month consumption sum in raw SQL alone"), args.parts)
    rows = [
        timed,
        result("draft-memory", "peak RSS of the child process that drafts (VmHWM, interpreter included), median",
               backend, args.parts, statistics.median(peaks), "MB", MEMORY_LIMIT_MB, None, None),
    ]
    if wait is not None:
        rows.append(result("draft-lock-wait", "longest wait for BEGIN IMMEDIATE, tried every 100 ms during a draft",
                           backend, args.parts, wait, "s", WAIT_LIMIT_S, None, None))
    print(f"{'target':<22} {'value':>10} {'limit':>8} {'baseline':>10}  met")
    for row in rows:
        base = "" if row["baseline"] is None else f"{row['baseline']:.2f}"
        limit = "-" if row["limit"] is None else row["limit"]
        print(f"{row['target']:<22} {row['value']:>8.2f} {row['unit']:<2}{limit:>6} {base:>10}  {row['met']}")
    return finish(rows, args.results, args.quick)


if __name__ == "__main__":
    sys.exit(main())
