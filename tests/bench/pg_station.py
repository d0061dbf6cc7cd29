"""A benchmark station on PostgreSQL: the cached SQLite station (bench_station.build_station) copied into a schema.

    PARTSDESK_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python tests/bench/pg_station.py --parts 200000      # prints the station's URL

The schema is migrated by partsdesk's own migrations, then every table is filled from the SQLite file with COPY,
so both backends hold the same parts, lots and ledger and a benchmark compares like with like. The copy is kept
(a schema named after the SQLite file, marked complete by a comment once the copy has committed) and reused by
later runs; `--rebuild` drops it first. Triggers and foreign-key checks are off while copying (the session's
replication role), which needs a superuser, as the machine's trust-authenticated `postgres` is.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, create_engine, make_url, text  # noqa: E402

from data.migrations import upgrade  # noqa: E402
from data.pg_search import GRAM_ROWS  # noqa: E402

COMPLETE = "partsdesk bench station: complete"


def schema_name(sqlite_path: Path) -> str:
    """A PostgreSQL schema name for one cached SQLite station (its whole path, hashed to fit 63 characters): a
    smoke run with a cache of its own (TMPDIR) never shares a schema with another run's."""
    return "bench_" + hashlib.sha1(str(sqlite_path.resolve()).encode()).hexdigest()[:16]


def schema_url(base_url: str, schema: str) -> str:
    """The base URL with its search_path set to the schema (as tests.helpers.databases does for the tests)."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


def _complete(admin, schema: str) -> bool:
    with admin.connect() as conn:
        found = conn.execute(text(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = :s"), {"s": schema}).first()
    return found is not None and found[0] == COMPLETE


def pg_station(sqlite_path: Path, base_url: str, *, rebuild: bool = False, schema: str | None = None) -> str:
    """The URL of a PostgreSQL schema holding a copy of the SQLite station; copied on first use, then reused.
    `schema`: a schema of the caller's own (a run that writes to its copy), dropped by drop_station."""
    schema = schema or schema_name(sqlite_path)
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        if rebuild or not _complete(admin, schema):
            with admin.connect() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            url = schema_url(base_url, schema)
            started = time.perf_counter()
            engine = create_engine(url)
            upgrade(engine)
            engine.dispose()
            _copy(sqlite_path, base_url, schema)
            with admin.connect() as conn:
                conn.execute(text(f"COMMENT ON SCHEMA {schema} IS '{COMPLETE}'"))
            print(f"copied {sqlite_path.name} into PostgreSQL schema {schema} in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
    finally:
        admin.dispose()
    return schema_url(base_url, schema)


def drop_station(base_url: str, schema: str) -> None:
    """Drop a schema pg_station made for one caller."""
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    finally:
        admin.dispose()


def _copy(sqlite_path: Path, base_url: str, schema: str) -> None:
    """TRUNCATE what the migrations seeded, COPY every table from SQLite, set the sequences, VACUUM and ANALYZE."""
    import psycopg

    meta = MetaData(schema=schema)
    engine = create_engine(base_url)
    meta.reflect(engine)
    engine.dispose()
    # part_gram (migration 0018) holds PostgreSQL's own pieces of the names, not SQLite's table of that name: made
    # from the copied parts below, since the triggers that keep it are off while copying.
    tables = [t for t in meta.sorted_tables if t.name not in ("alembic_version", "part_gram")]
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    source_tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as pg, pg.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no triggers, no FK checks while copying
        cur.execute("SET TIME ZONE 'UTC'")  # SQLite holds naive UTC text
        cur.execute("TRUNCATE " + ", ".join(f"{schema}.{t.name}" for t in tables))
        for table in tables:
            if table.name not in source_tables:
                continue
            source_cols = {row[1] for row in source.execute(f"PRAGMA table_info({table.name})")}
            cols = [c.name for c in table.columns if c.name in source_cols]
            quoted = ", ".join(f'"{c}"' for c in cols)
            rows = source.execute(f"SELECT {quoted} FROM {table.name}")
            with cur.copy(f"COPY {schema}.{table.name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for table in tables:
            for column in table.columns:
                cur.execute("SELECT pg_get_serial_sequence(%s, %s)", (f"{schema}.{table.name}", column.name))
                sequence = cur.fetchone()[0]
                if sequence:
                    cur.execute(f"SELECT setval(%s, COALESCE((SELECT max({column.name}) FROM {schema}.{table.name}),"
                                f" 0) + 1, false)", (sequence,))
        pg.commit()
        if any(t.name == "part_gram" for t in meta.sorted_tables):
            cur.execute(f"SET search_path = {schema}")
            for statement in GRAM_ROWS:
                cur.execute(statement)
            pg.commit()
        pg.autocommit = True
        # A station's server has long since vacuumed its tables (autovacuum); this one runs without it. Unvacuumed,
        # the first reads of the copied rows wrote their hint bits, and the first drafts on a new copy took 2.5 s
        # where later ones took 1.9.
        for table in meta.sorted_tables:
            cur.execute(f"VACUUM (ANALYZE) {schema}.{table.name}")
    source.close()


def main(argv: list[str] | None = None) -> int:
    """Build (or find) the PostgreSQL copy of the cached SQLite station of --parts parts and print its URL."""
    from tests.bench.bench_station import cached_station

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "partsdesk-bench"))
    parser.add_argument("--db-url", default=os.environ.get("PARTSDESK_TEST_PG"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    if not args.db_url:
        print("give --db-url or set PARTSDESK_TEST_PG to a PostgreSQL URL", file=sys.stderr)
        return 2
    path = cached_station(Path(args.cache_dir), args.parts, args.seed)
    print(pg_station(path, args.db_url, rebuild=args.rebuild))
    return 0


if __name__ == "__main__":
    sys.exit(main())
