"""A streamed read (stock list, ledger, the chain check) inside a write unit leaves the unit's connection as it
was: the writes after it run as plain statements on both backends (on PostgreSQL a connection left streaming
sends every later INSERT to a named cursor, which the server refuses)."""

from __future__ import annotations

from decimal import Decimal

from core import ledger_chain
from core.records import demand
from core.roles import Role
from core.services import stock
from tests.helpers.staff import make_staff
from tests.helpers.station import PARTS, add_parts, assert_books_agree, receive


def test_writes_after_a_streamed_read_in_the_same_unit(any_db):
    """Stream the stock list, a part's ledger and the chain, then adjust stock in the same write unit."""
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    part_no = next(iter(PARTS))
    receive(any_db, staff, part_no, "5")
    with any_db.writing() as uow:
        with uow.write() as conn:
            assert [line.part_no for line in stock.stock_lines(uow=uow)] == [part_no]
            assert len(list(stock.part_moves(part_no, uow=uow))) == 1
            assert ledger_chain.verify(conn) == []
            _cycle, _start, parts = demand.iter_demand(conn, cycle="month")
            list(parts)
            # Connection.execution_options would have changed the unit's connection for what follows.
            assert not {"yield_per", "stream_results"} & set(conn.get_execution_options())
        stock.adjust(part_no, Decimal("2"), location=PARTS[part_no][2], reason="found", unit_cost="10",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
        stock.adjust(part_no, Decimal("-1"), location=PARTS[part_no][2], reason="damaged in store",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
    with any_db.reading() as uow:
        assert stock.part_stock(part_no, uow=uow).on_hand == Decimal("6")
    assert_books_agree(any_db)
