"""Terminals in processes of their own, racing through the services production calls.

Each function here is the body of one process (forked from a fork server that loaded this module, see
Race, so it takes only picklable arguments). A barrier shared by every terminal of a race
starts each attempt at once, so they reach for the same rows together; each terminal reports what
happened as plain values on a queue (exceptions with their own constructors do not cross processes).
No terminal sleeps: every wait is for the other terminals (the barrier) or for the database's lock.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from decimal import Decimal

from core.errors import RuleViolation
from core.ledger import OutOfStock
from core.roles import Actor
from core.services import receiving, requisitions, returns
from core.services.requisitions import ShortOfStock
from data.db import Database
from tests.helpers.staff import PIN

# Long enough for a loaded 2-core machine to start every process and run a round; a barrier that waits
# longer than this is broken, which ends the race with an error rather than a hang.
BARRIER_TIMEOUT = 120
# Everything a race does, start-up of the processes included, on a loaded machine.
RACE_TIMEOUT = 300
# A counter race ends when the stock is gone; this many rounds without that is a failure, not a loop.
MAX_ROUNDS = 500


def _wait(barrier) -> None:
    barrier.wait(BARRIER_TIMEOUT)


def counter(url: str, name: str, storekeeper: Actor, ro: str, part_no: str, wants: list[str], barrier,
            gone, results) -> None:
    """A counter issuing requisitions for one part against its repair order, one a round, until the stock is gone.

    Each round every counter asks at once (the barrier); then all wait for each other again and stop
    together once any of them was told that nothing is left (`gone`, an Event). Reports (name, issued,
    refusals, errors): issued as (requisition, qty, [(lot, qty, unit cost)], line cost), refusals as
    (error type, asked, on hand), errors as text (anything but a clean out-of-stock refusal).
    """
    database = Database(url)
    issued, refusals, errors = [], [], []
    try:
        for round_no in range(MAX_ROUNDS):
            _wait(barrier)
            want = Decimal(wants[round_no % len(wants)])
            on_hand = None
            try:
                with database.writing() as uow:
                    done = requisitions.issue_requisition(ro, [(part_no, want)], mechanic="MECH1", mechanic_pin=PIN,
                                                          actor=storekeeper, uow=uow)
                (line,) = done.lines
                issued.append((done.number, line.qty, [(t.lot, t.qty, t.unit_cost) for t in line.takes], line.cost))
            except ShortOfStock as refusal:
                (short,) = refusal.shortages
                on_hand = short.on_hand
                refusals.append(("ShortOfStock", short.asked, on_hand))
            except OutOfStock as refusal:
                on_hand = refusal.on_hand
                refusals.append(("OutOfStock", refusal.asked, on_hand))
            except Exception as exc:  # reported, not raised: the test fails on any of these
                errors.append(f"{type(exc).__name__}: {exc}")
            if on_hand == 0:
                gone.set()  # stock only goes down in this race: nothing will come back
            _wait(barrier)  # everybody has tried this round: all read the same `gone`
            if gone.is_set():
                break
        else:
            errors.append(f"the stock was not gone after {MAX_ROUNDS} rounds")
    except threading.BrokenBarrierError:
        errors.append("another terminal broke off the race")
    finally:
        database.dispose()
        results.put((name, issued, refusals, errors))


def _post(number: str, planner: Actor, uow) -> tuple:
    # The terminals run on the machine's clock, days after the receipts' frozen arrival: a late posting's reason.
    info = receiving.post_receipt(number, actor=planner, uow=uow, late_reason="counted on an earlier day")
    return (info.number, info.state)


def _take_back(req_no: str, part_no: str, qty: Decimal, storekeeper: Actor, uow) -> tuple:
    view = returns.take_back(req_no, [(part_no, qty)], mechanic="MECH1", mechanic_pin=PIN, actor=storekeeper,
                             uow=uow)
    return (view.number, [(line.lot, line.qty) for line in view.lines])


def _write(ro_no: str, part_no: str, qty: str, clerk: Actor, uow) -> tuple:
    from core.services.written_requisitions import write_requisition

    written = write_requisition(ro_no, [(part_no, qty)], actor=clerk, uow=uow)
    return (written.number, written.state)


# What a terminal of a `twice` race may do, by name: each takes its arguments and the write unit.
STEPS: dict[str, Callable[..., tuple]] = {"post": _post, "take_back": _take_back, "write": _write}


def twice(url: str, name: str, step: str, jobs: list[tuple], barrier, results) -> None:
    """A terminal doing the same kind of command to each of several documents, each at once with the other
    terminals (the barrier before each). Reports (name, outcomes), one outcome a job: ("done", result),
    ("refused", error type, message) for a RuleViolation, or ("error", text) for anything else."""
    database = Database(url)
    outcomes = []
    try:
        for args in jobs:
            _wait(barrier)
            try:
                with database.writing() as uow:
                    outcomes.append(("done", STEPS[step](*args, uow=uow)))
            except RuleViolation as refusal:
                outcomes.append(("refused", type(refusal).__name__, refusal.message))
            except Exception as exc:  # reported, not raised: the test fails on any of these
                outcomes.append(("error", f"{type(exc).__name__}: {exc}"))
    except threading.BrokenBarrierError:
        outcomes.append(("error", "another terminal broke off the race"))
    finally:
        database.dispose()
        results.put((name, outcomes))


def guesser(url: str, name: str, code: str, pins: list[str], barrier, results) -> None:
    """A terminal trying PINs for one operator, one a round, each at once with the other terminals. Reports
    (name, outcomes), one a PIN: "accepted", "refused", "locked", or the error's text for anything else."""
    from core.errors import AuthenticationFailed, OperatorLocked
    from core.services.operators import authenticate

    database = Database(url)
    outcomes = []
    try:
        for pin in pins:
            _wait(barrier)
            try:
                with database.writing() as uow:
                    authenticate(code, pin, uow=uow)
                outcomes.append("accepted")
            except OperatorLocked:
                outcomes.append("locked")
            except AuthenticationFailed:
                outcomes.append("refused")
            except Exception as exc:  # reported, not raised: the test fails on any of these
                outcomes.append(f"{type(exc).__name__}: {exc}")
    except threading.BrokenBarrierError:
        outcomes.append("another terminal broke off the race")
    finally:
        database.dispose()
        results.put((name, outcomes))


class Race:
    """Terminals started together in processes of their own, sharing one barrier, reporting on one queue."""

    def __init__(self, terminals: int) -> None:
        """A race of `terminals` processes (forkserver: started from a clean process with this module loaded)."""
        self.context = multiprocessing.get_context("forkserver")
        # A fresh interpreter per terminal would import the whole stack each time; the fork server
        # imports it once (per test process) and forks terminals from it.
        self.context.set_forkserver_preload([__name__])
        self.terminals = terminals
        self.barrier = self.context.Barrier(terminals)
        self.results = self.context.Queue()

    def event(self):
        """An Event the terminals share."""
        return self.context.Event()

    def run(self, target: Callable, arguments: list[tuple]) -> list:
        """Start one terminal per argument tuple, wait for every report, then for every process to end cleanly;
        the reports, sorted by the terminal's name (each report's first item)."""
        assert len(arguments) == self.terminals
        processes = [self.context.Process(target=target, args=args) for args in arguments]
        for process in processes:
            process.start()
        reports = []
        deadline = time.monotonic() + RACE_TIMEOUT
        while len(reports) < len(processes):
            try:
                reports.append(self.results.get(timeout=1))
            except queue.Empty:
                # Waiting on state: a terminal that died without reporting fails the race at once.
                dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                assert not dead, f"a terminal died with exit code {dead[0]} before reporting"
                assert time.monotonic() < deadline, f"the terminals did not report within {RACE_TIMEOUT} s"
        for process in processes:
            process.join(BARRIER_TIMEOUT)
            assert process.exitcode == 0, f"a terminal ended with exit code {process.exitcode}"
        return sorted(reports, key=lambda report: report[0])
