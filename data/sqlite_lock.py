"""How a SQLite writer takes the database's write lock: BEGIN IMMEDIATE, tried again every WRITE_POLL_S while
another writer holds it, so that a waiting write takes the lock within milliseconds of its release."""

from __future__ import annotations

import sqlite3
import time

# How often a waiting writer tries the lock again. SQLite's own busy handler sleeps 1, 2, 5, ... 50 ms between
# tries in its first 0.23 s and 100 ms each time after (sqliteDefaultBusyCallback): a counter's issue that had
# waited through a long import's batch took the freed lock up to 0.1 s late, so the import had to leave it free
# that long after every batch (15 s of a million-row import's 79 s; core.services.part_import.BATCH_PAUSE_S).
WRITE_POLL_S = 0.005


def begin_immediate(connection: sqlite3.Connection, timeout_ms: int) -> None:
    """Open a write transaction on the driver's connection, waiting at most `timeout_ms` for another writer's lock;
    past it, SQLite's own "database is locked" error is raised, as its busy timeout would have raised it."""
    # The busy timeout stays the connection's for every other statement (a read that meets a checkpoint);
    # only this statement fails at once when the lock is held, and is tried again here. The two pragmas cost
    # about 4 microseconds a write transaction, against about 15 for an empty one.
    connection.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _lock_held(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(WRITE_POLL_S)
    finally:
        connection.execute(f"PRAGMA busy_timeout={timeout_ms}")


def _lock_held(exc: sqlite3.OperationalError) -> bool:
    """Whether the error says another connection holds the lock (SQLITE_BUSY), not some other failure."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "database is locked" in str(exc)
