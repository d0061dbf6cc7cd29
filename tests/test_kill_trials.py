"""Kill -9 trials: a write command killed at a random moment leaves its work wholly there or not at all.

Each trial copies a prepared station, runs one CLI command as a separate process, kills it with SIGKILL after a
seeded random delay in its own slice of the command's measured run time, then checks the row count of every
table is either the count before the command or the count after a complete run (never in between), that `stock
check` agrees, and that a command that left nothing behind runs again to completion. Bounded: a handful of
trials per command, so the file runs in CI on a busy machine.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from data.db import Database
from data.demo import seed_demo
from tests.helpers.cli import Station, invoke
from tests.helpers.kills import books_agree, checkpoint, cli_env, cli_process, counts, timed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")

# Each trial's kill lands in its own slice of the command's run time (stratified, seeded): four slices cover the
# start-up, the work and the commit as well as six random draws did, in two thirds of the time.
TRIALS = 4
SEED = 20261129
RECEIPT = "RCV-2026-000002"  # the demo's receipt with its boxes checked, waiting for the count
COUNT = ["--line", "96536697=10", "--line", "96800106=60", "--line", "13301204=2", "--line", "19300011=48",
         "--line", "13227301=6"]


def _on_the_way(now: dict[str, int], migrated: dict[str, int]) -> bool:
    """Whether a file is a schema on its way to the newest revision: its tables are the migrated file's, each
    with the migrated file's rows or none yet, and no operator (no station)."""
    return (not now.get("operator") and now.keys() <= migrated.keys()
            and all(count in (0, migrated[name]) for name, count in now.items() if name != "alembic_version"))


def trials(tmp_path: Path, template: Path | None, args: list[str], operator: str = "",
           schema_only: dict[str, int] | None = None) -> list[str]:
    """Kill the command TRIALS times at random moments; every outcome is all or nothing and can be completed."""
    rng = random.Random(f"{SEED}-{args[0]}-{args[1]}")

    def fresh(name: str) -> Path:
        path = tmp_path / f"{name}.sqlite"
        if template is not None:
            shutil.copyfile(template, path)
        return path

    before = counts(template) if template is not None else {}
    # One full run, to know the finished state and how long the command takes; the interpreter's start-up
    # (--help does nothing else) is the part of that time no kill needs to land in.
    full = fresh("full")
    startup = timed(full, "--help")
    took = timed(full, *args, operator=operator)
    after = counts(full)
    assert after != before
    outcomes = []
    for trial in range(TRIALS):
        path = fresh(f"trial{trial}")
        low, high = min(startup * 0.8, took), took * 1.1
        delay = low + (high - low) * (trial + rng.random()) / TRIALS
        proc = cli_process(path, *args, operator=operator)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        now = counts(path)
        if now == after:
            outcomes.append("done")
        else:
            # Nothing of the command's work: the state before it, or (for the demo) a schema on its way to the
            # newest revision, each table as a freshly migrated database has it (or still empty, where a later
            # migration fills it: the manufacturer registered as a supplier), and no station in it.
            nothing = now == before or (schema_only is not None and _on_the_way(now, schema_only))
            assert nothing, f"trial {trial} (killed at {delay:.2f}s) left a part: {now}"
            outcomes.append("nothing")
            again = invoke(["--db", str(path), *args], env=cli_env(operator))
            assert again.exit_code == 0, again.stderr
            assert counts(path) == after
        books_agree(path)
    print(args[:2], outcomes)
    return outcomes


@pytest.fixture(scope="module")
def demo_station(tmp_path_factory) -> Path:
    """A small demo station, made once (PIN hashes at the tests' low cost, so the commands sign quickly)."""
    path = tmp_path_factory.mktemp("kill") / "demo.sqlite"
    database = Database(f"sqlite:///{path}")
    seed_demo(database, parts=12)
    database.dispose()
    return path


@pytest.fixture(scope="module")
def counted_station(demo_station, tmp_path_factory) -> Path:
    """The demo station with its waiting receipt counted and signed, ready to post."""
    path = tmp_path_factory.mktemp("kill") / "counted.sqlite"
    shutil.copyfile(demo_station, path)
    signed = Station(path).run("receive", "count", RECEIPT, "--by", "STORE1", "--by", "STORE2", *COUNT,
                               as_="STORE1")
    assert signed.exit_code == 0, signed.stderr
    checkpoint(path)
    return path


def test_a_killed_demo_leaves_an_empty_database_or_the_whole_station(tmp_path, migrated_sqlite):
    # The schema is its own step (each migration commits on its own): a demo killed after one leaves an empty
    # database at that revision, which the demo run again brings to the newest and fills.
    outcomes = trials(tmp_path, None, ["demo", "--parts", "12"], schema_only=counts(migrated_sqlite))
    assert len(outcomes) == TRIALS


def test_a_killed_init_leaves_no_station_or_the_station_with_its_admin(tmp_path, migrated_sqlite):
    outcomes = trials(tmp_path, None, ["init", "--admin", "ADMIN", "--pin", "1234"],
                      schema_only=counts(migrated_sqlite))
    assert len(outcomes) == TRIALS


def test_a_killed_count_is_signed_whole_or_not_at_all(tmp_path, demo_station):
    outcomes = trials(tmp_path, demo_station, ["receive", "count", RECEIPT, "--by", "STORE1", "--by", "STORE2",
                                               *COUNT])
    assert len(outcomes) == TRIALS


def test_a_killed_post_posts_the_whole_receipt_or_nothing(tmp_path, counted_station):
    late = ["--late-reason", "the demo's shipment arrived days ago"]  # posted on a later day than it arrived
    outcomes = trials(tmp_path, counted_station, ["receive", "post", RECEIPT, *late], operator="PLAN1")
    assert len(outcomes) == TRIALS


@pytest.fixture(scope="module")
def one_step_station(demo_station, tmp_path_factory) -> Path:
    """The demo station where one person may write and issue (separate_issue off): the one-step `issue`."""
    path = tmp_path_factory.mktemp("kill") / "one_step.sqlite"
    shutil.copyfile(demo_station, path)
    assert Station(path).run("setting", "set", "separate_issue", "off", as_="ADMIN").exit_code == 0
    return path


def test_a_killed_issue_issues_every_line_or_none(tmp_path, one_step_station):
    outcomes = trials(tmp_path, one_step_station, ["issue", "RO-2026-000001", "--line", "96536697:1", "--line",
                                                   "96800106:2", "--to", "MECH1"], operator="STORE1")
    assert len(outcomes) == TRIALS


def test_a_killed_written_requisition_issues_every_line_or_none(tmp_path, demo_station):
    # The demo's second requisition of RO-2026-000001, written and waiting (data/demo_counter.py).
    outcomes = trials(tmp_path, demo_station, ["requisition", "issue", "REQ-2026-000002", "--to", "MECH1"],
                      operator="STORE1")
    assert len(outcomes) == TRIALS


def test_a_killed_import_imports_every_row_or_none(tmp_path, demo_station):
    rows = ["part_no,name,unit_price,location"] + [
        f"KT{n:06d},Kill trial part {n},{n % 500}.25,GEN-{20 + n // 500:02d}-{n // 50 % 10 + 1:02d}-{n % 10 + 1:02d}"
        for n in range(3000)]
    sheet = tmp_path / "parts.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outcomes = trials(tmp_path, demo_station, ["part", "import", str(sheet)], operator="PLAN1")
    assert len(outcomes) == TRIALS
