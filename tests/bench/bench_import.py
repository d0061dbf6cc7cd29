"""Parts import at scale: a generated parts master of a million rows imported through the CLI, peak memory and time.

    .venv/bin/python tests/bench/bench_import.py [--rows 1000000] [--runs 3] [--db-url postgresql+psycopg://…]
        [--quick] [--results FILE]

Each run imports the file into a fresh station in a child process (`partsdesk part import`), and reports that
child's peak resident memory (getrusage's ru_maxrss, from wait4), its wall time and its CPU time (user + system:
on a machine shared with other work the wall time is the CPU time plus the waiting); the median of the runs is
printed last. The import checks the file whole, streamed, then saves it in batches committed one by one (a long
write, core.services.part_import.COMMIT_ROWS), so the peak stays flat as the file grows (issue 14: at most
300 MB and 60 s at a million rows). `--quick`: 20,000 rows, one run. The result lines keep the targets' ids
(import-1m-time, import-1m-memory) whatever the size; their "what" says how many rows were imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SERIES = ("EXCELLE", "CRUZE", "REGAL", "LACROSSE", "ENCORE", "ENVISION")
ZONES = ("EXC", "CRZ", "REG", "LAC", "ENC", "ENV")


def write_parts(path: Path, rows: int) -> None:
    """A parts master of `rows` rows: unique part numbers, names in both languages, about 10,000 locations."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("part_no,name,name_zh,model_series,unit,unit_price,fragile,location\n")
        for n in range(rows):
            s = n % len(SERIES)
            bin_no = n % 10000
            location = f"{ZONES[s]}-{bin_no // 100 % 100:02d}-{bin_no // 10 % 10 + 1:02d}-{bin_no % 10 + 1:02d}"
            out.write(f"P{n:09d},Brake pad set {n},刹车片 {n},{SERIES[s]},set,{n % 5000}.{n % 100:02d},"
                      f"{'yes' if n % 7 == 0 else 'no'},{location}\n")


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """A partsdesk command in a child process: CPU seconds, wall seconds, peak RSS in bytes."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", "from tui.cli import main; main()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.monotonic() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[2:4]} failed: {err.strip()}")
    return usage.ru_utime + usage.ru_stime, took, usage.ru_maxrss * 1024  # Linux reports kilobytes


def fresh_station(folder: Path, db_url: str | None, env: dict[str, str]) -> str:
    """A new empty station with a planner: a SQLite file in `folder`, or a new schema on the PostgreSQL server."""
    if db_url:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with create_engine(db_url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in db_url else "?"
        url = f"{db_url}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{folder / f'import-{uuid.uuid4().hex[:8]}.sqlite'}"
    run(["--db", url, "init", "--admin", "ADMIN", "--pin", "1234"], env)
    run(["--db", url, "--as", "ADMIN", "operator", "add", "PLAN1", "--name", "Planner", "--role", "planner",
         "--pin", "1234"], env)
    return url


def record(results: Path | None, **line) -> None:
    """Append one target's line to the results file (the lead's table), when one is given."""
    if results is not None:
        with results.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Generate the file once, import it `--runs` times, print each run and the medians; time the demo."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db-url", default=None, help="a PostgreSQL URL (default: a SQLite file per run)")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, one run")
    parser.add_argument("--results", type=Path, help="append one JSON line per target to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.runs = 20_000, 1
    env = {**os.environ, "PARTSDESK_PIN": "1234", "PARTSDESK_OPERATOR": "", "PARTSDESK_DB": "", "LANGUAGE": "en"}
    backend = "postgresql" if args.db_url else "sqlite"
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        sheet = folder / "parts.csv"
        started = time.monotonic()
        write_parts(sheet, args.rows)
        print(f"file: {args.rows:,} rows, {sheet.stat().st_size / 1e6:.0f} MB, written in "
              f"{time.monotonic() - started:.1f} s")
        peaks, times, cpus = [], [], []
        for number in range(1, args.runs + 1):
            url = fresh_station(folder, args.db_url, env)
            cpu, took, peak = run(["--db", url, "--as", "PLAN1", "part", "import", str(sheet)], env)
            peaks.append(peak)
            times.append(took)
            cpus.append(cpu)
            print(f"run {number}: {took:.1f} s (CPU {cpu:.1f} s), peak RSS {peak / 2**20:.0f} MB; load "
                  f"{os.getloadavg()[0]:.1f}")  # a shared machine's wall time is the CPU time and the waiting
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).unlink()
            else:
                drop_schema(args.db_url, url)
        took, cpu, peak = statistics.median(times), statistics.median(cpus), statistics.median(peaks) / 2**20
        print(f"median of {args.runs}: {took:.1f} s (CPU {cpu:.1f} s), peak RSS {peak:.0f} MB "
              f"({args.rows / took:,.0f} rows/s)")
        # Issue 14: 60 s on SQLite; on PostgreSQL (the server keeps its search indexes and the names' pieces as
        # the rows go in) the import has to work.
        limit = 60 if backend == "sqlite" else None
        works = "" if limit else "; on PostgreSQL the target is that it works"
        record(args.results, target="import-1m-time", what=f"`part import` of {args.rows:,} new parts, wall "
               f"(median of {args.runs}; CPU {cpu:.1f} s){works}",
               backend=backend, parts=None, value=round(took, 1), unit="s", limit=limit, baseline=None,
               baseline_what=None, met=limit is None or took <= limit)
        record(args.results, target="import-1m-memory", what=f"`part import` of {args.rows:,} new parts, peak "
               f"RSS of the process (median of {args.runs})", backend=backend, parts=None, value=round(peak),
               unit="MB", limit=300, baseline=None, baseline_what=None, met=peak <= 300)
    return 0


def drop_schema(db_url: str, url: str) -> None:
    """Drop the run's PostgreSQL schema (fresh_station made it)."""
    from sqlalchemy import create_engine, text

    schema = url.rsplit("search_path%3D", 1)[1]
    with create_engine(db_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    sys.exit(main())
