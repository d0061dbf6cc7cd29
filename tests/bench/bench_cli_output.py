"""The CLI's long outputs at scale (issue 14): `stock list`, `ledger`, their --json and `stock check`, each run as a
child process piped to /dev/null, timed to its exit with its peak memory (wait4's ru_maxrss, through /usr/bin/time)
and CPU seconds, median of --runs, beside a baseline: the raw driver's query alone iterating the same rows, in a
child process measured alike.

    .venv/bin/python tests/bench/bench_cli_output.py [--parts 200000] [--runs 3] [--results FILE] [--quick]
        [--db-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

The station is a copy of the shared benchmark station (tests/bench/bench_station.py; never written to), or with
--quick a 2,000-part demo station built in a temporary folder; --parts 1000000 builds (once) a 1M-part station
under /tmp/stream-bench/. For `ledger` of 100k moves, the copy's first 100,000 ledger rows are given to one part
(the append-only triggers dropped on the copy only, after the stock checks ran on it): the listing reads what it
would read of a part with that many moves. With --db-url the same commands run on PostgreSQL: the stock commands on
the shared PostgreSQL copy of the station (tests/bench/pg_station.py, only read), the ledger on a copy of this
run's own station made in a schema of its own and dropped at the end; the baseline is psycopg's server-side
cursor iterating the rows.
A report, not a test: pytest does not collect tests/bench.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import sized  # this script's own folder (tests/bench), first on the path when it runs

SHARED = Path(tempfile.gettempdir()) / "partsdesk-bench"
OWN = Path(tempfile.gettempdir()) / "stream-bench"
SEED = 20261126
LEDGER_MOVES = 100_000

# The baselines: the rows each command reads, iterated by the raw driver and nothing else.
STOCK_SQL = (
    "SELECT part.part_no, part.name, part.name_zh, location.code, sum(stock_lot.qty_remaining), "
    "sum(CAST(stock_lot.qty_remaining AS BIGINT) * CAST(stock_lot.unit_cost AS BIGINT)) FROM stock_lot "
    "JOIN part ON part.id = stock_lot.part_id JOIN location ON location.id = stock_lot.location_id "
    "WHERE stock_lot.qty_remaining > 0 GROUP BY part.part_no, part.name, part.name_zh, location.code "
    "ORDER BY location.code, part.part_no"
)
LEDGER_SQL = (
    "SELECT stock_move.id, stock_move.at, stock_move.kind, stock_move.qty, stock_move.lot_id, location.code, "
    "stock_move.unit_cost, stock_move.doc_type, stock_move.doc_no, operator.code, stock_move.note FROM stock_move "
    "JOIN location ON location.id = stock_move.location_id JOIN operator ON operator.id = stock_move.operator_id "
    "WHERE stock_move.part_id = (SELECT id FROM part WHERE part_no = ?) ORDER BY stock_move.id"
)
CHECK_SQL = (
    "SELECT l.id, l.qty_received, l.qty_remaining, SUM(m.qty) FROM stock_lot l LEFT JOIN stock_move m "
    "ON m.lot_id = l.id GROUP BY l.id HAVING COALESCE(SUM(m.qty), 0) != l.qty_remaining OR l.qty_remaining < 0 "
    "OR l.qty_remaining > l.qty_received OR SUM(m.part_id != l.part_id OR m.location_id != l.location_id) > 0"
)
# PostgreSQL has no sum of booleans: the same check with CASE.
CHECK_PG_SQL = CHECK_SQL.replace("SUM(m.part_id != l.part_id OR m.location_id != l.location_id)",
                                 "SUM(CASE WHEN m.part_id != l.part_id OR m.location_id != l.location_id THEN 1 "
                                 "ELSE 0 END)")

RAW_PG_SCRIPT = """
import psycopg, sys
with psycopg.connect(sys.argv[1]) as conn:
    for number, sql in enumerate(sys.argv[3:]):
        with conn.cursor(name=f"rows{number}") as cursor:
            cursor.execute(sql.replace("?", "%s"), (sys.argv[2],) if "?" in sql else None)
            for _row in cursor:
                pass
"""

RAW_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = 0
for sql in sys.argv[3:]:
    for _row in conn.execute(sql, (sys.argv[2],) if "?" in sql else ()):
        n += 1
"""


def run_child(argv: list[str]) -> tuple[float, float, float]:
    """Seconds to exit, peak RSS in MB and CPU seconds (user + system) of a child process whose output goes to
    /dev/null. The CPU time says what the command costs when the machine is shared and its wall time is not.

    The child is started by /usr/bin/time, which reports its wait4 rusage: a child forked straight from this
    process would count this process's own memory (the RSS high-water mark survives the exec) in its peak.
    """
    env = dict(os.environ, PARTSDESK_PAGER="off", PARTSDESK_LANG="en")
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        done = subprocess.run(["/usr/bin/time", "-f", "bench-rusage %M %U %S", *argv], stdout=null,
                              stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    err = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[3:])} exited {done.returncode}: {err.strip()}")
    line = [x for x in err.splitlines() if x.startswith("bench-rusage ")][-1]
    _tag, peak_kb, user, system = line.split()
    return elapsed, int(peak_kb) / 1024, float(user) + float(system)


def partsdesk(db: Path | str, *args: str) -> list[str]:
    """The argv of a partsdesk command on `db`."""
    return [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db), *args]


def raw(db: Path | str, param: str, *sql: str) -> list[str]:
    """The argv of the baseline: the raw driver (sqlite3, or psycopg for a PostgreSQL URL) alone iterating the
    rows of the queries."""
    if isinstance(db, str):
        from sqlalchemy import make_url

        dsn = make_url(db).set(drivername="postgresql").render_as_string(hide_password=False)
        return [sys.executable, "-c", RAW_PG_SCRIPT, dsn, param,
                *[CHECK_PG_SQL if query == CHECK_SQL else query for query in sql]]
    return [sys.executable, "-c", RAW_SCRIPT, str(db), param, *sql]


def measure(argv: list[str], runs: int) -> tuple[float, float, float]:
    """Median seconds, median peak MB and median CPU seconds over `runs` runs."""
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        elapsed, peak, cpu = run_child(argv)
        times.append(elapsed)
        peaks.append(peak)
        cpus.append(cpu)
    return statistics.median(times), statistics.median(peaks), statistics.median(cpus)


def station(args: argparse.Namespace, work: Path) -> Path:
    """A private copy of the station the run measures (the shared file is only read)."""
    if args.quick:
        built = work / f"quick-{os.getpid()}.sqlite"  # unique: its PostgreSQL schema is named after it
        subprocess.run(partsdesk(built, "demo", "--parts", "2000"), check=True, capture_output=True)
        return built
    if args.station:
        source = Path(args.station)
    else:
        source = station_path_of(args)
    copy = work / "station.sqlite"
    shutil.copy(source, copy)
    os.chmod(copy, 0o600)
    return copy


def give_moves_to_one_part(db: Path, moves: int) -> str:
    """Give the copy's first `moves` ledger rows to one part (the append-only triggers dropped on this copy only);
    its part number."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    part_no, part = conn.execute("SELECT part_no, id FROM part ORDER BY id LIMIT 1").fetchone()
    conn.execute("DROP TRIGGER IF EXISTS stock_move_no_update")
    conn.execute("UPDATE stock_move SET part_id = ? WHERE id <= ?", (part, moves))
    count = conn.execute("SELECT count(*) FROM stock_move WHERE part_id = ?", (part,)).fetchone()[0]
    conn.close()
    print(f"ledger  : part {part_no} now has {count} moves")
    return part_no


def station_path_of(args: argparse.Namespace) -> Path:
    """The cached SQLite station the run copies (the shared one at 200k parts, else this bench's own)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_station import cached_station

    return cached_station(SHARED, args.parts, SEED)


# The times issue 14 sets at 200,000 parts (results.sized): `stock list` (3 s) and `stock check` (1 s).
SIZED_LIMITS = ("stock-list-", "stock-check-")


def measure_all(args, runs: int, label: str, target, db: Path, target_db: Path | str, folder: Path) -> None:
    """Every command and its baseline on `target_db` (the SQLite copy `db`, or a PostgreSQL URL)."""
    stock_raw = measure(raw(target_db, "", STOCK_SQL), runs)
    text = measure(partsdesk(target_db, "stock", "list"), runs)
    target(f"stock-list-{label}", "`stock list` piped to /dev/null, to the last row", text[0], "s", 3.0,
           stock_raw[0], "the raw driver's query iterating the same rows", (text[2], stock_raw[2]))
    as_json = measure(partsdesk(target_db, "stock", "list", "--json"), runs)
    target("stock-list-json-memory", "`stock list --json` peak RSS", as_json[1], "MB", 150.0, stock_raw[1],
           "peak RSS of the raw driver's query iterating the rows")
    # `stock check` re-hashes no ledger row (`stock verify` does): its baseline is the raw check query alone.
    check_raw = measure(raw(target_db, "", CHECK_SQL), runs)
    check = measure(partsdesk(target_db, "stock", "check"), runs)
    target(f"stock-check-{label}", "`stock check` (the books in SQL, the chain's head, id gaps and last row)",
           check[0], "s", 1.0, check_raw[0], "the raw check query alone", (check[2], check_raw[2]))
    target(f"stock-check-memory-{label}", "`stock check` peak RSS", check[1], "MB", 100.0, check_raw[1],
           "peak RSS of the raw check query alone")
    lots_only = measure([sys.executable, "-c", (
        "import sys; from data.db import Database; from core.services.stock import invariant_violations\n"
        "db = Database(sys.argv[1])\n"
        "with db.reading() as uow: assert invariant_violations(uow=uow, chain=False) == []"),
        target_db if isinstance(target_db, str) else f"sqlite:///{target_db}"], runs)
    lots_raw = check_raw  # the same raw query
    target(f"stock-check-lots-{label}", "the check's books without the chain (`db check`'s stock check), "
           "in a child process", lots_only[0], "s", 1.0, lots_raw[0], "the raw check query alone",
           (lots_only[2], lots_raw[2]))
    # The ledger's copy: this run's own station with one part given 100k moves (never the shared one).
    ledger_copy = folder / f"ledger100k-{os.getpid()}.sqlite"
    os.replace(db, ledger_copy)
    part_no = give_moves_to_one_part(ledger_copy, LEDGER_MOVES)
    ledger_db: Path | str = ledger_copy
    schema = None
    if isinstance(target_db, str):
        from tests.bench.pg_station import pg_station, schema_name

        ledger_db, schema = pg_station(ledger_copy, args.db_url), schema_name(ledger_copy)
        print(f"postgres: the ledger's copy in schema {schema}")
    try:
        ledger_raw = measure(raw(ledger_db, part_no, LEDGER_SQL), runs)
        moves = measure(partsdesk(ledger_db, "ledger", part_no), runs)
        target("ledger-100k" if not args.quick else "ledger-quick", "`ledger PART` of 100k moves piped to /dev/null",
               moves[0], "s", 2.0, ledger_raw[0], "the raw driver's query iterating the same moves",
               (moves[2], ledger_raw[2]))
        moves_json = measure(partsdesk(ledger_db, "ledger", part_no, "--json"), runs)
        target("ledger-json-memory", "`ledger PART --json` of 100k moves, peak RSS", moves_json[1], "MB", 150.0,
               ledger_raw[1], "peak RSS of the raw driver's query iterating the moves")
    finally:
        if schema is not None:
            drop_schema(args.db_url, ledger_copy)


def drop_schema(base_url: str, sqlite_path: Path) -> None:
    """Drop the PostgreSQL schema pg_station made of one of this run's own SQLite copies."""
    from sqlalchemy import create_engine, text

    from tests.bench.pg_station import schema_name

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema_name(sqlite_path)} CASCADE"))
    admin.dispose()


def main() -> None:
    """Measure, print the table, append the --results lines; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--station", help="a station file to copy instead of the shared one")
    parser.add_argument("--results", help="append one JSON line per target to this file")
    parser.add_argument("--quick", action="store_true", help="a 2,000-part demo station, one run (smoke)")
    parser.add_argument("--db-url", help="measure on PostgreSQL: a base URL (schemas of copies are made under it)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    size = 2000 if args.quick else args.parts
    label = "quick" if args.quick else (f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"load    : {load} (1, 5, 15 min), {os.cpu_count()} cores")
    rows: list[dict] = []

    def target(name, what, value, unit, limit, baseline, baseline_what, cpu=None):
        if cpu is not None:  # the wall time's CPU seconds, command and baseline: what a shared machine hides
            what = f"{what} (CPU {cpu[0]:.2f} s, baseline CPU {cpu[1]:.2f} s)"
        row = {"target": name, "what": what, "backend": "sqlite", "parts": size, "value": round(value, 3),
               "unit": unit, "limit": limit, "baseline": None if baseline is None else round(baseline, 3),
               "baseline_what": baseline_what, "met": value <= limit}
        # Issue 14 sets these times at 200,000 parts; the ledger's 100k moves and the memory limits hold at any size.
        rows.append(sized(row, size) if unit == "s" and name.startswith(SIZED_LIMITS) else row)

    backend = "postgresql" if args.db_url else "sqlite"
    with tempfile.TemporaryDirectory(prefix="bench-cli-output-", dir=OWN if OWN.exists() else None) as folder:
        db = station(args, Path(folder))
        print(f"station : {db} ({db.stat().st_size / 1e6:.0f} MB)")
        target_db: Path | str = db
        if args.db_url:
            sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
            from tests.bench.pg_station import pg_station

            source = db if args.quick or args.station else station_path_of(args)
            target_db = pg_station(source, args.db_url)
            print(f"postgres: {target_db}")
        try:
            measure_all(args, runs, label, target, db, target_db, Path(folder))
        finally:
            if args.db_url and source == db:  # a copy of this run's own station: dropped, the shared one kept
                drop_schema(args.db_url, db)
    for row in rows:
        row["backend"] = backend

    print(f"{'target':28} {'value':>10} {'limit':>8} {'baseline':>10}  met  what")
    for row in rows:
        print(f"{row['target']:28} {row['value']:>8} {row['unit']:<2}{row['limit'] or '-':>7} "
              f"{row['baseline'] if row['baseline'] is not None else '-':>10}  {'yes' if row['met'] else 'NO ':3}  "
              f"{row['what']}")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"load at the end: {load}")
    print(f"(median of {runs}; command: {' '.join([Path(sys.executable).name, *sys.argv])})")
    if args.results:
        with open(args.results, "a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
    if not args.quick and not all(row["met"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
