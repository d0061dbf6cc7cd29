"""A long import killed at random moments: whole batches or nothing saved, the books agree, a re-run finishes it."""

from __future__ import annotations

import random
import signal
import subprocess
import sys

import pytest

from core.services import part_import
from data.db import Database
from data.demo import seed_demo
from tests.helpers.kills import books_agree, checkpoint, cli_process, counts, timed

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
    startup = timed(full, "--help")
    took = timed(full, "part", "import", str(sheet), operator="PLAN1")
    after = counts(full)
    rows_after = rows(full)
    assert after["part"] == before["part"] + ROWS
    rng = random.Random(20261130)
    for trial in range(TRIALS):
        path = tmp_path / f"trial{trial}.sqlite"
        path.write_bytes(template.read_bytes())
        proc = cli_process(path, "part", "import", str(sheet), operator="PLAN1")
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
        timed(path, "part", "import", str(sheet), operator="PLAN1")  # the re-run finishes it
        assert rows(path) == rows_after, f"trial {trial} (killed with {saved} parts saved) ended otherwise"


def rows(path) -> dict[str, int]:
    """Rows of every table but FTS5's shadow tables (part_fts_data, ...), which keep segments as writes came."""
    return {name: count for name, count in counts(path).items() if not name.startswith("part_fts_")}
