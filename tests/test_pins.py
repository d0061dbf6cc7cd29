"""PIN lockout (issue 11, item 8): five wrong PINs in a row lock an operator for 1, 5, then 15 minutes, counted in
the database on both backends, under concurrency, by the CLI and the services alike; PINs on the command line warn."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from core import tables as t
from core.errors import AuthenticationFailed, OperatorLocked, PermissionDenied
from core.roles import Role
from core.services import operators
from core.services.audit import audit_trail
from tests.helpers.cli import Station, refused
from tests.helpers.staff import PIN, make_staff

WRONG = "9999"


def guess(database, code: str, pin: str):
    """One sign-in attempt in its own unit, as a terminal makes it: the operator or the refusal."""
    with database.writing() as uow:
        try:
            return operators.authenticate(code, pin, uow=uow)
        except AuthenticationFailed as exc:
            return exc


def test_five_wrong_pins_lock_even_the_right_pin_until_the_delay_passes(any_db, clock):
    make_staff(any_db)
    for _ in range(4):
        outcome = guess(any_db, "STORE1", WRONG)
        assert isinstance(outcome, AuthenticationFailed) and not isinstance(outcome, OperatorLocked)
    fifth = guess(any_db, "STORE1", WRONG)
    assert isinstance(fifth, OperatorLocked) and "locked after 5 wrong PINs until 2026-11-20 08:31" in str(fifth)
    right = guess(any_db, "STORE1", PIN)
    assert isinstance(right, OperatorLocked) and right.until == fifth.until
    clock.advance(seconds=59)
    assert isinstance(guess(any_db, "STORE1", PIN), OperatorLocked)
    clock.advance(seconds=2)
    assert guess(any_db, "STORE1", PIN).code == "STORE1"


def test_the_delay_grows_1_5_15_minutes_and_a_right_pin_starts_again(any_db, clock):
    make_staff(any_db)
    delays = []
    for _ in range(4):
        for _ in range(5):
            outcome = guess(any_db, "PM1", WRONG)
        assert isinstance(outcome, OperatorLocked)
        delays.append(int((outcome.until - clock.now()).total_seconds() // 60))
        clock.set(outcome.until)  # the lock ends at its instant
    assert delays == [1, 5, 15, 15]
    assert guess(any_db, "PM1", PIN).code == "PM1"
    for _ in range(5):
        outcome = guess(any_db, "PM1", WRONG)
    assert int((outcome.until - clock.now()).total_seconds() // 60) == 1


def test_a_right_pin_resets_the_count_of_wrong_ones(any_db):
    make_staff(any_db)
    for _ in range(4):
        guess(any_db, "STORE1", WRONG)
    assert guess(any_db, "STORE1", PIN).code == "STORE1"
    for _ in range(4):
        assert not isinstance(guess(any_db, "STORE1", WRONG), OperatorLocked)
    assert guess(any_db, "STORE1", PIN).code == "STORE1"


def test_each_lockout_is_an_audit_row_and_the_admin_sees_and_ends_it(any_db):
    staff = make_staff(any_db)
    for _ in range(5):
        locked = guess(any_db, "STORE1", WRONG)
    with any_db.reading() as uow:
        shown = {o.code: o.locked_until for o in operators.list_operators(uow=uow)}
    assert shown["STORE1"] == locked.until and shown["PM1"] is None
    with any_db.writing() as uow:
        with pytest.raises(PermissionDenied):
            operators.unlock_operator("STORE1", actor=staff[Role.PARTS_MANAGER], uow=uow)
        operators.unlock_operator("store1", actor=staff[Role.ADMIN], uow=uow)
    assert guess(any_db, "STORE1", PIN).code == "STORE1"
    with any_db.reading() as uow:
        rows = [(r.operator, r.action, r.subject) for r in audit_trail(actor=staff[Role.ADMIN], uow=uow)
                if r.action in ("lockout", "unlock")]
    assert rows == [("STORE1", "lockout", "operator STORE1"), ("ADMIN", "unlock", "operator STORE1")]


def test_two_terminals_guessing_at_once_get_five_tries_in_all(any_db):
    """Twelve wrong guesses at the same moment from several threads (one unit each): exactly four are plain
    refusals and the fifth locks, whatever order their checks finish in; the right PIN is refused after."""
    make_staff(any_db)
    start = threading.Barrier(12)
    outcomes: list = []

    def terminal() -> None:
        start.wait()
        outcomes.append(guess(any_db, "STORE1", WRONG))

    threads = [threading.Thread(target=terminal) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    plain = [o for o in outcomes if not isinstance(o, OperatorLocked)]
    assert len(outcomes) == 12 and len(plain) == 4
    assert isinstance(guess(any_db, "STORE1", PIN), OperatorLocked)
    with any_db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(t.operator.c.lockouts).where(t.operator.c.code == "STORE1")).scalar_one() == 1


def test_two_terminal_processes_guessing_at_once_get_five_tries_in_all(any_db):
    """Two terminals in processes of their own, six wrong PINs each, each pair at the same moment, then the right
    one from both: four plain refusals in all, the rest locked, and the right PIN locked out too."""
    from tests.helpers.terminals import Race, guesser

    make_staff(any_db)
    race = Race(2)
    reports = race.run(guesser, [(any_db.url, f"terminal {n}", "STORE1", [WRONG] * 6 + [PIN], race.barrier,
                                  race.results) for n in range(2)])
    outcomes = [outcome for _name, outcomes in reports for outcome in outcomes]
    assert sorted(set(outcomes)) == ["locked", "refused"], outcomes
    assert outcomes.count("refused") == 4 and outcomes.count("locked") == 10


def test_a_mechanics_wrong_pin_at_the_counter_counts_too(db, staff):
    """The mechanic signs with his PIN inside the issue service: a wrong one is counted though the issue is refused
    (and rolled back), and the fifth locks him."""
    from tests.helpers.counter import issue, order_in, tables_now
    from tests.helpers.station import add_parts, receive

    add_parts(db, staff)
    receive(db, staff, "96536697", "5")
    ro = order_in(db, staff, "in_repair")
    before = tables_now(db)
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed) as refusal:
            issue(db, staff, ro, ("96536697", "1"), pin=WRONG)
    assert isinstance(refusal.value, OperatorLocked) and refusal.value.code == "MECH1"
    with pytest.raises(OperatorLocked):
        issue(db, staff, ro, ("96536697", "1"))
    assert tables_now(db) == before


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    init = s.run("init", "--admin", "ADMIN", "--pin", "1234")
    assert init.exit_code == 0
    assert init.stderr.strip() == ("partsdesk: warning: --pin is visible to other users in the process list; use "
                                   "PARTSDESK_PIN or the prompt")
    for code, role in [("STORE1", "storekeeper"), ("PM1", "parts_manager")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0, added.stderr
    return s


def test_cli_wrong_pins_count_though_the_command_fails_and_lock_with_exit_1(station):
    for _ in range(4):
        refused(station.run("location", "add", "EXC-01-02-03", as_="STORE1", pin=WRONG), 1, "not accepted")
    refused(station.run("location", "add", "EXC-01-02-03", as_="STORE1", pin=WRONG), 1,
            "STORE1 is locked after 5 wrong PINs until 2026-")
    refused(station.run("location", "add", "EXC-01-02-03", as_="STORE1"), 1, "(local time)")
    assert station.count("location") == 0
    listed = {o["code"]: o["locked_until"] for o in station.json("operator", "list", "--json")}
    assert listed["STORE1"] is not None and listed["PM1"] is None


def test_cli_operator_unlock_is_the_admins_and_names_an_unknown_code(station):
    for _ in range(5):
        station.run("location", "add", "EXC-01-02-03", as_="STORE1", pin=WRONG)
    refused(station.run("operator", "unlock", "STORE1", as_="PM1"), 1, "PM1 may not manage operators")
    refused(station.run("operator", "unlock", "NOBODY", as_="ADMIN"), 2, "there is no operator NOBODY")
    done = station.run("operator", "unlock", "STORE1", as_="ADMIN")
    assert done.exit_code == 0 and "STORE1 unlocked" in done.stdout
    assert station.run("location", "add", "EXC-01-02-03", as_="STORE1").exit_code == 0
    rows = station.json("audit", "--json", as_="ADMIN")
    assert [(r["operator"], r["action"]) for r in rows if r["action"] in ("lockout", "unlock")] == [
        ("STORE1", "lockout"), ("ADMIN", "unlock")]


def test_a_pin_given_as_an_option_warns_that_ps_shows_it(station):
    added = station.run("operator", "add", "MECH1", "--name", "M", "--role", "mechanic", "--pin", "4321", as_="ADMIN")
    assert added.exit_code == 0
    assert "--pin is visible to other users in the process list; use PARTSDESK_PIN_<CODE> or the prompt" in added.stderr
    # Asked twice at the prompt: no warning, and never the admin's own PARTSDESK_PIN (1234 here).
    quiet = station.run("operator", "add", "MECH2", "--name", "M", "--role", "mechanic", as_="ADMIN",
                        input="4321\n4321\n")
    assert quiet.exit_code == 0 and "visible" not in quiet.stderr
    refused(station.run("location", "add", "EXC-01-02-03", as_="MECH2"), 1, "not accepted")  # 1234 is not his
    refused(station.run("audit", as_="MECH2", pin="4321"), 1, "MECH2 may not read the audit trail")  # signed in
    # A refused command keeps its error as the first line; the warning comes after it.
    bad = station.run("operator", "add", "X1", "--name", "X", "--role", "wizard", "--pin", "1234", as_="ADMIN")
    refused(bad, 2, "unknown role")
    assert "--pin is visible" in bad.stderr.splitlines()[-1]
