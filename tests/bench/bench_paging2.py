"""Issue 14, the list screens paged by paging2: the service read of one page (transit list, repair-order board)
against the read of the whole list that the screens made before, on a station with many documents.

    .venv/bin/python tests/bench/bench_paging2.py --documents 50000 --repair-orders 20000 --results /tmp/r.jsonl

It builds its own station (bench_tui's demo station with --documents open documents, a third of them orders
sent, plus --repair-orders repair orders bulk-inserted, half of them open) in a temporary folder and deletes it.
Times are medians of --rounds reads of the service alone (no screen); `--quick` is a small smoke size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.bench_tui import add_documents, build_station  # noqa: E402

LIMIT_MS = 300.0  # the bound on opening a screen: the read alone must stay far below it
PAGE = 50  # Pages.PAGE


def add_repair_orders(database, count: int) -> None:
    """`count` repair orders bulk-inserted, every other one settled (off the board)."""
    from sqlalchemy import insert, select

    from core import clock
    from core import tables as t

    now = clock.now()
    states = ["intake", "settled", "diagnosing", "settled", "in_repair", "cancelled", "ready", "settled"]
    with database.engine.begin() as conn:
        advisor = conn.execute(select(t.operator.c.id).where(t.operator.c.code == "ADV1")).scalar_one()
        conn.execute(insert(t.repair_order), [
            {"ro_no": f"RO-B{i:08d}", "state": states[i % len(states)], "state_at": now, "customer_name": "bench",
             "customer_phone": "13800138000", "vin": "LSGPC54U3AF123456", "plate": "沪A12345",
             "model_series": "EXCELLE", "mileage": 1000, "complaint": "bench", "advisor_id": advisor,
             "opened_at": now} for i in range(count)])


def median_ms(read, rounds: int) -> float:
    """The median time of `read()` in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Build, measure, print and append the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50000)
    parser.add_argument("--repair-orders", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--results", default="", help="append one JSON line per measured target to this file")
    parser.add_argument("--db-url", default="", help="accepted; PostgreSQL is not measured by this bench")
    parser.add_argument("--quick", action="store_true", help="1,500 documents, 1,000 repair orders, 3 rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.documents, args.repair_orders, args.rounds = 1500, 1000, 3
    if args.db_url:
        print("PostgreSQL not measured by this bench (SQLite only)")
    from core.services.ordering import transit_orders, transit_page
    from core.services.repair_orders import list_repair_orders, repair_orders_page

    folder = Path(tempfile.mkdtemp(prefix="paging2-bench-"))
    try:
        database = build_station(folder, 2000)
        add_documents(database, args.documents)
        add_repair_orders(database, args.repair_orders)

        def read(work):
            def run():
                with database.reading() as uow:
                    return work(uow)
            return run

        rows = []
        for target, what, whole, page in (
            ("paging2-transit", "transit list: first page of 50 (transit_page)",
             read(lambda uow: transit_orders(uow=uow, unsent=True)),
             read(lambda uow: transit_page(uow=uow, limit=PAGE))),
            ("paging2-board", "repair-order board: first page of 50 (repair_orders_page)",
             read(lambda uow: list_repair_orders(uow=uow)),
             read(lambda uow: repair_orders_page(uow=uow, limit=PAGE))),
        ):
            before, after = median_ms(whole, args.rounds), median_ms(page, args.rounds)
            print(f"{target}: whole list {before:.1f} ms, one page {after:.1f} ms (median of {args.rounds})")
            rows.append({"target": target, "what": what + f"; {args.documents} documents, "
                         f"{args.repair_orders} repair orders", "backend": "sqlite", "parts": 2000,
                         "value": round(after, 1), "unit": "ms", "limit": LIMIT_MS, "baseline": round(before, 1),
                         "baseline_what": "the whole list the screen read before (transit_orders / list_repair_orders)",
                         "met": after <= LIMIT_MS})
        if args.results:
            with open(args.results, "a", encoding="utf-8") as out:
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
