"""The stock ledger's services on SQLite and on PostgreSQL: FIFO, costs, refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.documents import DocumentRef
from core.errors import BadInput, NotFound, RuleViolation
from core.roles import Role
from core.services import catalog, stock
from tests.conftest import make_staff
from tests.helpers import add_parts, assert_books_agree, issue, receive


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    return any_db, staff


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
    assert [(t.lot, t.qty) for t in issued.takes] == [(first.lot, 3), (second.lot, 1)]
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
    with database.writing() as uow, pytest.raises(BadInput):
        stock.issue_fifo("96800106", qty, document=DocumentRef("REQ", "R"), actor=staff[Role.STOREKEEPER],
                         uow=uow)
    assert _moves(database) == 1


def test_lookups_normalise_the_part_number(station):
    database, staff = station
    receive(database, staff, "96800106", 2)
    issued = issue(database, staff, " 9680 0106 ", 1)
    assert issued.part_no == "96800106"
    with database.writing() as uow, pytest.raises(NotFound, match="unknown part number NOPE"):
        stock.issue_fifo("nope", "1", document=DocumentRef("REQ", "R"), actor=staff[Role.STOREKEEPER],
                         uow=uow)


def test_return_goes_back_into_its_lot_at_its_cost(station, clock):
    database, staff = station
    old = receive(database, staff, "96536697", 2, cost="200")
    clock.advance(days=1)
    receive(database, staff, "96536697", 2, cost="250")
    issue(database, staff, "96536697", 2)
    with database.writing() as uow:
        back = stock.return_to_lot(old.lot, "1", document=DocumentRef("RET", "RET-1"),
                                   actor=staff[Role.STOREKEEPER], uow=uow)
    assert back.qty == 1 and back.unit_cost == Decimal("200.00")
    # The returned unit is the oldest again, so it goes out first.
    again = issue(database, staff, "96536697", 1, doc="REQ-2")
    assert again.takes[0].lot == old.lot and again.cost == Decimal("200.00")
    assert_books_agree(database)


def test_cannot_return_more_than_was_issued_from_the_lot(station):
    database, staff = station
    lot = receive(database, staff, "96536697", 3)
    issue(database, staff, "96536697", 1)
    with database.writing() as uow, pytest.raises(RuleViolation, match="1 issued and not returned"):
        stock.return_to_lot(lot.lot, "2", document=DocumentRef("RET", "R"), actor=staff[Role.STOREKEEPER],
                            uow=uow)
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
        out = stock.adjust("13301204", "-1", location="CRZ-03-01-02", reason="broken on the shelf",
                           actor=manager, uow=uow)
    assert opening.document == "ADJ-2026-000001" and out.document == "ADJ-2026-000003"
    with database.reading() as uow:
        lines = {line.location: line.on_hand for line in stock.stock_list(uow=uow)}
        moves = stock.part_ledger("13301204", uow=uow)
    assert lines == {"CRZ-03-01-01": 4, "CRZ-03-01-02": 2}
    assert moves[0].unit_cost == Decimal("100.00")  # default cost: the list price
    assert moves[-1].note == "broken on the shelf" and moves[-1].operator == "PM1"
    assert_books_agree(database)


def test_adjust_needs_a_reason_and_a_known_location(station):
    database, staff = station
    with database.writing() as uow:
        with pytest.raises(BadInput, match="reason"):
            stock.adjust("13301204", "4", location="CRZ-03-01-01", reason=" ", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        with pytest.raises(NotFound, match="unknown location CRZ-09-09-09"):
            stock.adjust("13301204", "4", location="CRZ-09-09-09", reason="x", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        with pytest.raises(RuleViolation):
            stock.adjust("13301204", "-1", location="CRZ-03-01-01", reason="x", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
    assert _moves(database) == 0


def test_a_refused_command_does_not_burn_a_document_number(station):
    database, staff = station
    with database.writing() as uow:
        with pytest.raises(RuleViolation):
            stock.adjust("13301204", "-1", location="CRZ-03-01-01", reason="x", actor=staff[Role.PARTS_MANAGER],
                         uow=uow)
        done = stock.adjust("13301204", "1", location="CRZ-03-01-01", reason="x", actor=staff[Role.PARTS_MANAGER],
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


def test_ledger_rows_name_document_operator_and_time(station, clock):
    database, staff = station
    receive(database, staff, "96800106", 2, doc="RCV-7")
    clock.advance(minutes=5)
    issue(database, staff, "96800106", 1, doc="REQ-9")
    with database.reading() as uow:
        moves = stock.part_ledger("96800106", uow=uow)
    assert [(m.kind, m.qty, m.document, m.operator) for m in moves] == [
        ("receipt", 2, "RCV-7", "STORE1"), ("issue", -1, "REQ-9", "STORE1")
    ]
    assert moves[1].at - moves[0].at == timedelta(minutes=5)
