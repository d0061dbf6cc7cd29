"""Units of work: a read never takes SQLite's write lock and refuses every write; a write takes the lock first."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from core import tables as t
from core.roles import Role
from core.services import catalog, requisitions, stock
from core.units import WriteRefused
from data.url import sqlite_file
from tests.helpers import PIN, add_parts, make_staff, open_order, receive


def _other_writer(database) -> sqlite3.Connection:
    """A second terminal's connection that gives up at once when the write lock is taken."""
    conn = sqlite3.connect(sqlite_file(database.url), timeout=0, isolation_level=None)
    return conn


def _can_take_write_lock(database) -> bool:
    other = _other_writer(database)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


def test_a_read_unit_never_takes_the_write_lock(db, staff):
    add_parts(db, staff)
    with db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.part)).scalar_one() == 3
        # Mid-read, another terminal still writes.
        assert _can_take_write_lock(db)


def test_a_read_through_a_write_unit_does_not_take_the_write_lock_either(db, staff):
    add_parts(db, staff)
    with db.writing() as uow:
        with uow.read() as conn:
            conn.execute(select(func.count()).select_from(t.part)).scalar_one()
            assert _can_take_write_lock(db)
        with uow.write() as conn:
            conn.execute(select(func.count()).select_from(t.part)).scalar_one()
            # The write block holds the lock from its first statement: the oversell trap is closed.
            assert not _can_take_write_lock(db)
        assert _can_take_write_lock(db)


def test_a_write_block_holds_the_lock_before_its_first_read(db, staff):
    with db.writing() as uow, uow.write():
        assert not _can_take_write_lock(db)


def test_a_write_service_through_a_read_unit_is_refused_and_changes_nothing(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, "96800106", "5")
    ro = open_order(any_db, staff)
    with any_db.reading() as uow, pytest.raises(WriteRefused):
        requisitions.issue_requisition(ro, [("96800106", "5")], mechanic="MECH1", mechanic_pin=PIN,
                                       actor=staff[Role.STOREKEEPER], uow=uow)
    with any_db.reading() as uow, pytest.raises(WriteRefused):
        catalog.add_location("EXC-09-09-09", actor=staff[Role.STOREKEEPER], uow=uow)
    with any_db.reading() as uow:
        assert stock.part_stock("96800106", uow=uow).on_hand == Decimal(5)
        assert [p.code for p in catalog.list_locations(uow=uow) if p.code == "EXC-09-09-09"] == []


def test_a_statement_that_writes_inside_a_read_is_refused_by_the_database(any_db):
    with any_db.reading() as uow:
        with pytest.raises(WriteRefused), uow.read() as conn:
            conn.execute(text("INSERT INTO setting (key, value) VALUES ('x', 'y')"))
        with uow.read() as conn:
            assert conn.execute(select(t.setting.c.value).where(t.setting.c.key == "x")).first() is None
    # The same pooled connection writes again once it serves a write unit.
    with any_db.writing() as uow, uow.write() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('x', 'y')"))
    with any_db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(t.setting.c.value).where(t.setting.c.key == "x")).scalar() == "y"


def test_a_read_inside_a_write_sees_the_write_and_a_failed_write_changes_nothing(any_db):
    with any_db.writing() as uow:
        with pytest.raises(RuntimeError, match="boom"), uow.write() as conn:
            conn.execute(text("INSERT INTO setting (key, value) VALUES ('a', '1')"))
            with uow.read() as inner:
                assert inner.execute(select(t.setting.c.value).where(t.setting.c.key == "a")).scalar() == "1"
            raise RuntimeError("boom")
        with uow.read() as conn:
            assert conn.execute(select(t.setting.c.value).where(t.setting.c.key == "a")).first() is None


def test_a_write_cannot_open_inside_a_read(db):
    with db.writing() as uow, uow.read():
        with pytest.raises(RuntimeError, match="inside a read"), uow.write():
            pass


def test_a_read_block_on_postgresql_keeps_the_connections_prepared_statements(pg_db):
    """psycopg forgets every prepared statement on ROLLBACK: a read block that ended so before each issue kept
    the issue's statements from ever being prepared. A read block ends with COMMIT (it changed nothing)."""
    staff = make_staff(pg_db)
    add_parts(pg_db, staff)
    statement = select(t.part.c.name).where(t.part.c.part_no == "96800106")
    for _ in range(8):  # psycopg prepares a statement on its sixth run on one connection
        with pg_db.reading() as uow, uow.read() as conn:
            conn.execute(statement).all()
    with pg_db.reading() as uow, uow.read() as conn:
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("part.part_no" in sql for sql in prepared)


def test_a_failed_read_block_on_postgresql_still_ends_its_transaction(pg_db):
    """A read block left by an error is rolled back, and the connection serves the next block."""
    with pytest.raises(WriteRefused), pg_db.reading() as uow, uow.read() as conn:
        conn.execute(text("CREATE TABLE not_allowed (id integer)"))
    with pg_db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.part)).scalar_one() >= 0
