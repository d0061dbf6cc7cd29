"""Requisitions written, then issued (issue 13, rule 6), on SQLite and PostgreSQL: the parts clerk writes the
requisition from the repair order and so reserves its parts; the storekeeper issues it, oldest lot first, the
mechanic signing; a requisition not issued is cancelled; the writer does not issue (出入分离); a receipt meeting a
shortage keeps its units for the shortage's repair order and tells the advisor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import PermissionDenied, RuleViolation
from core.roles import Role
from core.services import operators, repair_orders, requisitions, settings, shortages, stock
from core.services.requisitions import ShortOfStock
from core.services.reservations import arrivals_for
from core.services.written_requisitions import cancel_requisition, get_written, issue_written, write_requisition
from tests.helpers import PIN, add_parts, assert_books_agree, make_staff, receive
from tests.helpers.counter import order_in
from tests.helpers.shipments import Line, receive_shipment
from tests.helpers.terminals import Race, twice

PADS = "96536697"
FILTER = "96800106"


@pytest.fixture
def station(any_db, clock):
    """The station as it comes (separate_issue on), three parts, brake pads in two lots: 3 at 250.00, then 5."""
    staff = make_staff(any_db, separate_issue=True)
    add_parts(any_db, staff)
    older = receive(any_db, staff, PADS, 3, cost="250.00")
    clock.advance(days=1)
    newer = receive(any_db, staff, PADS, 5, cost="270.00")
    clock.advance(days=1)
    return any_db, staff, older.lot, newer.lot


def write(database, staff, ro, *lines, actor=None):
    """The parts clerk (or `actor`) writes a requisition of `lines` for `ro`."""
    with database.writing() as uow:
        return write_requisition(ro, list(lines), actor=actor or staff[Role.PARTS_CLERK], uow=uow)


def issue_it(database, staff, req, actor=None):
    """The storekeeper (or `actor`) issues written requisition `req` to MECH1, who signs with his PIN."""
    with database.writing() as uow:
        return issue_written(req, mechanic="MECH1", mechanic_pin=PIN, actor=actor or staff[Role.STOREKEEPER], uow=uow)


def pads(database) -> stock.PartStock:
    with database.reading() as uow:
        return stock.part_stock(PADS, uow=uow)


def set_separate(database, staff, value: str) -> None:
    with database.writing() as uow:
        settings.set_setting("separate_issue", value, actor=staff[Role.ADMIN], uow=uow)


def test_the_parts_clerk_writes_the_requisition_and_it_reserves_the_stock(station):
    """备件管理员依《任务委托书》上料,并打领料单: the parts clerk writes the requisition from the repair order; its
    lines reserve the stock for that order, and nothing leaves the shelf yet."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    written = write(database, staff, ro, (PADS, "2"))
    assert (written.number, written.state, written.ro_no, written.writer.code) == ("REQ-2026-000001", "written", ro,
                                                                                  "CLERK1")
    held = pads(database)
    assert (held.on_hand, held.reserved, held.available) == (8, 2, 6)
    with database.reading() as uow:
        assert [m for m in stock.part_ledger(PADS, uow=uow) if m.kind == "issue"] == []
        with pytest.raises(RuleViolation, match="REQ-2026-000001 is written: nothing was issued on it"):
            requisitions.get_requisition(written.number, uow=uow)
    assert_books_agree(database)


def test_reserved_units_are_neither_written_nor_issued_for_another_order(station):
    """出库凭单,先单后料: stock reserved for one repair order's requisition is not available to another order,
    neither on another requisition nor in a one-step issue."""
    database, staff, _older, _newer = station
    first, second = order_in(database, staff, "in_repair"), order_in(database, staff, "in_repair")
    write(database, staff, first, (PADS, "6"))
    with pytest.raises(ShortOfStock, match="asked 3, on hand 8 of which 6 reserved for other repair orders"):
        write(database, staff, second, (PADS, "3"))
    set_separate(database, staff, "off")
    with pytest.raises(ShortOfStock, match="6 reserved"):
        with database.writing() as uow:
            requisitions.issue_requisition(second, [(PADS, "3")], mechanic="MECH1", mechanic_pin=PIN,
                                           actor=staff[Role.STOREKEEPER], uow=uow)
    with database.writing() as uow:  # what is not reserved goes to anybody
        requisitions.issue_requisition(second, [(PADS, "2")], mechanic="MECH1", mechanic_pin=PIN,
                                       actor=staff[Role.STOREKEEPER], uow=uow)
    held = pads(database)
    assert (held.on_hand, held.reserved, held.available) == (6, 6, 0)
    assert_books_agree(database)


def test_the_storekeeper_issues_the_written_lines_oldest_first_and_the_mechanic_signs(station):
    """库房管理员按领料单上的品名、型号、数量发料,收货人要现场验收,确认无误后双方签字: the storekeeper issues what
    the requisition says, oldest lot first; the mechanic checks and signs with his PIN; the reservation ends."""
    database, staff, older, newer = station
    ro = order_in(database, staff, "in_repair")
    written = write(database, staff, ro, (PADS, "4"))
    issued = issue_it(database, staff, written.number)
    assert issued.number == written.number and issued.mechanic.code == "MECH1" and issued.storekeeper.code == "STORE1"
    assert [(t.lot, t.qty) for t in issued.lines[0].takes] == [(older, 3), (newer, 1)]
    assert issued.lines[0].cost == Decimal("1020.00")
    held = pads(database)
    assert (held.on_hand, held.reserved, held.available) == (4, 0, 4)
    with database.reading() as uow:
        assert get_written(written.number, uow=uow).state == "issued"
        assert requisitions.get_requisition(written.number, uow=uow).cost == Decimal("1020.00")
    with pytest.raises(RuleViolation, match="is issued: only a written requisition is issued"):
        issue_it(database, staff, written.number)
    assert_books_agree(database)


def test_the_one_who_writes_does_not_issue_while_separate_issue_is_on(station):
    """人人有责,各负其责,出入分离: with the station's setting on (the default), the one who wrote a requisition may not
    issue it; off, he may."""
    database, staff, _older, _newer = station
    with database.writing() as uow:
        operators.add_operator("BOTH1", "两岗 Both", ["parts_clerk", "storekeeper"], PIN, actor=staff[Role.ADMIN],
                               uow=uow)
        both = operators.authenticate("BOTH1", PIN, uow=uow)
    ro = order_in(database, staff, "in_repair")
    written = write(database, staff, ro, (PADS, "1"), actor=both)
    with pytest.raises(RuleViolation, match="was written by BOTH1: another person issues it"):
        issue_it(database, staff, written.number, actor=both)
    assert pads(database).reserved == 1
    set_separate(database, staff, "off")
    assert issue_it(database, staff, written.number, actor=both).number == written.number


def test_the_one_step_issue_is_refused_while_separate_issue_is_on(station):
    """出库凭单,先单后料: with separate_issue on, no issue without a written requisition; the refusal names the two
    commands."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with pytest.raises(RuleViolation, match="`partsdesk requisition write`.*`partsdesk requisition issue`"):
        with database.writing() as uow:
            requisitions.issue_requisition(ro, [(PADS, "1")], mechanic="MECH1", mechanic_pin=PIN,
                                           actor=staff[Role.STOREKEEPER], uow=uow)
    assert pads(database).on_hand == 8


def test_who_writes_and_who_issues(station):
    """备件管理员…打领料单,库房管理员…发料: writing is the parts clerk's, issuing the storekeeper's; a closed repair
    order gets no requisition."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with pytest.raises(PermissionDenied, match="needs the role parts clerk"):
        write(database, staff, ro, (PADS, "1"), actor=staff[Role.STOREKEEPER])
    written = write(database, staff, ro, (PADS, "1"))
    with pytest.raises(PermissionDenied, match="needs the role storekeeper"):
        issue_it(database, staff, written.number, actor=staff[Role.PARTS_CLERK])
    delivered = order_in(database, staff, "delivered")
    with pytest.raises(RuleViolation, match="no requisition for a closed repair order"):
        write(database, staff, delivered, (PADS, "1"))


def test_a_requisition_not_issued_is_cancelled_and_its_reservation_released(station):
    """先单后料: a requisition written and not issued can be cancelled; what it reserved is available again; an
    issued one cannot be cancelled, a cancelled one not issued."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    written = write(database, staff, ro, (PADS, "5"))
    with database.writing() as uow:
        cancelled = cancel_requisition(written.number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert (cancelled.state, cancelled.closed_by.code) == ("cancelled", "STORE1")
    held = pads(database)
    assert (held.reserved, held.available) == (0, 8)
    with pytest.raises(RuleViolation, match="is cancelled: only a written requisition is issued"):
        issue_it(database, staff, written.number)
    other = write(database, staff, ro, (PADS, "1"))
    issue_it(database, staff, other.number)
    with pytest.raises(RuleViolation, match="is issued: only a requisition not issued can be cancelled"):
        with database.writing() as uow:
            cancel_requisition(other.number, actor=staff[Role.PARTS_CLERK], uow=uow)
    assert_books_agree(database)


def test_parts_arrived_for_a_shortage_are_kept_for_its_repair_order(station, tmp_path):
    """对缺件要签字确认…: parts the advisor signed a shortage for are, on arrival (the receipt posted), reserved for
    that repair order on a written requisition, and the advisor is told; the storekeeper issues it like any other."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    with database.writing() as uow:
        shortage = shortages.log_shortage(FILTER, "2", ro, actor=staff[Role.ADVISOR], uow=uow)
    receive_shipment(database, staff, tmp_path, [Line(FILTER, 3)])
    with database.reading() as uow:
        arrived = arrivals_for(staff[Role.ADVISOR], uow=uow)
        held = stock.part_stock(FILTER, uow=uow)
    assert [(a.shortage, a.ro_no, a.part_no, a.qty) for a in arrived] == [(shortage, ro, FILTER, 2)]
    assert (held.on_hand, held.reserved, held.available) == (3, 2, 1)
    other = order_in(database, staff, "in_repair")
    with pytest.raises(ShortOfStock):
        write(database, staff, other, (FILTER, "2"))
    issue_it(database, staff, arrived[0].requisition)
    with database.reading() as uow:
        assert arrivals_for(staff[Role.ADVISOR], uow=uow) == []
    assert_books_agree(database)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_clerks_writing_for_the_last_unit_reserve_it_once(backend, request, clock):
    """出库凭单,先单后料: two terminals writing requisitions of two repair orders for the last unit at once: one
    reserves it, the other is refused; never both."""
    database = request.getfixturevalue("db" if backend == "sqlite" else "pg_db")
    staff = make_staff(database, separate_issue=True)
    add_parts(database, staff)
    receive(database, staff, PADS, 1, cost="250.00")
    orders = [order_in(database, staff, "in_repair") for _ in range(2)]
    race = Race(2)
    clerk = staff[Role.PARTS_CLERK]
    reports = race.run(twice, [
        (database.url, f"clerk {n}", "write", [(orders[n], PADS, "1", clerk)], race.barrier, race.results)
        for n in range(2)
    ])
    outcomes = sorted(outcome for _name, (outcome,) in reports)
    assert [o[0] for o in outcomes] == ["done", "refused"]
    assert outcomes[1][1] == "ShortOfStock" and "1 reserved for other repair orders" in outcomes[1][2]
    held = pads(database)
    assert (held.on_hand, held.reserved, held.available) == (1, 1, 0)


def test_a_closed_repair_order_keeps_nothing_reserved(station):
    """出库凭单,先单后料: no issue against a closed repair order, so a requisition written for one it left behind
    reserves nothing (it can still be cancelled)."""
    database, staff, _older, _newer = station
    ro = order_in(database, staff, "in_repair")
    written = write(database, staff, ro, (PADS, "5"))
    with database.writing() as uow:
        repair_orders.change_state(ro, "cancelled", note="customer withdrew", actor=staff[Role.ADVISOR], uow=uow)
    assert (pads(database).reserved, pads(database).available) == (0, 8)
    with pytest.raises(RuleViolation, match="no issue against a closed repair order"):
        issue_it(database, staff, written.number)
    with database.writing() as uow:
        assert cancel_requisition(written.number, actor=staff[Role.PARTS_CLERK], uow=uow).state == "cancelled"
