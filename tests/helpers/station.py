"""A station with a few parts, stock put on the shelf, and the check that the books agree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.roles import Role
from core.services import catalog, stock

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PARTS = {
    "96536697": ("Front brake pad set", "前刹车片", "EXC-01-02-03"),
    "96800106": ("Oil filter", "机油滤清器", "EXC-01-01-01"),
    "13301204": ("Headlamp assembly, left", "左前大灯总成", "CRZ-03-01-01"),
}
# The headlamp is a CRUZE part (shared/samples/parts_master.csv): its bin is in the CRUZE zone CRZ.
SERIES = {"13301204": "CRUZE"}


def add_parts(database, staff) -> None:
    """The three PARTS, each with its location."""
    with database.writing() as uow:
        for part_no, (name, name_zh, location) in PARTS.items():
            catalog.add_part(part_no, name, name_zh=name_zh, model_series=SERIES.get(part_no, "EXCELLE"), price="100",
                             location=location, actor=staff[Role.PLANNER], uow=uow)


def receive(database, staff, part_no, qty, cost="10", location=None) -> stock.LotInfo:
    """A new lot of a part on the shelf at its cost: an opening balance (a positive adjustment by the parts
    manager) at the part's location unless another is given. Lots received at the same clock time go out
    in the order they were put on the shelf; advance the `clock` fixture between them to date them apart."""
    with database.writing() as uow:
        done = stock.adjust(part_no, Decimal(qty), location=location or PARTS[part_no][2], reason="opening balance",
                            unit_cost=cost, actor=staff[Role.PARTS_MANAGER], uow=uow)
        (lot,) = done.lots
        return next(held for held in stock.part_stock(part_no, uow=uow).lots if held.lot == lot)


def assert_books_agree(database) -> None:
    """Ledger per lot = lot remaining, nothing negative, every on-hand figure equal to its lots."""
    with database.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []
        for line in stock.stock_list(uow=uow):
            assert line.on_hand > 0
        for part_no in PARTS:
            try:
                held = stock.part_stock(part_no, uow=uow)
            except Exception:
                continue
            assert held.on_hand == sum((lot.qty for lot in held.lots), Decimal(0))
            booked = sum((m.qty for m in stock.part_ledger(part_no, uow=uow)), Decimal(0))
            assert booked == held.on_hand
