"""Part search's order on both backends, and PostgreSQL's search indexes (migration 0016, data.pg_search)."""

import pytest
from sqlalchemy import text

from core.roles import Role
from core.services import catalog
from data import pg_search
from data.db import Database
from data.migrations import HEAD_REVISION, current_revision, upgrade
from tests.helpers import make_staff
from tests.helpers.databases import PG_SKIP, PG_URL, pg_schema

# Added in this order (so their ids rise in it): number, English name, Chinese name.
PARTS = [
    ("ZZ9A100", "Bracket A100 kit", "前刹车片支架"),
    ("A100X", "Filter element", "机油滤清器"),
    ("Q5", "Hose for a100 pump", "后刹车盘"),
    ("A100", "Oil filter", "大灯总成"),
    ("A1000", "Seal ring", "刹车油"),
    ("B7", "Wiper blade", None),
]


def _add_parts(db):
    staff = make_staff(db)
    with db.writing() as uow:
        for part_no, name, name_zh in PARTS:
            catalog.add_part(part_no, name, name_zh=name_zh, price="1", actor=staff[Role.PLANNER], uow=uow)
    return db


@pytest.fixture
def parts_db(any_db):
    return _add_parts(any_db)


def _search(db, query, limit=50):
    with db.reading() as uow:
        return [h.part_no for h in catalog.search_parts(query, uow=uow, limit=limit)]


@pytest.mark.parametrize("query, expected", [
    # The numbers that start with the query in byte order (the exact one first), then the parts that contain
    # it, in the order they entered the master.
    ("a100", ["A100", "A1000", "A100X", "ZZ9A100", "Q5"]),
    ("A100X", ["A100X"]),
    ("刹车", ["ZZ9A100", "Q5", "A1000"]),    # two characters: the Chinese names' pieces
    ("刹车片", ["ZZ9A100"]),                 # three: the trigram indexes
    ("车", ["ZZ9A100", "Q5", "A1000"]),      # one character
    ("filter", ["A100X", "A100"]),
    ("nothing like it", []),
])
def test_results_come_in_the_documented_order(parts_db, query, expected):
    assert _search(parts_db, query) == expected


def test_the_same_search_twice_gives_the_same_order(parts_db):
    first = _search(parts_db, "a100")
    assert _search(parts_db, "a100") == first and len(first) == 5


def test_a_short_page_keeps_the_order(parts_db):
    assert _search(parts_db, "a100", limit=2) == ["A100", "A1000"]
    assert _search(parts_db, "a100", limit=4) == ["A100", "A1000", "A100X", "ZZ9A100"]


def test_hits_carry_their_stock_and_names(parts_db):
    with parts_db.reading() as uow:
        hit = catalog.search_parts("A1000", uow=uow)[0]
    assert (hit.part_no, hit.name_zh, hit.on_hand) == ("A1000", "刹车油", 0)


def test_the_migration_makes_the_search_indexes(pg_db):
    with pg_db.engine.connect() as conn:
        assert pg_search.search_indexes_missing(conn) == []
        assert pg_search.trigram_schema(conn) is not None


def test_chinese_names_are_split_into_trigrams(pg_db):
    """pg_trgm takes Chinese characters as word characters where the database's locale says so: a name's
    trigrams are its three-character pieces, so the GIN index can answer 滤清器."""
    with pg_db.engine.connect() as conn:
        schema = pg_search.trigram_schema(conn)
        grams = conn.execute(text(f'SELECT "{schema}".show_trgm(:name)'), {"name": "机油滤清器"}).scalar()
    assert len(grams) == 6  # two padded ends and 机油滤, 油滤清, 滤清器, each kept as a code


def test_without_pg_trgm_the_upgrade_says_so_and_search_still_works(monkeypatch, capsys):
    """Where the extension cannot be created, one line names what to ask the DBA; the upgrade reaches the head,
    search answers by scanning, and a later `db upgrade` builds the trigram indexes once pg_trgm is there."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    real_schema = pg_search.trigram_schema
    real_build = pg_search.build_search_indexes
    monkeypatch.setattr(pg_search, "trigram_schema", lambda conn: None)
    monkeypatch.setattr(pg_search, "EXTENSION", "CREATE EXTENSION pg_trgm_not_on_this_server")
    with pg_schema() as url:
        db = Database(url)
        try:
            upgrade(db.engine)
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and "CREATE EXTENSION pg_trgm;" in err[0] and "Traceback" not in err[0], err
            assert current_revision(db.engine) == HEAD_REVISION
            with db.engine.connect() as conn:
                assert set(pg_search.search_indexes_missing(conn)) == {
                    "ix_part_no_trgm", "ix_part_name_trgm", "ix_part_name_zh_trgm"}
            _add_parts(db)
            assert _search(db, "a100") == ["A100", "A1000", "A100X", "ZZ9A100", "Q5"]
            assert _search(db, "刹车片") == ["ZZ9A100"]
            monkeypatch.setattr(pg_search, "trigram_schema", real_schema)
            monkeypatch.setattr(pg_search, "build_search_indexes", real_build)
            upgrade(db.engine)  # the DBA has created it (here it was there all along): the indexes are built
            with db.engine.connect() as conn:
                assert pg_search.search_indexes_missing(conn) == []
        finally:
            db.dispose()


def test_a_search_is_one_statement_outside_a_transaction(pg_db):
    """On PostgreSQL a search is one SELECT in autocommit: no BEGIN and ROLLBACK round trips around it."""
    from sqlalchemy import event

    _add_parts(pg_db)
    sent = []  # (statement, whether the driver was in autocommit: then psycopg sends no BEGIN)
    event.listen(pg_db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: sent.append((statement, conn.connection.driver_connection
                                                                     .autocommit)))
    assert _search(pg_db, "a100") == ["A100", "A1000", "A100X", "ZZ9A100", "Q5"]
    assert len(sent) == 1 and sent[0][1] is True


def test_a_search_is_never_a_prepared_statement(pg_db):
    """psycopg prepares what runs five times and the server may then plan it once for every pattern (a scan of
    the parts table for a rare one): the search is planned for its own values each time."""
    _add_parts(pg_db)
    for _ in range(8):
        assert _search(pg_db, "nothing like it") == []
    with pg_db.engine.connect() as conn:
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert not [s for s in prepared if "containing" in s], prepared
