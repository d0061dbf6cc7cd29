"""Counter sales (销售订单) on SQLite and PostgreSQL: entered (一审), checked by a second person (二审) who issues the
parts oldest lot first on the sale's number, settled, returned within the station's rules; every refusal changes
nothing."""

from decimal import Decimal

import pytest

from core.counter_rules import ShortOfStock
from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.roles import Role
from core.services import sales, settings, stock
from tests.helpers import add_parts, assert_books_agree, make_staff, receive

OIL = "96800106"  # EXCELLE, at EXC-01-01-01, list price 100
PADS = "96536697"


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    return any_db, staff


def create(database, staff, *lines, role=Role.STOREKEEPER, customer="李四汽修", phone="13800138000"):
    with database.writing() as uow:
        return sales.create_sale(customer, list(lines), phone=phone, actor=staff[role], uow=uow)


def act(database, staff, service, number, role, *args):
    with database.writing() as uow:
        return service(number, *args, actor=staff[role], uow=uow)


def on_hand(database, part=OIL):
    with database.reading() as uow:
        return [(lot.lot, lot.qty) for lot in stock.part_stock(part, uow=uow).lots]


def test_a_sale_end_to_end_with_the_two_person_check(station, clock):
    database, staff = station
    older = receive(database, staff, OIL, 2, cost="10.00")
    clock.advance(days=2)
    newer = receive(database, staff, OIL, 5, cost="12.00")
    entered = create(database, staff, f"{OIL}:3", f"{PADS}:1")
    assert entered.number.startswith("SAL-") and entered.state == "entered"
    assert [(line.part_no, line.qty, line.unit_price) for line in entered.lines] == [
        (OIL, 3, Decimal("100.00")), (PADS, 1, Decimal("100.00"))]
    assert entered.total == Decimal("400.00")
    receive(database, staff, PADS, 1)
    assert on_hand(database) == [(older.lot, 2), (newer.lot, 5)]  # nothing left before the check

    checked = act(database, staff, sales.check_sale, entered.number, Role.CHECKER)
    assert checked.state == "checked" and checked.checked_by.code == "CHECK1"
    (oil, _pads) = checked.lines
    assert [(take.lot, take.qty) for take in oil.takes] == [(older.lot, 2), (newer.lot, 1)]  # oldest first
    assert on_hand(database) == [(newer.lot, 4)]
    with database.reading() as uow:
        moves = [m for m in stock.part_ledger(OIL, uow=uow) if m.document == entered.number]
    assert [(m.kind, m.qty, m.doc_type, m.operator) for m in moves] == [
        ("issue", -2, "SAL", "CHECK1"), ("issue", -1, "SAL", "CHECK1")]

    settled = act(database, staff, sales.settle_sale, entered.number, Role.ACCOUNTANT)
    assert settled.state == "settled" and settled.settled_amount == Decimal("400.00")
    assert_books_agree(database)


def test_the_entering_person_may_not_check_and_only_checkers_may(station):
    database, staff = station
    receive(database, staff, OIL, 5)
    number = create(database, staff, f"{OIL}:1", role=Role.PARTS_MANAGER).number
    with pytest.raises(RuleViolation, match="PM1 entered this sale: a second, different person checks it"):
        act(database, staff, sales.check_sale, number, Role.PARTS_MANAGER)
    with pytest.raises(PermissionDenied, match="STORE1 may not check counter sales"):
        act(database, staff, sales.check_sale, number, Role.STOREKEEPER)
    assert on_hand(database)[0][1] == 5
    with database.reading() as uow:
        assert sales.show_sale(number, uow=uow).state == "entered"


def test_a_short_line_refuses_the_whole_sale_and_a_cancelled_one_never_moves(station):
    database, staff = station
    receive(database, staff, OIL, 5)
    receive(database, staff, PADS, 1)
    number = create(database, staff, f"{OIL}:2", f"{PADS}:3").number
    with pytest.raises(ShortOfStock, match=f"not enough stock of {PADS}: asked 3, on hand 1"):
        act(database, staff, sales.check_sale, number, Role.CHECKER)
    assert on_hand(database)[0][1] == 5
    cancelled = act(database, staff, sales.cancel_sale, number, Role.STOREKEEPER)
    assert cancelled.state == "cancelled"
    with pytest.raises(RuleViolation, match="the sale is cancelled: nothing to check"):
        act(database, staff, sales.check_sale, number, Role.CHECKER)
    with pytest.raises(RuleViolation, match="only a checked sale is settled"):
        act(database, staff, sales.settle_sale, number, Role.STOREKEEPER)


@pytest.mark.parametrize(("lines", "kwargs", "error", "message"), [
    ([], {}, BadInput, "a sale needs at least one line"),
    (["96800106"], {}, BadInput, "must be PART_NO:QTY"),
    (["96800106:1.5"], {}, BadInput, "whole"),
    (["96800106:-1"], {}, BadInput, "more than zero|positive"),
    (["NOPE:1"], {}, NotFound, "unknown part"),
    (["96800106:1"], {"customer": "  "}, BadInput, "the customer's name is empty"),
    (["96800106:1"], {"phone": "abc"}, BadInput, "is not a phone number"),
])
def test_bad_input_enters_nothing(db, lines, kwargs, error, message):
    staff = make_staff(db)
    add_parts(db, staff)
    with pytest.raises(error, match=message):
        with db.writing() as uow:
            sales.create_sale(kwargs.get("customer", "王五"), lines, phone=kwargs.get("phone"),
                              actor=staff[Role.STOREKEEPER], uow=uow)
    with db.reading() as uow:
        assert sales.list_sales(uow=uow) == []


def test_returns_come_back_newest_take_first_within_the_limits(station, clock):
    database, staff = station
    older = receive(database, staff, OIL, 2, cost="10.00")
    clock.advance(days=1)
    newer = receive(database, staff, OIL, 5, cost="12.00")
    number = create(database, staff, f"{OIL}:4").number
    act(database, staff, sales.check_sale, number, Role.CHECKER)
    assert on_hand(database) == [(newer.lot, 3)]
    back = act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:3"])
    # The newest take (2 of the newer lot) first, then 1 into the older lot: as if 1 had been sold.
    assert on_hand(database) == [(older.lot, 1), (newer.lot, 5)]
    assert back.lines[0].returned == 3 and back.net == Decimal("100.00")
    with pytest.raises(RuleViolation, match="has 1 of 96800106 sold and not returned; 2 cannot come back"):
        act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:2"])
    with pytest.raises(RuleViolation, match="is not on"):
        act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{PADS}:1"])
    clock.advance(days=8)
    with pytest.raises(RuleViolation, match="within 7 days"):
        act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:1"])
    with database.writing() as uow:
        settings.set_setting("sale_return_days", "30", actor=staff[Role.ADMIN], uow=uow)
    act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:1"])
    assert on_hand(database) == [(older.lot, 2), (newer.lot, 5)]
    with database.reading() as uow:
        moves = [m for m in stock.part_ledger(OIL, uow=uow) if m.document == number and m.kind == "return"]
    assert [m.qty for m in moves] == [2, 1, 1]
    assert_books_agree(database)


def test_a_return_after_settlement_is_owed_back_and_the_settled_amount_stays(station):
    database, staff = station
    receive(database, staff, OIL, 5, cost="10.00")
    number = create(database, staff, f"{OIL}:3").number
    act(database, staff, sales.check_sale, number, Role.CHECKER)
    before = act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:1"])
    assert before.refund == 0  # returned before settling: simply not charged
    settled = act(database, staff, sales.settle_sale, number, Role.ACCOUNTANT)
    assert (settled.settled_amount, settled.refund) == (Decimal("200.00"), 0)
    after = act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:1"])
    # What was paid stays on record; the part that came back is owed to the customer.
    assert (after.state, after.settled_amount, after.net, after.refund) == (
        "settled", Decimal("200.00"), Decimal("100.00"), Decimal("100.00"))
    assert_books_agree(database)


def test_the_sales_waiting_for_a_check_are_the_checkers_to_do_not_the_enterers(station):
    database, staff = station
    receive(database, staff, OIL, 5)
    first = create(database, staff, f"{OIL}:1").number
    by_manager = create(database, staff, f"{OIL}:1", role=Role.PARTS_MANAGER).number
    act(database, staff, sales.cancel_sale, create(database, staff, f"{OIL}:1").number, Role.STOREKEEPER)

    def waiting(role, **page):
        with database.reading() as uow:
            found = sales.sales_to_check(staff[role], uow=uow, **page)
        return [sale.number for sale in found.rows], found.total

    assert waiting(Role.CHECKER) == ([first, by_manager], 2)  # the oldest first; the cancelled one is not waiting
    assert waiting(Role.CHECKER, offset=1, limit=5) == ([by_manager], 2)
    assert waiting(Role.PARTS_MANAGER) == ([first], 1)  # he entered the other: a second person checks it
    assert waiting(Role.STOREKEEPER) == ([], 0)  # enters sales, checks none
    act(database, staff, sales.check_sale, first, Role.CHECKER)
    assert waiting(Role.CHECKER) == ([by_manager], 1)


def test_a_sale_not_checked_has_nothing_to_return(station):
    database, staff = station
    number = create(database, staff, f"{OIL}:1").number
    with pytest.raises(RuleViolation, match="nothing left the store"):
        act(database, staff, sales.return_sale, number, Role.STOREKEEPER, [f"{OIL}:1"])
    with pytest.raises(NotFound, match="unknown sale SAL-2026-000404"):
        act(database, staff, sales.check_sale, "sal-2026-000404", Role.CHECKER)
