"""Benchmark of concurrent issues on PostgreSQL: terminals (threads) each issuing a part of its own at once.

Nothing is shared between the terminals but the ledger, so the figure shows what serialising ledger appends
on the ledger's head row (core.ledger_chain) costs several desks. A report, not a test:

    PARTSDESK_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python tests/bench/bench_pg_issues.py [--terminals 4] [--issues 60]

It works in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LANGUAGE", "en")

from sqlalchemy import create_engine, text  # noqa: E402

from core import pins  # noqa: E402
from core.roles import Role  # noqa: E402
from core.services import catalog, requisitions, stock  # noqa: E402
from data.db import Database  # noqa: E402
from data.migrations import upgrade  # noqa: E402
from tests.helpers.counter import open_order  # noqa: E402
from tests.helpers.databases import PG_URL, pg_schema_url  # noqa: E402
from tests.helpers.staff import PIN, make_staff  # noqa: E402


def main() -> int:
    """Prepare the parts and orders, run the terminals together, print issues a second and the median latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=4)
    parser.add_argument("--issues", type=int, default=60, help="issues per terminal")
    args = parser.parse_args()
    if not PG_URL:
        print("set PARTSDESK_TEST_PG to a PostgreSQL URL", file=sys.stderr)
        return 2
    pins._N = 2**8  # the PIN check at a low cost, as the tests and bench_station do: the issue path is timed
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        db = Database(pg_schema_url(schema))
        upgrade(db.engine)
        staff = make_staff(db)
        parts = [f"9{n:07d}" for n in range(args.terminals)]
        with db.writing() as uow:
            for part_no in parts:
                catalog.add_part(part_no, "bench part", price="10", location="EXC-01-01-01",
                                 actor=staff[Role.PLANNER], uow=uow)
        for part_no in parts:
            with db.writing() as uow:
                stock.adjust(part_no, Decimal(args.issues), location="EXC-01-01-01", reason="bench", unit_cost="1",
                             actor=staff[Role.PARTS_MANAGER], uow=uow)
        orders = [open_order(db, staff) for _ in parts]
        start = threading.Barrier(args.terminals)
        latencies: list[float] = []
        errors: list[str] = []

        def terminal(n: int) -> None:
            start.wait()
            for _ in range(args.issues):
                began = time.perf_counter()
                try:
                    with db.writing() as uow:
                        requisitions.issue_requisition(orders[n], [(parts[n], "1")], mechanic="MECH1",
                                                       mechanic_pin=PIN, actor=staff[Role.STOREKEEPER], uow=uow)
                except Exception as exc:  # reported after the run
                    errors.append(f"{type(exc).__name__}: {exc}")
                latencies.append(time.perf_counter() - began)

        threads = [threading.Thread(target=terminal, args=(n,)) for n in range(args.terminals)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        print(f"load {os.getloadavg()[0]:.2f}; {args.terminals} terminals x {args.issues} issues: "
              f"{args.terminals * args.issues / wall:.0f} issues/s, median latency "
              f"{statistics.median(latencies) * 1000:.1f} ms, {len(errors)} errors")
        for error in errors[:5]:
            print(f"  {error}")
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
