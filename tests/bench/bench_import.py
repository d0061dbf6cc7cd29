"""Parts import at scale: a generated parts master of a million rows imported through the CLI, peak memory and time.

    .venv/bin/python tests/bench/bench_import.py [--rows 1000000] [--runs 3] [--db-url postgresql+psycopg://…]

Each run imports the file into a fresh station in a child process (`partsdesk part import`), and reports that
child's peak resident memory (getrusage's ru_maxrss, from wait4) and its wall time; the median of the runs
is printed last. The import streams the file and saves it in batches within one transaction, so the peak
stays flat as the file grows (issue 11 asks for under 300 MB at a million rows).
"""

from __future__ import annotations

import argparse
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


def run(args: list[str], env: dict[str, str]) -> tuple[int, float, int]:
    """A partsdesk command in a child process: exit code, wall seconds, peak RSS in bytes."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", "from tui.cli import main; main()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.monotonic() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[2:4]} failed: {err.strip()}")
    return proc.returncode, took, usage.ru_maxrss * 1024  # Linux reports kilobytes


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


def main(argv: list[str] | None = None) -> int:
    """Generate the file once, import it `--runs` times, print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db-url", default=None, help="a PostgreSQL URL (default: a SQLite file per run)")
    args = parser.parse_args(argv)
    env = {**os.environ, "PARTSDESK_PIN": "1234", "PARTSDESK_OPERATOR": "", "PARTSDESK_DB": "", "LANGUAGE": "en"}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        sheet = folder / "parts.csv"
        started = time.monotonic()
        write_parts(sheet, args.rows)
        print(f"file: {args.rows:,} rows, {sheet.stat().st_size / 1e6:.0f} MB, written in "
              f"{time.monotonic() - started:.1f} s")
        peaks, times = [], []
        for number in range(1, args.runs + 1):
            url = fresh_station(folder, args.db_url, env)
            _code, took, peak = run(["--db", url, "--as", "PLAN1", "part", "import", str(sheet)], env)
            peaks.append(peak)
            times.append(took)
            print(f"run {number}: {took:.1f} s, peak RSS {peak / 2**20:.0f} MB")
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).unlink()
        print(f"median of {args.runs}: {statistics.median(times):.1f} s, peak RSS "
              f"{statistics.median(peaks) / 2**20:.0f} MB ({args.rows / statistics.median(times):,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
