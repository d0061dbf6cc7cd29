"""Small helpers the tests share: a station with a few parts and the invariant check."""

from __future__ import annotations

from decimal import Decimal

from core.documents import DocumentRef
from core.roles import Role
from core.services import catalog, stock

PARTS = {
    "96536697": ("Front brake pad set", "前刹车片", "EXC-01-02-03"),
    "96800106": ("Oil filter", "机油滤清器", "EXC-01-01-01"),
    "13301204": ("Headlamp assembly, left", "左前大灯总成", "CRZ-03-01-01"),
}


def add_parts(database, staff) -> None:
    """The three PARTS, each with its location."""
    with database.writing() as uow:
        for part_no, (name, name_zh, location) in PARTS.items():
            catalog.add_part(part_no, name, name_zh=name_zh, model_series="EXCELLE", price="100", location=location,
                             actor=staff[Role.PLANNER], uow=uow)


def receive(database, staff, part_no, qty, cost="10", location=None, doc="RCV-1"):
    """Receive a lot of a part at its default location."""
    with database.writing() as uow:
        return stock.receive_lot(part_no, Decimal(qty), location=location or PARTS[part_no][2], unit_cost=cost,
                                 document=DocumentRef("RCV", doc), actor=staff[Role.STOREKEEPER], uow=uow)


def issue(database, staff, part_no, qty, doc="REQ-1"):
    """Issue a quantity oldest first."""
    with database.writing() as uow:
        return stock.issue_fifo(part_no, Decimal(qty), document=DocumentRef("REQ", doc),
                                actor=staff[Role.STOREKEEPER], uow=uow)


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
