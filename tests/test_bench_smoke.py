"""The benchmark's smoke run (issue 14): every bench of tests/bench/run_targets.py works on a small station.

The full run measures the targets and stays out of the test suite; this only proves each bench still runs
against the code as it is (a bench that breaks when a module, a schema revision or a path moves is caught here,
not on the day someone needs the figures). A smoke run fails only when a bench breaks (exit 2), never on a figure.
One test a bench, so the suite's workers share them. A bench that runs on both backends is smoked on SQLite, the
PostgreSQL-only benches on PostgreSQL, and the reports bench on both, for the benches' common PostgreSQL copy of a
station (pg_station); `run_targets.py --smoke` runs every bench on every backend. The benches' caches, working
copies and PostgreSQL schemas are each test's own (TMPDIR), so two suites at once do not share them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.run_targets import BENCHES
from tests.helpers.databases import PG_SKIP, PG_URL

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


# (bench, backend): every bench once, on SQLite where it runs there (see the module's docstring).
SMOKED = [(bench.name, "sqlite" if "sqlite" in bench.backends else "postgresql") for bench in BENCHES]
SMOKED.insert(SMOKED.index(("reports", "sqlite")) + 1, ("reports", "postgresql"))


@pytest.mark.parametrize(("bench", "backend"), SMOKED, ids=[f"{bench}-{backend}" for bench, backend in SMOKED])
def test_the_benchmark_runs_on_a_small_station(bench, backend, tmp_path):
    if backend == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    env = {**os.environ, "TMPDIR": str(tmp_path), "PARTSDESK_DB": "", "PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": ""}
    argv = [sys.executable, str(ROOT / "tests" / "bench" / "run_targets.py"), "--smoke", "--only", bench,
            "--backend", backend]
    if PG_URL:
        env["PARTSDESK_TEST_PG"] = PG_URL
    try:
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    finally:
        if backend == "postgresql":
            _drop_station_schemas(tmp_path)
    assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])
    assert "| target | backend |" in done.stdout  # the table was printed: the bench reported figures
    assert f"| {backend} |" in done.stdout
