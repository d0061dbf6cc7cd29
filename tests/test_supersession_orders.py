"""Ordering a superseded number, on SQLite and PostgreSQL: an urgent order's line, a shortage's urgent order and a
draft's line for an old number go to its newest number (a kit's: each kit part, the same quantity), said in a line
on the CLI; a kit's old number's consumption is demand for each kit part."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core import clock as core_clock
from core.roles import Role
from core.services import catalog, forecasting, purchasing, requests, shortages, supersession
from core.services.requests import LineChange
from tests.helpers import make_staff, receive
from tests.helpers.cli import Station
from tests.helpers.counter import issue, order_in
from tests.helpers.counter_cli import OPEN

A, C = "5C6941005", "5C6941005B"
KIT_OLD, KIT1, KIT2 = "5C6941KIT", "5C6941KIT1", "5C6941KIT2"
BIN = "EXC-01-02-03"


@pytest.fixture
def station(any_db, clock):
    """A superseded by C (C dearer), and a kit's old number superseded by two kit parts."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        for part_no, price in ((A, "100"), (C, "120"), (KIT_OLD, "300"), (KIT1, "110"), (KIT2, "95")):
            catalog.add_part(part_no, f"Mirror {part_no}", model_series="EXCELLE", price=price, location=BIN,
                             actor=staff[Role.PLANNER], uow=uow)
    with any_db.writing() as uow:
        supersession.supersede(A, [C], effective_on="2026-06-01", actor=staff[Role.PLANNER], uow=uow)
    with any_db.writing() as uow:
        supersession.supersede(KIT_OLD, [KIT1, KIT2], effective_on="2026-06-01", actor=staff[Role.PLANNER],
                               uow=uow)
    return any_db, staff


def _lines(database, number):
    with database.reading() as uow:
        order = purchasing.get_order(number, uow=uow)
    return [(line.part_no, line.ordered, line.unit_cost) for line in order.lines]


def test_an_urgent_order_for_old_numbers_orders_the_newest(station):
    database, staff = station
    ro = order_in(database, staff, "in_repair")
    lines = [purchasing.parse_order_line(text) for text in (f"{A}:2:80", f"{C}:1", f"{KIT_OLD}:3")]
    with database.writing() as uow:
        number = purchasing.create_urgent_order("SGM", lines, [ro], actor=staff[Role.PLANNER], uow=uow)
    # A's line is C's (added to the C line typed, at C's price); the kit's old number one line of each kit part.
    assert _lines(database, number) == [(C, 3, Decimal("120.00")), (KIT1, 3, Decimal("110.00")),
                                        (KIT2, 3, Decimal("95.00"))]


def test_a_shortage_of_an_old_number_is_ordered_urgently_as_the_newest(station, clock):
    database, staff = station
    ro = order_in(database, staff, "in_repair")
    with database.writing() as uow:
        shortage = shortages.log_shortage(A, "2", ro, actor=staff[Role.ADVISOR], uow=uow)
    with database.writing() as uow:
        shortages.answer_shortage(shortage, "urgent_purchase", core_clock.now() + timedelta(days=2),
                                  actor=staff[Role.PLANNER], uow=uow)
    with database.reading() as uow:
        (order,) = purchasing.list_orders(uow=uow)
    assert _lines(database, order.number) == [(C, 2, Decimal("120.00"))]


def test_a_shortage_of_a_kits_old_number_answered_order_goes_on_the_draft_as_the_kit(station, clock):
    database, staff = station
    receive(database, staff, C, 1, location=BIN)
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    ro = order_in(database, staff, "in_repair")
    with database.writing() as uow:
        shortage = shortages.log_shortage(KIT_OLD, "1", ro, actor=staff[Role.ADVISOR], uow=uow)
    with database.writing() as uow:
        answered = shortages.answer_shortage(shortage, "order", core_clock.now() + timedelta(days=7),
                                             actor=staff[Role.PLANNER], uow=uow)
    assert answered.ordered_on == number
    with database.reading() as uow:
        drafted = {line.part_no: line.qty for line in requests.get_request(number, uow=uow).lines}
    assert drafted.get(KIT1) == 1 and drafted.get(KIT2) == 1 and KIT_OLD not in drafted


def test_a_draft_line_for_an_old_number_is_the_newest_numbers(station, clock):
    database, staff = station
    receive(database, staff, C, 1, location=BIN)
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow:
        info = requests.edit_request(number, [LineChange(A, Decimal(4)), LineChange(KIT_OLD, Decimal(2))],
                                     actor=staff[Role.PLANNER], uow=uow)
    drafted = {line.part_no: line.qty for line in info.lines}
    assert drafted[C] == 4 and drafted[KIT1] == 2 and drafted[KIT2] == 2
    assert A not in drafted and KIT_OLD not in drafted


def test_a_kits_old_number_consumption_is_demand_for_each_kit_part(station, clock):
    database, staff = station
    receive(database, staff, KIT_OLD, 10, location=BIN)
    ro = order_in(database, staff, "in_repair")
    clock.set(datetime(2026, 9, 10, 9, 0, tzinfo=timezone.utc))
    issue(database, staff, ro, (KIT_OLD, "4"))
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    with database.reading() as uow:
        for part_no in (KIT1, KIT2):
            history = {start.month: qty for start, qty in forecasting.part_demand(part_no, uow=uow).history if qty}
            assert history == {9: 4}, part_no


def test_cli_says_the_redirect(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("PLAN1", "planner"), ("ADV1", "advisor")]:
        assert s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234",
                     as_="ADMIN").exit_code == 0
    for part_no in (A, C):
        assert s.run("part", "add", part_no, "--name", "Mirror", "--model-series", "EXCELLE", "--price", "100",
                     "--location", BIN, as_="PLAN1").exit_code == 0
    assert s.run("part", "supersede", A, C, as_="PLAN1").exit_code == 0
    ro = s.json(*OPEN, as_="ADV1")["ro"]
    urgent = ["po", "create", "--urgent", "--for", ro, "--supplier", "SGM", "--line", f"{A}:1"]
    said = s.run(*urgent, as_="PLAN1")
    assert said.exit_code == 0 and f"{A} is superseded: ordered {C} instead" in said.stdout
    assert s.json(*urgent, as_="PLAN1")["redirected"] == {A: [C]}
