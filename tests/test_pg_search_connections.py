"""PostgreSQL connections without a ping per checkout: a connection the server ended is replaced unseen."""

from sqlalchemy import text

from core.roles import Role
from core.services import catalog
from tests.helpers import make_staff
from tests.helpers.databases import terminate_pg_session as _terminate


def _backend_pid(db) -> int:
    with db.reading() as uow, uow.read() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_no_ping_on_every_checkout(pg_db):
    assert pg_db.engine.pool._pre_ping is False


def test_sessions_compile_no_jit_and_keep_the_urls_own_options(pg_db):
    # The URL's options name the test's schema (tests/conftest.py): both theirs and the desk's apply.
    assert "search_path" in str(pg_db.engine.url.query.get("options"))
    with pg_db.reading() as uow, uow.read() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
        schema = conn.execute(text("SELECT current_schema()")).scalar()
    assert schema in str(pg_db.engine.url.query["options"])


def test_a_connection_killed_between_two_commands_does_not_break_the_next(pg_db):
    staff = make_staff(pg_db)
    with pg_db.writing() as uow:
        catalog.add_part("A100", "Oil filter", price="1", actor=staff[Role.PLANNER], uow=uow)
    pid = _backend_pid(pg_db)
    assert pg_db.engine.pool.checkedin() == 1  # the one pooled connection is the one killed
    _terminate(pid)
    with pg_db.reading() as uow:  # a read
        assert [h.part_no for h in catalog.search_parts("A100", uow=uow)] == ["A100"]
    assert _backend_pid(pg_db) != pid
    _terminate(_backend_pid(pg_db))
    with pg_db.writing() as uow:  # and a write
        catalog.add_part("A200", "Air filter", price="1", actor=staff[Role.PLANNER], uow=uow)
    with pg_db.reading() as uow:
        assert [h.part_no for h in catalog.search_parts("filter", uow=uow)] == ["A100", "A200"]


def test_a_connection_lost_inside_a_retried_service_runs_it_again(pg_db):
    """The server ends the session in the middle of a stock adjustment: its transaction dies uncommitted, and the
    @retried service runs again on a fresh connection; the stock moves once."""
    from decimal import Decimal

    from sqlalchemy import event

    from core.services import stock

    staff = make_staff(pg_db)
    with pg_db.writing() as uow:
        catalog.add_part("A100", "Oil filter", price="1", location="EXC-01-01-01", actor=staff[Role.PLANNER], uow=uow)
    killed = []

    def kill_once(conn, cursor, statement, *rest):
        if not killed and statement.lstrip().startswith("INSERT INTO stock_lot"):
            killed.append(conn.connection.driver_connection.info.backend_pid)
            _terminate(killed[0])

    event.listen(pg_db.engine, "before_cursor_execute", kill_once)
    with pg_db.writing() as uow:
        stock.adjust("A100", Decimal(5), location="EXC-01-01-01", reason="stocktake", unit_cost="1",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
    event.remove(pg_db.engine, "before_cursor_execute", kill_once)
    assert killed
    with pg_db.reading() as uow:
        assert catalog.search_parts("A100", uow=uow)[0].on_hand == 5


def test_a_lost_commit_is_never_run_again():
    """Whether a COMMIT that failed on a lost connection was committed is unknown: such a failure is not run
    again (the stock would move twice); a statement's failure before the commit is."""
    from sqlalchemy.exc import OperationalError

    from core.units import is_lost_connection

    def lost(statement, invalidated=True):
        return OperationalError(statement, {}, Exception("server closed the connection"),
                                connection_invalidated=invalidated)

    assert is_lost_connection(lost("INSERT INTO stock_lot (part_id) VALUES (1)"))
    assert not is_lost_connection(lost(None))
    assert not is_lost_connection(lost("COMMIT"))
    assert not is_lost_connection(lost("INSERT INTO stock_lot (part_id) VALUES (1)", invalidated=False))
