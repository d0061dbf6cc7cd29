"""Issue 14's targets in one table: every benchmark run at each size on SQLite and PostgreSQL, each figure beside
its limit and baseline, the machine's load beside it, and a non-zero exit when a target is missed.

    .venv/bin/python tests/bench/run_targets.py                      # full: 200k and 1M parts, both backends
    .venv/bin/python tests/bench/run_targets.py --parts 200000       # one size
    .venv/bin/python tests/bench/run_targets.py --smoke              # every bench on a small station: CI's run
    .venv/bin/python tests/bench/run_targets.py --only draft --only cli-output

Each bench is a script of tests/bench run in a child process with `--results FILE`; it appends one JSON object per
measured target ({"target", "what", "backend", "parts", "value", "unit", "limit", "baseline", "baseline_what",
"met"}). PostgreSQL runs use --db-url (default PARTSDESK_TEST_PG); without one the PostgreSQL rows say "not
measured". A full run fails (exit 1) when a target is missed or was not measured; a smoke run fails only when a
bench breaks (exit 2), since a small station says nothing about a target. `--markdown FILE` writes the table for
the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"

SIZES = (200_000, 1_000_000)
SMOKE_PARTS = 2_000


@dataclass(frozen=True)
class Bench:
    """One benchmark script, the options it takes and the targets a full run must see from it."""

    name: str
    script: str
    backends: tuple[str, ...]  # where it runs: "sqlite", "postgresql"
    sized: bool  # takes --parts (else it runs once, whatever the size)
    targets: tuple[str, ...]  # target ids a full run expects, per backend (and per size when sized)
    extra: tuple[str, ...] = ()  # further options of a full run
    smoke: tuple[str, ...] = ("--quick",)  # options of a smoke run


BENCHES = (
    # The draft's lock wait is SQLite's: PostgreSQL has no database-wide write lock to wait behind.
    Bench("draft", "bench_draft.py", ("sqlite", "postgresql"), True, ("draft-time", "draft-memory")),
    Bench("pg-search", "bench_pg_search.py", ("postgresql",), True,
          ("pg-search-exact", "pg-search-prefix", "pg-search-name", "pg-search-zh", "pg-search-short",
           "pg-search-none")),
    Bench("pg-issue", "bench_pg_issues.py", ("postgresql",), False, ("pg-issue-1proc", "pg-issue-8proc")),
    Bench("tui", "bench_tui.py", ("sqlite", "postgresql"), False,
          ("tui-home-50k", "tui-f2-50k", "tui-receiving-50k", "tui-memory-50k"), extra=("--documents", "50000")),
    Bench("cli-output", "bench_cli_output.py", ("sqlite", "postgresql"), True,
          ("stock-list", "ledger-100k", "stock-list-json-memory", "ledger-json-memory", "stock-check",
           "stock-check-memory")),
    Bench("import", "bench_import.py", ("sqlite", "postgresql"), False, ("import-1m-time", "import-1m-memory")),
    # The slow re-import was SQLite's name triggers (part_gram); PostgreSQL keeps no such table.
    Bench("reimport", "bench_reimport.py", ("sqlite",), True, ("reimport-2000",)),
    Bench("lock", "bench_lock.py", ("sqlite",), False, ("lock-wait-import", "lock-wait-reimport")),
    Bench("demo", "bench_demo.py", ("sqlite", "postgresql"), False, ("demo-200k",)),
    Bench("startup", "bench_startup.py", ("sqlite", "postgresql"), False, ("cli-read", "tui-first-paint")),
    Bench("reports", "bench_reports.py", ("sqlite", "postgresql"), True,
          ("report-valuation", "report-valuation-at", "report-aging", "report-slow", "report-card",
           "report-consumption", "report-abc", "report-service", "report-claims")),
    Bench("stocktake", "bench_stocktake.py", ("sqlite", "postgresql"), True,
          ("stocktake-open", "stocktake-count", "stocktake-close", "stocktake-approve")),
)


def load_line() -> str:
    """The machine: cores and the load average now (1, 5, 15 minutes)."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load {one:.2f} {five:.2f} {fifteen:.2f}"


def run_bench(bench: Bench, backend: str, parts: int | None, args: argparse.Namespace) -> tuple[list[dict], str]:
    """Run one bench in a child process; its result rows, and an error line ("" when it exited 0)."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as out:
        results = Path(out.name)
    argv = [sys.executable, str(BENCH / bench.script), "--results", str(results)]
    if bench.sized and parts:
        argv += ["--parts", str(parts)]
    if backend == "postgresql":
        argv += ["--db-url", args.db_url]
    argv += list(bench.smoke if args.smoke else bench.extra)
    load = load_line()
    print(f"== {bench.name} on {backend}{f' at {parts:,} parts' if parts else ''} ({load})", flush=True)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=sys.stdout if args.verbose else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    rows = []
    for line in results.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            row.setdefault("load", load)
            rows.append(row)
    results.unlink(missing_ok=True)
    error = ""
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        error = f"{bench.script} exited {done.returncode}: {tail}"
    print(f"   {len(rows)} figures in {time.perf_counter() - started:.0f} s{'; ' + error if error else ''}", flush=True)
    return rows, error


def fmt(value, unit: str) -> str:
    """A figure with its unit, precise enough for its size."""
    if value is None:
        return "-"
    if unit in ("s", "ms", "MB", "x"):
        return f"{value:.3g} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{value} {unit}"


def table(rows: list[dict]) -> list[str]:
    """The result rows as a markdown table, one line a figure."""
    lines = ["| target | backend | parts | measured | limit | baseline | load | result |",
             "|---|---|---:|---:|---:|---|---|---|"]
    for r in rows:
        base = "-" if r.get("baseline") is None else f"{fmt(r['baseline'], r['unit'])} ({r.get('baseline_what')})"
        parts = f"{r['parts']:,}" if r.get("parts") else "-"
        result = "not measured" if r.get("value") is None else ("met" if r.get("met") else "MISSED")
        lines.append(f"| {r['target']}: {r.get('what', '')} | {r['backend']} | {parts} | "
                     f"{fmt(r.get('value'), r.get('unit', ''))} | {fmt(r.get('limit'), r.get('unit', ''))} | {base} | "
                     f"{r.get('load', '-')} | {result} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benches at the chosen sizes and backends, print the table, exit by the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, action="append", help=f"station size (default {SIZES})")
    parser.add_argument("--smoke", action="store_true", help=f"a small station ({SMOKE_PARTS:,} parts), few rounds")
    parser.add_argument("--only", action="append", choices=[b.name for b in BENCHES])
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--db-url", default=os.environ.get("PARTSDESK_TEST_PG"))
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--verbose", action="store_true", help="show each bench's own report")
    args = parser.parse_args(argv)
    sizes = [SMOKE_PARTS] if args.smoke else (args.parts or list(SIZES))
    backends = args.backend or ["sqlite", "postgresql"]
    print(f"machine: {load_line()}; python {sys.version.split()[0]}", flush=True)

    rows: list[dict] = []
    errors: list[str] = []
    for bench in BENCHES:
        if args.only and bench.name not in args.only:
            continue
        for backend in backends:
            if backend not in bench.backends:
                continue
            if backend == "postgresql" and not args.db_url:
                rows += [{"target": t, "backend": backend, "parts": None, "value": None, "unit": "",
                          "what": "no PostgreSQL URL (--db-url or PARTSDESK_TEST_PG)"} for t in bench.targets]
                continue
            for parts in (sizes if bench.sized else [None]):
                got, error = run_bench(bench, backend, parts, args)
                if error:
                    errors.append(error)
                rows += got
                seen = {r["target"] for r in got}
                # A smoke run's benches name their figures by the small size: only a full run expects each target.
                if not args.smoke:
                    rows += [{"target": t, "backend": backend, "parts": parts, "value": None, "unit": "",
                              "what": error or "the bench gave no figure"} for t in bench.targets
                             if not any(s == t or s.startswith(t + "-") for s in seen)]

    when = time.strftime("%Y-%m-%d %H:%M")
    lines = [f"Measured {when} on {load_line()} at the end; each row's load is at its start.", "", *table(rows)]
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        return 2
    if args.smoke:
        return 0
    missed = [r for r in rows if r.get("value") is None or not r.get("met")]
    if missed:
        print(f"{len(missed)} of {len(rows)} targets missed or not measured", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
