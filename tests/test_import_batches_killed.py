"""A long import killed at random moments: whole batches or nothing saved, the books agree, a re-run finishes it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.services import part_import
from core.services.stock import invariant_violations
from data.db import Database
from data.demo import seed_demo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")

TRIALS = 3
ROWS = 12_000  # more than two batches of part_import.COMMIT_ROWS: a long write, committed batch by batch


def test_a_killed_long_import_leaves_whole_batches_and_a_rerun_finishes_it(tmp_path):
    assert ROWS > 2 * part_import.COMMIT_ROWS
    template = tmp_path / "demo.sqlite"
    database = Database(f"sqlite:///{template}")
    seed_demo(database, parts=12)
    database.dispose()
    checkpoint(template)
    sheet = tmp_path / "parts.csv"
    sheet.write_text("part_no,name,unit_price,location\n" + "".join(
        f"KB{n:06d},Kill trial part {n},{n % 500}.25,GEN-{20 + n // 500:02d}-{n // 50 % 10 + 1:02d}-{n % 10 + 1:02d}\n"
        for n in range(ROWS)), encoding="utf-8")
    before = counts(template)
    full = tmp_path / "full.sqlite"
    full.write_bytes(template.read_bytes())
    startup = _timed(full, "--help")
    took = _timed(full, "part", "import", str(sheet), operator="PLAN1")
    after = counts(full)
    rows_after = rows(full)
    assert after["part"] == before["part"] + ROWS
    rng = random.Random(20261130)
    for trial in range(TRIALS):
        path = tmp_path / f"trial{trial}.sqlite"
        path.write_bytes(template.read_bytes())
        proc = _cli(path, "part", "import", str(sheet), operator="PLAN1")
        try:
            proc.wait(timeout=rng.uniform(startup, took * 1.1))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        now = counts(path)
        saved = now["part"] - before["part"]
        # Each commit holds whole statements of LONG_BATCH_ROWS rows: the parts saved are a whole number of them.
        assert 0 <= saved <= ROWS and saved % part_import.LONG_BATCH_ROWS == 0, f"trial {trial}: {saved} parts saved"
        books_agree(path)
        _timed(path, "part", "import", str(sheet), operator="PLAN1")  # the re-run finishes it
        assert rows(path) == rows_after, f"trial {trial} (killed with {saved} parts saved) ended otherwise"


def rows(path) -> dict[str, int]:
    """Rows of every table but FTS5's shadow tables (part_fts_data, ...), which keep segments as writes came."""
    return {name: count for name, count in counts(path).items() if not name.startswith("part_fts_")}


def _cli(path: Path, *args: str, operator: str = "") -> subprocess.Popen:
    """The partsdesk CLI in its own process, as the operator (PIN 1234, the demo's) at a shell starts it."""
    env = {**os.environ, "PARTSDESK_OPERATOR": operator, "PARTSDESK_PIN": "1234", "PARTSDESK_DB": "",
           "LANGUAGE": "en"}
    return subprocess.Popen([sys.executable, "-c", "from tui.cli import main; main()", "--db", str(path), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _timed(path: Path, *args: str, operator: str = "") -> float:
    """Run a command to its end (it must succeed) and return how long it took."""
    started = time.monotonic()
    proc = _cli(path, *args, operator=operator)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, (args, out.decode(), err.decode())
    return time.monotonic() - started


def counts(path: Path) -> dict[str, int]:
    """Rows in every table of the file."""
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
    database = Database(f"sqlite:///{path}")
    try:
        with database.reading() as uow:
            assert invariant_violations(uow=uow) == []
    finally:
        database.dispose()
