"""Units of work: what a service reads and writes through, one per command or screen action.

A read unit reads in a deferred transaction that never takes SQLite's write lock, and refuses any
write: `write()` raises before a statement is sent, and the database itself refuses a write on a
read connection (SQLite's query_only, PostgreSQL's read-only transaction). A write unit takes the
lock before its first read (on SQLite BEGIN IMMEDIATE; on PostgreSQL READ COMMITTED, the service
locking with FOR UPDATE what it will change) and commits once at the end of the service's block.

A service opens one block: `with uow.write() as conn:` or `with uow.read() as conn:`. A block opened
inside another joins it, so a read inside a write sees what the write has done so far, and several
services can share one transaction when the caller opens the outer block.

On PostgreSQL a read block is one REPEATABLE READ, READ ONLY transaction (data/db.py): every statement
of a check sees the same snapshot, so a check run while others write never reports a false difference.
A write that loses to another transaction (a deadlock, a serialization failure) is rolled back by the
server; a service marked @retried runs again, a bounded number of times, before saying so in one line.
"""

from __future__ import annotations

import functools
import io
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from core.errors import PartsdeskError
from core.i18n import _

# The execution option that marks the engine of read connections (see data/db.py).
READ_ONLY = "partsdesk_read_only"
# The execution option of a statement whose best plan depends on its values (a search's pattern): PostgreSQL
# never gets it as a prepared statement, whose generic plan scanned the parts table for a rare pattern.
UNPREPARED = "partsdesk_unprepared"


# PostgreSQL's SQLSTATEs for a transaction that lost to another one: serialization_failure, deadlock_detected.
CONFLICT_STATES = frozenset({"40001", "40P01"})
# How many times a service runs in all before a conflict is reported, and the longest pause before a retry.
ATTEMPTS = 3
BACKOFF_S = 0.05

P = ParamSpec("P")
R = TypeVar("R")


class WriteRefused(PartsdeskError):
    """A write was attempted through a read unit: refused before anything changed."""


class WriteConflict(PartsdeskError):
    """Another terminal's write got in the way each time (deadlock or serialization failure); nothing changed."""


def is_conflict(exc: BaseException) -> bool:
    """Whether a database error is a transaction that lost to another one and may simply be run again."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in CONFLICT_STATES


def _replayable(value):
    return list(value) if isinstance(value, Iterator) and not isinstance(value, io.IOBase) else value


def is_lost_connection(exc: BaseException) -> bool:
    """Whether a statement failed because the connection to the server was lost (the server ended the session,
    restarted, the network dropped): the transaction died with it uncommitted, so running it again is safe. A
    failure of the COMMIT itself (no statement) is not: whether it was committed is unknown."""
    return (isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
            and exc.statement is not None and not exc.statement.lstrip().upper().startswith("COMMIT"))


def retried(service: Callable[P, R]) -> Callable[P, R]:
    """Run a write service again when its transaction lost to another (deadlock, serialization failure).

    The server has already rolled the transaction back, so running the service again is safe: it reads
    afresh and checks its rules again. At most ATTEMPTS runs, each retry after a short random pause so that
    the two sides do not meet again; then one line (WriteConflict). Inside a caller's open write block the
    conflict belongs to the caller's transaction and is passed on as it is. A statement that failed on a lost
    connection (is_lost_connection) is run again the same way, on a fresh connection.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        unit = kwargs.get("uow") or next((a for a in args if isinstance(a, ReadUnit)), None)
        if isinstance(unit, ReadUnit) and unit._conn is not None:
            return service(*args, **kwargs)
        # An iterator given as lines would be spent by the first run (a file is left to the service).
        args = tuple(_replayable(a) for a in args)  # type: ignore[assignment]
        kwargs = {k: _replayable(v) for k, v in kwargs.items()}  # type: ignore[assignment]
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except DBAPIError as exc:
                if is_lost_connection(exc) and attempt < ATTEMPTS:
                    continue  # the pool has dropped the dead connection: the next run takes a fresh one
                if not is_conflict(exc):
                    raise
                if attempt == ATTEMPTS:
                    raise WriteConflict(_(
                        "other terminals were changing the same records at the same moment; tried {n} times, "
                        "nothing was changed: try again").format(n=ATTEMPTS)) from None
                time.sleep(random.uniform(0, BACKOFF_S * attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    return run


class ReadUnit:
    """A unit that only reads: deferred transactions, never the write lock, every write refused."""

    def __init__(self, read_engine: Engine, once_engine: Engine | None = None) -> None:
        """A unit over the engine of read connections (its READ_ONLY option set); `once_engine`, where given,
        serves read_once() outside a transaction (PostgreSQL's autocommit)."""
        self._read_engine = read_engine
        self._once_engine = once_engine
        self._conn: Connection | None = None
        self._conn_writes = False

    def __enter__(self) -> ReadUnit:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """End the unit; every block has already ended its own transaction."""
        self._conn = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reads; the transaction ends with the block, so no snapshot outlives it."""
        if self._conn is not None:  # inside another block: read what it sees
            yield self._conn
            return
        with self._read_engine.connect() as conn:
            self._conn, self._conn_writes = conn, False
            ended = False
            try:
                yield conn
                if conn.dialect.name == "postgresql":
                    # A read-only transaction changed nothing, so COMMIT ends it as ROLLBACK would; but psycopg
                    # forgets every prepared statement of the connection on ROLLBACK (and sends DEALLOCATE ALL),
                    # so a read block before each issue (the mechanic's PIN) kept all 16 of its statements
                    # from ever being prepared: the server parsed and planned each one every time.
                    conn.commit()
                    ended = True
            except DBAPIError as exc:
                if _is_read_only_refusal(exc):
                    raise WriteRefused(_("a read may not change anything: the write was refused")) from None
                raise
            finally:
                self._conn = None
                if not ended:
                    conn.rollback()

    @contextmanager
    def twin(self) -> Iterator[Connection | None]:
        """Inside a read block on PostgreSQL, a second connection reading the block's own snapshot (exported by
        the block and set as the twin's, as pg_dump's workers share one), so that a check runs two long
        statements at once and still sees one moment; None on SQLite, in a write or outside a block, where the
        caller runs them one after the other on the block's connection."""
        conn = self._conn
        if conn is None or self._conn_writes or conn.dialect.name != "postgresql":
            yield None
            return
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        with self._read_engine.connect() as twin:
            try:
                # The twin's first statement: its REPEATABLE READ, READ ONLY transaction starts at the snapshot.
                twin.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                yield twin
                twin.commit()  # as read() ends its blocks: psycopg keeps the prepared statements
            except BaseException:
                twin.rollback()
                raise

    @contextmanager
    def read_once(self) -> Iterator[Connection]:
        """A connection for a single SELECT: on PostgreSQL outside any transaction, the statement being its own
        snapshot, which spares a BEGIN and a ROLLBACK round trip (two thirds of a search there); inside an open
        block, on SQLite or without that engine, it is read() (where several statements are fine)."""
        if self._conn is not None or self._once_engine is None:
            with self.read() as conn:
                yield conn
            return
        with self._once_engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """Refused: a read unit never writes."""
        raise WriteRefused(_("a read may not change anything: the write was refused"))
        yield  # pragma: no cover  (makes this a generator, as the write unit's is)


class WriteUnit(ReadUnit):
    """A unit that writes: its write block takes the lock first and commits once, or changes nothing."""

    def __init__(self, engine: Engine, read_engine: Engine, once_engine: Engine | None = None) -> None:
        """A unit writing through `engine` and reading, outside a write, through `read_engine` (single
        statements through `once_engine`, where given)."""
        super().__init__(read_engine, once_engine)
        self._engine = engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed at the end of the block, rolled back on any error."""
        if self._conn is not None:
            if not self._conn_writes:
                # A read's deferred transaction cannot become a write's without a lock upgrade that
                # may deadlock on SQLite; the service must open its write block first.
                raise RuntimeError("a write block cannot open inside a read block")
            yield self._conn
            return
        with self._engine.begin() as conn:
            self._conn, self._conn_writes = conn, True
            try:
                yield conn
            finally:
                self._conn = None

    @contextmanager
    def write_prepared(self, prepare: Callable[[Any, str], Callable[[], None] | None]) -> Iterator[Connection]:
        """write(), on a connection that `prepare` has used first, outside any transaction: so without SQLite's
        write lock. `prepare` is given the driver's connection and the database's name ("sqlite", "postgresql");
        it fills what the block will read (a TEMP table, private to the connection) and may return a clean-up,
        run on the same connection after the block, committed or not. Inside a caller's open write block both
        run in that block's transaction."""
        if self._conn is not None:
            with self.write() as conn:
                cleanup = prepare(conn.connection.driver_connection, conn.dialect.name)
                try:
                    yield conn
                finally:
                    if cleanup is not None:
                        cleanup()
            return
        with self._engine.connect() as conn:
            # Straight to the driver, in its own autocommit: SQLAlchemy's execute would begin the write block's
            # transaction, and so take the lock, at once (data/db.py).
            cleanup = prepare(conn.connection.driver_connection, conn.dialect.name)
            try:
                with conn.begin():
                    self._conn, self._conn_writes = conn, True
                    try:
                        yield conn
                    finally:
                        self._conn = None
            finally:
                if cleanup is not None:
                    cleanup()


def _is_read_only_refusal(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower()
    return "readonly database" in message or "read-only transaction" in message
