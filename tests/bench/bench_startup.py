"""Benchmark of partsdesk's start-up: a CLI read and the TUI's first paint, each beside its baseline in the same run.

Run it from the repository root (a report, not a test; pytest does not collect tests/bench):
    .venv/bin/python tests/bench/bench_startup.py                     # the shared 200,000-part station, 9 runs
    .venv/bin/python tests/bench/bench_startup.py --quick             # a 500-part station, 3 runs: a smoke run
    .venv/bin/python tests/bench/bench_startup.py --results out.jsonl # also append the targets as JSON lines
    .venv/bin/python tests/bench/bench_startup.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test
                                             # on PostgreSQL instead: the station's PostgreSQL copy

Targets (issue 14): "cli-read", `partsdesk --db FILE part show PART --json` to its end, <= 0.3 s, beside
`python -c pass`; "tui-first-paint", `partsdesk --db FILE` until the login's "PIN" is on a 120x36 pseudo-terminal,
<= 2x a one-Static Textual app. The CLI read is also measured beside the fixed stack's own imports (typer,
SQLAlchemy, the driver and its dialect: `python -c "import ..."`, no partsdesk code), the floor under it.
Each pair runs interleaved (A B, B A, ...) so that a busy machine slows both;
the medians of --runs runs are reported with the machine's load average before and after. The start-ups read
compiled modules: the project's packages are byte-compiled first (an installed partsdesk has its .pyc files;
a checkout run with PYTHONDONTWRITEBYTECODE would compile some fifty modules from source on every start).
With --db-url the run measures PostgreSQL (run_targets.py runs a bench once per backend) on the PostgreSQL copy
of the station (tests/bench/pg_station.py, shared and only read here; --quick: a 500-part copy in a schema of its
own, dropped at the end). The SQLite station is bench_station's cached one (cached_station: migrated forward or
built when the cache lacks this revision's), copied before it is read.
A full run exits 1 when a target is missed; --quick never does.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT, ROOT / "tests" / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_station import (  # noqa: E402
    BASELINE_APP,
    PARTSDESK,
    PYTHON,
    build_station,
    cached_station,
    first_paint,
    gist,
)

QUICK_PARTS = 500
FULL_PARTS = 200_000
SEED = 20261126
# bench_station's cache of stations (the 200,000-part one is copied here, never opened in place).
SHARED_CACHE = Path(tempfile.gettempdir()) / "partsdesk-bench"
CLI_LIMIT_S = 0.3
TUI_LIMIT_X = 2.0
MARKER = "PIN"


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wall(argv: list[str]) -> float:
    """Wall time of one subprocess run to its end (it must succeed)."""
    return timed(argv)[0]


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one subprocess run to its end (it must succeed).

    On a shared machine the wall time is mostly other work's: the CPU time is the command's own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(runs: int, first, second) -> tuple[list[float], list[float]]:
    """`runs` timings of each of two measurements, alternating which goes first, so load falls on both alike."""
    ours, theirs = rotated(runs, [first, second])
    return ours, theirs


def shared_station() -> Path:
    """bench_station's cached 200,000-part station at this schema revision: built, or an older revision's copied
    and migrated forward, when the cache lacks it (bench_station.cached_station)."""
    return cached_station(SHARED_CACHE, FULL_PARTS, SEED)


def working_station(args: argparse.Namespace, folder: Path, name: str = "station.sqlite") -> Path:
    """A station of our own to read: a copy of the shared one (never opened in place), or one built here."""
    path = folder / name
    if args.quick and args.station is None:
        build_station(path, QUICK_PARTS, SEED)
        return path
    source = Path(args.station) if args.station else shared_station()
    if not source.exists():
        raise SystemExit(f"bench_startup: no station at {source}")
    shutil.copy(source, path)
    return path


def station_facts(url: str) -> tuple[int, str]:
    """How many parts the station holds, and one of their numbers (the middle one: no cache's first row)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM part")).scalar_one()
            part_no = conn.execute(text("SELECT part_no FROM part ORDER BY id LIMIT 1 OFFSET :n"),
                                   {"n": count // 2}).scalar_one()
    finally:
        engine.dispose()
    return count, part_no


@contextmanager
def pg_station_url(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    """The URL of a PostgreSQL copy of the station (tests/bench/pg_station.py): the shared 200,000-part copy,
    made from a copy of the SQLite station if it is not there yet and kept for the other benchmarks (only read
    here); with --quick a 500-part one in a schema of this run's own, dropped at the end."""
    from pg_station import pg_station, schema_name
    from sqlalchemy import create_engine, text

    if not args.quick:
        source = Path(args.station) if args.station else shared_station()
        if not schema_ready(args.db_url, schema_name(source)):
            # The schema is named after the file's name: a copy in our own folder makes the same shared schema.
            source = working_station(args, folder, source.name)
        yield pg_station(source, args.db_url)
        return
    path = folder / f"startup-quick-{os.getpid()}.sqlite"
    build_station(path, QUICK_PARTS, SEED)
    try:
        yield pg_station(path, args.db_url)
    finally:
        admin = create_engine(args.db_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema_name(path)} CASCADE"))
        admin.dispose()


def schema_ready(url: str, schema: str) -> bool:
    """Whether the PostgreSQL copy in `schema` is complete (pg_station marks it so once it has committed)."""
    from pg_station import COMPLETE
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                                      "WHERE nspname = :s"), {"s": schema}).first()
    finally:
        engine.dispose()
    return found is not None and found[0] == COMPLETE


def record(results: Path | None, **fields) -> None:
    """Append one target's line to the results file (the lead's table), when one is given."""
    if results is None:
        return
    with results.open("a", encoding="utf-8") as out:
        out.write(json.dumps(fields, ensure_ascii=False) + "\n")


def stack_floor(backend: str) -> str:
    """What every CLI read imports from the packages the product is built on (typer for the command line,
    SQLAlchemy under core, the backend's driver and its dialect), as a `python -c` program: no partsdesk code."""
    driver = ("sqlalchemy.dialects.postgresql.psycopg, psycopg" if backend == "postgresql"
              else "sqlalchemy.dialects.sqlite, sqlite3")
    return f"import typer, sqlalchemy, {driver}"


def rotated(runs: int, measures: list) -> list[list]:
    """`runs` results of each measurement, the order rotated each round, so that load falls on all alike."""
    results: list[list] = [[] for _ in measures]
    for n in range(runs):
        for k in range(len(measures)):
            which = (n + k) % len(measures)
            results[which].append(measures[which]())
    return results


def bench_cli(url: str, backend: str, args: argparse.Namespace) -> bool:
    """`partsdesk part show --json` against `python -c pass`, beside the fixed stack's own imports (the floor no
    partsdesk code can go below); whether the target is met."""
    parts, part_no = station_facts(url)
    cli = [str(PARTSDESK), "--db", url, "part", "show", part_no, "--json"]
    base = [str(PYTHON), "-c", "pass"]
    floor_program = stack_floor(backend)
    floor_cmd = [str(PYTHON), "-c", floor_program]
    wall(cli), wall(floor_cmd)  # warms the page cache and fails loudly (check=True) if a command does not work
    ours_runs, theirs_runs, floor_runs = rotated(
        args.runs, [lambda: timed(cli), lambda: timed(base), lambda: timed(floor_cmd)])
    ours, theirs = [w for w, _cpu in ours_runs], [w for w, _cpu in theirs_runs]
    value, baseline = statistics.median(ours), statistics.median(theirs)
    floor = statistics.median(w for w, _cpu in floor_runs)
    cpu = statistics.median(c for _w, c in ours_runs)
    baseline_cpu = statistics.median(c for _w, c in theirs_runs)
    met = value <= CLI_LIMIT_S
    print(f"cli-read         {backend:10} {value:.3f} s (median of {len(ours)}; min {min(ours):.3f})   "
          f"baseline `python -c pass` {baseline:.3f} s   {value / baseline:.1f}x   limit {CLI_LIMIT_S} s   "
          f"{'PASS' if met else 'FAIL'}")
    print(f"                 CPU (user+sys, median): {cpu:.3f} s; baseline {baseline_cpu:.3f} s")
    print(f"                 the fixed stack's imports alone (`python -c '{floor_program}'`): {floor:.3f} s, "
          f"leaving partsdesk's own code {value - floor:.3f} s")
    print(f"                 command: {shlex.join(cli)}")
    record(args.results, target="cli-read",
           what=f"`partsdesk --db URL part show PART --json`, spawn to exit; the fixed stack's imports alone "
                f"(`{floor_program}`) take {floor:.3f} s",
           backend=backend, parts=parts, value=round(value, 4), unit="s", limit=CLI_LIMIT_S,
           baseline=round(baseline, 4), baseline_what="`python -c pass`, interleaved in the same run", met=met,
           cpu=round(cpu, 4), baseline_cpu=round(baseline_cpu, 4), floor=round(floor, 4), floor_what=floor_program)
    return met


def bench_tui(url: str, backend: str, args: argparse.Namespace) -> bool:
    """The login's first paint against a one-Static Textual app's, as a ratio of medians; whether it is met."""
    parts, _part_no = station_facts(url)
    app = [str(PARTSDESK), "--db", url]
    with tempfile.TemporaryDirectory(prefix="partsdesk-startup-") as tmp:
        script = Path(tmp) / "baseline_app.py"
        script.write_text(BASELINE_APP)
        base = [str(PYTHON), str(script)]

        def paint(argv: list[str]) -> float:
            seconds, screen = first_paint(argv, MARKER, args.tui_timeout)
            if seconds is None:
                raise RuntimeError(f"{shlex.join(argv)} did not paint {MARKER!r} within {args.tui_timeout:.0f} s: "
                                   f"{gist(screen)}")
            return seconds

        paint(app), paint(base)  # the page cache warmed for both
        ours, theirs = interleaved(args.runs, lambda: paint(app), lambda: paint(base))
    value, baseline = statistics.median(ours), statistics.median(theirs)
    ratio = value / baseline
    met = ratio <= TUI_LIMIT_X
    print(f"tui-first-paint  {backend:10} {ratio:.2f}x   partsdesk {value:.3f} s (median of {len(ours)}; "
          f"min {min(ours):.3f})   one-Static app {baseline:.3f} s   limit {TUI_LIMIT_X}x   "
          f"{'PASS' if met else 'FAIL'}")
    print(f"                 command: {shlex.join(app)} (until {MARKER!r} on a 120x36 pty)")
    record(args.results, target="tui-first-paint",
           what=f"`partsdesk --db URL` until the login's {MARKER!r} is painted ({value:.3f} s), as a ratio to the "
                f"baseline's median ({baseline:.3f} s)",
           backend=backend, parts=parts, value=round(ratio, 3), unit="x", limit=TUI_LIMIT_X, baseline=None,
           baseline_what="a one-Static Textual app's first paint, interleaved in the same run (the ratio's "
                         "denominator)", met=met)
    return met


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; --quick changes the defaults that were not given."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help=f"a {QUICK_PARTS}-part station and 3 runs: a smoke run")
    p.add_argument("--runs", type=int, help="runs of each side of each pair (default 9; --quick 3)")
    p.add_argument("--station", help="the SQLite station to copy and read (default: bench_station's cached "
                                     "200,000-part station)")
    p.add_argument("--results", type=Path, help="append one JSON line per target to this file")
    p.add_argument("--db-url", help="measure on PostgreSQL instead: a server URL (a database of its own is made there)")
    p.add_argument("--only", action="append", choices=("cli", "tui"), help="run only these (repeatable)")
    p.add_argument("--tui-timeout", type=float, default=15.0)
    args = p.parse_args(argv)
    if args.runs is None:
        args.runs = 3 if args.quick else 9
    args.only = set(args.only or ("cli", "tui"))
    return args


def main(argv: list[str] | None = None) -> int:
    """Compile, copy or build a station, measure, print; non-zero when a full run misses a target."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    print("partsdesk start-up benchmark")
    print(f"command : {shlex.join([sys.executable, *sys.argv])}")
    print(f"load    : {load()} (1, 5, 15 min) on {os.cpu_count()} CPUs, before")
    for package in ("core", "data", "tui", "screens"):
        compileall.compile_dir(ROOT / package, quiet=1)
    met = []

    def measure(url: str, backend: str) -> None:
        if "cli" in args.only:
            met.append(bench_cli(url, backend, args))
        if "tui" in args.only:
            met.append(bench_tui(url, backend, args))

    with tempfile.TemporaryDirectory(prefix="partsdesk-startup-") as tmp:
        if args.db_url:
            with pg_station_url(args, Path(tmp)) as url:
                print(f"station : {station_facts(url)[0]:,} parts (PostgreSQL, {url.rsplit('%3D', 1)[-1]})")
                measure(url, "postgresql")
        else:
            path = working_station(args, Path(tmp))
            print(f"station : {station_facts(f'sqlite:///{path}')[0]:,} parts (working copy {path})")
            measure(f"sqlite:///{path}", "sqlite")
    print(f"load    : {load()} (1, 5, 15 min), after")
    return 0 if all(met) or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
