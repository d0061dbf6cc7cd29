"""Property test of the stock ledger through the services production calls: any run of receipts (opened, boxes
checked, counted by two, posted), requisitions against an open repair order, returns (intact into the lot of
origin; a damaged one refused) and adjustments (in and out), with quantities to the thousandth for a part
sold by the litre, keeps every invariant of the ledger.

A plain-Python model of the lots runs beside the database; after every step the database must agree with it
(oldest lot first, costs, where each lot stands) and with itself (ledger = lots = on hand, nothing negative,
nothing ever issued from quarantine), and its ledger's hash chain holds.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from core import ledger_chain
from core import tables as t
from core.decimals import money
from core.errors import RuleViolation
from core.ledger import QUARANTINE_LOCATION, QUARANTINE_ZONE, OutOfStock
from core.models import MoveKind
from core.roles import Role
from core.services import catalog, requisitions, returns, stock
from core.services.requisitions import ShortOfStock
from data.db import Database
from data.url import sqlite_file
from tests.helpers import PIN, make_staff, open_order
from tests.helpers.shipments import Line, receive_shipment

# Where the example's parts live, and a second bin an adjustment may use.
BINS = {"L": "GEN-01-01-01", "pc": "EXC-01-01-01"}
SPARE_BIN = "EXC-01-01-02"
PRICES = ["0.01", "2.50", "3.33", "10.00", "1234.56"]
LIST_PRICE = Decimal("7.77")
# The ledger keeps three places: a litre part is issued by the half litre, the quarter, the millilitre.
LITRES = st.one_of(st.sampled_from(["0.5", "1.25", "0.75", "2", "0.001"]).map(Decimal),
                   st.decimals(min_value=Decimal("0.001"), max_value=Decimal("4"), places=3))
PIECES = st.integers(1, 5).map(Decimal)
_EXAMPLES = itertools.count(1)


@dataclass
class ModelLot:
    """A lot as the model expects it."""

    id: int
    part: str
    location: str
    at: datetime
    remaining: Decimal
    cost: Decimal

    @property
    def quarantined(self) -> bool:
        """Whether the lot stands in quarantine, where issues never take from."""
        return self.location == QUARANTINE_LOCATION


@dataclass
class ModelTake:
    """What a requisition line took from one lot, and how much of it came back."""

    lot: int
    qty: Decimal
    cost: Decimal
    returned: Decimal = Decimal(0)


@dataclass
class ModelLine:
    """A requisition line: its part and its takes, oldest lot first."""

    req: str
    part: str
    takes: list[ModelTake] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        """Issued and not yet returned."""
        return sum((take.qty - take.returned for take in self.takes), Decimal(0))


def fifo(lots: list[ModelLot], qty: Decimal) -> list[tuple[ModelLot, Decimal]] | None:
    """Oldest lot first (by time received, then lot id) over lots already chosen; None when they hold too little."""
    picks, left = [], qty
    for lot in sorted(lots, key=lambda lot: (lot.at, lot.id)):
        if lot.remaining <= 0:
            continue
        take = min(lot.remaining, left)
        picks.append((lot, take))
        left -= take
        if left == 0:
            return picks
    return None


class LedgerMachine(RuleBasedStateMachine):
    """Receive, issue, return and adjust two fresh parts of a station, against a model of their lots."""

    def __init__(self, station: Station, folder, clock) -> None:
        super().__init__()
        self.station, self.folder, self.clock = station, folder, clock
        self.db, self.staff, self.ro = station.open(), station.staff, station.ro
        n = next(_EXAMPLES)
        # Parts of this example only, so that examples sharing one database stay independent.
        self.parts = {f"OIL-{n:05d}": "L", f"PC-{n:05d}": "pc"}
        with self.db.writing() as uow:
            for part, unit in self.parts.items():
                catalog.add_part(part, f"Part {part}", unit=unit, price=str(LIST_PRICE), location=BINS[unit],
                                 actor=self.staff[Role.PLANNER], uow=uow)
        self.lots: list[ModelLot] = []
        self.lines: list[ModelLine] = []
        self.last_lot = self._last_lot_id()

    def teardown(self) -> None:
        """The example is over: its database goes if it had one of its own."""
        self.station.close(self.db)

    # -- helpers -----------------------------------------------------------------------------

    def _qty(self, data, part: str) -> Decimal:
        """Any quantity of a part in its unit."""
        return data.draw(LITRES if self.parts[part] == "L" else PIECES, label=f"qty of {part}")

    def _asked(self, data, part: str, there: Decimal) -> Decimal:
        """A quantity asked of what `there` is: all of it, some of it, or any quantity (often too much)."""
        if there <= 0:
            return self._qty(data, part)
        some = (st.decimals(min_value=Decimal("0.001"), max_value=there, places=3) if self.parts[part] == "L"
                else st.integers(1, int(there)).map(Decimal))  # a part by the piece is only ever whole
        # Mostly what can be had, so that most steps go through; sometimes anything, mostly refused.
        kind = data.draw(st.sampled_from(["all", "some", "some", "any"]), label="how much")
        if kind == "all":
            return there
        return data.draw(some if kind == "some" else LITRES if self.parts[part] == "L" else PIECES,
                         label=f"asked of {part} ({there} there)")

    def _last_lot_id(self) -> int:
        with self.db.engine.connect() as conn:
            return conn.execute(select(func.coalesce(func.max(t.stock_lot.c.id), 0))).scalar_one()

    def _new_lots(self, expected: list[tuple[str, str, Decimal, Decimal]]) -> list[ModelLot]:
        """The lots the step made, in id order, held to what the model expected (part, location, qty, cost)."""
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                select(t.stock_lot.c.id, t.part.c.part_no, t.location.c.code, t.stock_lot.c.qty_received,
                       t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost, t.stock_lot.c.received_at)
                .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
                .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
                .where(t.stock_lot.c.id > self.last_lot)
                .order_by(t.stock_lot.c.id)
            ).all()
        assert [(r.part_no, r.code, r.qty_received, r.unit_cost) for r in rows] == expected
        assert all(r.qty_remaining == r.qty_received for r in rows)
        made = [ModelLot(r.id, r.part_no, r.code, self.clock.now(), r.qty_received, r.unit_cost) for r in rows]
        self.lots.extend(made)
        self.last_lot = max([self.last_lot, *(lot.id for lot in made)])
        return made

    def _lot(self, lot_id: int) -> ModelLot:
        return next(lot for lot in self.lots if lot.id == lot_id)

    # -- the steps ---------------------------------------------------------------------------

    @initialize(data=st.data())
    def opening(self, data):
        """Opening balances: two lots of each part at its bin, received an hour apart, so that the steps find
        stock to issue, return and count from the start."""
        for _lot in range(2):
            self.clock.advance(minutes=60)
            for part, unit in self.parts.items():
                qty, price = self._qty(data, part), data.draw(st.sampled_from(PRICES), label="cost")
                with self.db.writing() as uow:
                    stock.adjust(part, qty, location=BINS[unit], reason="opening balance", unit_cost=price,
                                 actor=self.staff[Role.PARTS_MANAGER], uow=uow)
                self._new_lots([(part, BINS[unit], qty, Decimal(price))])

    @rule(data=st.data(), minutes=st.sampled_from([0, 1, 90]))
    def receive(self, data, minutes):
        """A shipment of one or both parts: counted as listed, over, short, or with damaged units; then posted."""
        self.clock.advance(minutes=minutes)  # 0: the same time as the last lot, so the lot id decides
        parts = data.draw(st.lists(st.sampled_from(list(self.parts)), min_size=1, max_size=2, unique=True))
        lines, expected = [], []
        for part in parts:
            listed, extra = self._qty(data, part), self._qty(data, part)
            counted = data.draw(st.sampled_from([listed, listed + extra, max(listed - extra, Decimal(0))]))
            damaged = data.draw(st.sampled_from([Decimal(0), min(extra, counted)]))
            price = data.draw(st.sampled_from(PRICES))
            lines.append(Line(part, listed, price, counted, damaged))
            accepted = counted - damaged
            normal = min(accepted, listed)
            # The damaged units' lot in quarantine (先办理入库及索赔手续), the receipt's lot, then the surplus
            # receipt's for what came beyond the list.
            if damaged:
                expected.append((part, QUARANTINE_LOCATION, damaged, Decimal(price)))
            expected += [(part, BINS[self.parts[part]], q, Decimal(price)) for q in (normal, accepted - normal) if q]
        info = receive_shipment(self.db, self.staff, self.folder, lines)
        assert info.state == "posted"
        self._new_lots(expected)

    @rule(data=st.data())
    def issue(self, data):
        """A requisition of one or both parts against the open repair order: every line oldest first, or none."""
        parts = data.draw(st.lists(st.sampled_from(list(self.parts)), min_size=1, max_size=2, unique=True))
        issuable = {part: [lot for lot in self.lots if lot.part == part and not lot.quarantined] for part in parts}
        wanted = [(part, self._asked(data, part, sum((lot.remaining for lot in issuable[part]), Decimal(0))))
                  for part in parts]
        picks = {part: fifo(issuable[part], qty) for part, qty in wanted}
        short = [(part, qty, sum((lot.remaining for lot in issuable[part]), Decimal(0)))
                 for part, qty in wanted if picks[part] is None]
        with self.db.writing() as uow:
            call = lambda: requisitions.issue_requisition(  # noqa: E731
                self.ro, wanted, mechanic="MECH1", mechanic_pin=PIN, actor=self.staff[Role.STOREKEEPER], uow=uow)
            if short:
                with pytest.raises(ShortOfStock) as refused:
                    call()
                assert [(s.part_no, s.asked, s.on_hand) for s in refused.value.shortages] == short
                return
            done = call()
        assert [line.part_no for line in done.lines] == parts
        for line in done.lines:
            expected = picks[line.part_no]
            # Oldest first, never from quarantine, each lot at its own cost; the line costs what it took.
            assert [(take.lot, take.qty, take.unit_cost) for take in line.takes] == [
                (lot.id, qty, lot.cost) for lot, qty in expected]
            assert line.cost == money(sum((qty * lot.cost for lot, qty in expected), Decimal(0)))
            for lot, qty in expected:
                lot.remaining -= qty
            self.lines.append(ModelLine(done.number, line.part_no, [ModelTake(lot.id, qty, lot.cost)
                                                                     for lot, qty in expected]))

    @precondition(lambda self: self.lines)
    @rule(data=st.data(), damaged=st.booleans())
    def take_back(self, data, damaged):
        """Part of a requisition line back (or all of it, or more than it holds): intact into the lots it came
        from, newest take first; a part found damaged is refused and nothing changes."""
        open_lines = [line for line in self.lines if line.outstanding > 0]
        line = data.draw(st.sampled_from(open_lines or self.lines), label="line")
        outstanding = line.outstanding
        qty = self._asked(data, line.part, outstanding)
        with self.db.writing() as uow:
            call = lambda: returns.take_back(  # noqa: E731
                line.req, [(line.part, qty, damaged)], mechanic="MECH1", mechanic_pin=PIN,
                actor=self.staff[Role.STOREKEEPER], uow=uow)
            if damaged or qty > outstanding:
                with pytest.raises(RuleViolation):
                    call()
                return
            view = call()
        plan, left = [], qty
        for take in reversed(line.takes):
            amount = min(take.qty - take.returned, left)
            if amount > 0:
                plan.append((take, amount))
                left -= amount
        assert [(ret.lot, ret.qty, ret.unit_cost, ret.damaged) for ret in view.lines] == [
            (take.lot, amount, take.cost, False) for take, amount in plan]
        for take, amount in plan:
            take.returned += amount
            self._lot(take.lot).remaining += amount
        assert self._last_lot_id() == self.last_lot  # back into the lots of origin: no new lot

    @rule(data=st.data(), minutes=st.sampled_from([0, 1, 90]), price=st.sampled_from([None, *PRICES]))
    def adjust_in(self, data, minutes, price):
        """An opening balance or a found part: a new lot at a bin, at a cost (the list price when none is given)."""
        self.clock.advance(minutes=minutes)
        part = data.draw(st.sampled_from(list(self.parts)))
        where = data.draw(st.sampled_from([BINS[self.parts[part]], SPARE_BIN]))
        qty = self._qty(data, part)
        with self.db.writing() as uow:
            done = stock.adjust(part, qty, location=where, reason="stocktake", unit_cost=price,
                                actor=self.staff[Role.PARTS_MANAGER], uow=uow)
        (lot,) = self._new_lots([(part, where, qty, Decimal(price) if price else LIST_PRICE)])
        assert done.lots == (lot.id,)

    @rule(data=st.data())
    def adjust_out(self, data):
        """A count short or a write-off: oldest first at one bin (quarantine included, where damaged parts wait)."""
        part = data.draw(st.sampled_from(list(self.parts)))
        bins = [BINS[self.parts[part]], SPARE_BIN]
        if any(lot.quarantined for lot in self.lots):  # the quarantine bin exists once something went there
            bins.append(QUARANTINE_LOCATION)
        stocked = sorted({lot.location for lot in self.lots if lot.part == part and lot.remaining > 0})
        where = data.draw(st.sampled_from(stocked or bins), label="bin")
        here = [lot for lot in self.lots if lot.part == part and lot.location == where]
        qty = self._asked(data, part, sum((lot.remaining for lot in here), Decimal(0)))
        picks = fifo(here, qty)
        with self.db.writing() as uow:
            call = lambda: stock.adjust(part, -qty, location=where, reason="stocktake",  # noqa: E731
                                        actor=self.staff[Role.PARTS_MANAGER], uow=uow)
            if picks is None:
                with pytest.raises(OutOfStock):
                    call()
                return
            done = call()
        assert done.lots == tuple(lot.id for lot, _qty in picks)
        for lot, take in picks:
            lot.remaining -= take

    # -- after every step --------------------------------------------------------------------

    @invariant()
    def books_agree(self):
        """Ledger = lots = on hand for every part, as the model says, oldest first; nothing negative; nothing
        ever issued from quarantine."""
        assert all(lot.remaining >= 0 for lot in self.lots)
        # One read transaction for the whole check: each service's read block joins it.
        with self.db.reading() as uow, uow.read() as conn:
            assert stock.invariant_violations(uow=uow) == []
            # The hash chain holds: every row links to the one before, the ids run without a gap, and the head
            # names the last row (invariant_violations checks the chain too; said here on its own).
            assert stock.verify_ledger_chain(uow) == []
            ids = conn.execute(select(t.stock_move.c.id).order_by(t.stock_move.c.id)).scalars().all()
            head = conn.execute(select(t.ledger_head.c.last_id, t.ledger_head.c.chain)).one()
            assert ids == list(range(1, len(ids) + 1)) and head.last_id == len(ids)
            last_chain = conn.execute(select(t.stock_move.c.chain).where(t.stock_move.c.id == head.last_id)).scalar()
            assert head.chain == (last_chain if ids else ledger_chain.SEED)
            # Quarantine is never issued: no issue row ever names a lot there.
            assert conn.execute(
                select(func.count())
                .select_from(t.stock_move.join(t.location, t.location.c.id == t.stock_move.c.location_id))
                .where(t.stock_move.c.kind == MoveKind.ISSUE.value, t.location.c.zone == QUARANTINE_ZONE)
            ).scalar_one() == 0
            counter = requisitions.counter_stock(list(self.parts), uow=uow)
            places = {(line.part_no, line.location): line.on_hand for line in stock.stock_list(uow=uow)
                      if line.part_no in self.parts}
            for part in self.parts:
                held = stock.part_stock(part, uow=uow)
                model = sorted((lot for lot in self.lots if lot.part == part and lot.remaining > 0),
                               key=lambda lot: (lot.at, lot.id))
                assert [(lot.lot, lot.location, lot.qty, lot.unit_cost) for lot in held.lots] == [
                    (lot.id, lot.location, lot.remaining, lot.cost) for lot in model]
                assert held.on_hand == sum((lot.remaining for lot in model), Decimal(0))
                booked = sum((move.qty for move in stock.part_ledger(part, uow=uow)), Decimal(0))
                assert booked == held.on_hand
                # What the counter offers to issue: everything but quarantine.
                assert counter[part].on_hand == sum((lot.remaining for lot in model if not lot.quarantined),
                                                    Decimal(0))
                for location in {lot.location for lot in model}:
                    assert places[(part, location)] == sum(
                        (lot.remaining for lot in model if lot.location == location), Decimal(0))


@dataclass
class Station:
    """Where the examples run: staff, a spare bin and an open repair order, and a database for each example.

    On SQLite each example works on a copy of the prepared file, so that the books it checks after every
    step hold its own lots only; on PostgreSQL the examples share the prepared schema (a fresh schema an
    example would cost a migration), each with parts of its own.
    """

    database: Database
    staff: dict
    ro: str
    template: Path | None = None

    def open(self) -> Database:
        """The database for a new example."""
        if self.template is None:
            return self.database
        copy = self.template.with_name(f"example-{next(_EXAMPLES)}.sqlite")
        shutil.copyfile(self.template, copy)
        return Database(f"sqlite:///{copy}")

    def close(self, database: Database) -> None:
        """An example is done with its database."""
        if database is not self.database:
            database.dispose()
            path = sqlite_file(database.url)
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_any_run_of_receipts_issues_returns_and_adjustments_keeps_the_books(backend, request, tmp_path, clock):
    database = request.getfixturevalue("db" if backend == "sqlite" else "pg_db")
    staff = make_staff(database)
    with database.writing() as uow:
        catalog.add_location(SPARE_BIN, actor=staff[Role.PLANNER], uow=uow)
    ro = open_order(database, staff)  # at intake: an open repair order takes requisitions
    template = None
    if backend == "sqlite":
        database.dispose()  # the last connection checkpoints the WAL into the file that is copied
        template = sqlite_file(database.url)
    station = Station(database, staff, ro, template)
    # A few seconds: PostgreSQL's round trips cost more, so it runs fewer examples of the same machine. A
    # failure is reported as found (at most 15 steps, each printed) rather than shrunk: shrinking replays
    # hundreds of runs against the database, minutes of work for a few steps less.
    examples = 15 if backend == "sqlite" else 6
    run_state_machine_as_test(
        lambda: LedgerMachine(station, tmp_path, clock),
        settings=settings(max_examples=examples, stateful_step_count=15, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow]),
    )
