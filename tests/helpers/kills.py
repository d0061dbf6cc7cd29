"""Kill trials' tools: the CLI as its own process on a SQLite file, row counts of every table, the books checked."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from data.db import Database


def cli_env(operator: str) -> dict[str, str]:
    """The acting operator and every PIN (all 1234 in the demo), nothing else from the shell."""
    return {"PARTSDESK_OPERATOR": operator, "PARTSDESK_PIN": "1234", "PARTSDESK_DB": "",
            "PARTSDESK_PIN_MECH1": "1234", "LANGUAGE": "en"}


def cli_process(path: Path, *args: str, operator: str = "") -> subprocess.Popen:
    """The partsdesk CLI in its own process, as an operator at a shell would start it."""
    return subprocess.Popen([sys.executable, "-c", "from tui.cli import main; main()", "--db", str(path), *args],
                            env={**os.environ, **cli_env(operator)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def timed(path: Path, *args: str, operator: str = "", timeout: float = 300) -> float:
    """Run a command to its end and return how long it took (it must succeed)."""
    started = time.monotonic()
    proc = cli_process(path, *args, operator=operator)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, (args, out.decode(), err.decode())
    return time.monotonic() - started


def counts(path: Path) -> dict[str, int]:
    """Rows in every table of the file (none when there is no file or no schema yet)."""
    if not path.exists():
        return {}
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
                if name != "sqlite_sequence"}
    finally:
        conn.close()


def checkpoint(path: Path) -> None:
    """Move what the WAL holds into the file itself, so that copying the file copies the whole station."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def books_agree(path: Path) -> None:
    """`stock check` on the file finds nothing."""
    from core.services.stock import invariant_violations

    database = Database(f"sqlite:///{path}")
    try:
        with database.reading() as uow:
            assert invariant_violations(uow=uow) == []
    finally:
        database.dispose()
