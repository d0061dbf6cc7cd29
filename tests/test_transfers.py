"""Transfers (调拨单) on SQLite and PostgreSQL: entered (一审), checked by a second person (二审), the lots split with
their received dates and costs, and every refusal changing nothing."""

from decimal import Decimal

import pytest

from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.ledger import QUARANTINE_LOCATION, OutOfStock
from core.roles import Role
from core.services import catalog, stock, transfers
from tests.helpers import add_parts, assert_books_agree, make_staff, receive, tables_now

OIL = "96800106"  # EXCELLE, at EXC-01-01-01
LAMP = "13301204"  # CRUZE, at CRZ-03-01-01
SPARE = "EXC-01-01-02"


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    with any_db.writing() as uow:
        catalog.add_location(SPARE, actor=staff[Role.STOREKEEPER], uow=uow)
    return any_db, staff


def create(database, staff, qty="3", source="EXC-01-01-01", target=SPARE, part=OIL, role=Role.STOREKEEPER):
    with database.writing() as uow:
        return transfers.create_transfer(part, qty, from_location=source, to_location=target, actor=staff[role],
                                         uow=uow)


def check(database, staff, number, role=Role.CHECKER):
    with database.writing() as uow:
        return transfers.check_transfer(number, actor=staff[role], uow=uow)


def lots(database, part=OIL):
    with database.reading() as uow:
        return stock.part_stock(part, uow=uow).lots


def test_a_transfer_moves_only_when_a_second_person_checks_it(station, clock):
    database, staff = station
    older = receive(database, staff, OIL, 2, cost="10.00")
    clock.advance(days=3)
    newer = receive(database, staff, OIL, 5, cost="12.00")
    clock.advance(days=1)
    entered = create(database, staff, "3")
    assert entered.number.startswith("TRF-") and entered.state == "entered"
    assert [(lot.location, lot.qty) for lot in lots(database)] == [("EXC-01-01-01", 2), ("EXC-01-01-01", 5)]

    checked = check(database, staff, entered.number)
    assert checked.state == "checked" and checked.decided_by == "CHECK1"
    # Oldest first out of the source; each piece keeps its lot's received date and cost, linked to its origin.
    assert [(lot.from_lot, lot.qty, lot.unit_cost, lot.received_at) for lot in checked.lots] == [
        (older.lot, 2, Decimal("10.00"), older.received_at), (newer.lot, 1, Decimal("12.00"), newer.received_at)]
    after = lots(database)
    assert [(lot.location, lot.qty, lot.unit_cost, lot.received_at) for lot in after] == [
        (SPARE, 2, Decimal("10.00"), older.received_at),
        ("EXC-01-01-01", 4, Decimal("12.00"), newer.received_at),
        (SPARE, 1, Decimal("12.00"), newer.received_at),
    ]
    assert {lot.document for lot in after if lot.location == SPARE} == {entered.number}
    with database.reading() as uow:
        moves = [m for m in stock.part_ledger(OIL, uow=uow) if m.document == entered.number]
    assert [(m.kind, m.qty, m.location, m.operator) for m in moves] == [
        ("transfer", -2, "EXC-01-01-01", "CHECK1"), ("transfer", -1, "EXC-01-01-01", "CHECK1"),
        ("transfer", 2, SPARE, "CHECK1"), ("transfer", 1, SPARE, "CHECK1")]
    assert_books_agree(database)


def test_the_parts_manager_may_check_too(station):
    database, staff = station
    receive(database, staff, OIL, 2)
    assert check(database, staff, create(database, staff, "2").number, Role.PARTS_MANAGER).state == "checked"


@pytest.mark.parametrize(("args", "error", "message"), [
    ({"target": "EXC-01-01-01"}, BadInput, "two different bins"),
    ({"target": "EXC-09-09-09"}, NotFound, "unknown location EXC-09-09-09"),
    ({"source": "EXC-09-09-09"}, NotFound, "unknown location EXC-09-09-09"),
    ({"qty": "9"}, OutOfStock, "not enough stock of 96800106: asked 9, on hand at that location 2"),
    ({"qty": "0"}, BadInput, "positive quantity"),
    ({"qty": "-1"}, BadInput, "may not have a sign"),
    ({"qty": "1.5"}, BadInput, "whole"),
    ({"part": "NOPE"}, NotFound, "unknown part number NOPE"),
    ({"target": "CRZ-03-01-01"}, RuleViolation, "CRUZE"),
    ({"role": Role.PLANNER}, PermissionDenied, "may not enter transfers"),
])
def test_a_refused_transfer_changes_nothing(station, args, error, message):
    database, staff = station
    receive(database, staff, OIL, 2)
    before = tables_now(database)
    with pytest.raises(error, match=message):
        create(database, staff, **args)
    assert tables_now(database) == before


def test_the_one_who_entered_it_may_not_check_it(station):
    database, staff = station
    receive(database, staff, OIL, 2)
    both = staff[Role.PARTS_MANAGER].__class__(
        staff[Role.STOREKEEPER].id, "STORE1", "x", frozenset({Role.STOREKEEPER, Role.CHECKER}))
    entered = create(database, staff, "1")
    before = tables_now(database)
    with database.writing() as uow, pytest.raises(RuleViolation, match="a second, different person checks it"):
        transfers.check_transfer(entered.number, actor=both, uow=uow)
    with database.writing() as uow, pytest.raises(PermissionDenied, match="may not check transfers"):
        transfers.check_transfer(entered.number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert tables_now(database) == before


def test_stock_gone_by_the_check_is_refused_and_nothing_moves(station):
    database, staff = station
    receive(database, staff, OIL, 3)
    entered = create(database, staff, "3")
    with database.writing() as uow:
        stock.adjust(OIL, "-2", location="EXC-01-01-01", reason="lost", actor=staff[Role.PARTS_MANAGER], uow=uow)
    before = tables_now(database)
    with pytest.raises(OutOfStock, match="asked 3, on hand at that location 1"):
        check(database, staff, entered.number)
    assert tables_now(database) == before
    with database.reading() as uow:
        assert transfers.show_transfer(entered.number, uow=uow).state == "entered"


def test_checked_refused_or_cancelled_is_final(station):
    database, staff = station
    receive(database, staff, OIL, 5)
    done = create(database, staff, "1")
    check(database, staff, done.number)
    with pytest.raises(RuleViolation, match="the transfer is checked: nothing to check"):
        check(database, staff, done.number)
    refused = create(database, staff, "1")
    with database.writing() as uow:
        assert transfers.refuse_transfer(refused.number, note="wrong bin", actor=staff[Role.CHECKER],
                                         uow=uow).state == "refused"
    cancelled = create(database, staff, "1")
    with database.writing() as uow, pytest.raises(RuleViolation, match="only the person who entered"):
        transfers.cancel_transfer(cancelled.number, actor=staff[Role.CHECKER], uow=uow)
    with database.writing() as uow:
        assert transfers.cancel_transfer(cancelled.number, actor=staff[Role.STOREKEEPER],
                                         uow=uow).state == "cancelled"
    for number in (refused.number, cancelled.number):
        with pytest.raises(RuleViolation, match="nothing to check"):
            check(database, staff, number)
    with pytest.raises(NotFound, match="unknown transfer TRF-2026-999999"):
        check(database, staff, "trf-2026-999999")
    assert sum(lot.qty for lot in lots(database)) == 5
    with database.reading() as uow:
        listed = transfers.list_transfers(uow=uow)
        waiting = transfers.list_transfers(uow=uow, state="entered")
    assert [i.state for i in listed] == ["cancelled", "refused", "checked"] and waiting == []
    assert_books_agree(database)


def test_quarantine_is_left_only_by_a_release_that_is_checked(station):
    database, staff = station
    with database.writing() as uow:
        catalog.add_location(QUARANTINE_LOCATION, actor=staff[Role.PARTS_MANAGER], uow=uow)
        stock.adjust(OIL, "2", location=QUARANTINE_LOCATION, reason="found", note="dented box",
                     unit_cost="8", actor=staff[Role.PARTS_MANAGER], uow=uow)
    with pytest.raises(RuleViolation, match="leave quarantine only by a write-off"):
        create(database, staff, "1", source=QUARANTINE_LOCATION)
    with database.writing() as uow, pytest.raises(PermissionDenied):
        transfers.release(OIL, "1", to_location=SPARE, actor=staff[Role.STOREKEEPER], uow=uow)
    with database.writing() as uow:
        released = transfers.release(OIL, "1", to_location=SPARE, note="box only", actor=staff[Role.PARTS_MANAGER],
                                     uow=uow)
    assert released.release and released.from_location == QUARANTINE_LOCATION
    with pytest.raises(RuleViolation, match="a second, different person"):
        check(database, staff, released.number, Role.PARTS_MANAGER)
    check(database, staff, released.number)
    assert sorted((lot.location, lot.qty) for lot in lots(database)) == [(SPARE, 1), (QUARANTINE_LOCATION, 1)]
    # The other unit is written off there (报废), with a reason from the list.
    with database.writing() as uow:
        stock.adjust(OIL, "-1", location=QUARANTINE_LOCATION, reason="damaged", actor=staff[Role.PARTS_MANAGER],
                     uow=uow)
    assert [(lot.location, lot.qty) for lot in lots(database)] == [(SPARE, 1)]
    assert_books_agree(database)
