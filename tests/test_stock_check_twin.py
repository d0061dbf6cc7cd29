"""On PostgreSQL the stock check's two passes run at once, the second on a twin connection that reads the read
block's own snapshot (core.units.ReadUnit.twin); they find what they find one after the other."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core import tables as t
from core.services import stock, stock_check
from tests.helpers import PARTS, add_parts, make_staff, receive

FILTER, PADS = "96800106", "96536697"


def _locations(conn) -> int:
    return conn.execute(select(func.count()).select_from(t.location)).scalar_one()


def test_the_twin_reads_the_snapshot_of_its_read_block(pg_db):
    with pg_db.reading() as uow, uow.read() as conn:
        before = _locations(conn)  # the block's snapshot is taken here
        with pg_db.engine.begin() as other:  # another terminal adds a bin and commits
            other.execute(text("INSERT INTO location (code, zone) VALUES ('EXC-09-09-09', 'EXC')"))
        with uow.twin() as twin:
            assert twin is not None and twin is not conn
            assert _locations(twin) == before == _locations(conn)
    with pg_db.reading() as uow, uow.read() as conn:
        assert _locations(conn) == before + 1


def test_there_is_no_twin_on_sqlite_in_a_write_or_outside_a_block(db, pg_db):
    with db.reading() as uow, uow.read(), uow.twin() as twin:
        assert twin is None
    with pg_db.writing() as uow, uow.write(), uow.twin() as twin:
        assert twin is None
    with pg_db.reading() as uow, uow.twin() as twin:
        assert twin is None


def _tampered(database) -> None:
    """Lot 1's remaining quantity and lot 2's ledger row changed behind the services' back (the ledger's
    append-only triggers and the keys stepped aside)."""
    staff = make_staff(database)
    add_parts(database, staff)
    receive(database, staff, FILTER, 5)
    receive(database, staff, PADS, 3)
    receive(database, staff, PADS, 1)  # the ledger's last row, which the structure check re-hashes, stays whole
    with database.writing() as uow, uow.write() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("UPDATE stock_lot SET qty_remaining = 4000 WHERE id = 1"))
        conn.execute(text("UPDATE stock_move SET location_id = (SELECT id FROM location WHERE code = :c) "
                          "WHERE lot_id = 2"), {"c": PARTS[FILTER][2]})


def test_the_two_passes_at_once_find_what_they_find_one_after_the_other(pg_db):
    _tampered(pg_db)
    with pg_db.reading() as uow, uow.read() as conn, uow.twin() as twin:
        at_once = stock_check.books_problems(conn, twin)
        in_turn = stock_check.books_problems(conn)
    assert at_once == in_turn == ["lot 1: ledger 5 != remaining 4",
                                  "lot 2: a ledger row names another part or location"]
    with pg_db.reading() as uow:
        assert stock_check.stock_check(uow=uow) == in_turn
        assert stock.invariant_violations(uow=uow, chain=False) == in_turn


def test_an_error_of_the_twins_pass_is_the_checks_error(pg_db, monkeypatch):
    def broken(conn):
        raise RuntimeError("the twin's pass failed")

    monkeypatch.setattr(stock_check, "place_problems", broken)
    with pg_db.reading() as uow, pytest.raises(RuntimeError, match="the twin's pass failed"):
        stock_check.stock_check(uow=uow)
    monkeypatch.undo()
    with pg_db.reading() as uow:  # the block and its twin ended: the unit reads again
        assert stock_check.stock_check(uow=uow) == []


@pytest.mark.parametrize("where", ["first pass", "join", "before the twin's statement"])
def test_a_ctrl_c_cancels_the_twins_statement_instead_of_waiting_for_it(pg_db, monkeypatch, where):
    started, cancelled, ended, threads = threading.Event(), threading.Event(), [], []
    cancel = stock_check._cancel

    def cancelling(twin):
        cancel(twin)
        cancelled.set()

    def long_pass(conn):  # the twin's pass: a statement far longer than a check's
        started.set()
        if where == "before the twin's statement":  # the first cancel reaches an idle server and is lost
            cancelled.wait()
        try:
            conn.execute(text("SELECT pg_sleep(60)"))
        except DBAPIError as exc:
            ended.append(str(exc.orig))
            raise
        ended.append("ran to its end")
        return []

    def first_pass(conn):  # Ctrl-C in the main thread during its own pass, or (below) while it waits
        started.wait()
        if where != "join":
            raise KeyboardInterrupt
        return []

    class Interrupted(threading.Thread):
        def join(self, timeout=None):
            if where == "join" and not threads:
                threads.append(self)
                raise KeyboardInterrupt
            super().join(timeout)

    monkeypatch.setattr(stock_check, "place_problems", long_pass)
    monkeypatch.setattr(stock_check, "lot_problems", first_pass)
    monkeypatch.setattr(stock_check, "Thread", Interrupted)
    monkeypatch.setattr(stock_check, "_cancel", cancelling)
    with pg_db.reading() as uow, pytest.raises(KeyboardInterrupt):
        stock_check.stock_check(uow=uow)
    assert ended and "canceling statement due to user request" in ended[0]  # not a minute's wait for it
    monkeypatch.undo()
    with pg_db.reading() as uow:  # the block and its twin ended: the unit reads again
        assert stock_check.stock_check(uow=uow) == []
