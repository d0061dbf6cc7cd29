"""Two terminals cannot both take the last unit: processes race to issue one unit at a time."""

from __future__ import annotations

import multiprocessing
import time
from decimal import Decimal

import pytest
from sqlalchemy import text

from core.documents import DocumentRef
from core.roles import Role
from core.services import stock
from tests.helpers import add_parts, assert_books_agree, make_staff, receive

WORKERS = 4
LOTS = (40, 25, 15)  # 80 units in three lots


def _terminal(url: str, actor, worker: int, results, start) -> None:
    """One terminal: issue one unit until the counter says there is none left; report how many it took."""
    from core.errors import RuleViolation
    from data.db import Database

    database = Database(url)
    taken = retries = 0
    start.wait(60)  # a barrier: once every terminal is loaded, they all reach for the stock at once
    while True:
        try:
            with database.writing() as uow:
                stock.issue_fifo("96800106", Decimal(1), document=DocumentRef("REQ", f"REQ-{worker}-{taken}"),
                                 actor=actor, uow=uow)
            taken += 1
            # A person stands between two issues at a real counter; without a pause SQLite's busy
            # handler lets one tight loop win the lock every time and the others never race.
            time.sleep(0.002)
        except RuleViolation as exc:
            if "not enough stock" in exc.message:
                break
            retries += 1  # lost a race between read and update: the guard refused, nothing changed
    database.dispose()
    results.put((worker, taken, retries))


def _race(database, staff) -> list[int]:
    for qty in LOTS:
        receive(database, staff, "96800106", qty)
    database.engine.dispose()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(WORKERS)
    actor = staff[Role.STOREKEEPER]
    processes = [
        context.Process(target=_terminal, args=(database.url, actor, n, results, start)) for n in range(WORKERS)
    ]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return [taken for _, taken, _ in outcome]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_terminals_issue_exactly_the_stock(backend, request):
    database = request.getfixturevalue("db" if backend == "sqlite" else "pg_db")
    staff = make_staff(database)
    add_parts(database, staff)
    taken = _race(database, staff)
    assert sum(taken) == sum(LOTS)
    assert sum(1 for t in taken if t) >= 2, "the race needs at least two terminals taking stock"
    with database.engine.connect() as conn:
        issued = conn.execute(text("SELECT count(*) FROM stock_move WHERE kind = 'issue'")).scalar_one()
        left = conn.execute(text("SELECT sum(qty_remaining) FROM stock_lot")).scalar_one()
    assert issued == sum(LOTS) and left == 0
    assert_books_agree(database)
