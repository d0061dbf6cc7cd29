"""Alembic migrations: the only way the schema is created or changed."""

from __future__ import annotations

from pathlib import Path

# Kept here, not read from the scripts, so that a start-up check does not import Alembic;
# tests/test_migrations.py holds it equal to the scripts' head.
HEAD_REVISION = "0032"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012",
                   "0013", "0014", "0015", "0016", "0017", "0018", "0019", "0020", "0021", "0022", "0023", "0024",
                   "0025", "0026", "0027", "0028", "0029", "0030", "0031", "0032")

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(engine):
    """An Alembic Config that runs the scripts in this package on the given engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["engine"] = engine
    return config


def upgrade(engine, revision: str = "head") -> None:
    """Bring the database's schema to a revision (the newest by default)."""
    from alembic import command
    from alembic.util import CommandError

    from core.errors import SchemaOutOfDate
    from core.i18n import _
    from data.url import create_private_file, sqlite_file

    path = sqlite_file(str(engine.url))
    if path is not None:
        create_private_file(path)  # before current_revision connects: SQLite would make it 0644
    current = current_revision(engine)
    if current is not None and current not in KNOWN_REVISIONS:
        # A newer partsdesk migrated this database: going back is not ours to do, and Alembic would say so
        # in sixty lines.
        raise SchemaOutOfDate(_("the database is at schema revision {rev}, which this partsdesk does not know "
                                "(it knows up to {head}): use the newer partsdesk").format(rev=current,
                                                                                         head=HEAD_REVISION))
    try:
        command.upgrade(alembic_config(engine), revision)
    except CommandError as exc:
        raise SchemaOutOfDate(_("the schema cannot be upgraded: {reason}").format(
            reason=str(exc).strip().splitlines()[0])) from None
    if current == HEAD_REVISION and engine.dialect.name == "postgresql":
        # Already at the head: 0016 may have found no pg_trgm back then; once the DBA has created it, this
        # `db upgrade` builds the search indexes it could not (data.pg_search).
        from data.pg_search import build_search_indexes, search_indexes_missing

        with engine.begin() as conn:
            if search_indexes_missing(conn):
                build_search_indexes(conn)


def current_revision(engine) -> str | None:
    """The revision the database's schema is at, or None when it has none yet."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

