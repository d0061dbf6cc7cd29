"""PostgreSQL's checks of what a draft's lines name (migration 0028, data.pg_request_lines): the part and the
request must exist, are locked as a foreign key locks them, and are neither deleted nor renumbered while lines
name them; each refusal is the foreign key's own error. Down to 0027 the keys are back."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core.roles import Role
from core.services import catalog
from data import pg_request_lines
from tests.helpers import make_staff
from tests.helpers.databases import line_keys_left, refused_as_key

LINE = text("INSERT INTO purchase_request_line (request_id, part_id, forecast, suggested, qty, flagged, "
            "changed_revision) VALUES (:request, :part, 0, 0, 0, false, 0)")


def _request_and_parts(db) -> tuple[int, int, int]:
    """A request of the planner's and two parts: their ids."""
    staff = make_staff(db)
    with db.writing() as uow:
        for part_no in ("P1", "P2"):
            catalog.add_part(part_no, f"part {part_no}", price="1", actor=staff[Role.PLANNER], uow=uow)
    with db.engine.begin() as conn:
        request = conn.execute(text(
            "INSERT INTO purchase_request (number, state, cycle, cycle_start, author_id, created_at, revision) "
            "VALUES ('PR-T', 'draft', 'month', now(), :author, now(), 0) RETURNING id"),
            {"author": staff[Role.PLANNER].id}).scalar_one()
        parts = conn.execute(text("SELECT id FROM part ORDER BY part_no")).scalars().all()
    return request, parts[0], parts[1]


def test_a_line_names_only_a_part_and_a_request_that_exist(pg_db):
    request, part, other = _request_and_parts(pg_db)
    with pg_db.engine.begin() as conn:
        conn.execute(LINE, [{"request": request, "part": part}, {"request": request, "part": other}])
    refused_as_key(pg_db, LINE, {"request": request, "part": 987654321}, "purchase_request_line_part_id_fkey")
    refused_as_key(pg_db, LINE, {"request": 987654321, "part": part}, "purchase_request_line_request_id_fkey")
    # Many lines in one statement, one of them naming no part: the whole statement is refused.
    refused_as_key(pg_db, LINE, [{"request": request, "part": 987654321}, {"request": request, "part": part}],
                   "purchase_request_line_part_id_fkey")
    refused_as_key(pg_db, text("UPDATE purchase_request_line SET part_id = 987654321 WHERE part_id = :part"),
                   {"part": part}, "purchase_request_line_part_id_fkey")
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM purchase_request_line")).scalar() == 2


def test_what_lines_name_is_neither_deleted_nor_renumbered(pg_db):
    request, part, other = _request_and_parts(pg_db)
    with pg_db.engine.begin() as conn:
        conn.execute(LINE, {"request": request, "part": part})
    refused_as_key(pg_db, text("DELETE FROM part WHERE id = :part"), {"part": part},
                   "purchase_request_line_part_id_fkey")
    refused_as_key(pg_db, text("DELETE FROM purchase_request WHERE id = :request"), {"request": request},
                   "purchase_request_line_request_id_fkey")
    refused_as_key(pg_db, text("UPDATE part SET id = 987654321 WHERE id = :part"), {"part": part},
                   "purchase_request_line_part_id_fkey")
    refused_as_key(pg_db, text("UPDATE purchase_request SET id = 987654321 WHERE id = :request"), {"request": request},
                   "purchase_request_line_request_id_fkey")
    # A part no line names may still go (a part is never deleted at a station, but the check is the key's).
    with pg_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM part WHERE id = :part"), {"part": other})


def test_the_part_a_new_line_names_is_locked_till_it_commits(pg_db):
    request, part, _other = _request_and_parts(pg_db)
    with pg_db.engine.connect() as adding, pg_db.engine.connect() as deleting:
        adding.execute(LINE, {"request": request, "part": part})  # not committed yet
        deleting.execute(text("SET lock_timeout = '200ms'"))
        # The part's row is held FOR KEY SHARE, as the key's check holds it: a delete waits, here till its timeout.
        with pytest.raises(DBAPIError, match="lock timeout"):
            deleting.execute(text("DELETE FROM part WHERE id = :part"), {"part": part})
        deleting.rollback()
        adding.rollback()


@pytest.mark.fresh_schema
def test_down_to_0027_the_keys_are_back(pg_db):
    from alembic import command

    import data.migrations

    request, part, _other = _request_and_parts(pg_db)
    engine = create_engine(pg_db.url)
    try:
        command.downgrade(data.migrations.alembic_config(engine), "0027")
        with engine.connect() as conn:
            keys, triggers, functions = line_keys_left(conn, pg_request_lines.KEYS)
        assert {"purchase_request_line_part_id_fkey", "purchase_request_line_request_id_fkey"} <= keys
        assert triggers == 0 and functions == 0
        refused_as_key(pg_db, LINE, {"request": request, "part": 987654321}, "purchase_request_line_part_id_fkey")
        data.migrations.upgrade(engine)
        refused_as_key(pg_db, LINE, {"request": request, "part": 987654321}, "purchase_request_line_part_id_fkey")
    finally:
        engine.dispose()
