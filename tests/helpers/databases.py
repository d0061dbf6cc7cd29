"""Where the tests' databases come from: PostgreSQL when PARTSDESK_TEST_PG names one."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

PG_URL = os.environ.get("PARTSDESK_TEST_PG")
PG_SKIP = "PostgreSQL tests need PARTSDESK_TEST_PG=postgresql+psycopg://user@host:port/db"


def pg_schema_url(schema: str) -> str:
    """The PostgreSQL test URL with its search_path set to one schema."""
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema():
    """A PostgreSQL schema of its own for one test (its URL given), dropped with all it holds afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
