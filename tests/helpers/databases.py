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


# What a test may change in its schema besides the rows: tables, indexes, columns, constraints, triggers (and
# whether each is enabled), functions, and the revision. Equal before and after a test, emptying the rows is enough.
_FINGERPRINT = """
SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
  SELECT 'c:' || c.relname || ':' || CAST(c.relkind AS text) || ':' || c.relnatts AS item FROM pg_class c
   WHERE c.relnamespace = :oid
  UNION ALL
  SELECT 'k:' || k.conname || ':' || CAST(k.contype AS text) FROM pg_constraint k WHERE k.connamespace = :oid
  UNION ALL
  SELECT 't:' || t.tgname || ':' || CAST(t.tgenabled AS text) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = :oid
  UNION ALL
  SELECT 'p:' || p.proname || ':' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = :oid
  UNION ALL
  SELECT 'v:' || version_num FROM {schema}.alembic_version
) AS items
"""


GROWN = 4 * 1024 * 1024  # bytes the tables may grow by, deleted rows and all, before a reset truncates them


class PgStation:
    """One migrated PostgreSQL schema per test worker, put back to its freshly migrated state between tests.

    Migrating a schema per test costs over a second on every PostgreSQL test; emptying the tables and putting
    back the rows the migrations wrote costs a few milliseconds. A test that changed the schema itself (dropped a
    trigger, downgraded) is caught by the catalogue's fingerprint, and the next test gets a new schema."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine

        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # for CREATE and DROP SCHEMA
        self.engine = create_engine(PG_URL)  # for the reset, one transaction
        self.schema: str | None = None
        self.used: list[str] = []

    def checkout(self, migrate, *, fresh: bool = False) -> str:
        """The URL of a schema at the migrations' head with only the rows they wrote; `migrate(url)` makes one
        (`fresh`: a new one, whatever the last test left)."""
        if fresh or self.schema is None or not self._reset():
            self._fresh(migrate)
        return pg_schema_url(self.schema)

    def close(self) -> None:
        """Drop every schema this worker made."""
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for schema in self.used:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.admin.dispose()
        self.engine.dispose()

    def _fresh(self, migrate) -> None:
        from sqlalchemy import text

        self.schema = f"t_{uuid.uuid4().hex[:12]}"
        seed = f"{self.schema}_seed"
        self.used += [self.schema, seed]
        with self.admin.connect() as conn:
            shared_pg_trgm(conn)
            conn.execute(text(f"CREATE SCHEMA {self.schema}"))
        migrate(pg_schema_url(self.schema))
        with self.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {seed}"))
            tables = conn.execute(text(
                "SELECT c.relname FROM pg_class c WHERE c.relnamespace = CAST(:schema AS regnamespace) "
                "AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"),
                {"schema": self.schema}).scalars().all()
            self.tables = [table for table in tables if table != "alembic_version"]
            self.seeds: dict[str, str] = {}
            for table in self.tables:
                if conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {self.schema}.{table})")).scalar():
                    columns = conn.execute(text(
                        "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) "
                        "FROM information_schema.columns WHERE table_schema = :schema AND table_name = :table "
                        "AND is_generated = 'NEVER'"), {"schema": self.schema, "table": table}).scalar()
                    conn.execute(text(f"CREATE TABLE {seed}.{table} AS SELECT {columns} FROM {self.schema}.{table}"))
                    self.seeds[table] = columns
            # Every sequence as the migrations left it, owned by a column or not, put back in one statement.
            self.sequences = conn.execute(text(
                "SELECT 'SELECT ' || string_agg(format('setval(%L, %s, %L)', quote_ident(schemaname) || '.' || "
                "quote_ident(sequencename), coalesce(last_value, start_value), last_value IS NOT NULL), ', ') "
                "FROM pg_sequences WHERE schemaname = :schema"), {"schema": self.schema}).scalar()
            self.oid = conn.execute(text("SELECT oid FROM pg_namespace WHERE nspname = :schema"),
                                    {"schema": self.schema}).scalar()
            self.fingerprint = self._fingerprint(conn)
            self.size = self._size(conn)

    def _fingerprint(self, conn) -> str:
        from sqlalchemy import text

        return conn.execute(text(_FINGERPRINT.format(schema=self.schema)), {"oid": self.oid}).scalar()

    def _size(self, conn) -> int:
        from sqlalchemy import text

        return conn.execute(text("SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relnamespace = :oid "
                                 "AND relkind = 'r'"), {"oid": self.oid}).scalar()

    def _reset(self) -> bool:
        """Empty the schema back to its migrated rows; False when the test changed the schema or holds a lock."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        try:
            with self.engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                if self._fingerprint(conn) != self.fingerprint:
                    return False
                # The ledger's and the audit trail's triggers refuse TRUNCATE and DELETE, as they should at a
                # station; a test database is no station, and the replica role leaves user triggers unfired.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                # Most tests leave a few rows, which DELETE takes in a few milliseconds where TRUNCATE makes every
                # table and index anew (a tenth of a second). The server here may not vacuum (autovacuum off), so
                # once the deleted rows or a large test have grown the tables, TRUNCATE gives their space back.
                tables = ", ".join(f"{self.schema}.{t}" for t in self.tables)
                if self._size(conn) > self.size + GROWN:
                    conn.execute(text(f"TRUNCATE {tables}"))
                else:
                    conn.execute(text("".join(f"DELETE FROM {self.schema}.{t};" for t in self.tables)))
                for table, columns in self.seeds.items():
                    conn.execute(text(f"INSERT INTO {self.schema}.{table} ({columns}) OVERRIDING SYSTEM VALUE "
                                      f"SELECT {columns} FROM {self.schema}_seed.{table}"))
                if self.sequences:
                    conn.execute(text(self.sequences))
            return True
        except DBAPIError:  # a lock a test left held past the timeout: a new schema rather than a hung suite
            return False


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


def refused_as_key(db, statement, params, constraint: str) -> None:
    """The statement is refused on PostgreSQL as the foreign key `constraint` refuses (SQLSTATE 23503, its name),
    by the key itself or by the triggers that stand for it (data.pg_line_keys), and changes nothing."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as refused:
        with db.engine.begin() as conn:
            conn.execute(statement, params)
    assert refused.value.orig.diag.constraint_name == constraint
    assert refused.value.orig.sqlstate == "23503"


def line_keys_left(conn, keys) -> tuple[set[str], int, int]:
    """What a table of data.pg_line_keys has in this PostgreSQL schema: its foreign keys' names, and how many
    triggers and functions of its `keys.prefix` (other tests' schemas keep theirs, so only this one's count)."""
    from sqlalchemy import text

    tables = [keys.table, *dict.fromkeys(referred for _column, referred, _short in keys.keys.values())]
    pattern = keys.prefix.replace("_", "\\_") + "\\_%"
    names = set(conn.execute(text("SELECT conname FROM pg_constraint WHERE conrelid = CAST(:table AS regclass) "
                                  "AND contype = 'f'"), {"table": keys.table}).scalars())
    triggers = conn.execute(text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE :pattern "
                                 "AND tgrelid = ANY(CAST(:tables AS regclass[]))"),
                            {"pattern": pattern, "tables": tables}).scalar()
    functions = conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE :pattern "
                                  "AND pronamespace = current_schema()::regnamespace"), {"pattern": pattern}).scalar()
    return names, triggers, functions
