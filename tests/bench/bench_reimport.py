"""Re-importing known parts whose Chinese names changed: the write that the name triggers made slow when they
deleted a part's old grams by part with no index on part_gram(part_id) (issue 14). Medians as the station is (the
old grams deleted by the gram table's key, migration 0032) and, as the baseline, with the triggers by part and no
index (the form before migration 0015).

    .venv/bin/python tests/bench/bench_reimport.py [--parts 20000] [--changed 2000] [--runs 3] [--baseline-runs 1]
        [--station FILE] [--quick] [--results FILE]

With --parts 200000 and no --station it copies the shared 200k benchmark station (tests/bench/bench_station.py)
when it is there, rather than building a demo. --quick: a 2,000-part demo, one run. --results appends the
"reimport-2000-200k" line (issue 14: at most 1.5 s) with the run without the index as its baseline.

The station is `partsdesk demo --parts N` (built into a temporary folder unless --station names one); each run
works on a copy, re-imports `--changed` of its parts with a new Chinese name through the import service, and
times that one write unit. A report, not a test: pytest does not collect tests/bench.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.services import operators, part_import
from data.db import Database
from data.migrations import HEAD_REVISION
from data.sqlite_grams import BY_PART, DROP_INDEX, replace_triggers

SHARED = Path(tempfile.gettempdir()) / "partsdesk-bench"


def build_station(path: Path, parts: int) -> None:
    """A demo station of `parts` parts at `path`."""
    subprocess.run([sys.executable, "-c", "from tui.cli import main; main()", "--db", str(path), "demo", "--parts",
                    str(parts)], check=True, capture_output=True)


# Past this size the baseline is not run (see main).
BASELINE_PARTS = 200_000


def one_run(station: Path, work: Path, changed: int, run: int, baseline: bool) -> float:
    """Seconds to re-import `changed` known parts, each with its Chinese name changed, on a copy of `station`;
    `baseline`: with the triggers deleting the old grams by part and no index to find them."""
    path = work / f"run-{run}-{baseline}.sqlite"
    shutil.copy(station, path)  # a copy: the station itself (perhaps the shared one) is never written
    conn = sqlite3.connect(path)
    if baseline:
        replace_triggers(conn.execute, BY_PART)
        conn.execute(DROP_INDEX)
        conn.commit()
    rows = conn.execute("SELECT part_no, name, name_zh, model_series, unit, list_price FROM part "
                        "WHERE name_zh IS NOT NULL ORDER BY id LIMIT ?", (changed,)).fetchall()
    conn.close()
    sheet = work / f"run-{run}-{baseline}.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["part_no", "name", "name_zh", "model_series", "unit", "unit_price"])
        writer.writerows([part_no, name, f"{name_zh}新", series, unit, price]
                         for part_no, name, name_zh, series, unit, price in rows)
    database = Database(f"sqlite:///{path}")
    try:
        with database.writing() as uow:
            planner = operators.authenticate("PLAN1", "1234", uow=uow)
        start = time.perf_counter()
        with database.writing() as uow:
            part_import.import_parts(sheet, actor=planner, uow=uow)
        return time.perf_counter() - start
    finally:
        database.dispose()


def main() -> None:
    """Build or take the station, then print the medians with and without the index."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=20000)
    parser.add_argument("--changed", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=1, help=f"runs of the baseline (none past "
                                                                    f"{BASELINE_PARTS:,} parts)")
    parser.add_argument("--station", type=Path)
    parser.add_argument("--quick", action="store_true", help="a 2,000-part demo, 500 parts changed, one run")
    parser.add_argument("--results", type=Path, help="append one JSON line per target to this file")
    parser.add_argument("--db-url", help="PostgreSQL: not measured here (the part_gram triggers are SQLite's)")
    args = parser.parse_args()
    if args.db_url:
        print("re-import on PostgreSQL: not measured by this script (its name triggers and index are SQLite's)")
        return
    if args.quick:
        args.parts, args.changed, args.runs, args.baseline_runs = 2000, 500, 1, 1
    shared = SHARED / f"station-n{args.parts}-rev{HEAD_REVISION}-gen3-seed20261126.sqlite"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        station = args.station or (shared if shared.exists() else work / "station.sqlite")
        if not station.exists():
            if args.parts > 500_000:  # past what `demo --parts` allows
                raise SystemExit(f"no station of {args.parts:,} parts at {shared}: build it with bench_station.py")
            build_station(station, args.parts)
        grams = sqlite3.connect(f"file:{station}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM part_gram").fetchone()[0]
        print(f"station: {station} ({grams} grams); re-importing {args.changed} known parts, {args.runs} runs")
        medians = {True: None}
        # The baseline reads part_gram whole for each part it changes: minutes at 200,000 parts (478 s under load),
        # so once there, and past that size not at all.
        baseline_runs = args.baseline_runs if args.parts <= BASELINE_PARTS else 0
        for baseline, runs in ((False, args.runs), (True, baseline_runs)):
            if not runs:
                print(f"by part, no index (baseline): not run past {BASELINE_PARTS:,} parts")
                continue
            times = [one_run(station, work, args.changed, run, baseline) for run in range(runs)]
            label = "by part, no index (baseline)" if baseline else "as migrated (by key)        "
            medians[baseline] = statistics.median(times)
            print(f"{label}: median {medians[baseline]:.2f} s  {[round(t, 2) for t in times]}")
    if args.results:
        size = "200k" if args.parts == 200_000 else f"{args.parts}"
        with args.results.open("a", encoding="utf-8") as out:
            out.write(json.dumps({
                "target": f"reimport-2000-{size}",  # the target's id, whatever --changed (its "what" says)
                "what": f"re-import of {args.changed:,} known parts with new Chinese names, the import service's "
                        f"whole call (median of {args.runs})",
                "backend": "sqlite", "parts": args.parts, "value": round(medians[False], 2), "unit": "s",
                "limit": 1.5, "baseline": None if medians[True] is None else round(medians[True], 2),
                "baseline_what": "the same with the old grams deleted by part and no index to find them",
                "met": medians[False] <= 1.5}) + "\n")


if __name__ == "__main__":
    main()
