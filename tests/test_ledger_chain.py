"""A ledger that shows tampering: each stock_move row is chained to the one before by a hash, so a row changed,
removed or inserted behind the triggers' back (dropped and put back, the lot changed with it so that the books
still agree) is named by `stock verify` and `db check`, which re-hash every row; `stock check` names from the
chain's structure alone (head, id gaps, the last row) the rows removed or added and a head that does not match,
without re-hashing the ledger. On PostgreSQL TRUNCATE of the ledger is refused."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core import ledger_chain
from core.roles import Actor, Role
from core.services import stock
from core.services.stock_check import stock_check
from data.db import Database
from data.migrations import alembic_config, upgrade
from tests.helpers import add_parts, issue, make_staff, open_order, receive, take_back
from tests.helpers.cli import Station
from tests.helpers.databases import PG_SKIP, PG_URL, pg_schema

FILTER, PADS = "96800106", "96536697"

# The append-only triggers as migration 0008 leaves them on SQLite: a tamperer drops and recreates them.
_SQLITE_TRIGGERS = [
    """CREATE TRIGGER stock_move_no_update BEFORE UPDATE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
    """CREATE TRIGGER stock_move_no_delete BEFORE DELETE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def station(request, clock):
    """Six ledger rows on SQLite, then on PostgreSQL: two lots in, an issue over both parts, a return.

    Moves: 1 filter lot in (10), 2 pads lot in (4), 3 filter out (3), 4 pads out (1), 5 filter back (1),
    6 filter lot in (5).
    """
    database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    staff = make_staff(database)
    add_parts(database, staff)
    receive(database, staff, FILTER, 10, cost="12.50")
    receive(database, staff, PADS, 4, cost="250.00")
    clock.advance(minutes=5)
    req = issue(database, staff, open_order(database, staff), (FILTER, "3"), (PADS, "1"))
    clock.advance(minutes=5)
    take_back(database, staff, req.number, (FILTER, "1"))
    receive(database, staff, FILTER, 5, cost="13.00")
    return database


def tamper(database, *statements: str) -> None:
    """What someone with the database file or an owner's login can do: step the append-only triggers aside,
    change the ledger and its lots together, and put the triggers back."""
    with database.engine.begin() as conn:
        if database.dialect == "sqlite":
            conn.execute(text("DROP TRIGGER stock_move_no_update"))
            conn.execute(text("DROP TRIGGER stock_move_no_delete"))
        else:
            conn.execute(text("ALTER TABLE stock_move DISABLE TRIGGER stock_move_no_change"))
        for statement in statements:
            conn.execute(text(statement))
        if database.dialect == "sqlite":
            for statement in _SQLITE_TRIGGERS:
                conn.execute(text(statement))
        else:
            conn.execute(text("ALTER TABLE stock_move ENABLE TRIGGER stock_move_no_change"))


def checks(database) -> tuple[list[str], list[str]]:
    """What the books alone say (the check before the chain) and what the whole check says."""
    with database.reading() as uow:
        return stock.invariant_violations(uow=uow, chain=False), stock.invariant_violations(uow=uow)


def quick(database) -> list[str]:
    """What `stock check` says: the books and the chain's structure, no row re-hashed but the ends of gaps and
    the last."""
    with database.reading() as uow:
        return stock_check(uow=uow)


def move(database, move_id: int):
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT lot_id, qty FROM stock_move WHERE id = :id"), {"id": move_id}).one()


def test_an_untouched_ledger_verifies(station):
    assert checks(station) == ([], [])
    assert quick(station) == []
    with station.reading() as uow:
        assert stock.verify_ledger_chain(uow) == []
        report = stock.ledger_report(uow=uow)
    assert (report.moves, report.last_move, report.problems) == (6, 6, [])
    with station.engine.connect() as conn:
        assert report.head == conn.execute(text("SELECT chain FROM stock_move WHERE id = 6")).scalar_one()


def test_a_row_changed_with_its_lot_is_named(station):
    # The issue of 3 filters becomes an issue of 1, and the lot gets the 2 back: the books still agree.
    lot, qty = move(station, 3)
    assert qty == -3000
    tamper(station, "UPDATE stock_move SET qty = -1000 WHERE id = 3",
           f"UPDATE stock_lot SET qty_remaining = qty_remaining + 2000 WHERE id = {lot}")
    books, whole = checks(station)
    assert books == []
    assert whole == ["ledger move 3 changed: its fields no longer match its hash"]
    # A row changed in the middle is the full verification's to find: `stock check` does not re-hash it.
    assert quick(station) == []


def test_a_changed_note_or_operator_is_named_too(station):
    tamper(station, "UPDATE stock_move SET note = 'RO-nobody' WHERE id = 4")
    assert checks(station)[1] == ["ledger move 4 changed: its fields no longer match its hash"]


def test_a_removed_row_is_named(station):
    # The return of one filter disappears, and its lot loses the unit it got back.
    lot, qty = move(station, 5)
    tamper(station, "DELETE FROM stock_move WHERE id = 5",
           f"UPDATE stock_lot SET qty_remaining = qty_remaining - {qty} WHERE id = {lot}")
    books, whole = checks(station)
    assert books == []
    assert whole == ["ledger move 5 removed: move 6 no longer links to move 4"]
    assert quick(station) == whole  # the gap in the ids, and the row after it not linked across


def test_the_last_rows_removed_are_named(station):
    # The last lot and its ledger row go together; on the books the receipt never happened.
    lot, _qty = move(station, 6)
    tamper(station, "DELETE FROM stock_move WHERE id = 6", f"DELETE FROM stock_lot WHERE id = {lot}")
    books, whole = checks(station)
    assert books == []
    assert whole == ["ledger move 6 removed: the ledger booked up to move 6"]
    assert quick(station) == whole  # the last id is not the head's


def test_a_forged_row_at_the_end_is_named_even_with_a_right_hash(station):
    # A forger who knows the hash: one more filter into the last lot, chained correctly from move 6.
    lot, _qty = move(station, 6)
    with station.engine.connect() as conn:
        last = conn.execute(text("SELECT * FROM stock_move WHERE id = 6")).mappings().one()
    at = datetime(2026, 11, 21, tzinfo=timezone.utc)
    fields = ledger_chain.encode(7, at, "receipt", last["part_id"], lot, last["location_id"], 1000, 1300, "ADJ",
                                 "ADJ-2026-999999", last["operator_id"], None)
    chain = ledger_chain.link(last["chain"], fields)
    with station.engine.begin() as conn:
        conn.execute(text(f"UPDATE stock_lot SET qty_received = qty_received + 1000, "
                          f"qty_remaining = qty_remaining + 1000 WHERE id = {lot}"))
        conn.execute(text(
            "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note, chain) VALUES (7, :at, 'receipt', :part, :lot, :loc, 1000, 1300, 'ADJ',"
            " 'ADJ-2026-999999', :op, NULL, :chain)"),
            {"at": at.replace(tzinfo=None), "part": last["part_id"], "lot": lot, "loc": last["location_id"],
             "op": last["operator_id"], "chain": chain})
    books, whole = checks(station)
    assert books == []
    assert whole == ["ledger move 7 inserted: it comes after the last move the ledger booked (6)"]
    assert quick(station) == whole


def test_a_row_replaced_in_the_middle_is_named(station):
    # Move 4 (one brake pad set out) deleted and a forged row put in its place with a made-up hash.
    tamper(station, "CREATE TEMPORARY TABLE kept AS SELECT * FROM stock_move WHERE id = 4",
           "DELETE FROM stock_move WHERE id = 4",
           "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
           " operator_id, note, chain) SELECT id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type,"
           f" doc_no, operator_id, 'forged', '{'0' * 64}' FROM kept",
           "DROP TABLE kept")
    assert checks(station)[1] == ["ledger move 4 changed: its fields no longer match its hash"]


def test_the_first_rows_removed_are_named_by_stock_check(station):
    tamper(station, "DELETE FROM stock_move WHERE id = 1", "DELETE FROM stock_move WHERE id = 2")
    with station.reading() as uow, uow.read() as conn:
        assert ledger_chain.check_structure(conn) == ["ledger move 1-2 removed: move 3 no longer links to move 0"]


def test_a_last_row_that_is_not_the_head_s_is_named_by_stock_check(station):
    # The head's hash changed: the last row is no longer the one the ledger booked.
    with station.engine.begin() as conn:
        conn.execute(text(f"UPDATE ledger_head SET chain = '{'0' * 64}'"))
    expected = ["ledger move 6 changed: its hash is not the one the ledger booked"]
    assert quick(station) == expected
    assert checks(station)[1] == expected


def test_the_last_row_changed_or_rechained_is_named_by_stock_check(station):
    # Its fields changed under its stored hash: the one link stock check re-hashes.
    tamper(station, "UPDATE stock_move SET note = 'RO-nobody' WHERE id = 6")
    assert quick(station) == ["ledger move 6 changed: its fields no longer match its hash"]
    # Its hash made again by someone who knows how: the head still tells.
    with station.engine.connect() as conn:
        row = conn.execute(ledger_chain._ROWS.where(ledger_chain._MOVE.c.id == 6)).one()
        before = conn.execute(text("SELECT chain FROM stock_move WHERE id = 5")).scalar_one()
    tamper(station, f"UPDATE stock_move SET chain = '{ledger_chain.link(before, ledger_chain.encode(*row[:12]))}'"
                    " WHERE id = 6")
    assert quick(station) == ["ledger move 6 changed: its hash is not the one the ledger booked"]


def test_stock_check_re_hashes_only_the_last_row(station, monkeypatch):
    # The point of the quick check: a healthy ledger costs one hash, not one per row.
    hashed = []
    real = ledger_chain.link
    monkeypatch.setattr(ledger_chain, "link", lambda previous, fields: hashed.append(fields) or real(previous, fields))
    assert quick(station) == []
    assert len(hashed) == 1


def test_stock_check_loads_neither_the_booking_nor_the_records(db):
    # Start-up is most of the command's second: it imports the check and what the check reads, nothing else.
    script = ("import json, sys, tui.cli\ntui.cli.leave = lambda code: None\n"
              f"sys.argv = ['partsdesk', '--db', {db.url!r}, 'stock', 'check', '--json']\ntui.cli.main()\n"
              "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "core.services.stock_check" in loaded
    assert loaded & {"core.ledger", "core.services.stock", "core.records"} == set()


def test_the_head_row_cannot_be_deleted(station):
    with pytest.raises(DBAPIError, match="ledger_head is kept"):
        with station.engine.begin() as conn:
            conn.execute(text("DELETE FROM ledger_head"))


def test_truncating_the_ledger_is_refused_on_postgresql(pg_db):
    staff = make_staff(pg_db)
    add_parts(pg_db, staff)
    receive(pg_db, staff, FILTER, 2)
    for table in ("stock_move", "ledger_head"):
        with pytest.raises(DBAPIError, match=f"{table} cannot be truncated: the ledger is append-only"):
            with pg_db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {table} CASCADE"))
    with pg_db.reading() as uow:
        assert stock.ledger_report(uow=uow).moves == 1
        assert stock.invariant_violations(uow=uow) == []


# -- the rows from before the chain ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def before_the_chain(request, tmp_path):
    """A database at revision 0006, before the chain, on SQLite and on PostgreSQL."""
    from alembic import command

    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
        command.upgrade(alembic_config(database.engine), "0006")
        yield database
        database.dispose()
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    with pg_schema() as url:
        database = Database(url)
        command.upgrade(alembic_config(database.engine), "0006")
        yield database
        database.dispose()


def test_the_migration_chains_the_rows_already_there(before_the_chain, clock):
    database = before_the_chain
    # A ledger as the code before the chain wrote it: ids 1, 2, 4 (PostgreSQL's sequence skipped 3 for a
    # rolled-back issue), a lot in, two issues out.
    with database.engine.begin() as conn:
        for statement in (
            "INSERT INTO operator (id, code, name, roles, pin_hash, active, created_at)"
            " VALUES (1, 'PM1', 'Liu', 'parts_manager', 'x', true, '2026-11-01 08:00:00')",
            "INSERT INTO location (id, code, zone) VALUES (1, 'EXC-01-01-01', 'EXC')",
            "INSERT INTO part (id, part_no, name, unit, list_price, fragile, pack_qty)"
            " VALUES (1, '96800106', 'Oil filter', 'pc', 1000, false, 1000)",
            "INSERT INTO stock_lot (id, part_id, location_id, received_at, qty_received, qty_remaining, unit_cost,"
            " doc_type, doc_no) VALUES (1, 1, 1, '2026-11-01 08:00:00', 10000, 7000, 1250, 'ADJ', 'ADJ-2026-000001')",
            "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note) VALUES (1, '2026-11-01 08:00:00', 'adjust', 1, 1, 1, 10000, 1250, 'ADJ',"
            " 'ADJ-2026-000001', 1, 'opening balance 期初')",
            "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note) VALUES (2, '2026-11-02 09:15:30.250000', 'issue', 1, 1, 1, -2000, 1250, 'REQ',"
            " 'REQ-2026-000001', 1, 'RO-2026-000001')",
            "INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no,"
            " operator_id, note) VALUES (4, '2026-11-03 10:00:00', 'issue', 1, 1, 1, -1000, 1250, 'REQ',"
            " 'REQ-2026-000002', 1, NULL)",
        ):
            conn.execute(text(statement))
    upgrade(database.engine)
    with database.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []
        # The gap before move 4 is older than the chain, which links across it: no problem to `stock check`.
        assert stock_check(uow=uow) == []
        report = stock.ledger_report(uow=uow)
    assert (report.moves, report.last_move, report.problems) == (3, 4, [])
    # By hand: the seed, then each row's fields in id order.
    expected = ledger_chain.SEED
    for row in (
        (1, datetime(2026, 11, 1, 8, 0), "adjust", 1, 1, 1, 10000, 1250, "ADJ", "ADJ-2026-000001", 1,
         "opening balance 期初"),
        (2, datetime(2026, 11, 2, 9, 15, 30, 250000), "issue", 1, 1, 1, -2000, 1250, "REQ", "REQ-2026-000001", 1,
         "RO-2026-000001"),
        (4, datetime(2026, 11, 3, 10, 0), "issue", 1, 1, 1, -1000, 1250, "REQ", "REQ-2026-000002", 1, None),
    ):
        expected = ledger_chain.link(expected, ledger_chain.encode(*row))
    assert report.head == expected
    # The next row booked by the services follows on from the last one, and the chain still holds.
    manager = Actor(1, "PM1", "Liu", frozenset({Role.PARTS_MANAGER}))
    with database.writing() as uow:
        stock.adjust("96800106", "-1", location="EXC-01-01-01", reason="damaged", actor=manager, uow=uow)
    with database.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []
        assert stock.ledger_report(uow=uow).last_move == 5


# -- the verifier's reading of breaks, on chains made by hand ----------------------------------------------------


def _rows(ids: list[int]) -> list[tuple[int, bytes, str]]:
    """A well-chained ledger with these ids (gaps allowed: PostgreSQL ids from before the chain may have them)."""
    rows, chain = [], ledger_chain.SEED
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for move_id in ids:
        fields = ledger_chain.encode(move_id, start + timedelta(minutes=move_id), "receipt", 1, move_id, 1, 1000,
                                     100, "RCV", f"RCV-{move_id}", 1, None)
        chain = ledger_chain.link(chain, fields)
        rows.append((move_id, fields, chain))
    return rows


def _verify(rows, head: tuple[int, str] | None) -> list[str]:
    verifier = ledger_chain._Verifier(SimpleNamespace(last_id=head[0], chain=head[1]) if head else None)
    for row in rows:
        verifier.row(*row)
    return verifier.end()


def test_the_verifier_reads_each_kind_of_break():
    rows = _rows([1, 2, 3, 4, 5, 6])
    head = (6, rows[-1][2])
    assert _verify(rows, head) == []
    changed = [*rows[:2], (3, rows[2][1].replace(b"RCV-3", b"RCV-9"), rows[2][2]), *rows[3:]]
    assert _verify(changed, head) == ["ledger move 3 changed: its fields no longer match its hash"]
    assert _verify(rows[:2] + rows[4:], head) == ["ledger move 3-4 removed: move 5 no longer links to move 2"]
    assert _verify(rows[:5], head) == ["ledger move 6 removed: the ledger booked up to move 6"]
    # The last row changed and its hash made again by someone who knows how: only the head tells.
    forged = rows[5][1].replace(b"RCV-6", b"RCV-9")
    rechained_last = [*rows[:5], (6, forged, ledger_chain.link(rows[4][2], forged))]
    assert _verify(rechained_last, head) == ["ledger move 6 changed: its hash is not the one the ledger booked"]
    broken_last = [*rows[:5], (6, rows[5][1], hashlib.sha256(b"x").hexdigest())]
    assert _verify(broken_last, head) == ["ledger move 6 changed: its fields no longer match its hash"]
    assert _verify(rows, None) == ["the ledger's head row is missing: the last moves cannot be checked"]


def test_a_row_slipped_into_an_old_gap_is_named_inserted():
    # Ids 1, 2, 4, 5 (3 was a rolled-back insert before the chain existed): the gap itself is no problem.
    rows = _rows([1, 2, 4, 5])
    head = (5, rows[-1][2])
    assert _verify(rows, head) == []
    forged = (3, rows[1][1].replace(b"RCV-2", b"RCV-3"), hashlib.sha256(b"forged").hexdigest())
    assert _verify([*rows[:2], forged, *rows[2:]], head) == [
        "ledger move 3 inserted: it is not linked into the chain"]


def test_stock_verify_and_stock_check_on_the_command_line(db, clock):
    staff = make_staff(db)
    add_parts(db, staff)
    receive(db, staff, FILTER, 10)
    receive(db, staff, PADS, 4)
    cli = Station(Path(db.url.removeprefix("sqlite:///")))
    clean = cli.json("stock", "verify")
    assert clean["ok"] is True and clean["problems"] == [] and clean["moves"] == "2" and clean["last_move"] == "2"
    assert len(clean["head"]) == 64
    said = cli.run("stock", "verify")
    assert said.exit_code == 0 and "ledger chain intact: 2 moves" in said.stdout and clean["head"] in said.stdout

    lot, _qty = move(db, 1)
    tamper(db, "UPDATE stock_move SET qty = 12000 WHERE id = 1",
           f"UPDATE stock_lot SET qty_received = 12000, qty_remaining = 12000 WHERE id = {lot}")
    problem = "ledger move 1 changed: its fields no longer match its hash"
    verified = cli.run("stock", "verify", "--json")
    assert verified.exit_code == 1
    assert '"ok": false' in verified.stdout and problem in verified.stdout
    full = "every ledger row's hash is verified by `partsdesk stock verify` (and `partsdesk db check`)"
    # A row changed in the middle, its lot with it: the books agree and the chain's structure holds, so `stock
    # check` passes and says where the row-by-row verification is; `db check` re-hashes and names the row.
    checked = cli.run("stock", "check")
    assert checked.exit_code == 0 and checked.stdout.splitlines() == ["ledger, lots and on-hand agree", full]
    db_check = cli.run("db", "check")
    assert db_check.exit_code == 1 and problem in db_check.stdout
    assert "Traceback" not in verified.stdout + checked.stdout + checked.stderr + db_check.stderr
    # The last row and its lot gone: `stock check` names it from the head alone.
    lot, _qty = move(db, 2)
    tamper(db, "DELETE FROM stock_move WHERE id = 2", f"DELETE FROM stock_lot WHERE id = {lot}")
    removed = "ledger move 2 removed: the ledger booked up to move 2"
    checked = cli.run("stock", "check")
    assert checked.exit_code == 1 and checked.stdout.splitlines() == [removed, full]
    as_json = cli.run("stock", "check", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == {"ok": False, "problems": [removed],
                                          "full_verification": "partsdesk stock verify"}
