"""Hot-path statements sent straight to the driver: a Core statement compiled once per database, run on the
transaction's own DBAPI cursor with its column types' conversions, its rows plain named tuples; and a SELECT of
many rows streamed from it a batch at a time (Direct.stream: a draft's hundreds of thousands of rows).

An issue sends sixteen statements, and SQLAlchemy's execute (compile-cache look-up, execution context, result
metadata, events) cost about 45 microseconds each on top of the driver's, with the per-call row and context
objects more than half of the service's CPU beside the same SQL sent by hand on PostgreSQL
(tests/bench/bench_pg_issues.py). The SQL sent is the statement's own, character for character, so psycopg
still prepares it, and it runs in the caller's transaction (the same connection, the same cursor class).

What SQLAlchemy's execute did and must still be done here is done here: each bound value through its type
(Decimal to thousandths, an aware time to naive UTC), each result column back through its type, the text
guard on INSERT and UPDATE (core.text), and a driver error raised as SQLAlchemy's DBAPIError, the connection
invalidated when it was lost (core.units' retry reads both). A connection with before_cursor_execute listeners
(a test counting or breaking statements) and a list longer than DIRECT_LIST_MAX run through SQLAlchemy instead.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice

from sqlalchemy import Connection, Insert, Update
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.sql import Executable

from core.text import guard_statement

# A list (an expanding IN) longer than this runs through SQLAlchemy: each length is a statement of its own,
# and the hot path names one part or a few.
DIRECT_LIST_MAX = 8


class DirectRows:
    """The rows of one statement run directly, with the Result methods the services call on them."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list, rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator:
        return iter(self._rows)

    def all(self) -> list:
        """Every row."""
        return self._rows

    def first(self):
        """The first row, or None."""
        return self._rows[0] if self._rows else None

    def one(self):
        """The only row; NoResultFound or MultipleResultsFound otherwise, as SQLAlchemy's Result."""
        if len(self._rows) != 1:
            raise (NoResultFound if not self._rows else MultipleResultsFound)("expected exactly one row")
        return self._rows[0]

    def scalar(self):
        """The first column of the first row, or None."""
        return self._rows[0][0] if self._rows else None

    def scalar_one(self):
        """The first column of the only row."""
        return self.one()[0]

    def scalar_one_or_none(self):
        """The first column of the only row, or None for no row."""
        if len(self._rows) > 1:
            raise MultipleResultsFound("expected at most one row")
        return self._rows[0][0] if self._rows else None

    def scalars(self) -> list:
        """The first column of every row."""
        return [row[0] for row in self._rows]


class _Form:
    """A statement compiled for one database and one length of each list: its SQL and how values go in and out."""

    __slots__ = ("sql", "positions", "defaults", "processors", "expansion", "row", "results", "returns")

    def __init__(self, statement: Executable, dialect, lists: Mapping[str, int]) -> None:
        compiled = statement.compile(dialect=dialect)
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            # A column default computed in Python would be skipped here: such a statement is not for this path.
            raise ValueError("a statement with Python-side column defaults cannot run directly")
        required = {name for bind, name in compiled.bind_names.items() if bind.required}
        placeholders = {name: [None] * lists[name] if name in lists else None for name in required | set(lists)}
        state = compiled.construct_expanded_state(placeholders)
        self.sql = state.statement
        self.positions = state.positiontup  # None for a named paramstyle (psycopg), the names' order for SQLite
        self.expansion = state.parameter_expansion
        by_name = {}
        for bind, name in compiled.bind_names.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            for expanded in self.expansion.get(name, (name,)):
                by_name[expanded] = processor
        self.processors = {name: p for name, p in by_name.items() if p is not None}
        # Values written into the statement (qty_remaining > 0, zone != 'QRN'), processed once.
        self.defaults = {name: self._processed(name, value) for name, value in state.parameters.items()
                         if name not in required and name not in self.expansion}
        columns = list(statement.exported_columns)  # a SELECT's columns, an INSERT's or UPDATE's RETURNING
        self.returns = bool(columns)
        self.row = namedtuple("Row", [c.key for c in columns], rename=True) if columns else None
        results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.results = results if any(results) else None

    def _processed(self, name: str, value):
        processor = self.processors.get(name)
        return processor(value) if processor is not None and value is not None else value

    def parameters(self, given: Mapping):
        """The driver's parameters for the caller's values: defaults added, lists spread, each value converted."""
        values = dict(self.defaults)
        processors = self.processors
        for name, value in given.items():
            expanded = self.expansion.get(name)
            if expanded is not None:
                for key, item in zip(expanded, value, strict=True):
                    processor = processors.get(key)
                    values[key] = processor(item) if processor is not None and item is not None else item
                continue
            processor = processors.get(name)
            values[name] = processor(value) if processor is not None and value is not None else value
        if self.positions is not None:
            return tuple(values[name] for name in self.positions)
        return values

    def rows(self, fetched: Sequence) -> list:
        """The driver's rows as named tuples, each column through its type."""
        make = self.row._make
        results = self.results
        if results is None:
            return [make(r) for r in fetched]
        return [make([v if p is None or v is None else p(v) for p, v in zip(results, r, strict=True)])
                for r in fetched]


class Direct:
    """A Core statement built once, run straight on the driver inside the caller's transaction (execute)."""

    __slots__ = ("statement", "_forms", "_lists", "_guarded")

    def __init__(self, statement: Executable, *, lists: Sequence[str] = ()) -> None:
        """The statement; `lists` names its expanding bind parameters (column.in_(bindparam(name, expanding=True)))."""
        self.statement = statement
        self._lists = tuple(lists)
        self._forms: dict[tuple, _Form] = {}
        self._guarded = isinstance(statement, (Insert, Update))

    def execute(self, conn: Connection, params: Mapping | list[Mapping] | None = None):
        """Run with one row of values (a mapping) or many (a list of mappings, executemany): the rows as DirectRows,
        or SQLAlchemy's own result where the statement runs through it (see the module's docstring)."""
        params = {} if params is None else params
        many = params.__class__ is list
        lengths = tuple(len(params[name]) for name in self._lists) if self._lists and not many else ()
        if conn.dispatch.before_cursor_execute or (lengths and max(lengths) > DIRECT_LIST_MAX):
            return conn.execute(self.statement, params)
        if self._guarded:
            # The net SQLAlchemy's before_execute event casts under every INSERT and UPDATE (core.text).
            guard_statement(conn, self.statement, params if many else [params], {}, {})
        if not conn.in_transaction():
            # What SQLAlchemy's execute does first (autobegin): the block's COMMIT is then sent, SQLite's BEGIN
            # (data/db.py) too. Without it a read block sent no COMMIT, the pool's ROLLBACK ended the transaction,
            # and psycopg dropped every prepared statement of the connection with it.
            conn.begin()
        form = self._form(conn, lengths)
        dialect = conn.dialect
        cursor = _cursor(conn)
        arguments = [form.parameters(row) for row in params] if many else form.parameters(params)
        try:
            if many:
                cursor.executemany(form.sql, arguments)
                return DirectRows([], cursor.rowcount)
            cursor.execute(form.sql, arguments)
            fetched = cursor.fetchall() if form.returns else ()  # every row read: the cursor serves again
            return DirectRows(form.rows(fetched) if fetched else [], cursor.rowcount)
        except dialect.loaded_dbapi.Error as exc:
            raise _raised(conn, form, arguments, exc, cursor) from exc

    def stream(self, conn: Connection, params: Mapping | None = None, *, size: int = 2000,
               named: bool = True) -> Iterator[list]:
        """Run a SELECT of many rows and hand them over in batches of `size` as the driver reads them; `named`
        False gives the driver's own tuples where no column needs converting (a named tuple a row cost a draft
        0.15 s at 200,000 parts). On PostgreSQL the rows come by the ordinary protocol's stream, not a
        server-side cursor: each FETCH of a cursor made the server wait for the client and then the client for
        the server, where a stream lets the server work on while the client uses the rows it has (a draft's read
        took 1.9 s that way, 1.2 s this way)."""
        params = {} if params is None else params
        if conn.dispatch.before_cursor_execute:
            result = conn.execute(self.statement, params,
                                  execution_options={"stream_results": True, "yield_per": size})
            yield from (list(rows) for rows in result.partitions())
            return
        if not conn.in_transaction():
            conn.begin()  # as execute: SQLAlchemy's autobegin
        form = self._form(conn, ())
        made = form.rows if named or form.results is not None else _as_read
        driver = conn.connection.driver_connection
        cursor = driver.cursor()
        arguments = form.parameters(params)
        try:
            if conn.dialect.name == "postgresql":
                rows = cursor.stream(form.sql, arguments, size=size)
                try:
                    while batch := list(islice(rows, size)):
                        yield made(batch)
                finally:
                    rows.close()  # a stream left early: psycopg ends the statement, and the connection serves again
            else:
                cursor.execute(form.sql, arguments)  # SQLite steps as the rows are fetched
                while batch := cursor.fetchmany(size):
                    yield made(batch)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise _raised(conn, form, arguments, exc, cursor) from exc
        finally:
            cursor.close()

    def _form(self, conn: Connection, lengths: tuple) -> _Form:
        """The statement compiled for this connection's database and these list lengths (kept)."""
        dialect = conn.dialect
        form = self._forms.get((dialect.name, lengths))
        if form is None:
            form = self._forms[(dialect.name, lengths)] = _Form(self.statement, dialect,
                                                                dict(zip(self._lists, lengths, strict=True)))
        return form


def stream_rows(conn: Connection, statement: Executable, *, size: int = 2000) -> Iterator:
    """The rows of a long listing's SELECT one by one as the driver reads them, `size` at a time (Direct.stream):
    the driver's own tuples where no column needs converting. On PostgreSQL SQLAlchemy's yield_per reads through a
    server-side cursor, whose every FETCH made the server and this process wait for each other."""
    for rows in Direct(statement).stream(conn, size=size, named=False):
        yield from rows


# The cursor execute runs its statements on, kept with the DBAPI connection in the pool's info (which SQLAlchemy
# clears when it replaces the connection): making and closing a psycopg cursor for each of an issue's sixteen
# statements was 5% of the CPU (1.40 ms against 1.33 ms, 1,500 issues in one process, alternated). A stream
# takes a cursor of its own, as it reads while other statements run.
_CURSOR = "partsdesk_direct_cursor"


def _cursor(conn: Connection):
    """The connection's cursor for execute, made on first use (and again if it was closed)."""
    fairy = conn.connection
    cursor = fairy.info.get(_CURSOR)
    if cursor is None or getattr(cursor, "closed", False):
        cursor = fairy.info[_CURSOR] = fairy.driver_connection.cursor()
    return cursor


def _as_read(rows: list) -> list:
    """The driver's rows as it read them."""
    return rows


def _raised(conn: Connection, form: _Form, arguments, exc: Exception, cursor) -> DBAPIError:
    """A driver's error as SQLAlchemy's execute raises it, the connection invalidated when it was lost."""
    dialect = conn.dialect
    driver = conn.connection.driver_connection
    lost = dialect.is_disconnect(exc, driver, cursor)
    error = DBAPIError.instance(form.sql, arguments, exc, dialect.loaded_dbapi.Error,
                                connection_invalidated=lost, dialect=dialect)
    if lost:
        conn.invalidate(exc)  # as SQLAlchemy does: the pool replaces it, and @retried may run again
    return error

