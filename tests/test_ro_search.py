"""The repair-order board's search (core.services.ro_search): by number, plate, VIN piece, customer name or phone,
paged, on SQLite and PostgreSQL; and each way answered by an index, not a scan of the orders."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import tables as t
from core.errors import BadInput
from core.services.ro_search import search_condition, search_repair_orders
from tests.helpers import make_staff
from tests.helpers.counter import open_order

OTHER_VIN = "LSGKB54H8MV123456"


@pytest.fixture
def orders(any_db):
    """Two cars of one customer's and one of another's: their numbers by plate."""
    staff = make_staff(any_db)
    first = open_order(any_db, staff)
    second = open_order(any_db, staff, plate="沪B77777", vin=OTHER_VIN)
    third = open_order(any_db, staff, customer="Li Si", phone="139-1111-2222", plate="苏E99999",
                       vin="LSGJA52U7BH000042")
    return any_db, {"沪A12345": first, "沪B77777": second, "苏E99999": third}


def _found(db, query: str, limit: int = 10, offset: int = 0):
    with db.reading() as uow:
        page = search_repair_orders(query, uow=uow, limit=limit, offset=offset)
    return sorted(o.ro_no for o in page.rows), page.total


def test_each_way_of_finding_an_order(orders):
    db, by_plate = orders
    first, second, third = by_plate.values()
    assert _found(db, first.lower()) == ([first], 1)  # the number, as typed in any case
    assert _found(db, "沪A 12345") == ([first], 1)  # the plate, spaces dropped
    assert _found(db, "e99999") == ([third], 1)  # the plate without its province character
    assert _found(db, OTHER_VIN) == ([second], 1)  # the whole VIN
    assert _found(db, "mv123456") == ([second], 1)  # eight consecutive characters at the VIN's end
    assert _found(db, "54H8MV") == ([second], 1)  # six from its middle
    assert _found(db, "li si") == ([third], 1)  # the customer's name in any case
    assert _found(db, "139-1111-2222") == ([third], 1)  # the phone as it was taken
    assert _found(db, "张三 Zhang San") == (sorted([first, second]), 2)


def test_too_short_a_piece_finds_nothing_and_nothing_typed_is_refused(orders):
    db, _orders = orders
    assert _found(db, "H12345"[:5]) == ([], 0)  # five characters are not a VIN piece
    assert _found(db, "ZZZZZZZ") == ([], 0)
    with pytest.raises(BadInput):
        _found(db, "  ")


def test_the_search_is_paged_with_its_total(orders):
    db, by_plate = orders
    first, second = by_plate["沪A12345"], by_plate["沪B77777"]
    assert _found(db, "张三 Zhang San", limit=1) == ([second], 2)  # newest number first
    assert _found(db, "张三 Zhang San", limit=1, offset=1) == ([first], 2)


@pytest.mark.parametrize("query", ["RO-2026-000001", "沪A12345", "A12345", "LSGKB54H8MV123456", "54H8MV",
                                   "Li Si", "139-1111-2222"])
def test_every_way_is_an_index_look_up_on_sqlite(db, query):
    statement = select(t.repair_order.c.id).where(search_condition(query))
    compiled = statement.compile(db.engine)  # with its parameters bound, as the search runs
    with db.engine.connect() as conn:
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        plan = [str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)]
    assert "SCAN repair_order" not in plan and any("USING" in step and "INDEX" in step for step in plan), plan
