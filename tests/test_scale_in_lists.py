"""Past the databases' parameter limits (SQLite 32,766, PostgreSQL 65,535): a draft over more parts with consumption,
and the orders in transit over more orders, than either limit, on a synthetic station built in SQL (issue 14)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Integer, String, cast, func, insert, literal, select
from sqlalchemy.exc import DBAPIError

from core import ledger
from core import tables as t
from core.errors import RuleViolation
from core.forecast import suggested_qty
from core.printing import labels
from core.records import batches
from core.records.reservations import reserved
from core.records.settings import read_settings
from core.services import forecasting, ordering, requests
from tests.helpers.staff import make_staff

# Past PostgreSQL's 65,535 bound parameters and SQLite's default 32,766 (Debian's SQLite allows 250,000: the
# lookups below that need no station go past that too).
PARTS = 66_000
SQLITE_MANY = 250_001
PG_MANY = 65_536
ISSUED = Decimal("2.000")  # each part's one issue, in the last complete cycle
ORDERED = Decimal("1.000")  # each part's one line on an order sent and not yet received
LAST_CYCLE = datetime(2026, 10, 15, 9, 0, tzinfo=timezone.utc)  # the frozen clock is in November 2026


def _numbers(count: int):
    """1..count as a recursive common table expression (SQLite and PostgreSQL alike)."""
    numbers = select(literal(1, Integer).label("i")).cte("numbers", recursive=True)
    return numbers.union_all(select(numbers.c.i + 1).where(numbers.c.i < count))


def _build(database, staff) -> None:
    """PARTS parts, each with a lot, one issue last cycle and one open order of its own, by INSERT ... SELECT."""
    planner = next(iter(staff.values())).id
    n = _numbers(PARTS)
    text_of = cast(n.c.i, String)
    with database.writing() as uow, uow.write() as conn:
        location = conn.execute(insert(t.location).values(code="SC-01", zone="MAIN")).inserted_primary_key[0]
        supplier = conn.execute(insert(t.supplier).values(code="SCALE", name="Scale supplier")).inserted_primary_key[0]
        conn.execute(insert(t.part).from_select(
            ["id", "part_no", "name", "unit", "list_price", "fragile", "pack_qty", "general"],
            select(n.c.i, literal("SC") + text_of, literal("scale part ") + text_of, literal("pc"),
                   literal(Decimal("1.00"), t.part.c.list_price.type), literal(False),
                   literal(Decimal(1), t.part.c.pack_qty.type), literal(False))))
        conn.execute(insert(t.stock_lot).from_select(
            ["id", "part_id", "location_id", "received_at", "qty_received", "qty_remaining", "unit_cost", "doc_type",
             "doc_no"],
            select(n.c.i, n.c.i, literal(location), literal(LAST_CYCLE, t.stock_lot.c.received_at.type),
                   literal(ISSUED, t.stock_lot.c.qty_received.type),
                   literal(Decimal(0), t.stock_lot.c.qty_remaining.type),
                   literal(Decimal("1.00"), t.stock_lot.c.unit_cost.type), literal("REC"), literal("SCALE"))))
        conn.execute(insert(t.stock_move).from_select(
            ["id", "at", "kind", "part_id", "lot_id", "location_id", "qty", "unit_cost", "doc_type", "doc_no",
             "operator_id", "chain"],
            select(n.c.i, literal(LAST_CYCLE, t.stock_move.c.at.type), literal("issue"), n.c.i, n.c.i,
                   literal(location),
                   literal(-ISSUED, t.stock_move.c.qty.type), literal(Decimal("1.00"), t.stock_move.c.unit_cost.type),
                   literal("REQ"), literal("SCALE"), literal(planner), literal("-"))))
        conn.execute(insert(t.purchase_order).from_select(
            ["id", "number", "supplier_id", "state", "created_at", "created_by", "urgent"],
            select(n.c.i, literal("PO-SC-") + text_of, literal(supplier), literal("sent"),
                   literal(LAST_CYCLE, t.purchase_order.c.created_at.type), literal(planner), literal(False))))
        conn.execute(insert(t.purchase_order_line).from_select(
            ["order_id", "line_no", "part_id", "qty_ordered", "qty_received", "unit_cost"],
            select(n.c.i, literal(1), n.c.i, literal(ORDERED, t.purchase_order_line.c.qty_ordered.type),
                   literal(Decimal(0), t.purchase_order_line.c.qty_received.type),
                   literal(Decimal("1.00"), t.purchase_order_line.c.unit_cost.type))))


@pytest.fixture
def scale_station(any_db):
    """The synthetic station on SQLite and on PostgreSQL, with its staff."""
    staff = make_staff(any_db)
    _build(any_db, staff)
    return any_db, staff


# A new PostgreSQL schema: on the worker's schema emptied after other tests, the planner's statistics of tables
# emptied by DELETE (this server runs without autovacuum) once gave the draft's read a plan that ran 13 minutes.
@pytest.mark.fresh_schema
def test_a_draft_and_the_orders_in_transit_past_both_limits(scale_station):
    """Every part is drafted with what is on order counted, and every order is listed, with no statement refused."""
    from core.roles import Role

    database, staff = scale_station
    with database.reading() as uow, uow.read() as conn:
        safety_ratio = Decimal(read_settings(conn)["safety_ratio"])
    expected = suggested_qty(ISSUED, safety_ratio=safety_ratio, on_hand=Decimal(0), in_transit=ORDERED,
                             open_shortages=Decimal(0), pack_qty=Decimal(1))
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with database.reading() as uow, uow.read() as conn:
        lines = conn.execute(select(func.count(), func.sum(t.purchase_request_line.c.qty), func.sum(
            t.purchase_request_line.c.forecast)).join(t.purchase_request).where(
            t.purchase_request.c.number == number)).one()
    assert (lines[0], lines[1], lines[2]) == (PARTS, expected * PARTS, ISSUED * PARTS)
    with database.reading() as uow:
        one = forecasting.part_demand(f"SC{PARTS}", uow=uow)
        orders = ordering.transit_orders(uow=uow)
    assert (one.forecast, one.in_transit, one.on_hand, one.suggested) == (ISSUED, ORDERED, Decimal(0), expected)
    assert [value for _start, value in one.history] == [ISSUED]
    assert len(orders) == PARTS and {order.outstanding_lines for order in orders} == {1}


def test_lookups_of_more_parts_than_any_limit(any_db):
    """Lookups keyed by a list from the data run in batches: nothing found of parts that are not there, and no
    statement refused (reservations, what may be issued, the label details of a document)."""
    many = SQLITE_MANY if any_db.engine.dialect.name == "sqlite" else PG_MANY
    numbers = [f"NX{i}" for i in range(many)]
    with any_db.reading() as uow:
        with uow.read() as conn:
            assert reserved(conn, list(range(1, many + 1))) == {}
            assert ledger.issuable(conn, numbers) == {}
        assert labels.part_details(numbers, uow=uow) == {}


def test_batches_keep_order_and_size():
    """Batches follow the values' order, none longer than the size, the last one shorter."""
    assert list(batches.batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches.batched([], 3)) == []
    assert batches.IN_BATCH < 32_766


def test_a_draft_made_meanwhile_by_another_planner_wins(any_db):
    """The forecast is worked out without the write lock: a planner who drafts the cycle meanwhile gets the draft,
    and the slower one is refused in its write, leaving one draft."""
    from core.roles import Role

    staff = make_staff(any_db)
    real = requests.iter_draft_lines
    other: list[str] = []

    def draft_elsewhere():
        with any_db.writing() as uow:
            other.append(requests.draft_request(actor=staff[Role.PLANNER], uow=uow))

    def demand_while_another_drafts(conn, **kwargs):
        chosen, current, rows = real(conn, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            return chosen, current, rows

        def rows_then_another_draft():
            # Another terminal, in its own thread and units, drafts the same cycle while this one computes.
            worker = threading.Thread(target=draft_elsewhere)
            worker.start()
            worker.join()
            yield from rows
        return chosen, current, rows_then_another_draft()

    requests.iter_draft_lines = demand_while_another_drafts
    try:
        with any_db.writing() as uow, pytest.raises(RuleViolation, match="still open"):
            requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    finally:
        requests.iter_draft_lines = real
    assert len(other) == 1
    with any_db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(t.purchase_request.c.number)).scalars().all() == other


def test_a_count_sheet_locks_more_parts_than_postgresql_allows(pg_db):
    """The parts of a count sheet of a zone at 1M parts (68,834 lines) are locked in batches of ascending ids:
    one statement past PostgreSQL's 65,535 parameters was refused. A lot of a part in the last batch is locked."""
    last = PG_MANY + 10
    with pg_db.writing() as uow, uow.write() as conn:
        location = conn.execute(insert(t.location).values(code="SC-01", zone="MAIN")).inserted_primary_key[0]
        conn.execute(insert(t.part).values(id=last, part_no="SC-LAST", name="last part", unit="pc",
                                           list_price=Decimal("1.00"), fragile=False, pack_qty=Decimal(1),
                                           general=False))
        lot = conn.execute(insert(t.stock_lot).values(
            part_id=last, location_id=location, received_at=LAST_CYCLE, qty_received=Decimal(1),
            qty_remaining=Decimal(1), unit_cost=Decimal("1.00"), doc_type="REC", doc_no="SCALE")
        ).inserted_primary_key[0]
    with pg_db.writing() as uow, uow.write() as conn:
        ledger.lock_parts(conn, list(range(last, 0, -1)))
        with pg_db.engine.connect() as other:
            with pytest.raises(DBAPIError, match="could not obtain lock"):
                other.execute(select(t.stock_lot.c.id).where(t.stock_lot.c.id == lot).with_for_update(nowait=True))


def test_a_count_sheets_reads_send_one_array_a_batch_on_postgresql(pg_db):
    """A count sheet's look-ups (part ids, bin ids, units, books, the parts' locks) and the counts' store send each
    batch of values as one array parameter on PostgreSQL, not an IN-list of a placeholder a value, which psycopg
    split on every execution (3.1 s of a 68,834-line sheet at 1M parts)."""
    from sqlalchemy import event

    from core.records import catalog
    from core.records import stocktake as rows

    numbers = [f"AR{n:04d}" for n in range(20)]
    with pg_db.writing() as uow, uow.write() as conn:
        bin_id = conn.execute(insert(t.location).values(code="AR-01-01-01", zone="AR")).inserted_primary_key[0]
        conn.execute(insert(t.part), [{"part_no": number, "name": number, "unit": "l" if n % 2 else "pc",
                                       "list_price": Decimal("1.00"), "fragile": False, "pack_qty": Decimal(1),
                                       "general": False} for n, number in enumerate(numbers)])
    sent: list[tuple[str, object]] = []
    event.listen(pg_db.engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, parameters, *_rest: sent.append((statement, parameters)))
    with pg_db.writing() as uow, uow.write() as conn:
        parts, bins = rows.ids_of(conn, numbers + ["NOSUCH"], ["AR-01-01-01"])
        units = catalog.part_units(conn, numbers)
        books = rows.books_at(conn, [(parts[number], bin_id) for number in numbers])
        ledger.lock_parts(conn, list(parts.values()))
    assert sorted(parts) == numbers and bins == {"AR-01-01-01": bin_id}
    assert units == {number: "l" if n % 2 else "pc" for n, number in enumerate(numbers)}
    assert set(books.values()) == {Decimal("0.000")}
    reads = [(statement, parameters) for statement, parameters in sent if "FROM part" in statement
             or "FROM location" in statement or "FROM stock_lot" in statement]
    assert len(reads) == 5
    for statement, parameters in reads:
        assert "= ANY (" in statement and " IN (" not in statement, statement
        assert [value for value in parameters.values() if isinstance(value, list)], statement
