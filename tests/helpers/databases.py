"""Where the tests' databases come from: PostgreSQL when PARTSDESK_TEST_PG names one."""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager

PG_URL = os.environ.get("PARTSDESK_TEST_PG")
PG_SKIP = "PostgreSQL tests need PARTSDESK_TEST_PG=postgresql+psycopg://user@host:port/db"


def pg_schema_url(schema: str) -> str:
    """The PostgreSQL test URL with its search_path set to one schema."""
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def shared_pg_trgm(conn) -> None:
    """pg_trgm in the database's public schema, made once for every test schema.

    Left to the migration, the first test's upgrade would create it in that test's own schema (the first on its
    search_path), and dropping that schema would take the extension, and every other schema's trigram
    indexes, with it; two workers creating it at once would also race. A real station has one schema."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is None:
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        except DBAPIError:
            # Another worker made it at the same moment (a unique violation in the catalogue): it is there now.
            if conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is None:
                raise


@contextmanager
def pg_schema():
    """A PostgreSQL schema of its own for one test (its URL given), dropped with all it holds afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        shared_pg_trgm(conn)
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def terminate_pg_session(pid: int) -> None:
    """End a server session as a DBA (or a restart) would, and wait until the server has let it go."""
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
            deadline = time.monotonic() + 10
            while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar():
                assert time.monotonic() < deadline, "the server did not end the session"
                time.sleep(0.01)  # polling for the state, not waiting a fixed time
    finally:
        admin.dispose()
