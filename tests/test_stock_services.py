"""The stock ledger on SQLite and on PostgreSQL, through the services production calls (requisitions, returns,
receipts, adjustments): FIFO, costs, refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.errors import BadInput, NotFound, RuleViolation
from core.roles import Role
from core.services import catalog, requisitions, stock
from tests.helpers import PIN, add_parts, assert_books_agree, make_staff, open_order, receive, take_back
from tests.helpers import issue as issue_on
from tests.helpers.shipments import Line, receive_shipment


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    return any_db, staff


def issue(database, staff, part_no, qty):
    """One part issued on a requisition against a repair order of its own; the requisition's one line."""
    (line,) = issue_on(database, staff, open_order(database, staff), (part_no, str(qty))).lines
    return line


def _moves(database):
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM stock_move")).scalar_one()


def test_issue_takes_oldest_lot_first_and_costs_what_it_took(station, clock):
    database, staff = station
    first = receive(database, staff, "96800106", 3, cost="10.00")
    clock.advance(days=2)
    second = receive(database, staff, "96800106", 5, cost="12.50", location="EXC-01-01-01")
    clock.advance(days=1)
    issued = issue(database, staff, "96800106", 4)
    assert [(t.lot, t.qty, t.unit_cost) for t in issued.takes] == [(first.lot, 3, Decimal("10.00")),
                                                                     (second.lot, 1, Decimal("12.50"))]
    assert issued.cost == Decimal("42.50")
    with database.reading() as uow:
        held = stock.part_stock("96800106", uow=uow)
    assert held.on_hand == Decimal(4)
    assert [lot.lot for lot in held.lots] == [second.lot]
    assert_books_agree(database)


def test_not_enough_stock_issues_nothing_and_names_the_part(station):
    database, staff = station
    receive(database, staff, "96800106", 2)
    receive(database, staff, "96800106", 1)
    before = _moves(database)
    with pytest.raises(RuleViolation, match=r"not enough stock of 96800106: asked 5, on hand 3"):
        issue(database, staff, "96800106", 5)
    assert _moves(database) == before
    with database.reading() as uow:
        assert stock.part_stock("96800106", uow=uow).on_hand == 3


@pytest.mark.parametrize("qty", ["0", "-1", "abc", "1.0001"])
def test_senseless_quantities_are_bad_input(station, qty):
    database, staff = station
    receive(database, staff, "96800106", 2)
    ro = open_order(database, staff)
    with database.writing() as uow, pytest.raises(BadInput):
        requisitions.issue_requisition(ro, [("96800106", qty)], mechanic="MECH1", mechanic_pin=PIN,
                                       actor=staff[Role.STOREKEEPER], uow=uow)
    assert _moves(database) == 1


def test_lookups_normalise_the_part_number(station):
    database, staff = station
    receive(database, staff, "96800106", 2)
    issued = issue(database, staff, " 9680 0106 ", 1)
    assert issued.part_no == "96800106"
    with pytest.raises(NotFound, match="unknown part number NOPE"):
        issue(database, staff, "nope", 1)


def test_return_goes_back_into_its_lot_at_its_cost(station, clock):
    database, staff = station
    old = receive(database, staff, "96536697", 2, cost="200")
    clock.advance(days=1)
    receive(database, staff, "96536697", 2, cost="250")
    ro = open_order(database, staff)
    req = issue_on(database, staff, ro, ("96536697", "2"))
    (back,) = take_back(database, staff, req.number, ("96536697", "1")).lines
    assert (back.lot, back.qty, back.unit_cost, back.location) == (old.lot, 1, Decimal("200.00"), "EXC-01-02-03")
    with database.reading() as uow:
        assert [(lot.lot, lot.qty) for lot in stock.part_stock("96536697", uow=uow).lots][0] == (old.lot, 1)
    # The returned unit is the oldest again, so it goes out first.
    again = issue(database, staff, "96536697", 1)
    assert again.takes[0].lot == old.lot and again.cost == Decimal("200.00")
    assert_books_agree(database)


def test_cannot_return_more_than_was_issued(station):
    database, staff = station
    receive(database, staff, "96536697", 3)
    req = issue_on(database, staff, open_order(database, staff), ("96536697", "1"))
    before = _moves(database)
    with pytest.raises(RuleViolation, match="has 1 of 96536697 issued and not returned; 2 cannot come back"):
        take_back(database, staff, req.number, ("96536697", "2"))
    assert _moves(database) == before
    assert_books_agree(database)


def test_adjust_in_makes_a_lot_and_out_takes_oldest_at_that_location(station, clock):
    database, staff = station
    manager = staff[Role.PARTS_MANAGER]
    with database.writing() as uow:
        catalog.add_location("CRZ-03-01-02", "CRUZE", actor=manager, uow=uow)
        opening = stock.adjust("13301204", "4", location="CRZ-03-01-01", reason="opening balance",
                               actor=manager, uow=uow)
        clock.advance(days=1)
        stock.adjust("13301204", "3", location="CRZ-03-01-02", reason="opening balance", unit_cost="900",
                     actor=manager, uow=uow)
        out = stock.adjust("13301204", "-1", location="CRZ-03-01-02", reason="damaged",
                           actor=manager, uow=uow)
    assert opening.document == "ADJ-2026-000001" and out.document == "ADJ-2026-000003"
    with database.reading() as uow:
        lines = {line.location: line.on_hand for line in stock.stock_list(uow=uow)}
        moves = stock.part_ledger("13301204", uow=uow)
    assert lines == {"CRZ-03-01-01": 4, "CRZ-03-01-02": 2}
    assert moves[0].unit_cost == Decimal("100.00")  # default cost: the list price
    assert moves[-1].note == "damaged" and moves[-1].operator == "PM1"
    assert_books_agree(database)


def test_adjust_needs_a_reason_and_a_known_location(station):
    database, staff = station
    with database.writing() as uow:
        with pytest.raises(BadInput, match="reason"):
            stock.adjust("13301204", "4", location="CRZ-03-01-01", reason=" ", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        with pytest.raises(NotFound, match="unknown location CRZ-09-09-09"):
            stock.adjust("13301204", "4", location="CRZ-09-09-09", reason="lost", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        with pytest.raises(RuleViolation):
            stock.adjust("13301204", "-1", location="CRZ-03-01-01", reason="lost", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
    assert _moves(database) == 0


def test_a_refused_command_does_not_burn_a_document_number(station):
    database, staff = station
    with database.writing() as uow:
        with pytest.raises(RuleViolation):
            stock.adjust("13301204", "-1", location="CRZ-03-01-01", reason="lost", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        done = stock.adjust("13301204", "1", location="CRZ-03-01-01", reason="lost", actor=staff[Role.PARTS_MANAGER],
                            uow=uow)
    assert done.document == "ADJ-2026-000001"


def test_the_ledger_is_append_only_in_the_database(station):
    database, staff = station
    receive(database, staff, "96800106", 2)
    for statement in ("UPDATE stock_move SET qty = 5", "DELETE FROM stock_move"):
        with pytest.raises(DBAPIError, match="append-only"):
            with database.engine.begin() as conn:
                conn.execute(text(statement))
    assert _moves(database) == 1


def test_the_database_refuses_negative_lots_whatever_writes(station):
    database, staff = station
    receive(database, staff, "96800106", 2)
    with pytest.raises(IntegrityError):
        with database.engine.begin() as conn:
            conn.execute(text("UPDATE stock_lot SET qty_remaining = -1000"))


def test_ledger_rows_name_document_operator_and_time(station, clock, tmp_path):
    database, staff = station
    receipt = receive_shipment(database, staff, tmp_path, [Line("96800106", 2)])
    clock.advance(minutes=5)
    req = issue_on(database, staff, open_order(database, staff), ("96800106", "2"))
    clock.advance(minutes=3)
    back = take_back(database, staff, req.number, ("96800106", "1"))
    clock.advance(minutes=1)
    with database.writing() as uow:
        adjusted = stock.adjust("96800106", "-1", location="EXC-01-01-01", reason="damaged",
                                actor=staff[Role.PARTS_MANAGER], uow=uow)
    with database.reading() as uow:
        moves = stock.part_ledger("96800106", uow=uow)
    assert [(m.kind, m.qty, m.document, m.doc_type, m.operator) for m in moves] == [
        ("receipt", 2, receipt.number, "RCV", "PLAN1"), ("issue", -2, req.number, "REQ", "STORE1"),
        ("return", 1, back.number, "RET", "STORE1"), ("adjust", -1, adjusted.document, "ADJ", "PM1"),
    ]
    assert [m.at - moves[0].at for m in moves] == [timedelta(0), timedelta(minutes=5), timedelta(minutes=8),
                                                    timedelta(minutes=9)]
