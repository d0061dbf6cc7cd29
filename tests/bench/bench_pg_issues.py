"""Benchmark of issues on PostgreSQL: the service beside raw psycopg sending the same SQL, in 1 and in N processes.

Each process is a terminal issuing one part of its own, one unit at a time, so that nothing is shared between
the terminals but the ledger's head row (core.ledger_chain), the document numbers and the repair order. Phases
run in turn, service then raw psycopg then service ..., all processes in a phase together (a barrier), so a busy
moment of the machine falls on both; each issue's latency and CPU time (user + system, of its process) are kept
and the medians compared. A report, not a test:

    PARTSDESK_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python tests/bench/bench_pg_issues.py [--processes 1 8] [--issues 60] [--results FILE]

The raw baseline (raw_issue) sends the statements issue_requisition sends, in its order, with the same locks
(FOR UPDATE), the same transactions (a READ ONLY REPEATABLE READ one for the mechanic's PIN, ended by COMMIT as
the service's read block ends, then a READ COMMITTED one) and the same ledger chain. It works in a schema of its
own, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LANGUAGE", "en")

from sqlalchemy import create_engine, text  # noqa: E402

from core import ledger_chain, pins  # noqa: E402
from core.roles import Role  # noqa: E402
from core.services import catalog, requisitions, stock  # noqa: E402
from data.db import Database  # noqa: E402
from data.migrations import upgrade  # noqa: E402
from tests.helpers.counter import open_order  # noqa: E402
from tests.helpers.staff import PIN, make_staff  # noqa: E402

LOCATION = "EXC-01-01-01"
LIMITS = {1: 1.2, 8: 1.5}  # the issue's targets: service / raw psycopg median latency
ACTIVE_STATES = ("diagnosing", "in_repair", "ready", "reinspection", "intake", "sent_out")

# The statements issue_requisition sends on PostgreSQL, as SQLAlchemy renders them (captured from the service).
SQL_MECHANIC = ("SELECT operator.id, operator.code, operator.name, operator.roles, operator.pin_hash, operator.active,"
                " operator.failed_pins, operator.lockouts, operator.locked_until, operator.language FROM operator"
                " WHERE operator.code = %(code)s::VARCHAR")
SQL_SETTING = "SELECT setting.value FROM setting WHERE setting.key = %(key)s::VARCHAR"
SQL_RO = ("SELECT repair_order.id, repair_order.ro_no, repair_order.state, repair_order.state_at,"
          " repair_order.customer_name, repair_order.customer_phone, repair_order.customer_address, repair_order.vin,"
          " repair_order.plate, repair_order.model_series, repair_order.mileage, repair_order.complaint,"
          " repair_order.inspection, repair_order.advisor_id, repair_order.opened_at, repair_order.technician_id,"
          " repair_order.warranty, repair_order.warranty_reason, repair_order.outside_repairer,"
          " repair_order.sent_out_at, repair_order.back_at, repair_order.reinspection, repair_order.reinspected_at,"
          " repair_order.reinspected_by_id, repair_order.customer_confirmed_at,"
          " repair_order.customer_confirmed_by_id, repair_order.settled_at, repair_order.settled_by_id"
          " FROM repair_order WHERE repair_order.ro_no = %(ro_no)s::VARCHAR FOR UPDATE")
SQL_PART_ID = "SELECT part.id FROM part WHERE part.part_no = %(part_no)s::VARCHAR"
SQL_UNITS = 'SELECT part.part_no, part.unit FROM part WHERE part.part_no COLLATE "C" IN (%(part_nos_1)s::VARCHAR)'
# Whether the part is in an interchangeable supersession chain (core.records.supersession.issue_groups): with none,
# the issue takes from the part's own lots alone.
SQL_IN_CHAIN = ("SELECT part_newest.newest_part_id FROM part_newest WHERE part_newest.interchangeable AND"
                " (part_newest.part_id IN (%(ids_1)s::INTEGER) OR part_newest.newest_part_id IN"
                " (%(news_1)s::INTEGER)) LIMIT %(param_1)s::INTEGER")
SQL_LOCK_LOTS = ("SELECT stock_lot.id FROM stock_lot WHERE stock_lot.part_id IN (%(part_ids_1)s::INTEGER)"
                 " AND stock_lot.qty_remaining > %(qty_remaining_1)s::BIGINT"
                 " ORDER BY stock_lot.part_id, stock_lot.id FOR UPDATE")
SQL_ISSUABLE = ("SELECT part.part_no, sum(stock_lot.qty_remaining) AS sum_1 FROM part"
                " JOIN stock_lot ON stock_lot.part_id = part.id JOIN location ON location.id = stock_lot.location_id"
                ' WHERE part.part_no COLLATE "C" IN (%(part_nos_1)s::VARCHAR) AND stock_lot.qty_remaining >'
                " %(qty_remaining_1)s::BIGINT AND location.zone != %(zone_1)s::VARCHAR GROUP BY part.part_no")
SQL_WRITTEN = ("SELECT written_requisition_line.part_id, sum(written_requisition_line.qty) AS sum_1"
               " FROM written_requisition_line JOIN written_requisition"
               " ON written_requisition.id = written_requisition_line.written_id JOIN repair_order"
               " ON repair_order.id = written_requisition.repair_order_id"
               " WHERE written_requisition_line.part_id IN (%(part_ids_1)s::INTEGER)"
               " AND written_requisition.state = %(state_1)s::VARCHAR AND repair_order.state IN"
               " (%(state_2_1)s::VARCHAR, %(state_2_2)s::VARCHAR, %(state_2_3)s::VARCHAR, %(state_2_4)s::VARCHAR,"
               " %(state_2_5)s::VARCHAR, %(state_2_6)s::VARCHAR)"
               " AND written_requisition.repair_order_id != %(except_order)s::INTEGER"
               " GROUP BY written_requisition_line.part_id")
SQL_NEXT_NUMBER = ("INSERT INTO document_sequence (doc_type, year, last_no) VALUES (%(doc_type)s::VARCHAR,"
                   " %(year)s::INTEGER, %(last_no)s::INTEGER) ON CONFLICT (doc_type, year) DO UPDATE SET last_no ="
                   " (document_sequence.last_no + %(last_no_1)s::INTEGER) RETURNING document_sequence.last_no")
SQL_REQUISITION = ("INSERT INTO requisition (req_no, repair_order_id, issued_at, storekeeper_id, mechanic_id) VALUES"
                   " (%(req_no)s::VARCHAR, %(repair_order_id)s::INTEGER, %(issued_at)s::TIMESTAMP WITHOUT TIME ZONE,"
                   " %(storekeeper_id)s::INTEGER, %(mechanic_id)s::INTEGER) RETURNING requisition.id")
SQL_FIFO_LOTS = ("SELECT stock_lot.id, stock_lot.part_id, stock_lot.location_id, stock_lot.qty_remaining,"
                 " stock_lot.unit_cost, stock_lot.received_at, location.code FROM stock_lot"
                 " JOIN part ON part.id = stock_lot.part_id JOIN location ON location.id = stock_lot.location_id"
                 " WHERE part.part_no = %(part_no)s::VARCHAR AND stock_lot.qty_remaining > %(qty_remaining_1)s::BIGINT"
                 " AND location.zone != %(zone_1)s::VARCHAR ORDER BY stock_lot.received_at, stock_lot.id"
                 " FOR UPDATE OF stock_lot")
SQL_TAKE = ("UPDATE stock_lot SET qty_remaining=(stock_lot.qty_remaining - %(take)s::BIGINT)"
            " WHERE stock_lot.id = %(lot_id)s::INTEGER AND stock_lot.qty_remaining >= %(take)s::BIGINT")
SQL_HEAD = ("SELECT ledger_head.last_id, ledger_head.chain FROM ledger_head WHERE ledger_head.id = %(id_1)s::INTEGER"
            " FOR UPDATE")
SQL_MOVE = ("INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note, chain) VALUES (%(id)s::INTEGER, %(at)s::TIMESTAMP WITHOUT TIME ZONE,"
            " %(kind)s::VARCHAR, %(part_id)s::INTEGER, %(lot_id)s::INTEGER, %(location_id)s::INTEGER,"
            " %(qty)s::BIGINT, %(unit_cost)s::BIGINT, %(doc_type)s::VARCHAR, %(doc_no)s::VARCHAR,"
            " %(operator_id)s::INTEGER, %(note)s::VARCHAR, %(chain)s::VARCHAR)")
SQL_HEAD_MOVED = ("UPDATE ledger_head SET last_id=%(head_last_id)s::INTEGER, chain=%(head_chain)s::VARCHAR"
                  " WHERE ledger_head.id = %(id_1)s::INTEGER")
SQL_LINE = ("INSERT INTO requisition_line (requisition_id, line_no, part_id, qty, cost) VALUES"
            " (%(requisition_id)s::INTEGER, %(line_no)s::INTEGER, %(part_id)s::INTEGER, %(qty)s::BIGINT,"
            " %(cost)s::BIGINT) RETURNING requisition_line.id")


def raw_issue(conn, ro_no: str, part_no: str, storekeeper_id: int, mechanic: str, qty: int = 1000) -> None:
    """One one-line requisition (qty in thousandths) by hand on a raw psycopg connection: issue_requisition's
    statements, transactions and checks, in its order."""
    import psycopg

    # The read block: the mechanic's PIN, in a read-only snapshot, as Database.reading() opens it.
    conn.read_only, conn.isolation_level = True, psycopg.IsolationLevel.REPEATABLE_READ
    row = conn.execute(SQL_MECHANIC, {"code": mechanic}).fetchone()
    conn.commit()  # as ReadUnit.read() ends a read block on PostgreSQL: psycopg keeps its prepared statements
    if row is None or not pins.check_pin(PIN, row[4]) or not row[5]:
        raise RuntimeError("the mechanic's code or PIN was not accepted")
    mechanic_id = row[0]
    conn.read_only, conn.isolation_level = False, psycopg.IsolationLevel.READ_COMMITTED
    try:
        now = datetime.now(timezone.utc)
        at = now.replace(tzinfo=None)
        conn.execute(SQL_SETTING, {"key": "separate_issue"}).fetchone()
        ro = conn.execute(SQL_RO, {"ro_no": ro_no}).fetchone()
        (part_id,) = conn.execute(SQL_PART_ID, {"part_no": part_no}).fetchone()
        conn.execute(SQL_UNITS, {"part_nos_1": part_no}).fetchall()
        if conn.execute(SQL_IN_CHAIN, {"param_1": 1, "ids_1": part_id, "news_1": part_id}).fetchone() is not None:
            raise RuntimeError(f"{part_no} is in a supersession chain: this baseline issues a part in none")
        conn.execute(SQL_LOCK_LOTS, {"part_ids_1": part_id, "qty_remaining_1": 0}).fetchall()
        on_hand = dict(conn.execute(SQL_ISSUABLE, {"part_nos_1": part_no, "qty_remaining_1": 0,
                                                   "zone_1": "QRN"}).fetchall())
        written = dict(conn.execute(SQL_WRITTEN, {"part_ids_1": part_id, "state_1": "written",
                                                  "except_order": ro[0],
                                                  **{f"state_2_{i}": s for i, s in enumerate(ACTIVE_STATES, 1)}})
                       .fetchall())
        if on_hand.get(part_no, 0) - written.get(part_id, 0) < qty:
            raise RuntimeError(f"not enough stock of {part_no}")
        lots = conn.execute(SQL_FIFO_LOTS, {"part_no": part_no, "qty_remaining_1": 0, "zone_1": "QRN"}).fetchall()
        left, picks = qty, []
        for lot in lots:
            take = min(lot[3], left)
            picks.append((lot, take))
            left -= take
            if not left:
                break
        if left:
            raise RuntimeError(f"not enough stock of {part_no}")
        with conn.cursor() as cur:
            cur.executemany(SQL_TAKE, [{"take": take, "lot_id": lot[0]} for lot, take in picks])
            if cur.rowcount != len(picks):
                raise RuntimeError(f"stock of {part_no} changed meanwhile")
        # The number after the takes, as the service takes it: the numbering row and the head are held shortest.
        (number,) = conn.execute(SQL_NEXT_NUMBER, {"doc_type": "REQ", "year": now.year, "last_no": 1,
                                                   "last_no_1": 1}).fetchone()
        req_no = f"REQ-{now.year}-{number:06d}"
        (req_id,) = conn.execute(SQL_REQUISITION, {"req_no": req_no, "repair_order_id": ro[0], "issued_at": at,
                                                   "storekeeper_id": storekeeper_id,
                                                   "mechanic_id": mechanic_id}).fetchone()
        last_id, chain = conn.execute(SQL_HEAD, {"id_1": 1}).fetchone()
        moves = []
        for lot, take in picks:
            last_id += 1
            move = ("issue", part_id, lot[0], lot[2], -take, lot[4], "REQ", req_no, storekeeper_id, ro_no)
            chain = ledger_chain.link(chain, ledger_chain.encode(last_id, now, *move))
            fields = ("kind", "part_id", "lot_id", "location_id", "qty", "unit_cost", "doc_type", "doc_no",
                      "operator_id", "note")
            moves.append(dict(zip(fields, move, strict=True), id=last_id, at=at, chain=chain))
        with conn.cursor() as cur:
            cur.executemany(SQL_MOVE, moves)
        conn.execute(SQL_HEAD_MOVED, {"head_last_id": last_id, "head_chain": chain, "id_1": 1})
        cost = round(sum(take * lot[4] for lot, take in picks) / 1000)
        with conn.cursor() as cur:  # the service sends its lines in one executemany
            cur.executemany(SQL_LINE, [{"requisition_id": req_id, "line_no": 1, "part_id": part_id, "qty": qty,
                                        "cost": cost}])
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _terminal(url: str, raw_url: str, schema: str, job: dict, phases: list[str], barrier, out) -> None:
    """One process: the phases in turn, each after all processes are ready; its latencies sent back by kind."""
    import psycopg

    pins._N = 2**8
    db = Database(url)
    raw = psycopg.connect(raw_url, options=f"-csearch_path={schema}")
    latencies: dict[str, list[float]] = {"service": [], "raw": [], "service_cpu": [], "raw_cpu": []}
    errors: list[str] = []
    try:
        for kind in phases:
            # Warm both paths once outside the timing: connections, prepared statements, caches.
            barrier.wait()
            for _ in range(job["issues"]):
                began, cpu = time.perf_counter(), time.process_time()
                try:
                    if kind == "service":
                        with db.writing() as uow:
                            requisitions.issue_requisition(job["ro"], [(job["part_no"], "1")], mechanic="MECH1",
                                                           mechanic_pin=PIN, actor=job["storekeeper"], uow=uow)
                    else:
                        raw_issue(raw, job["ro"], job["part_no"], job["storekeeper"].id, "MECH1")
                except Exception as exc:  # reported after the run
                    errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                latencies[kind].append(time.perf_counter() - began)
                # This process's CPU (user + system) for the issue: what the load distorts least.
                latencies[f"{kind}_cpu"].append(time.process_time() - cpu)
    finally:
        raw.close()
        db.dispose()
        out.put((latencies, errors))


def run(url: str, raw_url: str, schema: str, jobs: list[dict], rounds: int) -> tuple[dict, list[str]]:
    """All jobs at once in processes of their own, `rounds` of (service, raw) phases; the latencies by kind."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    out = ctx.Queue()
    phases = ["warm-service", "warm-raw"] + ["service", "raw"] * rounds
    phases = [p.removeprefix("warm-") for p in phases]
    procs = [ctx.Process(target=_terminal, args=(url, raw_url, schema, job, phases, barrier, out)) for job in jobs]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    latencies: dict[str, list[float]] = {"service": [], "raw": [], "service_cpu": [], "raw_cpu": []}
    errors: list[str] = []
    for lat, err in results:
        issues = jobs[0]["issues"]
        for kind in latencies:
            latencies[kind] += lat[kind][issues:]  # the first phase of each kind warmed up
        errors += err
    return latencies, errors


def main() -> int:
    """Prepare a part, stock and an order per process, run each process count, print and append --results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--issues", type=int, default=40, help="issues per process per phase")
    parser.add_argument("--rounds", type=int, default=3, help="(service, raw) phase pairs measured")
    parser.add_argument("--db-url", default=os.environ.get("PARTSDESK_TEST_PG"), help="a PostgreSQL URL")
    parser.add_argument("--quick", action="store_true", help="10 issues a phase, 2 rounds")
    parser.add_argument("--results", type=Path, help="append one JSON line per target")
    args = parser.parse_args()
    if not args.db_url:
        print("give --db-url or set PARTSDESK_TEST_PG to a PostgreSQL URL", file=sys.stderr)
        return 2
    if args.quick:
        args.issues, args.rounds = 10, 2
    pins._N = 2**8  # the PIN check at a low cost, as the tests and bench_station do: the issue path is timed
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in args.db_url else "?"
    url = f"{args.db_url}{separator}options=-csearch_path%3D{schema}"
    raw_url = args.db_url.replace("postgresql+psycopg://", "postgresql://")
    rows, all_met = [], True
    try:
        db = Database(url)
        upgrade(db.engine)
        staff = make_staff(db)
        most = max(args.processes)
        per_part = args.issues * (1 + args.rounds) * 2 * len(args.processes)
        parts = [f"9{n:07d}" for n in range(most)]
        with db.writing() as uow:
            for part_no in parts:
                catalog.add_part(part_no, "bench part", price="10", location=LOCATION, actor=staff[Role.PLANNER],
                                 uow=uow)
        for part_no in parts:
            with db.writing() as uow:
                stock.adjust(part_no, Decimal(per_part), location=LOCATION, reason="opening", unit_cost="1",
                             actor=staff[Role.PARTS_MANAGER], uow=uow)
        orders = [open_order(db, staff) for _ in parts]
        db.dispose()
        jobs = [{"part_no": p, "ro": o, "storekeeper": staff[Role.STOREKEEPER], "issues": args.issues}
                for p, o in zip(parts, orders, strict=True)]
        for n in args.processes:
            latencies, errors = run(url, raw_url, schema, jobs[:n], args.rounds)
            svc, raw = statistics.median(latencies["service"]), statistics.median(latencies["raw"])
            ratio = svc / raw
            svc_cpu, raw_cpu = statistics.median(latencies["service_cpu"]), statistics.median(latencies["raw_cpu"])
            limit = LIMITS.get(n, 1.5)
            met = ratio <= limit and not errors
            all_met &= met
            print(f"load {os.getloadavg()[0]:.2f}; {n} process(es) x {args.issues} issues x {args.rounds} rounds: "
                  f"service {svc * 1000:.2f} ms, raw psycopg {raw * 1000:.2f} ms (medians): {ratio:.2f}x "
                  f"(<= {limit}x {'met' if met else 'MISSED'}), {len(errors)} errors; CPU per issue (user+sys, "
                  f"medians): service {svc_cpu * 1000:.2f} ms, raw {raw_cpu * 1000:.2f} ms")
            for error in errors[:5]:
                print(f"  {error}")
            rows.append({"target": f"pg-issue-{n}proc",
                         "what": f"one-line issue, median latency, service / raw psycopg same SQL, {n} process(es)",
                         "backend": "postgresql", "parts": None, "value": round(ratio, 3), "unit": "x",
                         "limit": limit, "baseline": 1.0,
                         "baseline_what": f"raw psycopg, same statements, same run: {raw * 1000:.2f} ms median "
                                          f"(service {svc * 1000:.2f} ms); CPU per issue: service "
                                          f"{svc_cpu * 1000:.2f} ms, raw {raw_cpu * 1000:.2f} ms",
                         "met": met})
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
    return 0 if all_met or args.quick else 1  # a quick (smoke) run only has to work


if __name__ == "__main__":
    sys.exit(main())
