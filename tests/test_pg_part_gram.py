"""PostgreSQL's part_gram (migration 0018): the pieces of every Chinese name, kept by triggers through inserts of
one part or many, name changes, other changes and deletes; a one- or two-character search reads it by its key."""

from sqlalchemy import text

from core.roles import Role
from core.services import catalog
from tests.helpers import make_staff

EXPECTED = text("SELECT piece, part.id FROM part, unnest(part_name_grams(part.name_zh)) AS piece "
                "WHERE part.name_zh IS NOT NULL")


def _grams(conn) -> tuple[set, set]:
    """The table's rows and the rows the names give."""
    held = set(conn.execute(text("SELECT gram, part_id FROM part_gram")).all())
    return held, set(conn.execute(EXPECTED).all())


def _search(db, query):
    with db.reading() as uow:
        return [h.part_no for h in catalog.search_parts(query, uow=uow)]


def test_the_pieces_follow_every_change_of_the_parts(pg_db):
    staff = make_staff(pg_db)
    with pg_db.writing() as uow:
        for part_no, name_zh in [("P1", "前刹车片"), ("P2", "机油滤清器"), ("P3", None), ("P4", "刹车油")]:
            catalog.add_part(part_no, f"part {part_no}", name_zh=name_zh, price="1", actor=staff[Role.PLANNER],
                             uow=uow)
    with pg_db.engine.begin() as conn:
        held, expected = _grams(conn)
        assert held == expected and ("刹车", conn.execute(text("SELECT id FROM part WHERE part_no = 'P4'")).scalar()) \
            in held
        # Many parts in one statement, as an import writes them.
        conn.execute(text("INSERT INTO part (part_no, name, name_zh, unit, list_price, fragile, pack_qty, general) "
                          "SELECT 'M' || n, 'bulk', '刹车盘' || n, 'pc', 100, false, 1, false "
                          "FROM generate_series(1, 3) AS n"))
        conn.execute(text("UPDATE part SET name_zh = '大灯总成' WHERE part_no = 'P1'"))  # a new name
        conn.execute(text("UPDATE part SET name = 'renamed' WHERE part_no = 'P2'"))  # the Chinese name kept
        conn.execute(text("UPDATE part SET name_zh = NULL WHERE part_no = 'P4'"))
        conn.execute(text("UPDATE part SET name_zh = '轴承' WHERE part_no = 'P3'"))
        conn.execute(text("DELETE FROM part WHERE part_no = 'M2'"))
        held, expected = _grams(conn)
        assert held == expected and len(held) > 20
    assert _search(pg_db, "刹车") == ["M1", "M3"]
    assert _search(pg_db, "大灯") == ["P1"] and _search(pg_db, "轴") == ["P3"] and _search(pg_db, "滤清") == ["P2"]


def test_a_short_search_reads_the_pieces_by_their_key(pg_db):
    from core.codes import normalise_part_no
    from core.services.catalog import _pg_search, _pg_search_params

    make_staff(pg_db)
    statement = _pg_search("刹车", normalise_part_no("刹车"))
    with pg_db.engine.connect() as conn:
        compiled = statement.compile(dialect=conn.dialect)
        conn.exec_driver_sql("SET enable_seqscan = off")  # a few rows would be scanned whole: ask for the index
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(
            "EXPLAIN " + str(compiled), _pg_search_params("刹车", normalise_part_no("刹车"), 50)))
    assert "part_gram_pkey" in plan and "part_name_grams" not in plan
