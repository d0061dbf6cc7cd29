"""PostgreSQL's checks of what a draft's lines name (migration 0028, data.pg_request_lines): the part and the
request must exist, are locked as a foreign key locks them, and are neither deleted nor renumbered while lines
name them; each refusal is the foreign key's own error. The look-ups are sized by the statement's lines (migration
0031). Down to 0027 the keys are back."""

from decimal import Decimal

import pytest
from sqlalchemy import Integer, String, bindparam, cast, create_engine, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from core import tables as t
from core.roles import Role
from core.services import catalog
from data import pg_request_lines
from tests.helpers import make_staff
from tests.helpers.databases import line_keys_left, refused_as_key

LINE = text("INSERT INTO purchase_request_line (request_id, part_id, forecast, suggested, qty, flagged, "
            "changed_revision) VALUES (:request, :part, 0, 0, 0, false, 0)")
# Lines naming every part of an array, in one statement (no read of the part table of its own).
LINES = text("INSERT INTO purchase_request_line (request_id, part_id, forecast, suggested, qty, flagged, "
             "changed_revision) SELECT :request, unnest(:parts), 0, 0, 0, false, 0").bindparams(
                 bindparam("parts", type_=ARRAY(Integer)))
# A station where probing the key once a line costs more than one scan of the parts, for a whole draft's lines.
SIZED_PARTS = 100_000
DRAFT_LINES = 20_000


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


def _scans_of_part(conn) -> tuple[int, int]:
    """This transaction's sequential and index scans of the part table so far."""
    return tuple(conn.execute(text(
        "SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables "
        "WHERE relname = 'part' AND schemaname = current_schema()")).one())


@pytest.mark.fresh_schema
def test_a_whole_drafts_lines_find_their_parts_by_one_scan_an_edits_by_the_key(pg_db):
    """The statement's check (migration 0031) looks up the named parts by a join the planner sizes by the lines: a
    whole draft's lines are hashed against one scan of the parts, where `id IN (SELECT ...)` made the planner guess
    200 names and probe the key once a line (issue 14: 0.41 s of a 77,580-line draft's COPY at 200,000 parts); a
    line's edit keeps the key's probe, not a scan of every part."""
    request, part, _other = _request_and_parts(pg_db)
    number = func.generate_series(1, SIZED_PARTS).column_valued("i")
    with pg_db.engine.begin() as conn:
        conn.execute(insert(t.part).from_select(
            ["part_no", "name", "unit", "list_price", "fragile", "pack_qty", "general"],
            select(literal("SZ") + cast(number, String), literal("sized part"), literal("pc"),
                   literal(Decimal("1.00"), t.part.c.list_price.type), literal(False),
                   literal(Decimal(1), t.part.c.pack_qty.type), literal(False))))
        conn.execute(text("ANALYZE part"))
        sized = conn.execute(text("SELECT id FROM part WHERE part_no LIKE 'SZ%' ORDER BY id")).scalars().all()
    named, spare = sized[:DRAFT_LINES], sized[DRAFT_LINES:]
    with pg_db.engine.begin() as conn:
        before = _scans_of_part(conn)
        conn.execute(LINES, {"request": request, "parts": named})
        after = _scans_of_part(conn)
    assert after[0] > before[0], (before, after)  # the parts scanned, not probed 20,000 times
    with pg_db.engine.begin() as conn:
        before = _scans_of_part(conn)
        conn.execute(LINE, {"request": request, "part": part})
        after = _scans_of_part(conn)
    assert after[0] == before[0] and after[1] > before[1], (before, after)  # one line: the key, no scan
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM purchase_request_line")).scalar() == DRAFT_LINES + 1
    # A whole statement naming one missing part among many is still refused by the key's name.
    refused_as_key(pg_db, LINES, {"request": request, "parts": [*spare[:DRAFT_LINES], 987654321]},
                   "purchase_request_line_part_id_fkey")


@pytest.mark.fresh_schema
def test_down_to_0030_the_checks_look_up_as_first_written(pg_db):
    """Migration 0031 replaces the statement checks of a draft's and a count sheet's lines; its downgrade puts back
    the look-ups 0028 and 0029 wrote, and the keys' refusals hold either way."""
    from alembic import command

    import data.migrations

    request, _part, _other = _request_and_parts(pg_db)
    engine = create_engine(pg_db.url)
    bodies = text("SELECT proname, prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace "
                  "AND proname IN ('request_lines_name_what_exists', 'stocktake_lines_name_what_exists')")
    try:
        with engine.connect() as conn:
            sized = dict(conn.execute(bodies).all())
        assert len(sized) == 2 and all("JOIN named_lines" in body for body in sized.values())
        command.downgrade(data.migrations.alembic_config(engine), "0030")
        with engine.connect() as conn:
            first = dict(conn.execute(bodies).all())
        assert len(first) == 2 and all("IN (SELECT %I FROM named_lines)" in body for body in first.values())
        refused_as_key(pg_db, LINE, {"request": request, "part": 987654321}, "purchase_request_line_part_id_fkey")
        data.migrations.upgrade(engine)
        with engine.connect() as conn:
            assert dict(conn.execute(bodies).all()) == sized
        refused_as_key(pg_db, LINE, {"request": request, "part": 987654321}, "purchase_request_line_part_id_fkey")
    finally:
        engine.dispose()
