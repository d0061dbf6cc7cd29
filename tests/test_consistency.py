"""Checks that do not lie and writers that do not deadlock, on PostgreSQL while others write.

A stock check run while terminals issue and receive reads the ledger and the lots in one snapshot, so it
never reports a difference that is not there. An issue naming parts [B, A] and a return naming [A, B] at the
same moment lock the lots in one order and both complete. A write that loses to another transaction anyway
(deadlock, serialization failure) is run again a bounded number of times, then reported in one line.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy.exc import DBAPIError

import core.units
from core.roles import Role
from core.services import stock
from core.units import ATTEMPTS, WriteConflict, retried
from tests.helpers import add_parts, assert_books_agree, issue, make_staff, open_order, receive, take_back

FILTER, PADS = "96800106", "96536697"
# Threads wait for each other at most this long: a wait this long is a hang, reported as a failure.
BARRIER_TIMEOUT = 120


# -- consistent checks -----------------------------------------------------------------------------------------

CHECKS = 200
# Each writer stops after this many rounds if the checks have not finished first: bounded, never a loop.
MAX_WRITES = 2000


def test_checks_run_while_others_write_report_no_false_difference(pg_db):
    staff = make_staff(pg_db)
    add_parts(pg_db, staff)
    receive(pg_db, staff, FILTER, 50)
    receive(pg_db, staff, PADS, 50)
    orders = [open_order(pg_db, staff) for _ in range(2)]
    done = threading.Event()
    started = threading.Barrier(3, timeout=BARRIER_TIMEOUT)
    writes = [0, 0]
    errors: list[str] = []

    def writer(n: int) -> None:
        # Each round puts two of each part on the shelf and issues one of each (the writers name them in
        # opposite orders), so lots and ledger change together all the time and stock never runs out.
        parts = (FILTER, PADS) if n == 0 else (PADS, FILTER)
        try:
            started.wait()
            for _round in range(MAX_WRITES):
                if done.is_set():
                    return
                for part in parts:
                    receive(pg_db, staff, part, 2)
                issue(pg_db, staff, orders[n], *[(part, "1") for part in parts])
                writes[n] += 1
        except Exception as exc:  # reported, not raised: the test fails on any of these
            errors.append(f"writer {n}: {type(exc).__name__}: {exc}")
        finally:
            done.set()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    false_alarms = []
    checked = 0
    try:
        started.wait()
        while checked < CHECKS and not done.is_set():
            with pg_db.reading() as uow:
                problems = stock.invariant_violations(uow=uow)
            checked += 1
            if problems:
                false_alarms.append(problems)
    finally:
        done.set()
        for thread in threads:
            thread.join(BARRIER_TIMEOUT)
    assert errors == []
    # The writers really wrote while the checks ran (each check overlapped some writing), and ran out of
    # rounds no earlier than the checks did.
    assert min(writes) > 0 and checked == CHECKS
    assert false_alarms == [], f"{len(false_alarms)} of {CHECKS} checks reported differences: {false_alarms[:3]}"
    assert_books_agree(pg_db)


# -- no deadlock -------------------------------------------------------------------------------------------------

TRIALS = 20


def test_an_issue_and_a_return_naming_parts_in_opposite_orders_both_complete(pg_db):
    staff = make_staff(pg_db)
    add_parts(pg_db, staff)
    receive(pg_db, staff, FILTER, 100)
    receive(pg_db, staff, PADS, 100)
    # Two repair orders, so that nothing but the lots stands between the two sides (each side locks its own
    # order first): the issue is on one, the returns come back on requisitions of the other.
    ro, back_ro = open_order(pg_db, staff), open_order(pg_db, staff)
    # What the returns take back: one requisition of both parts per trial.
    earlier = [issue(pg_db, staff, back_ro, (FILTER, "1"), (PADS, "1")).number for _ in range(TRIALS)]
    barrier = threading.Barrier(2, timeout=BARRIER_TIMEOUT)
    outcomes: dict[str, list] = {"issue": [], "return": []}

    def counter() -> None:
        for _trial in range(TRIALS):
            barrier.wait()
            try:
                outcomes["issue"].append(issue(pg_db, staff, ro, (PADS, "1"), (FILTER, "1")).number)  # [B, A]
            except Exception as exc:
                outcomes["issue"].append(f"{type(exc).__name__}: {exc}")

    def returns() -> None:
        for trial in range(TRIALS):
            barrier.wait()
            try:
                outcomes["return"].append(take_back(pg_db, staff, earlier[trial], (FILTER, "1"), (PADS, "1")).number)
            except Exception as exc:
                outcomes["return"].append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=counter), threading.Thread(target=returns)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BARRIER_TIMEOUT * TRIALS)
    # Both sides complete every trial: numbers, never "deadlock detected".
    for side, results in outcomes.items():
        assert len(results) == TRIALS, side
        assert all(r.startswith(("REQ-", "RET-")) for r in results), [r for r in results if "Error" in r]
    with pg_db.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []
        # Out on the earlier requisitions and on the new ones, back on the returns.
        assert stock.part_stock(FILTER, uow=uow).on_hand == 100 - TRIALS - TRIALS + TRIALS
    assert_books_agree(pg_db)


# -- bounded retry -----------------------------------------------------------------------------------------------


class _LostToAnother(Exception):
    """What the PostgreSQL driver raises for a deadlock: its SQLSTATE says so."""

    sqlstate = "40P01"


def _deadlock() -> DBAPIError:
    return DBAPIError("UPDATE stock_lot ...", {}, _LostToAnother("deadlock detected"))


@pytest.fixture
def pauses(monkeypatch):
    """The pauses between attempts, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(core.units.time, "sleep", slept.append)
    return slept


def test_a_write_that_lost_to_a_deadlock_once_runs_again(db, pauses):
    runs = []

    @retried
    def service(lines, *, uow):
        runs.append(list(lines))
        if len(runs) == 1:
            raise _deadlock()
        return "done"

    with db.writing() as uow:
        # Lines given as an iterator are read once and handed whole to every run.
        assert service(iter([("A", 1), ("B", 2)]), uow=uow) == "done"
    assert runs == [[("A", 1), ("B", 2)]] * 2
    assert len(pauses) == 1 and 0 <= pauses[0] <= core.units.BACKOFF_S


def test_a_write_that_keeps_losing_is_reported_in_one_line_after_the_last_attempt(db, pauses):
    runs = []

    @retried
    def service(*, uow):
        runs.append(1)
        raise _deadlock()

    with db.writing() as uow, pytest.raises(WriteConflict) as refused:
        service(uow=uow)
    assert len(runs) == ATTEMPTS and len(pauses) == ATTEMPTS - 1
    assert refused.value.exit_code == 1 and "\n" not in str(refused.value)
    assert str(refused.value) == (f"other terminals were changing the same records at the same moment; tried "
                                  f"{ATTEMPTS} times, nothing was changed: try again")


def test_other_database_errors_and_a_caller_s_open_block_are_not_retried(db, pauses):
    runs = []

    @retried
    def broken(*, uow):
        runs.append(1)
        raise DBAPIError("SELECT", {}, ValueError("no such table"))

    with db.writing() as uow:
        with pytest.raises(DBAPIError):
            broken(uow=uow)
        assert len(runs) == 1

        @retried
        def inner(*, uow):
            runs.append(2)
            raise _deadlock()

        # Inside the caller's transaction the conflict is the caller's: passed on at once, not run again.
        with pytest.raises(DBAPIError), uow.write():
            inner(uow=uow)
    assert runs == [1, 2] and pauses == []


def test_the_services_that_lock_rows_or_write_the_ledger_are_retried():
    import ast
    import inspect

    from core.services import (
        ordering,
        receipt_counts,
        receiving,
        repair_orders,
        requests,
        requisitions,
        returns,
        shortages,
        work_in_progress,
    )

    for module in (ordering, receipt_counts, receiving, repair_orders, requests, requisitions, returns, shortages,
                   stock, work_in_progress):
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = ast.unparse(node)
                if "uow.write()" in body and any(k in body for k in ("lock=True", "with_for_update", "ledger.")):
                    assert any(getattr(d, "id", None) == "retried" for d in node.decorator_list), (
                        f"{module.__name__}.{node.name} locks rows but is not @retried")


def test_a_conflict_on_the_command_line_is_one_line(db, monkeypatch, pauses):
    from pathlib import Path

    from tests.helpers.cli import Station, refused

    staff = make_staff(db)
    add_parts(db, staff)

    def always_losing(*args, **kwargs):
        raise _deadlock()

    monkeypatch.setattr(stock.ledger, "receive_lots", always_losing)
    cli = Station(Path(db.url.removeprefix("sqlite:///")))
    result = cli.run("stock", "adjust", FILTER, "--location", "EXC-01-01-01", "--qty", "2", "--reason", "stocktake",
                     as_=staff[Role.PARTS_MANAGER].code)
    refused(result, 1, "other terminals were changing the same records at the same moment")
    assert len(result.stderr.strip().splitlines()) == 1
    with db.reading() as uow:
        assert stock.part_stock(FILTER, uow=uow).on_hand == Decimal(0)
