"""A new draft's lines written under the write lock, in as little of it as each backend allows.

On SQLite the lock is the whole database's: the counter's next issue waits while a draft writes. A draft of a
million-part station has some 390,000 lines; sent as inserts, their binding and stepping one row at a time held the
lock 1.4 s. Past STAGE_LINES lines the lines are staged first, on the write's own connection and before its lock
(LineStage.prepare, run by WriteUnit.write_prepared), in a TEMP table, which is private to the connection and
takes no lock of the database; under the lock one INSERT ... SELECT moves them in (0.3 s for the same lines). A
draft of fewer lines goes straight in: its inserts are short anyway. On PostgreSQL, which has no database-wide
lock, the lines go in by one COPY (core.copy_rows).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from core.copy_rows import copy_tuples
from core.records.batches import INSERT_ROWS, batched
from core.records.draft_lines import DraftLine

# From this many lines a draft on SQLite is staged before the lock: below it, the inserts hold the lock under 0.25 s.
STAGE_LINES = 100_000

_COLUMNS = ("request_id", "part_id", "forecast", "suggested", "qty", "flagged", "changed_revision")
_INSERT = (f"INSERT INTO purchase_request_line ({', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)")
_STAGE = "draft_stage"
_CREATE_STAGE = (f"CREATE TEMP TABLE {_STAGE} (part_id INTEGER PRIMARY KEY, forecast INTEGER NOT NULL, "
                 "suggested INTEGER NOT NULL, flagged INTEGER NOT NULL)")
_FILL_STAGE = f"INSERT INTO temp.{_STAGE} (part_id, forecast, suggested, flagged) VALUES (?, ?, ?, ?)"
_DROP_STAGE = f"DROP TABLE IF EXISTS temp.{_STAGE}"
# In part id order, the order of the line indexes' keys: appended, not scattered, while the lock is held.
_FROM_STAGE = (f"INSERT INTO purchase_request_line ({', '.join(_COLUMNS)}) "
               f"SELECT ?, part_id, forecast, suggested, suggested, flagged, 0 FROM temp.{_STAGE} ORDER BY part_id")


class LineStage:
    """A draft's lines, staged on SQLite's write connection before the lock when there are many (prepare), then
    written under it (write)."""

    def __init__(self, lines: list[DraftLine]) -> None:
        """The lines, sorted by part id."""
        self.lines = lines
        self.staged = False

    def prepare(self, driver, dialect: str) -> Callable[[], None] | None:
        """For WriteUnit.write_prepared: on SQLite, from STAGE_LINES lines, the lines into a TEMP table of this
        connection in one transaction of its own (the TEMP database's alone: the database's lock is not taken);
        the clean-up drops the table. Elsewhere nothing."""
        if dialect != "sqlite" or len(self.lines) < STAGE_LINES:
            return None
        own = not driver.in_transaction  # else a caller's write block is open: the stage is part of it
        try:
            if own:
                driver.execute("BEGIN")
            try:
                driver.execute(_DROP_STAGE)  # left by a write on this connection that died before its clean-up
                driver.execute(_CREATE_STAGE)
                driver.executemany(_FILL_STAGE, self.lines)
                if own:
                    driver.execute("COMMIT")
            except BaseException:
                if own:
                    driver.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            # As SQLAlchemy's execute raises it: the faces' one line reads that (a full disk for the TEMP file).
            raise DBAPIError.instance(_FILL_STAGE, None, exc, sqlite3.Error) from exc
        self.staged = True
        return lambda: _drop_stage(driver)

    def write(self, conn: Connection, request_id: int) -> None:
        """The lines of the request, in the write block's transaction: from the stage, by COPY, or by inserts."""
        if self.staged:
            conn.exec_driver_sql(_FROM_STAGE, (request_id,))
            return
        if conn.dialect.name == "postgresql":
            copy_tuples(conn, "purchase_request_line", _COLUMNS,
                        ((request_id, pid, forecast, suggested, suggested, flagged, 0)
                         for pid, forecast, suggested, flagged in self.lines))
            return
        statement = _INSERT if conn.dialect.paramstyle == "qmark" else _INSERT.replace("?", "%s")
        for batch in batched(self.lines, INSERT_ROWS):
            conn.exec_driver_sql(statement, [(request_id, pid, forecast, suggested, suggested, flagged, 0)
                                             for pid, forecast, suggested, flagged in batch])


def _drop_stage(driver) -> None:
    try:
        driver.execute(_DROP_STAGE)
    except sqlite3.Error:
        pass  # a connection that broke in the write: its next stage drops the table first (prepare)
