"""`po list` and `receive list` stream: the orders are read a page at a time (two statements a page, never one a
order), the receipts from a streamed cursor, inside one read unit; the CLI prints them as they are read, text and
JSON with the bytes the whole lists gave."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from core import clock, labels
from core import tables as t
from core.records.catalog import part_id
from core.records.orders import insert_order
from core.records.parties import known_supplier
from core.roles import Role
from core.services import purchasing, receiving
from core.services.operators import authenticate
from data.db import Database
from tests.helpers import SAMPLES
from tests.helpers.cli import Station
from tests.helpers.staff import make_staff
from tests.helpers.station import PARTS, add_parts
from tui import cli_support


def _orders(database, staff, count: int) -> None:
    """`count` orders of one to three lines, every other one approved (so both states are paged)."""
    numbers = list(PARTS)
    with database.writing() as uow:
        purchasing.add_supplier("ACME", "Acme parts", actor=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow, uow.write() as conn:
        supplier = known_supplier(conn, "ACME")
        ids = [part_id(conn, number) for number in numbers]
        for index in range(count):
            lines = [(ids[k], Decimal(index + k + 1), Decimal("2.50")) for k in range(index % 3 + 1)]
            insert_order(conn, supplier, lines, actor=staff[Role.PLANNER], at=clock.now(), approved=index % 2 == 0)


def _selects(database) -> list[str]:
    """The SELECT statements run on the database from now on (a list that grows as they run)."""
    seen: list[str] = []

    @event.listens_for(database.engine, "before_cursor_execute")
    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    return seen


def test_orders_are_read_a_page_at_a_time_and_are_what_each_order_reads(any_db, monkeypatch):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    _orders(any_db, staff, 7)
    monkeypatch.setattr(purchasing, "ORDERS_PAGE", 2)
    with any_db.reading() as uow, uow.read() as conn:
        for state in (None, "approved", "draft"):
            ids = select(t.purchase_order.c.number).order_by(t.purchase_order.c.id.desc())
            if state:
                ids = ids.where(t.purchase_order.c.state == state)
            one_by_one = [purchasing.get_order(number, uow=uow) for number in conn.execute(ids).scalars()]
            assert list(purchasing.iter_orders(uow=uow, state=state)) == one_by_one
            assert len(one_by_one) == {None: 7, "approved": 4, "draft": 3}[state]
    with any_db.reading() as uow:
        selects = _selects(any_db)
        orders = purchasing.iter_orders(uow=uow)
        first = next(orders)
        assert len(selects) == 2  # the first page's heads and lines: the rest is not read yet
        rest = list(orders)
        assert [first, *rest] == purchasing.list_orders(uow=uow) and len(rest) == 6
        assert len(selects) == 2 * 4 + 1 + 2 * 4 + 1  # four pages and the empty one, each time


def test_an_unknown_state_is_refused_before_any_order_is_read(any_db):
    make_staff(any_db)
    with any_db.reading() as uow, pytest.raises(Exception, match="unknown order state"):
        purchasing.iter_orders(uow=uow, state="lost")


def test_receipts_are_read_from_a_streamed_cursor(any_db, tmp_path):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    for number in range(3):
        packing = tmp_path / f"p{number}.csv"
        packing.write_text(f"shipment_no,box_no,part_no,description,qty,unit_price\nSH-{number},1,96536697,前刹车片,"
                           f"{number + 1},286.00\n", encoding="utf-8")
        with any_db.writing() as uow:
            receiving.open_receipt(packing, actor=staff[Role.STOREKEEPER], uow=uow)
    streamed: list[dict] = []

    @event.listens_for(any_db.engine, "before_cursor_execute")
    def note(conn, cursor, statement, parameters, context, executemany):
        if "FROM receipt" in statement:
            streamed.append(dict(context.execution_options))

    with any_db.reading() as uow:
        receipts = list(receiving.iter_receipts(uow=uow))
    assert [r.number for r in receipts] == sorted((r.number for r in receipts), reverse=True)
    assert len(receipts) == 3 and all(r.lines == 1 for r in receipts)
    assert streamed and all(options.get("yield_per") == receiving.RECEIPTS_BATCH for options in streamed)


@pytest.fixture
def station(tmp_path):
    """A CLI station with three orders and two receipts."""
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("PLAN1", "planner"), ("STORE1", "storekeeper"), ("PM1", "parts_manager")]:
        assert s.run("operator", "add", code, "--name", f"{code} 师傅", "--role", role, "--pin", "1234",
                     as_="ADMIN").exit_code == 0
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    database = Database(f"sqlite:///{s.path}")
    try:
        with database.writing() as uow:
            actor = authenticate("PLAN1", "1234", uow=uow)
        _orders_as(database, actor)
    finally:
        database.dispose()
    for again in ("", "--again"):
        args = ["receive", "open", str(SAMPLES / "packing_list.csv"), "--supplier", "SGM"] + ([again] if again else [])
        assert s.run(*args, as_="STORE1").exit_code == 0
    return s


def _orders_as(database, actor) -> None:
    with database.writing() as uow, uow.write() as conn:
        supplier = known_supplier(conn, "SGM")
        pid = part_id(conn, "96536697")
        for index in range(3):
            insert_order(conn, supplier, [(pid, Decimal(index + 1), Decimal("250.00"))], actor=actor,
                         at=clock.now(), approved=index == 1)


def _whole(document) -> str:
    """The bytes emit_json wrote for a list built whole."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _table(columns, rows) -> str:
    """The bytes of a table written from a whole list."""
    lines: list[str] = []
    cli_support.write_table(lines.append, None, columns, rows)
    return "\n".join(lines) + "\n"


def test_po_list_and_receive_list_print_what_the_whole_lists_printed(station, monkeypatch):
    monkeypatch.setattr(purchasing, "ORDERS_PAGE", 2)
    orders = station.json("po", "list")
    assert len(orders) == 3
    assert station.run("po", "list", "--json").stdout == _whole(
        [station.json("po", "show", order["po"]) for order in orders])
    text = station.run("po", "list").stdout
    assert text == _table(["order", "supplier", "state", "created", "lines"],
                          [[o["po"], o["supplier"], labels.label(labels.ORDER_STATE, o["state"]),
                            cli_support.local(datetime.fromisoformat(o["created_at"])), "1"]
                           for o in orders])
    receipts = station.json("receive", "list")
    assert [r["receipt"] for r in receipts] == sorted((r["receipt"] for r in receipts), reverse=True)
    with_lines = station.run("receive", "list").stdout.splitlines()
    assert len(receipts) == 2 and len(with_lines) == 4
    assert all(r["receipt"] in line for r, line in zip(receipts, with_lines[2:], strict=True))
