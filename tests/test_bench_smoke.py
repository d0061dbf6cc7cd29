"""The benchmark's smoke run (issue 14): every bench of tests/bench/run_targets.py works on a small station.

The full run measures the targets and stays out of the test suite; this only proves each bench still runs
against the code as it is (a bench that breaks when a module, a schema revision or a path moves is caught here,
not on the day someone needs the figures). A smoke run fails only when a bench breaks (exit 2), never on a figure.
The benches' caches, working copies and PostgreSQL schemas are this test's own (TMPDIR), so two suites at once
do not share them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.databases import PG_URL

ROOT = Path(__file__).resolve().parents[1]


def _drop_station_schemas(cache: Path) -> None:
    """Drop the PostgreSQL copies pg_station made of this run's cached stations (the benches drop their own)."""
    from sqlalchemy import create_engine, text

    from tests.bench.pg_station import schema_name

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for station in cache.rglob("*.sqlite"):
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema_name(station)} CASCADE"))
    finally:
        admin.dispose()


def test_every_benchmark_runs_on_a_small_station(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "PARTSDESK_DB": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": ""}
    argv = [sys.executable, str(ROOT / "tests" / "bench" / "run_targets.py"), "--smoke"]
    if PG_URL:
        env["PARTSDESK_TEST_PG"] = PG_URL
    else:
        argv += ["--backend", "sqlite"]
    try:
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    finally:
        if PG_URL:
            _drop_station_schemas(tmp_path)
    assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])
    assert "| target | backend |" in done.stdout  # the table was printed: the benches reported figures
