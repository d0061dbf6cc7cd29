"""The demo station at size: `partsdesk demo --parts N` in a child process, its wall and CPU time and peak memory.

    .venv/bin/python tests/bench/bench_demo.py [--parts 200000] [--runs 1] [--db-url postgresql+psycopg://…]
        [--quick] [--results FILE]

Each run seeds a fresh station (a SQLite file, or a schema of its own on the PostgreSQL server, dropped after)
in one write unit, as the CLI does. Issue 14: 200,000 parts in at most 60 s ("demo-200k"). --quick: 5,000 parts.
A report, not a test: pytest does not collect tests/bench.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from bench_import import drop_schema, record, run


def main(argv: list[str] | None = None) -> int:
    """Seed the demo `--runs` times, print each run and the median, record the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--db-url", default=None, help="a PostgreSQL URL (default: a SQLite file per run)")
    parser.add_argument("--quick", action="store_true", help="5,000 parts")
    parser.add_argument("--results", type=Path, help="append one JSON line per target to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.parts = 5000
    env = {**os.environ, "PARTSDESK_PIN": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_DB": "", "LANGUAGE": "en"}
    times, cpus, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        for number in range(1, args.runs + 1):
            if args.db_url:
                from sqlalchemy import create_engine, text

                schema = f"bench_{uuid.uuid4().hex[:10]}"
                with create_engine(args.db_url, isolation_level="AUTOCOMMIT").connect() as conn:
                    conn.execute(text(f"CREATE SCHEMA {schema}"))
                url = f"{args.db_url}{'&' if '?' in args.db_url else '?'}options=-csearch_path%3D{schema}"
            else:
                url = f"sqlite:///{Path(tmp) / f'demo-{number}.sqlite'}"
            try:
                cpu, took, peak = run(["--db", url, "demo", "--parts", str(args.parts)], env)
            finally:
                if args.db_url:
                    drop_schema(args.db_url, url)
            times.append(took)
            cpus.append(cpu)
            peaks.append(peak / 2**20)
            print(f"run {number}: demo --parts {args.parts:,}: {took:.1f} s (CPU {cpu:.1f} s), "
                  f"peak {peak / 2**20:.0f} MB")
    took, cpu, peak = statistics.median(times), statistics.median(cpus), statistics.median(peaks)
    print(f"median of {args.runs}: {took:.1f} s (CPU {cpu:.1f} s), peak {peak:.0f} MB; load {os.getloadavg()[0]:.1f}")
    record(args.results, target="demo-200k", what=f"`demo --parts {args.parts:,}`, wall (median of {args.runs}; "
           f"CPU {cpu:.1f} s, peak {peak:.0f} MB)", backend="postgresql" if args.db_url else "sqlite",
           parts=args.parts, value=round(took, 1), unit="s", limit=60, baseline=None, baseline_what=None,
           met=took <= 60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
