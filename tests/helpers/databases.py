"""Where the tests' databases come from: PostgreSQL when PARTSDESK_TEST_PG names one."""

from __future__ import annotations

import os

PG_URL = os.environ.get("PARTSDESK_TEST_PG")
PG_SKIP = "PostgreSQL tests need PARTSDESK_TEST_PG=postgresql+psycopg://user@host:port/db"


def pg_schema_url(schema: str) -> str:
    """The PostgreSQL test URL with its search_path set to one schema."""
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
