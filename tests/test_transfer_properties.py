"""Property test: any run of transfers between bins, checked or refused for want of stock, never changes a part's
total quantity, its total value, or the FIFO order of its units (each unit's received date and cost, oldest first);
the books agree after every step."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ledger import OutOfStock
from core.roles import Role
from core.services import catalog, stock, transfers
from tests.helpers import make_staff

BINS = ("EXC-01-01-01", "EXC-01-01-02", "EXC-01-01-03")
COSTS = ("0.01", "3.33", "10.00", "1234.56")
_PARTS = itertools.count(1)

LOTS = st.lists(st.tuples(st.integers(1, 5), st.sampled_from(COSTS), st.sampled_from(BINS)), min_size=1, max_size=4)
MOVES = st.lists(st.tuples(st.sampled_from(BINS), st.sampled_from(BINS), st.integers(1, 6)), min_size=1, max_size=6)


def _units(database, part_no):
    """Every unit of the part in the order oldest-first takes them: (received date, cost), and the total value."""
    with database.reading() as uow:
        lots = stock.part_stock(part_no, uow=uow).lots
        assert stock.invariant_violations(uow=uow) == []
    units = [(lot.received_at, lot.unit_cost) for lot in lots for _ in range(int(lot.qty))]
    return units, sum((lot.qty * lot.unit_cost for lot in lots), Decimal(0))


def test_transfers_keep_quantity_value_and_fifo_order(db, clock):
    staff = make_staff(db)
    with db.writing() as uow:
        for code in BINS[1:]:
            catalog.add_location(code, "EXCELLE", actor=staff[Role.STOREKEEPER], uow=uow)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lots=LOTS, moves=MOVES)
    def run(lots, moves):
        part_no = f"T{next(_PARTS):07d}"
        with db.writing() as uow:
            catalog.add_part(part_no, "Test part", model_series="EXCELLE", price="1", location=BINS[0],
                             actor=staff[Role.PLANNER], uow=uow)
        for qty, cost, where in lots:
            clock.advance(hours=1)  # each lot its own received date: the FIFO order is by date alone
            with db.writing() as uow:
                stock.adjust(part_no, str(qty), location=where, reason="opening", unit_cost=cost,
                             actor=staff[Role.PARTS_MANAGER], uow=uow)
        units, value = _units(db, part_no)
        for source, target, qty in moves:
            clock.advance(minutes=5)
            if source == target:
                continue
            try:
                with db.writing() as uow:
                    entered = transfers.create_transfer(part_no, str(qty), from_location=source, to_location=target,
                                                        actor=staff[Role.STOREKEEPER], uow=uow)
                with db.writing() as uow:
                    transfers.check_transfer(entered.number, actor=staff[Role.CHECKER], uow=uow)
            except OutOfStock:
                pass
            after, after_value = _units(db, part_no)
            assert after == units and after_value == value

    run()
