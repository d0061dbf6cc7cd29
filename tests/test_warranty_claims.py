"""What the maker owes for warranty repairs (issue 16, items 3 and 8): the repair orders whose parts are charged to
the warranty, a page at a time, newest first, with the amount receivable from the maker over all of them; an
order's warranty lines only, at the amounts its charges say (live, or as settled); on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from core import tables as t
from core.errors import NotFound
from core.roles import Role
from core.services import catalog, pricing, repair_orders
from core.services.warranty_claims import warranty_claim, warranty_page
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.counter import drive, issue, open_order, take_back

D = Decimal
OIL = "93165557"  # engine oil by the litre: a fraction of a unit, priced to a half cent before rounding


@pytest.fixture
def station(any_db, clock):
    staff = make_staff(any_db)
    add_parts(any_db, staff)  # list price 100 each
    with any_db.writing() as uow:
        catalog.add_part(OIL, "Engine oil 5W-30", name_zh="机油", model_series="EXCELLE", unit="L", price="33.33",
                         location="EXC-01-01-01", actor=staff[Role.PLANNER], uow=uow)
    for part_no, qty, cost in (("96536697", "10", "40"), ("96800106", "20", "20"), ("13301204", "4", "300"),
                               (OIL, "20", "10")):
        receive(any_db, staff, part_no, qty, cost=cost, location="EXC-01-01-01" if part_no == OIL else None)
    return any_db, staff, clock


def _order(database, staff, *, warranty: bool, plate: str = "沪A12345") -> str:
    ro = open_order(database, staff, plate=plate)
    drive(database, staff, ro, "diagnosing")
    with database.writing() as uow:
        repair_orders.record_warranty(ro, warranty, "decided", actor=staff[Role.ADVISOR], uow=uow)
        repair_orders.change_state(ro, "in_repair", actor=staff[Role.ADVISOR], uow=uow)
    return ro


def _deliver(database, staff, ro) -> None:
    """From in repair to delivered: re-inspected, ready, handed back."""
    for state in ("reinspection", "ready", "delivered"):
        with database.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, note="ok",
                                       customer_confirmed=True)


def _payer(database, staff, ro, part_no, payer):
    with database.writing() as uow:
        pricing.set_payer(ro, part_no, payer, actor=staff[Role.ADVISOR], uow=uow)


def _page(database, limit=50, offset=0):
    with database.reading() as uow:
        return warranty_page(uow=uow, limit=limit, offset=offset)


def _claim(database, ro):
    with database.reading() as uow:
        return warranty_claim(ro, uow=uow)


def _charged_to_warranty(database, ro) -> Decimal:
    with database.reading() as uow:
        return pricing.charges_of(ro, uow=uow).amount("warranty")


def test_only_the_warranty_lines_at_the_orders_own_amounts(station):
    database, staff, clock = station
    # A customer's order (a markup on cost for the customer) with one part the maker pays and one the workshop.
    with database.writing() as uow:
        pricing.set_rule("station", None, markup="50", floor=None, actor=staff[Role.PARTS_MANAGER], uow=uow)
    mixed = _order(database, staff, warranty=False)
    req = issue(database, staff, mixed, ("96536697", "2"), ("96800106", "3"), ("13301204", "1"), (OIL, "2.5")).number
    take_back(database, staff, req, (OIL, "1"))  # 1.5 L used: 49.995, half up to 50.00
    _payer(database, staff, mixed, OIL, "warranty")
    _payer(database, staff, mixed, "13301204", "warranty")
    _payer(database, staff, mixed, "96800106", "internal")
    # A customer's order with nothing for the maker: not listed.
    clock.advance(minutes=5)
    plain = _order(database, staff, warranty=False, plate="沪B00001")
    issue(database, staff, plain, ("96536697", "1"))

    page = _page(database)
    assert [(r.ro_no, r.plate, r.lines, r.amount, r.settled, r.state) for r in page.rows] == [
        (mixed, "沪A12345", 2, D("150.00"), False, "in_repair")]
    assert (page.total, page.receivable) == (1, D("150.00"))
    claim = _claim(database, mixed)
    assert [(x.part_no, x.qty, x.unit_price, x.amount) for x in claim.lines] == [
        ("13301204", D("1"), D("100.00"), D("100.00")), (OIL, D("1.5"), D("33.33"), D("50.00"))]
    assert claim.amount == D("150.00") == _charged_to_warranty(database, mixed)
    assert _claim(database, plain).lines == ()
    with pytest.raises(NotFound):
        _claim(database, "RO-2026-999999")


def test_a_warranty_order_by_default_and_a_settled_one_as_recorded(station):
    database, staff, clock = station
    settled = _order(database, staff, warranty=True)
    issue(database, staff, settled, ("96536697", "2"), ("96800106", "1"))
    _payer(database, staff, settled, "96800106", "customer")  # the customer's own wish: not the maker's
    _deliver(database, staff, settled)
    with database.writing() as uow:
        repair_orders.settle(settled, actor=staff[Role.ACCOUNTANT], uow=uow)
    clock.advance(hours=1)
    live = _order(database, staff, warranty=True, plate="沪C77777")
    issue(database, staff, live, ("13301204", "1"))
    # A new list price changes the order not settled, never the settled one's recorded amounts.
    with database.engine.begin() as conn:
        conn.execute(update(t.part).where(t.part.c.part_no.in_(["96536697", "13301204"])).values(list_price=D("120")))

    page = _page(database)
    assert [(r.ro_no, r.settled, r.lines, r.amount) for r in page.rows] == [
        (live, False, 1, D("120.00")), (settled, True, 1, D("200.00"))]
    assert page.rows[1].state == "settled" and page.receivable == D("320.00")
    for row in page.rows:
        assert row.amount == _charged_to_warranty(database, row.ro_no) == _claim(database, row.ro_no).amount
    assert [(x.part_no, x.unit_price) for x in _claim(database, settled).lines] == [("96536697", D("100.00"))]


def test_paged_newest_first_with_the_total_of_all(station):
    database, staff, clock = station
    orders = []
    for number in range(5):
        clock.advance(minutes=10)
        ro = _order(database, staff, warranty=True, plate=f"沪D0000{number}")
        issue(database, staff, ro, ("96800106", str(number + 1)))
        orders.append(ro)
    first, rest = _page(database, limit=2), _page(database, limit=2, offset=2)
    assert [r.ro_no for r in first.rows + rest.rows] == orders[::-1][:4]
    assert [r.amount for r in first.rows] == [D("500.00"), D("400.00")]
    assert first.total == rest.total == 5 and first.receivable == rest.receivable == D("1500.00")
    assert _page(database, limit=2, offset=5).rows == []


def test_nothing_owed_by_the_maker(station):
    database, staff, clock = station
    page = _page(database)
    assert (page.rows, page.total, page.receivable) == ([], 0, D("0.00"))
