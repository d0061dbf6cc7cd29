"""The drafts as the to-do, a scanned code and `request list` show them, on SQLite and PostgreSQL: counted by SQL and
never read line by line (a big station's draft has tens of thousands of lines: the parts manager's home read a
77,580-line draft whole on every refresh, 1.7 s at 200,000 parts), with the same counts the whole draft gives."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event

from core.errors import BadInput
from core.roles import Role
from core.services import catalog, draft_pages, pricing, requests, todo
from core.services.requests import LineChange
from screens.opening import find_target
from tests.helpers.cli import invoke
from tests.helpers.planning import PADS, draft, filter_station, waiting_numbers

NO_SHELL = {"PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": "", "PARTSDESK_DB": "", "PARTSDESK_LANG": ""}
# A statement that reads a line's own columns (a count reads none of them).
LINE_COLUMNS = re.compile(r"purchase_request_line\.(part_id|forecast|suggested|qty|reason)\b")


@pytest.fixture
def station(any_db, clock):
    """Staff, the sample parts and lots, and a year of the oil filter's consumption: (db, staff)."""
    return filter_station(any_db, clock)


@contextmanager
def statements():
    """Every SQL statement any engine of this process sends inside the block (the CLI's too), as text."""
    sent: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", seen)


def _reviewed_and_changed(db, staff) -> str:
    """A draft reviewed by the parts manager, then one line changed by the station manager at the meeting."""
    number = draft(db, staff)
    with db.writing() as uow:
        requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.writing() as uow:
        requests.change_lines(number, [LineChange(PADS, qty=Decimal(3))], actor=staff[Role.STATION_MANAGER],
                              uow=uow)
    return number


def test_the_to_do_counts_a_waiting_drafts_lines_and_changes_as_the_whole_draft_does(station):
    db, staff = station
    number = _reviewed_and_changed(db, staff)
    manager = staff[Role.STATION_MANAGER]
    with db.reading() as uow, statements() as sent:
        listed = todo.read_todo(manager, uow=uow)
    with db.reading() as uow:
        whole = requests.get_request(number, uow=uow)
    [shown] = listed.drafts
    assert listed.counts.drafts == 1
    assert (shown.number, shown.state, shown.author) == (number, whole.state, whole.author)
    assert shown.lines == len(whole.lines) == 2
    assert shown.changed == sum(line.changed for line in whole.lines) == 1
    assert shown.since == whole.history[-1].at
    assert sent and not [s for s in sent if LINE_COLUMNS.search(s)]


def test_a_draft_before_any_step_has_nothing_changed_and_waits_since_it_was_drafted(station):
    db, staff = station
    number = draft(db, staff)
    with db.reading() as uow:
        listed = todo.read_todo(staff[Role.PARTS_MANAGER], uow=uow)
        whole = requests.get_request(number, uow=uow)
    [shown] = listed.drafts
    assert (shown.lines, shown.changed) == (2, 0)
    assert shown.since == whole.history[-1].at


def test_the_to_do_pages_the_waiting_drafts_with_the_count_of_all(station):
    db, staff = station
    first = draft(db, staff)
    second = draft(db, staff, cycle="week")
    manager = staff[Role.PARTS_MANAGER]
    with db.reading() as uow:
        page = draft_pages.waiting_drafts(uow=uow, waiting_for=manager, limit=1)
        rest = draft_pages.waiting_drafts(uow=uow, waiting_for=manager, limit=5, offset=1)
    assert page.total == rest.total == 2
    assert [d.number for d in page.rows + rest.rows] == [second, first]


@pytest.mark.parametrize("role, waits", [(Role.PARTS_MANAGER, True), (Role.STATION_MANAGER, False),
                                         (Role.PLANNER, False)])
def test_whether_a_scanned_draft_waits_for_the_operator_is_read_without_its_lines(station, role, waits):
    db, staff = station
    number = draft(db, staff)
    with db.reading() as uow, statements() as sent:
        target = find_target(number, actor=staff[role], uow=uow)  # as the opening screen reads a scanned code
        unknown = requests.waits_for_operator("PRQ-2099-999999", uow=uow, waiting_for=staff[role])
    with db.reading() as uow:
        listed = number in waiting_numbers(uow, staff[role])
    assert target.waiting is waits is listed and unknown is False
    assert not [s for s in sent if LINE_COLUMNS.search(s)]


def test_the_list_of_drafts_filters_by_state_and_says_whom_each_waits_for(station):
    db, staff = station
    waiting = draft(db, staff)
    returned = draft(db, staff, cycle="week")
    with db.writing() as uow:
        requests.reject_request(returned, actor=staff[Role.PARTS_MANAGER], uow=uow, comment="wrong cycle")
    with db.reading() as uow:
        every = draft_pages.drafts_page(uow=uow, limit=None)
        only = draft_pages.drafts_page(uow=uow, limit=None, state="returned")
        with pytest.raises(BadInput, match="unknown request state 'lost'"):
            draft_pages.drafts_page(uow=uow, limit=None, state="lost")
    assert [(d.number, d.waiting_for) for d in every.rows] == [(returned, ("planner",)),
                                                               (waiting, ("parts_manager",))]
    assert (only.total, [d.number for d in only.rows]) == (1, [returned])


def test_request_list_counts_the_lines_and_its_json_still_holds_them(station):
    db, staff = station
    number = _reviewed_and_changed(db, staff)
    with statements() as sent:
        result = invoke(["--db", db.url, "--lang", "en", "request", "list"], env=NO_SHELL)
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.output.splitlines() if number in line]
    assert re.search(r"\s2\s", row) and "station manager" in row  # its two lines; its next step's role
    assert sent and not [s for s in sent if LINE_COLUMNS.search(s)]
    documents = invoke(["--db", db.url, "request", "list", "--json"], env=NO_SHELL)
    assert documents.exit_code == 0, documents.output
    assert [len(d["lines"]) for d in json.loads(documents.output)] == [2]


def test_request_line_and_remove_in_text_never_read_the_draft_back_whole(station, monkeypatch):
    db, staff = station
    number = draft(db, staff)
    whole = requests.get_request
    monkeypatch.setattr(requests, "get_request", _unread)
    planner = {**NO_SHELL, "PARTSDESK_OPERATOR": "PLAN1", "PARTSDESK_PIN": "1234"}
    changed = invoke(["--db", db.url, "--lang", "en", "request", "line", number, f"{PADS}:6"], env=planner)
    removed = invoke(["--db", db.url, "--lang", "en", "request", "remove", number, PADS], env=planner)
    assert changed.exit_code == removed.exit_code == 0, changed.output + removed.output
    assert f"{number} is draft" in changed.output and f"{number} is draft" in removed.output
    monkeypatch.setattr(requests, "get_request", whole)
    with db.reading() as uow:
        assert PADS not in {line.part_no for line in requests.get_request(number, uow=uow).lines}
    # The JSON document is the whole draft, as before.
    shown = invoke(["--db", db.url, "request", "line", number, f"{PADS}:2", "--json"], env=planner)
    assert shown.exit_code == 0, shown.output
    assert PADS in {line["part_no"] for line in json.loads(shown.output)["lines"]}


def _unread(*args, **kwargs):
    raise AssertionError("the whole draft was read back")


# -- the review: a draft's head by SQL, its lines a page at a time ------------------------------


def test_the_review_reads_the_counts_value_and_history_by_sql_and_the_lines_a_page_at_a_time(station):
    db, staff = station
    number = _reviewed_and_changed(db, staff)
    with db.reading() as uow, statements() as sent:
        review = draft_pages.review_draft(number, uow=uow, limit=1)
        rest = draft_pages.review_lines(number, uow=uow, limit=5, offset=1)
    with db.reading() as uow:
        whole = requests.get_request(number, uow=uow)
        costs = pricing.purchase_costs([line.part_no for line in whole.lines], uow=uow)
    assert (review.state, review.author, review.author_id, review.approved_by, review.steps) == (
        whole.state, whole.author, whole.author_id, whole.approved_by, whole.steps)
    assert (review.lines, review.changed, review.flagged) == (
        len(whole.lines), sum(line.changed for line in whole.lines), sum(line.flagged for line in whole.lines))
    assert review.value == sum((costs[line.part_no] * line.qty for line in whole.lines), Decimal(0)) > 0
    assert review.history == whole.history
    assert review.page.lines + rest.lines == list(whole.lines) and review.page.total == rest.total == 2
    assert review.page.costs | rest.costs == costs
    # One line read for the first page: no statement reads the lines without its LIMIT.
    assert [s for s in sent if LINE_COLUMNS.search(s)] and all(
        "LIMIT" in s.upper() for s in sent if LINE_COLUMNS.search(s))


def test_a_part_never_received_is_valued_at_its_list_price(station):
    db, staff = station
    with db.writing() as uow:
        catalog.add_part("NEW-1", "Wiper blade", name_zh="雨刮片", model_series="EXCELLE", price="35.50",
                         location="EXC-09-09-09", actor=staff[Role.PLANNER], uow=uow)
    number = draft(db, staff)
    with db.writing() as uow:
        requests.change_lines(number, [LineChange("NEW-1", qty=Decimal(2))], actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow:
        review = draft_pages.review_draft(number, uow=uow, limit=10)
        assert pricing.purchase_costs(["NEW-1"], uow=uow) == {"NEW-1": Decimal("35.50")}
    assert review.page.costs["NEW-1"] == Decimal("35.50")
    assert review.value == sum((review.page.costs[line.part_no] * line.qty for line in review.page.lines),
                               Decimal(0))


# -- a decision says the draft's step, never reads its lines back -------------------------------

# The columns only a read of the lines themselves selects (a review's check of unexplained jumps joins the lines).
LINE_VALUES = re.compile(r"purchase_request_line\.(forecast|suggested)\b")


def test_each_decision_answers_with_the_drafts_new_step_without_reading_its_lines(station):
    db, staff = station
    number = draft(db, staff)
    steps = [
        lambda uow: requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow),
        lambda uow: requests.review_request(number, actor=staff[Role.STATION_MANAGER], uow=uow),
        lambda uow: requests.review_request(number, actor=staff[Role.ACCOUNTANT], uow=uow),
        lambda uow: requests.approve_request(number, actor=staff[Role.SERVICE_DIRECTOR], uow=uow),
        lambda uow: requests.reject_request(number, actor=staff[Role.STATION_MANAGER], uow=uow, comment="halve it"),
        lambda uow: requests.resubmit_request(number, actor=staff[Role.PLANNER], uow=uow),
    ]
    states = []
    for step in steps:
        with db.writing() as uow, statements() as sent:
            decided = step(uow)
        with db.reading() as uow:
            whole = requests.get_request(number, uow=uow)
        assert (decided.number, decided.state, decided.waiting_for, decided.approved_by) == (
            whole.number, whole.state, whole.waiting_for, whole.approved_by)
        assert not [s for s in sent if LINE_VALUES.search(s)]
        states.append(decided.state)
    assert states == ["pm_reviewed", "meeting_reviewed", "accountant_reviewed", "accountant_reviewed", "returned",
                      "draft"]
