"""The schema comes only from Alembic, matches the models, and a stale database names the command to run."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

import data.db
import data.migrations
from core.errors import SchemaOutOfDate
from data.db import Database
from data.migrations import HEAD_REVISION, alembic_config, upgrade


def test_the_start_up_constant_is_the_scripts_head():
    assert HEAD_REVISION == ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    assert data.migrations.KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_migrated_schema_matches_the_models(any_db):
    import core.models

    core.models.load_all()
    with any_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    # SQLite's search indexes are made by the migration and unknown to the models on purpose.
    search_tables = ("part_fts", "part_gram", "gram_position")
    # PostgreSQL's (migration 0016) likewise: expression and GIN indexes on part the models do not describe.
    from data.pg_search import INDEX_NAMES

    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith(search_tables))
            and not (d[0] == "remove_index" and (d[1].table.name in search_tables or d[1].name in INDEX_NAMES))]
    if any_db.engine.dialect.name == "postgresql":
        # Migrations 0028 and 0029: the draft lines' two keys and the count lines' three are checked per statement
        # by triggers (data.pg_request_lines, data.pg_stocktake_lines).
        from data import pg_request_lines, pg_stocktake_lines

        replaced = {(table, column) for keys in (pg_request_lines.REPLACED_KEYS, pg_stocktake_lines.REPLACED_KEYS)
                    for table, column, _referred in keys.values()}
        diff = [d for d in diff if not (d[0] == "add_fk" and (d[1].parent.name, d[1].column_keys[0]) in replaced)]
    assert diff == []


def test_downgrade_and_upgrade_again(tmp_path):
    from alembic import command

    database = Database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    upgrade(database.engine)
    command.downgrade(data.migrations.alembic_config(database.engine), "base")
    assert database.schema_revision() is None
    upgrade(database.engine)
    assert database.schema_revision() == HEAD_REVISION


def test_an_empty_database_says_run_init(tmp_path):
    (tmp_path / "empty.sqlite").touch()
    database = Database(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(SchemaOutOfDate, match="run `partsdesk init`"):
        database.check_schema()


def test_an_older_revision_says_run_db_upgrade(db, monkeypatch):
    # As if this partsdesk brought one more migration than the database has had.
    monkeypatch.setattr(data.db, "HEAD_REVISION", "9998")
    monkeypatch.setattr(data.migrations, "KNOWN_REVISIONS", (*data.migrations.KNOWN_REVISIONS, "9998"))
    with pytest.raises(SchemaOutOfDate, match="run `partsdesk db upgrade`"):
        db.check_schema()


def test_an_unknown_revision_says_upgrade_partsdesk(db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaOutOfDate, match="upgrade partsdesk"):
        db.check_schema()


def test_sqlite_pragmas(db):
    with db.engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15000, "synchronous": 1}


def test_a_missing_file_is_not_created_by_a_check(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'typo.sqlite'}")
    with pytest.raises(SchemaOutOfDate, match="there is no database at"):
        database.check_schema()
    assert not (tmp_path / "typo.sqlite").exists()


def test_resolve_url(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTSDESK_DB", raising=False)
    assert data.db.resolve_url(None, app_dir=tmp_path) == f"sqlite:///{tmp_path / 'partsdesk.sqlite'}"
    assert data.db.resolve_url("station.sqlite", app_dir=tmp_path) == "sqlite:///station.sqlite"
    monkeypatch.setenv("PARTSDESK_DB", "postgresql+psycopg://u@h/db")
    assert data.db.resolve_url(None, app_dir=tmp_path) == "postgresql+psycopg://u@h/db"
    assert data.db.resolve_url("sqlite:///x.sqlite", app_dir=tmp_path) == "sqlite:///x.sqlite"
