"""Engines and units: where the database is, SQLite's pragmas and write lock, PostgreSQL's settings."""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError, ProgrammingError

from core.errors import BadInput, PartsdeskError, SchemaOutOfDate
from core.files import protect_database
from core.i18n import _
from core.text import guard_statement
from core.units import READ_ONLY, UNPREPARED, ReadUnit, WriteUnit
from data.migrations import HEAD_REVISION
from data.sqlite_lock import begin_immediate
from data.url import APP_NAME, ENV_DB, resolve_url, sqlite_file  # noqa: F401  (re-exported for callers)

BUSY_TIMEOUT_MS = 15000
# A PostgreSQL connection idle this long in the pool is replaced: a firewall or NAT may have dropped it without
# a word, which the check on checkout cannot see (_closed_by_server).
POOL_RECYCLE_S = 1800
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class DatabaseMissing(SchemaOutOfDate):
    """The PostgreSQL database named in the URL does not exist: it is created outside partsdesk."""


def missing_database(url: str, exc: Exception) -> DatabaseMissing | None:
    """The one-line refusal for a PostgreSQL database that does not exist (with the command that creates
    it), or None when `exc` says something else."""
    message = str(getattr(exc, "orig", None) or exc)
    if "does not exist" not in message or 'database "' not in message:
        return None
    parsed = make_url(url)
    options = " ".join(f"{flag} {value}" for flag, value in (("-h", parsed.host), ("-p", parsed.port),
                                                           ("-U", parsed.username)) if value)
    command = " ".join(part for part in ("createdb", options, parsed.database) if part)
    return DatabaseMissing(_("the PostgreSQL database {name} does not exist: create it with `{command}`, "
                             "then run `partsdesk init`").format(name=parsed.database, command=command))


class DatabaseReadOnly(PartsdeskError):
    """The database cannot be written (a read-only file, folder or disk): reads work, every write is refused."""

    exit_code = 1


class StorageFull(PartsdeskError):
    """The disk holding the database is full: the write was rolled back whole."""

    exit_code = 1


def read_only_refusal(url: str) -> DatabaseReadOnly:
    """The one line that refuses a write to a database opened read-only."""
    return DatabaseReadOnly(_("the database is read-only: {path} cannot be written (its file, folder or disk); "
                              "reads work, nothing can be changed").format(path=sqlite_file(url)))


def writable(path: Path) -> bool:
    """Whether SQLite can write the database at `path`: the file, and its folder for the -wal and -shm files."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for the URL: SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE; `read_only`
    opens a SQLite file read-only (SQLite's mode=ro), so that reads work where the file cannot be written."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput(_("{url!r} is not a database URL").format(url=url)) from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise BadInput(_("{backend} is not a database partsdesk works on: use {supported}").format(
            backend=parsed.get_backend_name(), supported=_("SQLite (a file) or PostgreSQL (postgresql+psycopg://…)")))
    if parsed.get_backend_name() == "sqlite":
        if read_only:
            path = Path(parsed.database or "").resolve()
            # A WAL database needs its -shm to be read: where the folder is read-only and there is none, no one
            # can be writing it, and SQLite reads the file as immutable.
            fixed = not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()
            url = f"sqlite:///{path.as_uri()}?mode=ro{'&immutable=1' if fixed else ''}&uri=true"
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, read_only=read_only)
    else:
        # No pool_pre_ping: its round trip on every checkout was a fifth of an issue. A connection the server
        # closed is found without one (_configure_postgresql).
        engine = create_engine(url, isolation_level="READ COMMITTED", pool_recycle=POOL_RECYCLE_S,
                               connect_args={"options": _session_options(parsed.query.get("options"))})
        _configure_postgresql(engine)
    # Text no column can hold is refused alike on both backends, before the database sees it (core.text).
    event.listen(engine, "before_execute", guard_statement)
    return engine


# No JIT compilation in the desk's sessions: the planner's estimates of the reports' joins run far above their
# real size, and the slow-movers report at 200,000 parts spent 1.8 s compiling for a 2.5 s query. None of the
# desk's statements runs long enough to win the compilation back.
SESSION_OPTIONS = "-c jit=off"


def _session_options(given: str | tuple[str, ...] | None) -> str:
    """libpq's session options: the URL's own (a search_path, say), then SESSION_OPTIONS."""
    if isinstance(given, tuple):  # the option given twice in the URL
        given = " ".join(given)
    return f"{given} {SESSION_OPTIONS}" if given else SESSION_OPTIONS


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "do_execute")
    def _on_execute(cursor, statement, parameters, context):
        # psycopg prepares a statement run five times, and the server then may plan it once for all values:
        # a search's generic plan walked the whole parts table for a pattern that matches nothing (50 ms).
        if context.execution_options.get(UNPREPARED):
            cursor.execute(statement, parameters, prepare=False)
            return True
        return None

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy):
        # The pool retries with a fresh connection on DisconnectionError, so a command after a server restart,
        # an idle timeout or pg_terminate_backend works instead of failing on a dead connection.
        if _closed_by_server(dbapi_connection):
            raise DisconnectionError("the PostgreSQL server closed this pooled connection")


def _closed_by_server(dbapi_connection) -> bool:
    """Whether the server has closed an idle pooled psycopg connection, told without a round trip: an idle
    connection's socket has nothing to read unless the server has spoken, and what it says to an idle session
    (no LISTEN here) is that it is ending it, or it closed the socket."""
    if dbapi_connection.closed:
        return True
    pgconn = dbapi_connection.pgconn
    if pgconn.status != 0:  # CONNECTION_OK
        return True
    try:
        readable, _writable, _failed = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError):  # the socket is gone already
        return True
    return bool(readable)


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Autocommit at the driver, so that BEGIN is ours to send (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # the journal mode is kept in the file; a read-only opening may not set it
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def _take_role(connection) -> bool:
        # A pooled connection serves reads and writes in turn: a read's is query_only, so that a write slipped
        # into a read is refused by SQLite itself. The pragma only when the connection changes role.
        read_only = bool(connection.get_execution_options().get(READ_ONLY))
        fairy = connection.connection
        if fairy.info.get(READ_ONLY) is not read_only:
            fairy.driver_connection.execute(f"PRAGMA query_only={int(read_only)}")
            fairy.info[READ_ONLY] = read_only
        return read_only

    @event.listens_for(engine, "engine_connect")
    def _on_engine_connect(connection):
        # At checkout too, not only at BEGIN: a write block may first use its connection outside a transaction
        # (WriteUnit.write_prepared fills a TEMP table before the lock), which query_only would refuse.
        _take_role(connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Take the write lock before the first read: a stock check read outside the lock lets two
        # terminals both take the last unit. Reads begin deferred and never block writers.
        # Straight to the driver: SQLAlchemy's own execute path is a fifth of an issue's cost here.
        read_only = _take_role(connection)
        driver = connection.connection.driver_connection
        if read_only:
            driver.execute("BEGIN")
        else:  # waiting for another writer's lock, tried every few milliseconds (data.sqlite_lock)
            begin_immediate(driver, BUSY_TIMEOUT_MS)


class Database:
    """One database: an engine plus the units of work the CLI and the screens open on it."""

    def __init__(self, url: str) -> None:
        self.url = url
        path = sqlite_file(url)
        # A file that exists but cannot be written (read-only file, folder or mount) is opened read-only:
        # reads work, and a write is refused with one line before it starts (writing()).
        self.read_only = path is not None and path.exists() and not writable(path)
        self.engine = make_engine(url, read_only=self.read_only)
        if path is not None:
            protect_database(path)  # no file this process writes may land on it (core.files)
        read_options: dict[str, object] = {READ_ONLY: True}
        if self.engine.dialect.name == "postgresql":
            read_options["postgresql_readonly"] = True  # the server refuses a write in a read
            # One snapshot for the whole read block: a check reading the ledger and then the lots under READ
            # COMMITTED saw an issue committed in between and reported a difference that was not there.
            # (SQLite's deferred read transaction already reads one snapshot.)
            read_options["isolation_level"] = "REPEATABLE READ"
        self._read_engine = self.engine.execution_options(**read_options)
        # A single SELECT (read_once: a search as the storekeeper types) needs no transaction on PostgreSQL: in
        # autocommit it is its own snapshot, and the BEGIN and ROLLBACK round trips are spared.
        self._once_engine = (self.engine.execution_options(isolation_level="AUTOCOMMIT")
                             if self.engine.dialect.name == "postgresql" else None)

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def reading(self) -> ReadUnit:
        """A unit of work for reading only: it never takes the write lock and refuses every write."""
        return ReadUnit(self._read_engine, self._once_engine)

    def writing(self) -> WriteUnit:
        """A unit of work that writes: each service's block takes the write lock first and commits once. On a
        read-only database its reads work (signing in with a right PIN) and its first write is refused; a full
        disk or a database turned read-only meanwhile is one line (StorageUnit)."""
        return StorageUnit(self.engine, self._read_engine, self.url, read_only=self.read_only,
                           once_engine=self._once_engine)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, or None when it holds no partsdesk schema."""
        try:
            with self._read_engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            missing = missing_database(self.url, exc)
            if missing is not None:
                raise missing from None
            if _is_missing_table(exc):
                return None
            raise

    def check_schema(self) -> None:
        """Refuse to work on a database without the schema or at another revision, naming the command."""
        path = sqlite_file(self.url)
        if path is not None and not path.exists():
            # Checked before connecting: SQLite would otherwise create an empty file at a mistyped path.
            raise SchemaOutOfDate(_("there is no database at {path}: run `partsdesk init` or give --db").format(
                path=path))
        revision = self.schema_revision()
        if revision == HEAD_REVISION:
            return
        if revision is None:
            raise SchemaOutOfDate(_("this database has no partsdesk schema yet: run `partsdesk init`"))
        from data.migrations import KNOWN_REVISIONS

        if revision in KNOWN_REVISIONS:
            raise SchemaOutOfDate(
                _(
                    "the database is at schema revision {rev}, this partsdesk needs {head}: run `partsdesk db upgrade`"
                ).format(rev=revision, head=HEAD_REVISION)
            )
        raise SchemaOutOfDate(
            _("the database is at schema revision {rev}, which this partsdesk does not know: upgrade partsdesk").format(
                rev=revision
            )
        )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class StorageUnit(WriteUnit):
    """A write unit whose storage failures are one line: a full disk (SQLite's SQLITE_FULL, PostgreSQL's
    disk_full) or a database that became read-only; the transaction is rolled back whole either way."""

    def __init__(self, engine: Engine, read_engine: Engine, url: str, *, read_only: bool = False,
                 once_engine: Engine | None = None) -> None:
        """A write unit on the engines of the database at `url` (named in the lines); on a `read_only` one every
        write block is refused before it starts."""
        super().__init__(engine, read_engine, once_engine)
        self._url = url
        self._read_only = read_only

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """The write unit's block, its storage failures said in one line."""
        if self._read_only:
            raise read_only_refusal(self._url)
        try:
            with super().write() as conn:
                yield conn
        except DBAPIError as exc:
            message = str(exc.orig).lower()
            where = sqlite_file(self._url) or _("the database server")
            if "disk is full" in message or "no space left" in message or getattr(exc.orig, "sqlstate", "") == "53100":
                raise StorageFull(_("the disk holding {where} is full: nothing was changed; free some space and "
                                    "do it again").format(where=where)) from None
            if "readonly database" in message:
                raise DatabaseReadOnly(_("the database is read-only: {where} cannot be written; reads work, nothing "
                                         "was changed").format(where=where)) from None
            raise


def _is_missing_table(exc: Exception) -> bool:
    message = str(exc).lower()
    return "no such table" in message or "does not exist" in message or "undefinedtable" in message
