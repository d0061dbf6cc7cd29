"""Property test: any sequence of receive, issue, return and adjust keeps every invariant of the ledger.

A plain-Python model of the lots runs beside the database; after every step the database must agree
with it (FIFO picks, costs, on hand) and with itself (ledger = lots = on hand, nothing negative).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.documents import DocumentRef
from core.errors import RuleViolation
from core.roles import Role
from core.services import catalog, stock
from data.db import Database
from data.migrations import upgrade
from tests.helpers import make_staff

PARTS = ["P1", "P2"]
LOCATIONS = ["EXC-01-01-01", "EXC-01-01-02"]


@dataclass
class ModelLot:
    id: int
    part: str
    location: str
    order: int  # position in FIFO order: received_at, then id
    remaining: Decimal
    cost: Decimal
    issued_out: Decimal = Decimal(0)  # issued and not yet returned


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated station with staff, two parts and two locations, copied for every example."""
    path = tmp_path_factory.mktemp("template") / "station.sqlite"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    from core import clock as clock_module
    from tests.helpers import FROZEN

    previous = clock_module.set_clock(clock_module.FixedClock(FROZEN))
    staff = make_staff(database)
    with database.writing() as uow:
        for code in LOCATIONS:
            catalog.add_location(code, actor=staff[Role.PLANNER], uow=uow)
        for part in PARTS:
            catalog.add_part(part, f"Part {part}", price="10", actor=staff[Role.PLANNER], uow=uow)
    clock_module.set_clock(previous)
    database.engine.dispose()
    return path, staff


operation = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(PARTS), st.sampled_from(LOCATIONS),
              st.integers(1, 6), st.sampled_from(["1.00", "2.50", "3.33"]), st.integers(0, 2)),
    st.tuples(st.just("issue"), st.sampled_from(PARTS), st.integers(1, 9)),
    st.tuples(st.just("return"), st.integers(0, 20), st.integers(1, 3)),
    st.tuples(st.just("adjust"), st.sampled_from(PARTS), st.sampled_from(LOCATIONS), st.integers(-6, 6)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_keeps_the_books(template, tmp_path_factory, clock, operations):
    source, staff = template
    path = tmp_path_factory.mktemp("run") / "station.sqlite"
    shutil.copy(source, path)
    database = Database(f"sqlite:///{path}")
    lots: list[ModelLot] = []
    order = 0
    try:
        with database.writing() as uow:
            for number, op in enumerate(operations):
                document = DocumentRef("TST", f"TST-{number}")
                kind = op[0]
                if kind == "receive":
                    _, part, location, qty, cost, minutes = op
                    clock.advance(minutes=minutes)  # 0 minutes: same received_at, FIFO falls back to the lot id
                    lot = stock.receive_lot(part, Decimal(qty), location=location, unit_cost=cost, document=document,
                                            actor=staff[Role.STOREKEEPER], uow=uow)
                    order += 1
                    lots.append(ModelLot(lot.lot, part, location, order, Decimal(qty), Decimal(cost)))
                elif kind == "issue":
                    _, part, qty = op
                    _check_take(lots, part, None, Decimal(qty), lambda: stock.issue_fifo(
                        part, Decimal(qty), document=document, actor=staff[Role.STOREKEEPER], uow=uow  # noqa: B023  (called at once)
                    ).takes)
                elif kind == "return":
                    _, pick, qty = op
                    if not lots:
                        continue
                    lot = lots[pick % len(lots)]
                    amount = Decimal(qty)
                    if amount > lot.issued_out:
                        with pytest.raises(RuleViolation):
                            stock.return_to_lot(lot.id, amount, document=document, actor=staff[Role.STOREKEEPER],
                                                uow=uow)
                    else:
                        back = stock.return_to_lot(lot.id, amount, document=document,
                                                   actor=staff[Role.STOREKEEPER], uow=uow)
                        lot.remaining += amount
                        lot.issued_out -= amount
                        assert back.qty == lot.remaining and back.unit_cost == lot.cost
                else:
                    _, part, location, qty = op
                    if qty == 0:
                        continue
                    if qty > 0:
                        done = stock.adjust(part, Decimal(qty), location=location, reason="count",
                                            unit_cost="5.00", actor=staff[Role.PARTS_MANAGER], uow=uow)
                        order += 1
                        lots.append(ModelLot(done.lots[0], part, location, order, Decimal(qty), Decimal("5.00")))
                    else:
                        _check_take(lots, part, location, Decimal(-qty), lambda: _adjusted_takes(
                            stock.adjust(part, Decimal(qty), location=location, reason="count",  # noqa: B023
                                         actor=staff[Role.PARTS_MANAGER], uow=uow)), adjust=True)
                _assert_agrees(uow, lots)
    finally:
        database.dispose()


def _adjusted_takes(done):
    return done.lots


def _check_take(lots, part, location, qty, act, adjust=False):
    """Run an issue or negative adjustment and hold it to the model's FIFO expectation."""
    candidates = sorted(
        (
            lot
            for lot in lots
            if lot.part == part and lot.remaining > 0 and (location is None or lot.location == location)
        ),
        key=lambda lot: lot.order,
    )
    if sum((lot.remaining for lot in candidates), Decimal(0)) < qty:
        with pytest.raises(RuleViolation, match="not enough stock"):
            act()
        return
    expected = []
    left = qty
    for lot in candidates:
        take = min(lot.remaining, left)
        expected.append((lot, take))
        left -= take
        if left == 0:
            break
    result = act()
    if adjust:
        assert list(result) == [lot.id for lot, _ in expected]
    else:
        assert [(t.lot, t.qty) for t in result] == [(lot.id, take) for lot, take in expected]
        # The cost of an issue is the cost of the lots it took.
        assert all(t.unit_cost == lot.cost for t, (lot, _) in zip(result, expected, strict=False))
    for lot, take in expected:
        lot.remaining -= take
        if not adjust:
            lot.issued_out += take


def _assert_agrees(uow, lots):
    assert stock.invariant_violations(uow=uow) == []
    for part in PARTS:
        held = stock.part_stock(part, uow=uow)
        model = sorted((lot for lot in lots if lot.part == part and lot.remaining > 0), key=lambda lot: lot.order)
        assert [(lot.lot, lot.qty) for lot in held.lots] == [(lot.id, lot.remaining) for lot in model]
        assert held.on_hand == sum((lot.remaining for lot in model), Decimal(0))
        assert all(lot.qty >= 0 for lot in held.lots)
        assert sum((m.qty for m in stock.part_ledger(part, uow=uow)), Decimal(0)) == held.on_hand
