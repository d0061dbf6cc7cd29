"""Receiving at scale for the benchmark: open a 5,000-line packing list and post its receipt, beside raw sqlite3.

Imported by bench_station.py (`--only receive`); each round opens a fresh receipt on the station copy.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import tempfile
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from bench_station import raw_append

from core.roles import Actor
from core.services import receiving
from core.services.receiving import CountEntry

LINES = 5000
PER_BOX = 50


def write_packing_list(conn: sqlite3.Connection, folder: Path, seed: int, round_no: int) -> tuple[Path, list]:
    """A packing list of LINES parts that have a location, as the manufacturer would send it."""
    rng = random.Random(seed + round_no)
    part_nos = [r[0] for r in conn.execute(
        "SELECT part_no FROM part WHERE default_location_id IS NOT NULL ORDER BY id LIMIT ?", (LINES * 4,))]
    chosen = rng.sample(part_nos, LINES)
    rows = [(f"SHB-{round_no:03d}", str(i // PER_BOX + 1), part_no, f"Bench part {i}", rng.randint(1, 20),
             f"{rng.randint(100, 99999) / 100:.2f}") for i, part_no in enumerate(chosen)]
    path = folder / f"packing-{round_no}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["shipment_no", "box_no", "part_no", "description", "qty", "unit_price"])
        writer.writerows(rows)
    return path, rows


def raw_open(conn: sqlite3.Connection, rows: list, operator_id: int, round_no: int) -> None:
    """The same inserts as opening a receipt, by hand: the receipt, its packing list rows and its lines."""
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(" ")
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "INSERT INTO receipt (number, state, shipment_no, packing_list, boxes_expected, arrived_at, arrived_by) "
        "VALUES (?, 'arrived', ?, 'raw.csv', ?, ?, ?)", (f"RAW-{round_no}-{time.monotonic_ns()}", rows[0][0],
                                                         LINES // PER_BOX, now, operator_id))
    rid = cur.lastrowid
    conn.executemany(
        "INSERT INTO packing_list_row (receipt_id, row_no, box_no, part_no, description, qty, unit_price) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(rid, i + 2, r[1], r[2], r[3], r[4] * 1000, int(Decimal(r[5]) * 100)) for i, r in enumerate(rows)])
    conn.executemany(
        "INSERT INTO receipt_line (receipt_id, line_no, part_no, description, boxes, expected, unit_price, damaged,"
        " fragile_damaged, refused) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
        [(rid, i + 1, r[2], r[3], r[1], r[4] * 1000, int(Decimal(r[5]) * 100)) for i, r in enumerate(rows)])
    conn.execute("COMMIT")


def raw_post(conn: sqlite3.Connection, rows: list, operator_id: int) -> None:
    """The same writes as posting, by hand: one lot a line, then one chained ledger row a line (bench_station)."""
    at = datetime.now(timezone.utc)
    now = at.replace(tzinfo=None).isoformat(" ")
    moves = []
    conn.execute("BEGIN IMMEDIATE")
    ids = dict(conn.execute(
        "SELECT p.part_no, p.id || ',' || p.default_location_id FROM part p WHERE p.part_no IN (%s)"
        % ",".join("?" * len(rows)), [r[2] for r in rows]))
    for r in rows:
        pid, loc = map(int, ids[r[2]].split(","))
        cur = conn.execute(
            "INSERT INTO stock_lot (part_id, location_id, received_at, qty_received, qty_remaining, unit_cost,"
            " doc_type, doc_no) VALUES (?, ?, ?, ?, ?, ?, 'RAW', 'RAW-1')",
            (pid, loc, now, r[4] * 1000, r[4] * 1000, int(Decimal(r[5]) * 100)))
        moves.append(("receipt", pid, cur.lastrowid, loc, r[4] * 1000, int(Decimal(r[5]) * 100), "RAW", "RAW-1",
                      operator_id, None))
    raw_append(conn, at, moves)
    conn.execute("COMMIT")


def bench_receiving(path: Path, raw_connect, report, db, store: Actor, planner: Actor, second: Actor,
                    seed: int, rounds: int, median, fmt_ms, verdict) -> None:
    """Open and post a 5,000-line receipt `rounds` times through the services, and the same writes raw."""
    folder = Path(tempfile.mkdtemp(prefix="partsdesk-receive-"))
    raw = raw_connect(path)
    opened, posted, raw_opened, raw_posted = [], [], [], []
    try:
        for round_no in range(rounds):
            packing, rows = write_packing_list(raw, folder, seed, round_no)
            t0 = time.perf_counter()
            with db.writing() as uow:
                number = receiving.open_receipt(packing, actor=store, uow=uow, supplier="SGM")
            opened.append(time.perf_counter() - t0)
            with db.writing() as uow:
                receiving.check_boxes(number, LINES // PER_BOX, actor=store, second=planner, uow=uow)
                receiving.count_receipt(number, [CountEntry(r[2], Decimal(r[4])) for r in rows], first=store,
                                        second=second, uow=uow)
            t0 = time.perf_counter()
            with db.writing() as uow:
                info = receiving.post_receipt(number, actor=planner, uow=uow)
            posted.append(time.perf_counter() - t0)
            assert info.state == "posted" and len(info.lines) == LINES
            t0 = time.perf_counter()
            raw_open(raw, rows, store.id, round_no)
            raw_opened.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw_post(raw, rows, store.id)
            raw_posted.append(time.perf_counter() - t0)
    finally:
        raw.close()
    for metric, values, baseline in (
        (f"receive open: {LINES:,}-line packing list (n={rounds})", opened, raw_opened),
        (f"receive post: {LINES:,}-line receipt (n={rounds})", posted, raw_posted),
    ):
        value, base = median(values), median(baseline)
        report.add(metric, fmt_ms(value), fmt_ms(base), f"{value / base:.1f}x", "<= 1 s", verdict(value <= 1.0))
    report.notes.append(
        "receiving: open = read and check the CSV, number the receipt, bulk-insert its packing list rows and lines; "
        "post = read the counted receipt, decide every line, bulk-insert a lot and a ledger row per line, write the "
        "documents; baselines: the same inserts by hand on raw sqlite3 (no file parsing, no checks)")
