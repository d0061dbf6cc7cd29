"""The counter's services on SQLite and PostgreSQL: requisitions issued oldest first, all or nothing, signed by two
different people; returns into the lot of origin (a damaged one refused: tests/test_procedure_returns.py); negative
lines before settlement and separate slips after; the books agree after everything."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import AuthenticationFailed, BadInput, NotFound, PermissionDenied, RuleViolation
from core.ledger import QUARANTINE_LOCATION
from core.roles import Role
from core.services import catalog, operators, repair_orders, requisitions, returns, stock
from core.services.requisitions import ShortOfStock
from tests.helpers import PIN, add_parts, assert_books_agree, make_staff, receive
from tests.helpers.counter import issue, order_in, tables_now, take_back

PADS = "96536697"
FILTER = "96800106"


@pytest.fixture
def station(any_db, clock):
    """Staff, three parts, and brake pads in two lots: 3 at 250.00 (older), then 5 at 270.00."""
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    older = receive(any_db, staff, PADS, 3, cost="250.00")
    clock.advance(days=1)
    newer = receive(any_db, staff, PADS, 5, cost="270.00")
    clock.advance(days=1)
    return any_db, staff, older.lot, newer.lot


def lots_of(database, part_no=PADS) -> list[tuple[int, Decimal]]:
    """The part's lots with stock, oldest first, as (lot, qty)."""
    with database.reading() as uow:
        return [(lot.lot, lot.qty) for lot in stock.part_stock(part_no, uow=uow).lots]


# -- issuing -----------------------------------------------------------------------------------


def test_issue_across_two_lots_takes_the_older_first_and_costs_accordingly(station):
    database, staff, older, newer = station
    ro = order_in(database, staff, "in_repair")
    issued = issue(database, staff, ro, (PADS, "4"))
    assert issued.number == "REQ-2026-000001"
    line = issued.lines[0]
    assert [(t.lot, t.qty, t.unit_cost) for t in line.takes] == [(older, 3, Decimal("250.00")),
                                                                   (newer, 1, Decimal("270.00"))]
    assert line.cost == Decimal("1020.00")  # 3 x 250 + 1 x 270, not 4 x anything
    assert lots_of(database) == [(newer, 4)]
    with database.reading() as uow:
        view = requisitions.get_requisition(issued.number, uow=uow)
        moves = [m for m in stock.part_ledger(PADS, uow=uow) if m.doc_type == "REQ"]
    assert view.cost == Decimal("1020.00") and view.storekeeper.code == "STORE1" and view.mechanic.code == "MECH1"
    assert [(m.kind, m.qty, m.document, m.note) for m in moves] == [
        ("issue", -3, issued.number, ro), ("issue", -1, issued.number, ro)]
    assert_books_agree(database)


def test_an_issue_that_would_go_negative_changes_nothing(station):
    database, staff, _older, _newer = station
    receive(database, staff, FILTER, 2)
    ro = order_in(database, staff, "in_repair")
    before = tables_now(database)
    with pytest.raises(ShortOfStock) as refused:
        issue(database, staff, ro, (FILTER, "1"), (PADS, "9"))
    assert refused.value.message.startswith("not enough stock of 96536697: asked 9, on hand 8")
    assert [(s.part_no, s.asked, s.on_hand) for s in refused.value.shortages] == [(PADS, 9, 8)]
    assert isinstance(refused.value, RuleViolation) and refused.value.exit_code == 1
    # The filter line had stock, but nothing was issued and no number was used.
    assert tables_now(database) == before
    assert issue(database, staff, ro, (FILTER, "1")).number == "REQ-2026-000001"


def test_every_short_line_is_named(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with pytest.raises(ShortOfStock, match=r"96536697: asked 9, on hand 8; .*96800106: asked 1, on hand 0"):
        issue(database, staff, ro, (PADS, "9"), (FILTER, "1"))


def test_a_part_named_twice_is_one_line(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    issued = issue(database, staff, ro, (PADS, "1"), ("9653 6697", "2"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(PADS, 3)]


@pytest.mark.parametrize("state", ["delivered", "settled", "cancelled"])
def test_no_issue_against_a_closed_order(station, state):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, state)
    before = tables_now(database)
    with pytest.raises(RuleViolation, match=f"is {state}: no issue against a closed repair order"):
        issue(database, staff, ro, (PADS, "1"))
    assert tables_now(database) == before


def test_the_storekeeper_cannot_be_the_receiving_mechanic(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with database.writing() as uow:  # even a storekeeper who also holds the mechanic role
        operators.add_operator("BOTH", "Store and Mech", ["storekeeper", "mechanic"], PIN, actor=staff[Role.ADMIN],
                               uow=uow)
        both = operators.authenticate("BOTH", PIN, uow=uow)
    before = tables_now(database)
    for actor in (staff[Role.STOREKEEPER], both):
        with database.writing() as uow, pytest.raises(RuleViolation, match="may not issue to himself"):
            requisitions.issue_requisition(ro, [(PADS, "1")], mechanic=actor.code.lower(), mechanic_pin=PIN,
                                           actor=actor, uow=uow)
    assert tables_now(database) == before


def test_the_mechanic_confirms_with_his_own_pin(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    before = tables_now(database)
    with pytest.raises(AuthenticationFailed, match=r"mechanic's code or PIN was not accepted \(MECH1\)"):
        issue(database, staff, ro, (PADS, "1"), pin="9999")
    with pytest.raises(AuthenticationFailed):
        issue(database, staff, ro, (PADS, "1"), mechanic="NOBODY")
    with pytest.raises(RuleViolation, match="ADV1 is not a mechanic"):
        issue(database, staff, ro, (PADS, "1"), mechanic="ADV1")
    assert tables_now(database) == before


def test_only_a_storekeeper_issues(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with database.writing() as uow, pytest.raises(PermissionDenied, match="PM1 may not issue stock"):
        requisitions.issue_requisition(ro, [(PADS, "1")], mechanic="MECH1", mechanic_pin=PIN,
                                       actor=staff[Role.PARTS_MANAGER], uow=uow)


@pytest.mark.parametrize(("lines", "error", "message"), [
    ([(PADS, "0")], BadInput, "must be more than zero"),
    ([(PADS, "-2")], BadInput, "must be more than zero"),
    ([(PADS, "two")], BadInput, "is not a number"),
    ([(PADS, "1.0001")], BadInput, "more than 3 decimal places"),
    ([], BadInput, "at least one line"),
    ([("NOSUCHPART", "1")], NotFound, "unknown part number NOSUCHPART"),
])
def test_bad_lines_are_refused_and_change_nothing(station, lines, error, message):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    before = tables_now(database)
    with pytest.raises(error, match=message):
        issue(database, staff, ro, *lines)
    assert tables_now(database) == before


def test_an_unknown_order_issues_nothing(station):
    database, staff, _older, _newer = station
    before = tables_now(database)
    with pytest.raises(NotFound, match="unknown repair order RO-2026-000404"):
        issue(database, staff, "RO-2026-000404", (PADS, "1"))
    assert tables_now(database) == before


def test_parse_line():
    assert requisitions.parse_line(" 9653 6697:2.5 ") == (PADS, Decimal("2.5"))
    for bad in ("96536697", ":2", "96536697:", "96536697:x", "96536697:0"):
        with pytest.raises(BadInput):
            requisitions.parse_line(bad)


def test_quarantine_stock_is_never_issued(station):
    database, staff, older, newer = station
    ro = order_in(database, staff, "in_repair")
    issue(database, staff, ro, (PADS, "8"))
    into_quarantine(database, staff)
    assert lots_of(database)[0][1] == 1  # the quarantine lot holds it, on the books
    with database.reading() as uow:
        assert requisitions.counter_stock([PADS], uow=uow)[PADS].on_hand == 0
    with pytest.raises(ShortOfStock, match="asked 1, on hand 0"):
        issue(database, staff, ro, (PADS, "1"))


# -- returns -----------------------------------------------------------------------------------


def test_returning_to_the_lot_of_origin_keeps_fifo(station):
    database, staff, older, newer = station
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, (PADS, "4"))  # 3 from the older lot, 1 from the newer
    back = take_back(database, staff, req.number, (PADS, "2"), reason="not needed")
    # Newest take first: the 1 from the newer lot, then 1 into the older lot, at their own costs.
    assert [(line.lot, line.qty, line.unit_cost, line.damaged) for line in back.lines] == [
        (newer, 1, Decimal("270.00"), False), (older, 1, Decimal("250.00"), False)]
    assert back.value == Decimal("520.00") and back.number == "RET-2026-000001"
    assert lots_of(database) == [(older, 1), (newer, 5)]
    # The next issue takes the returned unit of the older lot first, at its cost.
    again = issue(database, staff, ro, (PADS, "2"))
    assert [(t.lot, t.qty, t.unit_cost) for t in again.lines[0].takes] == [
        (older, 1, Decimal("250.00")), (newer, 1, Decimal("270.00"))]
    assert_books_agree(database)


def test_returns_are_only_what_the_requisition_issued_and_not_yet_returned(station):
    database, staff, _older, _newer = station
    receive(database, staff, FILTER, 4)
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, (PADS, "2"))
    other = issue(database, staff, ro, (FILTER, "1"))
    take_back(database, staff, req.number, (PADS, "1"))
    before = tables_now(database)
    with pytest.raises(RuleViolation, match=f"{req.number} has 1 of {PADS} issued and not returned; 2 cannot"):
        take_back(database, staff, req.number, (PADS, "2"))
    with pytest.raises(RuleViolation, match=f"{FILTER} was not issued on {req.number}"):
        take_back(database, staff, req.number, (FILTER, "1"))  # issued, but on the other requisition
    with pytest.raises(NotFound, match="unknown part number NOPE"):
        take_back(database, staff, req.number, ("NOPE", "1"))
    with pytest.raises(NotFound, match="unknown requisition REQ-2026-000999"):
        take_back(database, staff, "REQ-2026-000999", (PADS, "1"))
    for qty in ("0", "-1", "abc"):
        with pytest.raises(BadInput):
            take_back(database, staff, req.number, (PADS, qty))
    with pytest.raises(AuthenticationFailed):
        take_back(database, staff, req.number, (PADS, "1"), pin="0000")
    with pytest.raises(RuleViolation, match="may not take a return from himself"):
        take_back(database, staff, req.number, (PADS, "1"), mechanic="STORE1")
    assert tables_now(database) == before
    assert take_back(database, staff, other.number, (FILTER, "1")).lines[0].qty == 1


def test_a_return_is_a_negative_line_before_settlement_and_a_separate_slip_after(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "ready")
    req = issue(database, staff, ro, (PADS, "4"))
    before_settling = take_back(database, staff, req.number, (PADS, "1"))
    assert before_settling.on_requisition is True
    drive_state = [("delivered", {"customer_confirmed": True}), ("settled", {})]
    for state, extra in drive_state:
        with database.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, **extra)
    after_settling = take_back(database, staff, req.number, (PADS, "1"), reason="found in the van")
    assert after_settling.on_requisition is False
    with database.reading() as uow:
        view = requisitions.get_requisition(req.number, uow=uow)
        order = repair_orders.get_repair_order(ro, uow=uow)
    assert [(r.ret_no, r.qty) for r in view.returns] == [(before_settling.number, 1)]
    assert view.return_slips == (after_settling.number,)
    assert view.cost == Decimal("1020.00") and view.net_cost == Decimal("750.00")  # less the 270.00 back
    assert [(d.number, d.kind, d.on_requisition) for d in order.documents] == [
        (req.number, "requisition", False), (before_settling.number, "return", True),
        (after_settling.number, "return", False)]
    assert order.parts_cost == Decimal("1020.00") - Decimal("270.00") - Decimal("250.00")


def test_only_a_storekeeper_takes_parts_back(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, (PADS, "1"))
    with database.writing() as uow, pytest.raises(PermissionDenied, match="ADV1 may not take stock back"):
        returns.take_back(req.number, [(PADS, "1")], mechanic="MECH1", mechanic_pin=PIN, actor=staff[Role.ADVISOR],
                          uow=uow)


def test_outstanding_and_counter_stock(station):
    database, staff, _older, newer = station
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, (PADS, "4"))
    take_back(database, staff, req.number, (PADS, "1"))
    with database.reading() as uow:
        lines = requisitions.outstanding(req.number, uow=uow)
        held = requisitions.counter_stock([PADS, "nope"], uow=uow)
    assert [(line.part_no, line.issued, line.returned, line.outstanding) for line in lines] == [(PADS, 4, 1, 3)]
    assert list(held) == [PADS] and held[PADS].on_hand == 5 and held[PADS].location == "EXC-01-02-03"


def test_a_quarantined_part_is_written_off_by_an_adjustment_there(station):
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    issue(database, staff, ro, (PADS, "1"))
    into_quarantine(database, staff)
    with database.writing() as uow:
        stock.adjust(PADS, "-1", location=QUARANTINE_LOCATION, reason="damaged", note="cracked",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert all(location != QUARANTINE_LOCATION for location in (
        lot.location for lot in _part_lots(database)))
    assert_books_agree(database)


def into_quarantine(database, staff) -> None:
    """One brake pad set found damaged on the shelf, booked into quarantine (on the books, never issued)."""
    with database.writing() as uow:
        catalog.add_location(QUARANTINE_LOCATION, actor=staff[Role.PARTS_MANAGER], uow=uow)
        stock.adjust(PADS, "1", location=QUARANTINE_LOCATION, reason="found", note="damaged on the shelf",
                     unit_cost="250", actor=staff[Role.PARTS_MANAGER], uow=uow)


def _part_lots(database):
    with database.reading() as uow:
        return stock.part_stock(PADS, uow=uow).lots
