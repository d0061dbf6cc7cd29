"""A write waiting for SQLite's lock tries it every few milliseconds and takes it as soon as it is free; past the
busy timeout it gives up with SQLite's own error; other statements keep the connection's busy timeout."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from data import db as data_db
from data import sqlite_lock
from data.sqlite_lock import WRITE_POLL_S, begin_immediate
from data.url import sqlite_file


def _holder(database) -> sqlite3.Connection:
    """A second terminal's connection holding the write lock."""
    conn = sqlite3.connect(sqlite_file(database.url), timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_waiting_write_polls_the_lock_and_takes_it_once_the_other_writer_commits(db, monkeypatch):
    holder = _holder(db)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 60:  # well past the 0.23 s after which SQLite's own handler sleeps 100 ms a try
            holder.execute("COMMIT")

    monkeypatch.setattr(sqlite_lock.time, "sleep", sleep)
    with db.writing() as uow, uow.write() as conn:
        timeout = conn.execute(text("PRAGMA busy_timeout")).scalar_one()
        conn.execute(text("CREATE TABLE written_after_the_wait (n INTEGER)"))
    holder.close()
    # One poll after the other writer committed, every wait one poll long.
    assert slept == [WRITE_POLL_S] * 60
    # The connection's own busy timeout is back for the transaction's statements.
    assert timeout == data_db.BUSY_TIMEOUT_MS
    with db.reading() as uow, uow.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM written_after_the_wait")).scalar_one() == 0


def test_a_write_gives_up_with_sqlites_own_error_once_the_busy_timeout_has_passed(db, monkeypatch):
    holder = _holder(db)
    monkeypatch.setattr(data_db, "BUSY_TIMEOUT_MS", 30)
    try:
        with pytest.raises(Exception, match="database is locked"), db.writing() as uow, uow.write() as conn:
            conn.execute(text("CREATE TABLE never_written (n INTEGER)"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with db.writing() as uow, uow.write() as conn:  # the lock is free again and the connection serves
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 30
        conn.execute(text("CREATE TABLE written_later (n INTEGER)"))


def test_an_error_other_than_a_held_lock_is_raised_at_once(tmp_path, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(sqlite_lock.time, "sleep", slept.append)
    conn = sqlite3.connect(tmp_path / "plain.sqlite", isolation_level=None)
    conn.execute("BEGIN")
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        begin_immediate(conn, 15000)
    assert slept == []
    assert conn.execute("PRAGMA busy_timeout").fetchone() == (15000,)
    conn.close()
