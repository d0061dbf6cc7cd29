"""Statements sent straight to the driver (core.direct): the same answers as SQLAlchemy's execute on both backends,
in the block's transaction, with the text guard, SQLAlchemy's errors and the issue's statements in their order."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, event, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from core import tables as t
from core.direct import DIRECT_LIST_MAX, Direct
from core.errors import BadInput
from core.roles import Role
from core.services import catalog, requisitions, stock
from tests.helpers import make_staff
from tests.helpers.counter import open_order
from tests.helpers.staff import PIN

LOTS = (select(t.stock_lot.c.id, t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost, t.stock_lot.c.received_at,
               t.part.c.part_no)
        .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
        .where(t.part.c.part_no.in_(bindparam("part_nos", expanding=True)), t.stock_lot.c.qty_remaining > 0)
        .order_by(t.stock_lot.c.id))
LOTS_DIRECT = Direct(LOTS, lists=["part_nos"])


def _stocked(database):
    staff = make_staff(database)
    with database.writing() as uow:
        for n in range(12):
            catalog.add_part(f"A{n:03d}", "filter", price="1", location="EXC-01-01-01", actor=staff[Role.PLANNER],
                             uow=uow)
    for n in range(12):
        with database.writing() as uow:
            stock.adjust(f"A{n:03d}", Decimal("3"), location="EXC-01-01-01", reason="stocktake", unit_cost="1.25",
                         actor=staff[Role.PARTS_MANAGER], uow=uow)
    return staff


def test_rows_and_values_are_sqlalchemys(any_db):
    """Decimal quantities and money, aware UTC times, rows by name and position: as conn.execute gives them, for a
    short list (sent directly) and a long one (through SQLAlchemy)."""
    _stocked(any_db)
    for wanted in (["A000", "A001"], [f"A{n:03d}" for n in range(DIRECT_LIST_MAX + 1)]):
        with any_db.reading() as uow, uow.read() as conn:
            expected = conn.execute(LOTS, {"part_nos": wanted}).all()
            got = LOTS_DIRECT.execute(conn, {"part_nos": wanted}).all()
        assert [tuple(r) for r in got] == [tuple(r) for r in expected] and len(got) == len(wanted)
        row = got[0]
        assert row.qty_remaining == Decimal("3.000") and row.unit_cost == Decimal("1.25")
        assert row.received_at.tzinfo is not None and row.part_no == "A000" == row[4]


def test_a_read_block_of_direct_statements_is_one_transaction_ended_by_commit(any_db):
    """The first direct statement begins the block's transaction as SQLAlchemy's execute does: SQLite's BEGIN is
    sent, and on PostgreSQL the block ends with COMMIT, so psycopg keeps its prepared statements."""
    _stocked(any_db)
    key = Direct(select(t.setting.c.value).where(t.setting.c.key == bindparam("key")))
    for _ in range(7):  # psycopg prepares a statement on its fifth run
        with any_db.reading() as uow, uow.read() as conn:
            key.execute(conn, {"key": "separate_issue"}).scalar_one_or_none()
            assert conn.in_transaction()
            if any_db.dialect == "sqlite":
                assert conn.connection.driver_connection.in_transaction
    if any_db.dialect == "postgresql":
        with any_db.reading() as uow, uow.read() as conn:
            prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
        assert any("FROM setting" in statement for statement in prepared)


def test_inserts_pass_the_text_guard_and_errors_are_sqlalchemys(any_db):
    """A text no column can hold is refused before the driver sees it, as the engine's before_execute guard
    refuses it; a constraint the database refuses is SQLAlchemy's IntegrityError, and nothing stays."""
    staff = _stocked(any_db)
    ro = open_order(any_db, staff)
    add = Direct(insert(t.requisition).values(
        {k: bindparam(k) for k in ("req_no", "repair_order_id", "issued_at", "storekeeper_id", "mechanic_id")}))
    with any_db.reading() as uow, uow.read() as conn:
        ro_id = conn.execute(select(t.repair_order.c.id).where(t.repair_order.c.ro_no == ro)).scalar_one()
    row = {"req_no": "REQ-X\x07", "repair_order_id": ro_id, "issued_at": datetime.now(timezone.utc),
           "storekeeper_id": staff[Role.STOREKEEPER].id, "mechanic_id": staff[Role.MECHANIC].id}
    with pytest.raises(BadInput, match="requisition"), any_db.writing() as uow, uow.write() as conn:
        add.execute(conn, row)
    with pytest.raises(IntegrityError), any_db.writing() as uow, uow.write() as conn:
        add.execute(conn, {**row, "req_no": "REQ-X"})
        add.execute(conn, {**row, "req_no": "REQ-X"})  # req_no is unique
    with any_db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(t.requisition.c.id)).all() == []


def test_statements_share_the_connections_cursor_which_serves_on_after_an_error(any_db):
    """One cursor a pooled connection, kept across blocks; a statement the database refuses leaves it serving."""
    from core import direct

    value = Direct(select(t.setting.c.value).where(t.setting.c.key == bindparam("key")))
    add = Direct(insert(t.setting).values(key=bindparam("key"), value=bindparam("value")))
    with any_db.writing() as uow, uow.write() as conn:
        add.execute(conn, {"key": "bench_note", "value": "one"})
        cursor = conn.connection.info[direct._CURSOR]
        assert value.execute(conn, {"key": "bench_note"}).scalar() == "one"
        assert conn.connection.info[direct._CURSOR] is cursor
    with pytest.raises(IntegrityError), any_db.writing() as uow, uow.write() as conn:
        add.execute(conn, {"key": "bench_note", "value": "two"})  # the key is taken
    with any_db.writing() as uow, uow.write() as conn:
        assert value.execute(conn, {"key": "bench_note"}).scalar() == "one"
        assert conn.connection.info[direct._CURSOR] is cursor  # the pool's one connection, its one cursor


def test_a_cursor_listener_sees_every_statement(any_db):
    """With before_cursor_execute listeners (a test counting or breaking statements) the statement goes through
    SQLAlchemy, so the listener sees it."""
    _stocked(any_db)
    seen = []
    record = lambda _c, _cur, statement, *_rest: seen.append(statement)  # noqa: E731
    event.listen(any_db.engine, "before_cursor_execute", record)
    try:
        with any_db.reading() as uow, uow.read() as conn:
            assert len(LOTS_DIRECT.execute(conn, {"part_nos": ["A000"]}).all()) == 1
    finally:
        event.remove(any_db.engine, "before_cursor_execute", record)
    assert any("FROM stock_lot" in s for s in seen)


def test_an_issue_takes_its_number_after_its_lots_and_books_the_ledger_last(any_db):
    """The numbering row and the ledger's head serialise every terminal: the issue takes its lines first, then the
    number, then the head, so both are held for the fewest statements."""
    staff = _stocked(any_db)
    ro = open_order(any_db, staff)
    seen = []
    record = lambda _c, _cur, statement, *_rest: seen.append(" ".join(statement.split()))  # noqa: E731
    event.listen(any_db.engine, "before_cursor_execute", record)
    try:
        with any_db.writing() as uow:
            issued = requisitions.issue_requisition(ro, [("A000", "1"), ("A001", "2")], mechanic="MECH1",
                                                    mechanic_pin=PIN, actor=staff[Role.STOREKEEPER], uow=uow)
    finally:
        event.remove(any_db.engine, "before_cursor_execute", record)

    def first(prefix: str) -> int:
        return next(i for i, s in enumerate(seen) if s.startswith(prefix))

    taken = max(i for i, s in enumerate(seen) if s.startswith("UPDATE stock_lot"))
    number = first("INSERT INTO document_sequence")
    assert taken < number < first("INSERT INTO requisition ") < first("INSERT INTO stock_move")
    assert sum(s.startswith("INSERT INTO stock_move") for s in seen) == 1  # both lines in one append
    if any_db.dialect == "postgresql":  # (SQLite's writers are serialised already; its head goes to the driver)
        assert number < first("SELECT ledger_head.last_id") < first("INSERT INTO stock_move")
    assert [(line.part_no, line.qty) for line in issued.lines] == [("A000", Decimal("1")), ("A001", Decimal("2"))]
    with any_db.reading() as uow:
        view = requisitions.get_requisition(issued.number, uow=uow)
    assert [(line.part_no, line.qty, line.cost) for line in view.lines] == [
        ("A000", Decimal("1.000"), Decimal("1.25")), ("A001", Decimal("2.000"), Decimal("2.50"))]


def test_a_lost_connection_is_invalidated_and_said_as_sqlalchemy_says_it(pg_db):
    """The server ends the session under a direct statement: SQLAlchemy's DBAPIError with connection_invalidated,
    which @retried runs again on a fresh connection (core.units.is_lost_connection)."""
    from core.units import is_lost_connection
    from tests.helpers.databases import terminate_pg_session as _terminate

    _stocked(pg_db)
    with pytest.raises(DBAPIError) as raised, pg_db.writing() as uow, uow.write() as conn:
        _terminate(conn.execute(text("SELECT pg_backend_pid()")).scalar())
        LOTS_DIRECT.execute(conn, {"part_nos": ["A000"]})
    assert raised.value.connection_invalidated and is_lost_connection(raised.value)
    with pg_db.reading() as uow, uow.read() as conn:  # the pool has a fresh connection
        assert len(LOTS_DIRECT.execute(conn, {"part_nos": ["A000"]}).all()) == 1


def test_a_stream_hands_over_every_row_in_batches_and_the_connection_serves_after_it(any_db):
    _stocked(any_db)
    everything = (select(t.stock_lot.c.id, t.stock_lot.c.qty_remaining, t.stock_lot.c.received_at)
                  .where(t.stock_lot.c.qty_remaining > bindparam("above")).order_by(t.stock_lot.c.id))
    with any_db.reading() as uow, uow.read() as conn:
        expected = conn.execute(everything, {"above": Decimal("0")}).all()
        batches = list(Direct(everything).stream(conn, {"above": Decimal("0")}, size=5))
        # Values through the column types (quantities as Decimals, times aware), five rows a batch.
        assert [len(b) for b in batches] == [5, 5, 2]
        assert [tuple(r) for b in batches for r in b] == [tuple(r) for r in expected]
        assert batches[0][0].received_at.tzinfo is not None
        # Without names, where a column needs converting, the rows are still converted (named tuples).
        assert list(Direct(everything).stream(conn, {"above": Decimal("0")}, named=False)) == [expected]
        ids = select(t.stock_lot.c.id).order_by(t.stock_lot.c.id)
        plain = [row for b in Direct(ids).stream(conn, named=False) for row in b]
        assert plain == [tuple(r) for r in conn.execute(ids)] and type(plain[0]) is tuple
        # Left after its first batch: the statement ends, and the same transaction reads on.
        stream = Direct(everything).stream(conn, {"above": Decimal("0")}, size=5)
        assert len(next(stream)) == 5
        stream.close()
        assert conn.execute(select(t.part.c.part_no).order_by(t.part.c.part_no)).scalars().first() == "A000"


def test_a_stream_raises_the_drivers_error_as_sqlalchemy_does(any_db):
    _stocked(any_db)
    broken = select(t.stock_lot.c.id).where(t.stock_lot.c.id / (t.stock_lot.c.id - t.stock_lot.c.id) > 0)
    with any_db.reading() as uow, uow.read() as conn:
        if conn.dialect.name == "sqlite":
            broken = select(text("id FROM no_such_table"))
        with pytest.raises(DBAPIError):
            list(Direct(broken).stream(conn))
