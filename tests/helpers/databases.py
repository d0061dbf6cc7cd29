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


def _database_url(name: str) -> str:
    """The PostgreSQL test URL pointing at another database of the same server."""
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@contextmanager
def pg_template(migrate):
    """A database of this test process, migrated once by `migrate(url)`, to clone per test (pg_clone); None where the
    server does not let the tests create databases (the tests then take a schema each and migrate it, as before).

    Migrating a schema for every test took about two seconds of each PostgreSQL test; cloning a migrated database
    (CREATE DATABASE … TEMPLATE, PostgreSQL 15's block-by-block copy) takes a tenth of one. The template refuses
    connections once made, so that no autovacuum worker or stray session blocks a clone."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    name = f"pdtpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except DBAPIError:
        admin.dispose()
        yield None
        return
    try:
        url = _database_url(name)
        own = create_engine(url, isolation_level="AUTOCOMMIT")
        with own.connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        own.dispose()
        migrate(url)
        with admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
            # An autovacuum worker that came in before the door closed would make the first clone fail.
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                         {"name": name})
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@contextmanager
def pg_clone(template: str):
    """A database of its own for one test, a copy of the migrated `template` (its URL given), dropped afterwards
    (WITH FORCE: a connection the test left open does not keep it)."""
    from sqlalchemy import create_engine, text

    name = f"pdt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY WAL_LOG"))
    try:
        yield _database_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
