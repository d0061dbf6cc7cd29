"""What the planning screen reads and the rules its keys ask, on SQLite and PostgreSQL: the current cycle's draft,
a page of its lines with each part's consumption over the last cycles beside it, the orders a page at a time, and
closing an order (core.order_rules)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import RuleViolation
from core.order_rules import may_close, may_plan_orders
from core.roles import Role
from core.services import draft_pages, ordering, purchasing, requests
from core.services.requests import LineChange
from tests.helpers.planning import FILTER, FILTER_MONTHS, PADS, draft, filter_station


@pytest.fixture
def station(any_db, clock):
    """Staff, the sample parts and lots, and a year of the oil filter's consumption: (db, staff)."""
    return filter_station(any_db, clock)


def test_the_current_draft_and_a_page_of_its_lines_with_their_history(station, clock):
    db, staff = station
    with db.reading() as uow:
        assert draft_pages.current_draft(uow=uow) is None  # nothing drafted for the cycle yet
    number = draft(db, staff)
    with db.reading() as uow:
        assert draft_pages.current_draft(uow=uow) == number
        page = draft_pages.draft_page(number, uow=uow, limit=1)
        rest = draft_pages.draft_page(number, uow=uow, limit=5, offset=1)
    assert page.total == rest.total == 2 and page.head.lines == 2
    assert [line.part_no for line in page.lines + rest.lines] == sorted([FILTER, PADS])
    assert page.head.state == "draft" and page.head.waiting_for == ("parts_manager",)
    # The last six months before the frozen clock's November, oldest first, beside the line.
    assert page.cycles == tuple(date(2026, month, 1) for month in range(5, 11))
    filter_history = (page.history | rest.history)[FILTER]
    assert filter_history == tuple(Decimal(q) for q in FILTER_MONTHS[-6:])
    assert (page.history | rest.history)[PADS] == (Decimal(0),) * 6


def test_the_head_counts_the_jumps_without_a_reason_and_says_why_a_draft_came_back(station):
    db, staff = station
    number = draft(db, staff)
    with db.writing() as uow:
        requests.edit_request(number, [LineChange(FILTER, Decimal(400))], actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        requests.reject_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow, comment="too many filters")
    with db.reading() as uow:
        head = draft_pages.draft_page(number, uow=uow, limit=10).head
    assert head.state == "returned" and head.rejection == "too many filters"
    assert head.waiting_for == ("planner",)


def test_the_orders_a_page_at_a_time_newest_first(station):
    db, staff = station
    numbers = []
    for qty in ("1", "2", "3"):
        with db.writing() as uow:
            ro = _ro(uow, staff)
            numbers.append(purchasing.create_urgent_order(
                "SGM", [purchasing.parse_order_line(f"{PADS}:{qty}")], [ro], actor=staff[Role.PLANNER], uow=uow))
    with db.reading() as uow:
        first = ordering.order_list_page(uow=uow, limit=2)
        second = ordering.order_list_page(uow=uow, limit=2, offset=2)
    assert first.total == 3 and [o.number for o in first.rows + second.rows] == numbers[::-1]
    assert {o.state for o in first.rows} == {"draft"}


def test_closing_an_order_is_for_who_manages_orders_and_only_once(stocked, staff):
    planner, advisor = staff[Role.PLANNER], staff[Role.ADVISOR]
    assert may_close(planner, "sent") and not may_close(planner, "closed") and not may_close(advisor, "sent")
    assert may_plan_orders(planner) and may_plan_orders(staff[Role.PARTS_MANAGER]) and not may_plan_orders(advisor)
    with stocked.writing() as uow:
        number = purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:1")],
                                                [_ro(uow, staff)], actor=planner, uow=uow)
    with stocked.writing() as uow:
        purchasing.close_order(number, actor=planner, uow=uow)
    with pytest.raises(RuleViolation, match="already closed"), stocked.writing() as uow:
        purchasing.close_order(number, actor=planner, uow=uow)


def _ro(uow, staff) -> str:
    from core.services.repair_orders import open_repair_order

    return open_repair_order(customer="王先生", phone="13800138000", vin="LSGPC54U3AF123456", plate="沪A12345",
                             series="EXCELLE", mileage=42000, complaint="brakes squeal", actor=staff[Role.ADVISOR],
                             uow=uow).ro_no


def test_every_draft_newest_first_a_page_at_a_time_with_its_line_count(station):
    db, staff = station
    with db.reading() as uow:
        assert draft_pages.drafts_page(uow=uow, limit=10) == draft_pages.DraftList([], 0)
    month = draft(db, staff)
    week = draft(db, staff, cycle="week")
    with db.reading() as uow:
        first = draft_pages.drafts_page(uow=uow, limit=1)
        second = draft_pages.drafts_page(uow=uow, limit=1, offset=1)
        lines = {number: draft_pages.draft_page(number, uow=uow, limit=1).head.lines for number in (month, week)}
    assert (first.total, second.total) == (2, 2)
    assert [(d.number, d.cycle, d.state, d.lines, d.author) for d in first.rows + second.rows] == [
        (week, "week", "draft", lines[week], "PLAN1"), (month, "month", "draft", lines[month], "PLAN1")]
    assert lines[month] == 2  # the forecast's filter and the pads added
