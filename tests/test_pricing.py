"""Prices and settlement (issue 16, item 8): the price rules (list, markup by series and by group, the floor),
the payer split of a repair order's parts, and settlement refused while a requisition is open and recorded by
payer; on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from core import tables as t
from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.records.pricing import price_from
from core.repair_states import RepairState
from core.roles import Role
from core.services import pricing, repair_orders
from core.services.written_requisitions import write_requisition
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.counter import drive, issue, open_order, take_back

D = Decimal


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)  # list price 100 each; 96536697 and 96800106 EXCELLE, 13301204 CRUZE
    return any_db, staff


def _rule(database, staff, scope, key, markup=None, floor=None, role=Role.PARTS_MANAGER):
    with database.writing() as uow:
        return pricing.set_rule(scope, key, markup=markup, floor=floor, actor=staff[role], uow=uow)


def _price(database, part_no):
    with database.reading() as uow:
        return pricing.selling_price(uow, part_no)


# -- the rule itself, without a database -------------------------------------------------------


@pytest.mark.parametrize(("list_price", "cost", "markup", "floor", "price"), [
    ("100", None, None, None, "100.00"),  # no rule: the list price
    ("100", "40", "50", None, "60.00"),  # cost plus the markup
    ("100", None, "50", None, "100.00"),  # no cost known: the list price
    ("30", "40", None, "10", "44.00"),  # a list price under cost plus the floor is raised to it
    ("100", "40", "5", "20", "48.00"),  # a markup under the floor is raised to it
    ("100", "33.33", "12.5", None, "37.50"),  # 37.49625, half up to cents
])
def test_the_price_rule(list_price, cost, markup, floor, price):
    def to(value):
        return None if value is None else D(value)

    assert price_from(D(list_price), to(cost), to(markup), to(floor)) == D(price)


# -- rules in the database ---------------------------------------------------------------------


def test_with_no_rules_the_selling_price_is_the_list_price(station):
    database, staff = station
    receive(database, staff, "96536697", "5", cost="40")
    assert _price(database, "96536697") == D("100.00")
    with database.reading() as uow:
        assert pricing.list_rules(uow=uow) == []
    # The counter sale's call: inside its own transaction, with a connection and the part's row or id.
    with database.writing() as uow, uow.write() as conn:
        part = conn.execute(select(t.part.c.id).where(t.part.c.part_no == "96536697")).one()
        assert pricing.selling_price(conn, part) == pricing.selling_price(conn, part.id) == D("100.00")
        with pytest.raises(NotFound):
            pricing.selling_price(conn, "NOPE")


def test_a_series_rule_marks_up_the_fifo_cost(station, clock):
    database, staff = station
    receive(database, staff, "96536697", "2", cost="40")
    clock.advance(minutes=1)
    receive(database, staff, "96536697", "2", cost="60")
    _rule(database, staff, "series", "excelle", markup="50")
    assert _price(database, "96536697") == D("60.00")  # the oldest lot's 40, plus 50%
    assert _price(database, "13301204") == D("100.00")  # CRUZE: no rule, list price
    with database.reading() as uow:
        (rule,) = pricing.list_rules(uow=uow)
    assert (rule.scope, rule.key, rule.markup, rule.floor, rule.set_by) == ("series", "EXCELLE", D("50.00"), None,
                                                                            "PM1")


def test_a_group_rule_wins_over_the_series_and_the_station_floor_holds(station):
    database, staff = station
    receive(database, staff, "96800106", "3", cost="20")
    with database.writing() as uow:
        assert pricing.set_part_group("96800106", " filters ", actor=staff[Role.PLANNER], uow=uow) == "FILTERS"
    _rule(database, staff, "series", "EXCELLE", markup="50")
    _rule(database, staff, "group", "filters", markup="10")
    assert _price(database, "96800106") == D("22.00")
    _rule(database, staff, "station", None, floor="25", role=Role.STATION_MANAGER)
    assert _price(database, "96800106") == D("25.00")  # never below cost plus the station's minimum margin
    with database.reading() as uow:
        assert [(r.scope, r.key) for r in pricing.list_rules(uow=uow)] == [
            ("station", ""), ("series", "EXCELLE"), ("group", "FILTERS")]
    with database.writing() as uow:
        pricing.remove_rule("group", "FILTERS", actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert _price(database, "96800106") == D("30.00")  # back to the series' 50%


def test_a_part_with_no_stock_left_is_priced_on_its_last_cost(station):
    database, staff = station
    receive(database, staff, "96536697", "1", cost="80")
    _rule(database, staff, "series", "EXCELLE", markup="25")
    ro = open_order(database, staff)
    drive(database, staff, ro, RepairState.IN_REPAIR)
    issue(database, staff, ro, ("96536697", "1"))
    assert _price(database, "96536697") == D("100.00")  # 80 plus 25%


@pytest.mark.parametrize(("scope", "key", "markup", "floor", "message"), [
    ("brand", "X", "10", None, "a price rule is for a series, a group or the station"),
    ("group", "  ", "10", None, "name the model series or the part group"),
    ("series", "EXCELLE", None, None, "needs a markup, a floor or both"),
    ("series", "EXCELLE", "-5", None, "must be a percent from 0 to 1000"),
    ("series", "EXCELLE", "1001", None, "must be a percent from 0 to 1000"),
    ("series", "EXCELLE", "ten", None, "the markup"),
])
def test_a_bad_rule_is_refused_and_changes_nothing(station, scope, key, markup, floor, message):
    database, staff = station
    with pytest.raises(BadInput, match=message), database.writing() as uow:
        pricing.set_rule(scope, key, markup=markup, floor=floor, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with database.reading() as uow:
        assert pricing.list_rules(uow=uow) == []


def test_only_the_managers_set_prices_and_removing_a_missing_rule_is_not_found(station):
    database, staff = station
    with pytest.raises(PermissionDenied), database.writing() as uow:
        pricing.set_rule("series", "EXCELLE", markup="10", floor=None, actor=staff[Role.ADVISOR], uow=uow)
    with pytest.raises(NotFound, match="no price rule for EXCELLE"), database.writing() as uow:
        pricing.remove_rule("series", "EXCELLE", actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert pricing.may_see_margin(staff[Role.PARTS_MANAGER]) and pricing.may_see_margin(staff[Role.STATION_MANAGER])
    assert not pricing.may_see_margin(staff[Role.ADVISOR]) and not pricing.may_see_margin(staff[Role.ACCOUNTANT])


# -- the payer split and settlement ------------------------------------------------------------


def _order_with_parts(database, staff, *, warranty=False):
    receive(database, staff, "96536697", "4", cost="40")
    receive(database, staff, "96800106", "4", cost="20")
    receive(database, staff, "13301204", "2", cost="300")
    ro = open_order(database, staff)
    drive(database, staff, ro, RepairState.DIAGNOSING)
    with database.writing() as uow:
        repair_orders.record_warranty(ro, warranty, "decided", actor=staff[Role.ADVISOR], uow=uow)
        repair_orders.change_state(ro, "in_repair", actor=staff[Role.ADVISOR], uow=uow)
    return ro


def _show(database, ro):
    with database.reading() as uow:
        return repair_orders.get_repair_order(ro, uow=uow)


def test_the_parts_are_charged_by_payer_beside_the_cost(station):
    database, staff = station
    _rule(database, staff, "series", "EXCELLE", markup="50")
    ro = _order_with_parts(database, staff)
    req = issue(database, staff, ro, ("96536697", "2"), ("96800106", "3"), ("13301204", "1")).number
    take_back(database, staff, req, ("96800106", "1"))
    charges = _show(database, ro).charges
    assert {line.part_no: line.payer for line in charges.lines} == dict.fromkeys(
        ("13301204", "96536697", "96800106"), "customer")
    # 2 x (40 + 50%) + 2 x (20 + 50%) + the CRUZE headlamp at its list price.
    assert charges.by_payer == (("customer", D("280.00")), ("warranty", D("0.00")), ("internal", D("0.00")))
    assert charges.cost == D("420.00") and charges.margin == D("-140.00")
    with database.writing() as uow:
        pricing.set_payer(ro, "13301204", "warranty", actor=staff[Role.ADVISOR], uow=uow)
        after = pricing.set_payer(ro, "96800106", "INTERNAL", actor=staff[Role.ACCOUNTANT], uow=uow)
    assert after.by_payer == (("customer", D("120.00")), ("warranty", D("100.00")), ("internal", D("40.00")))
    assert after.total - after.cost == D("-160.00")


def test_a_warranty_order_charges_the_maker_at_list_price_by_default(station):
    database, staff = station
    ro = _order_with_parts(database, staff, warranty=True)
    issue(database, staff, ro, ("96536697", "1"))
    charges = _show(database, ro).charges
    assert [(x.part_no, x.payer, x.unit_price, x.amount) for x in charges.lines] == [
        ("96536697", "warranty", D("100.00"), D("100.00"))]


def test_a_payer_is_refused_for_a_part_not_issued_a_bad_payer_or_a_stranger(station):
    database, staff = station
    ro = _order_with_parts(database, staff)
    issue(database, staff, ro, ("96536697", "1"))
    for part, payer, role, error, message in [
        ("96800106", "internal", Role.ADVISOR, RuleViolation, "96800106 is not issued on"),
        ("96536697", "insurer", Role.ADVISOR, BadInput, "customer, warranty or internal"),
        ("96536697", "internal", Role.STOREKEEPER, PermissionDenied, "may not settle repair orders"),
    ]:
        with pytest.raises(error, match=message), database.writing() as uow:
            pricing.set_payer(ro, part, payer, actor=staff[role], uow=uow)
    assert [x.payer for x in _show(database, ro).charges.lines] == ["customer"]


def test_settlement_is_refused_while_a_requisition_is_open_then_records_the_amounts(station):
    database, staff = station
    ro = _order_with_parts(database, staff)
    issue(database, staff, ro, ("96536697", "2"))
    with database.writing() as uow:
        written = write_requisition(ro, [("96800106", "1")], actor=staff[Role.PARTS_CLERK], uow=uow)
    drive_to_delivered(database, staff, ro)
    with pytest.raises(RuleViolation, match=f"requisition {written.number} is written and not issued"), \
            database.writing() as uow:
        repair_orders.settle(ro, actor=staff[Role.ACCOUNTANT], uow=uow)
    assert _show(database, ro).state == "delivered"
    from core.services.written_requisitions import cancel_requisition

    with database.writing() as uow:
        cancel_requisition(written.number, actor=staff[Role.PARTS_CLERK], uow=uow)
        pricing.set_payer(ro, "96536697", "internal", actor=staff[Role.ADVISOR], uow=uow)
        view = repair_orders.settle(ro, actor=staff[Role.ACCOUNTANT], uow=uow)
    assert view.state == "settled" and view.charges.settled
    assert view.charges.by_payer == (("customer", D("0.00")), ("warranty", D("0.00")), ("internal", D("80.00")))
    # Stored, not computed again: a new rule or a changed list price leaves the settled order as it was.
    _rule(database, staff, "series", "EXCELLE", markup="90")
    with database.engine.begin() as conn:
        conn.execute(update(t.part).values(list_price=D("999")))
        stored = conn.execute(select(t.repair_order_charge.c.payer, t.repair_order_charge.c.amount)).all()
    assert stored == [("internal", D("80.00"))]
    assert _show(database, ro).charges.by_payer[2] == ("internal", D("80.00"))
    with pytest.raises(RuleViolation, match="is closed"), database.writing() as uow:
        pricing.set_payer(ro, "96536697", "customer", actor=staff[Role.ADVISOR], uow=uow)


def drive_to_delivered(database, staff, ro):
    """From in repair to delivered, as tests.helpers.counter.drive does from intake."""
    for state in ("reinspection", "ready", "delivered"):
        with database.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, note="ok",
                                       customer_confirmed=True)
