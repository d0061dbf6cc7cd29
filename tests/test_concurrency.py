"""Terminals racing through the services production calls, in processes of their own, on SQLite and PostgreSQL:
counters issuing requisitions for the last units of a part, two planners posting the same receipt, and two
storekeepers taking back the same requisition line. Every race ends with the books agreeing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from core import tables as t
from core.decimals import money
from core.roles import Role
from core.services import stock
from tests.helpers import add_parts, assert_books_agree, issue, make_staff, open_order, receive
from tests.helpers.shipments import Line, counted_receipt
from tests.helpers.terminals import Race, counter, twice

FILTER, PADS = "96800106", "96536697"
COUNTERS = 4
# The oil filter's lots, oldest first: 80 units at three costs.
LOTS = ((40, "10.00"), (25, "12.50"), (15, "11.00"))


@pytest.fixture(params=["sqlite", "postgresql"])
def station(request):
    """Staff and the three parts on SQLite, then on PostgreSQL (skipped where it is not configured)."""
    database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    staff = make_staff(database)
    add_parts(database, staff)
    return database, staff


def _rows(database, sql: str):
    with database.engine.connect() as conn:
        return conn.execute(text(sql)).all()


def test_counters_racing_for_one_part_issue_exactly_the_stock_oldest_first(station, clock):
    database, staff = station
    lots = []
    for qty, cost in LOTS:
        lots.append(receive(database, staff, FILTER, qty, cost=cost).lot)
        clock.advance(days=1)
    orders = [open_order(database, staff) for _ in range(COUNTERS)]
    race = Race(COUNTERS)
    gone = race.event()
    # Each counter asks for 1, 2 or 3 a round, each in its own order, so that every round some counter can
    # still be served while stock is left and the last units are fought over in odd amounts.
    reports = race.run(counter, [
        (database.url, f"counter {n}", staff[Role.STOREKEEPER], orders[n], FILTER,
         [str(1 + (n + k) % 3) for k in range(3)], race.barrier, gone, race.results)
        for n in range(COUNTERS)
    ])

    assert [(name, errors) for name, _issued, _refusals, errors in reports] == [
        (name, []) for name, *_rest in reports]
    issued = [entry for _name, entries, _refusals, _errors in reports for entry in entries]
    refusals = [entry for _name, _issued, entries, _errors in reports for entry in entries]
    # Every counter was served in the first round (80 units are plenty), so the race really had four sides.
    assert all(entries for _name, entries, _refusals, _errors in reports)
    # Exactly the stock went out: never more than was on hand, and nothing was left behind.
    assert sum(qty for _number, qty, _takes, _cost in issued) == sum(qty for qty, _cost in LOTS)
    # Each refusal was a clean out-of-stock refusal that was right when it was made.
    assert refusals and all(kind in ("ShortOfStock", "OutOfStock") and on_hand < asked
                            for kind, asked, on_hand in refusals)
    # Each requisition cost what it took, at the cost of the lots it took.
    cost_of = {lot: Decimal(cost) for lot, (_qty, cost) in zip(lots, LOTS, strict=True)}
    for _number, qty, takes, cost in issued:
        assert sum(q for _lot, q, _c in takes) == qty and all(c == cost_of[lot] for lot, _q, c in takes)
        assert cost == money(sum((q * c for _lot, q, c in takes), Decimal(0)))
    # Oldest first held under contention: in the order the ledger wrote them, the issues never go back to
    # an older lot once a newer one was touched, and every lot is empty now.
    taken = [lot for (lot,) in _rows(database, "SELECT lot_id FROM stock_move WHERE kind = 'issue' ORDER BY id")]
    assert taken == sorted(taken, key=lots.index) and set(taken) == set(lots)
    with database.engine.connect() as conn:
        lines = conn.execute(select(func.count(), func.sum(t.requisition_line.c.qty))).one()
    assert tuple(lines) == (len(issued), 80)
    assert _rows(database, "SELECT count(*) FROM stock_lot WHERE qty_remaining <> 0") == [(0,)]
    with database.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []
        assert stock.part_stock(FILTER, uow=uow).on_hand == 0
    assert_books_agree(database)


def test_two_planners_posting_the_same_receipt_post_it_once(station, tmp_path):
    database, staff = station
    # Each receipt: filters as listed, and one brake pad set more than listed (a surplus receipt).
    receipts = [counted_receipt(database, staff, tmp_path, [Line(FILTER, 6), Line(PADS, 4, counted=5)])
                for _ in range(3)]
    race = Race(2)
    planner = staff[Role.PLANNER]
    reports = race.run(twice, [
        (database.url, f"planner {n}", "post", [(number, planner) for number in receipts], race.barrier,
         race.results)
        for n in range(2)
    ])

    for index, number in enumerate(receipts):
        outcomes = sorted(outcomes[index] for _name, outcomes in reports)
        assert outcomes == [
            ("done", (number, "posted")),
            ("refused", "RuleViolation", f"receipt {number} is already posted; posting is no longer possible"),
        ]
    # Lots and ledger rows once per receipt: filters, pads, and the surplus pad on a number of its own.
    assert _rows(database, "SELECT count(*), count(DISTINCT doc_no) FROM stock_lot WHERE doc_type = 'RCV'") == [
        (6, 3)]
    assert _rows(database, "SELECT count(*), count(DISTINCT doc_no) FROM stock_lot WHERE doc_type = 'SUR'") == [
        (3, 3)]
    assert _rows(database, "SELECT count(*) FROM stock_move WHERE kind = 'receipt'") == [(9,)]
    # The refused posts burned no number: one surplus receipt and one discrepancy record a receipt.
    assert sorted(_rows(database, "SELECT doc_type, last_no FROM document_sequence WHERE doc_type IN ('SUR', 'DSC')")
                  ) == [("DSC", 3), ("SUR", 3)]
    with database.reading() as uow:
        assert stock.part_stock(FILTER, uow=uow).on_hand == 18
        assert stock.part_stock(PADS, uow=uow).on_hand == 15
    assert_books_agree(database)


def test_two_storekeepers_taking_back_the_same_line_take_it_back_once(station, clock):
    database, staff = station
    older = receive(database, staff, PADS, 4, cost="250.00").lot
    clock.advance(days=1)
    newer = receive(database, staff, PADS, 6, cost="270.00").lot
    ro = open_order(database, staff)
    # Three requisitions of three: the first from the older lot, the second across both, the third the newer.
    requisitions = [issue(database, staff, ro, (PADS, "3")).number for _ in range(3)]
    race = Race(2)
    store = staff[Role.STOREKEEPER]
    # Both ask for the whole line back, intact.
    reports = race.run(twice, [
        (database.url, f"storekeeper {terminal}", "take_back",
         [(number, PADS, Decimal(3), store) for number in requisitions], race.barrier, race.results)
        for terminal in (0, 1)
    ])

    for index, number in enumerate(requisitions):
        outcomes = [(name, outcomes[index]) for name, outcomes in reports]
        done = [(name, outcome) for name, outcome in outcomes if outcome[0] == "done"]
        refused = [outcome for _name, outcome in outcomes if outcome[0] == "refused"]
        assert len(done) == 1 and len(refused) == 1, outcomes
        # A clean refusal saying nothing is left to take back: all of it already came back (not "was not issued
        # on", which is for a part the requisition never held).
        assert refused[0][1] == "RuleViolation" and refused[0][2] in (
            f"{number} has 0 of {PADS} issued and not returned; 3 cannot come back",
            f"{PADS} on {number} was already returned: all 3 issued came back")
        _name, (_done, (_ret_no, lines)) = done[0]
        assert sum(qty for _lot, qty in lines) == 3
    assert _rows(database, "SELECT count(*) FROM return_slip") == [(3,)]
    with database.engine.connect() as conn:
        assert conn.execute(select(func.sum(t.return_line.c.qty))).scalar_one() == 9
    with database.reading() as uow:
        held = stock.part_stock(PADS, uow=uow)
    # Everything issued came back once, into its lots of origin.
    assert held.on_hand == 10
    assert {lot.lot: lot.qty for lot in held.lots} == {older: 4, newer: 6}
    assert_books_agree(database)
