"""Planning on SQLite and PostgreSQL: shortages and their 30 minutes, the draft's approval chain, orders, chasing."""

from __future__ import annotations

import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import event, text

from core.errors import BadInput, ImportRejected, NotFound, PermissionDenied, RuleViolation
from core.roles import Role
from core.services import (
    forecasting,
    ordering,
    purchasing,
    receiving,
    requests,
    settings,
    shortages,
)
from core.services.receiving import CountEntry
from core.services.requests import LineChange
from tests.helpers.orders import sent_order
from tests.helpers.planning import consumption, planning_station, waiting_numbers


@pytest.fixture
def station(any_db):
    return planning_station(any_db)


def _count_rows(db, table):
    with db.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- shortages ---------------------------------------------------------------------------------


def test_a_shortage_is_overdue_at_exactly_thirty_minutes(station, clock):
    db, staff, ro = station
    with db.writing() as uow:
        number = shortages.log_shortage("96536697", "2", ro, note="car on the lift", actor=staff[Role.ADVISOR],
                                        uow=uow)
    clock.advance(minutes=29, seconds=59)
    with db.reading() as uow:
        info = shortages.get_shortage(number, uow=uow)
    assert not info.overdue and info.minutes_left == 1 and info.respond_by == info.logged_at + timedelta(minutes=30)
    clock.advance(seconds=1)
    with db.reading() as uow:
        info = shortages.get_shortage(number, uow=uow)
        listed = shortages.list_shortages(uow=uow, open_only=True)
    assert info.overdue and info.minutes_left == 0 and [s.number for s in listed] == [number]


def test_answering_a_shortage_once_with_a_future_eta(station, clock):
    db, staff, ro = station
    with db.writing() as uow:
        number = shortages.log_shortage("96536697", "2", ro, actor=staff[Role.ADVISOR], uow=uow)
        clock.advance(minutes=10)
        with pytest.raises(BadInput, match="in the past"):
            shortages.answer_shortage(number, "order", clock.now() - timedelta(hours=1), actor=staff[Role.PLANNER],
                                      uow=uow)
        with pytest.raises(BadInput, match="unknown solution"):
            shortages.answer_shortage(number, "magic", clock.now() + timedelta(days=1), actor=staff[Role.PLANNER],
                                      uow=uow)
        with pytest.raises(PermissionDenied):
            shortages.answer_shortage(number, "order", clock.now() + timedelta(days=1), actor=staff[Role.ADVISOR],
                                      uow=uow)
        info = shortages.answer_shortage(number, "transfer", clock.now() + timedelta(hours=2), note="from branch 2",
                                         actor=staff[Role.PARTS_MANAGER], uow=uow)
        assert (info.state, info.solution, info.overdue, info.answered_by) == ("answered", "transfer", False, "PM1")
        with pytest.raises(RuleViolation, match="already answered"):
            shortages.answer_shortage(number, "order", clock.now() + timedelta(days=1), actor=staff[Role.PLANNER],
                                      uow=uow)


def test_a_late_answer_stays_marked_late(station, clock):
    db, staff, ro = station
    with db.writing() as uow:
        number = shortages.log_shortage("96536697", "1", ro, actor=staff[Role.ADVISOR], uow=uow)
        clock.advance(minutes=45)
        info = shortages.answer_shortage(number, "urgent_purchase", clock.now() + timedelta(hours=3),
                                         actor=staff[Role.PLANNER], uow=uow)
    assert info.overdue and info.state == "answered"


def test_bad_shortages_change_nothing(station):
    db, staff, ro = station
    with db.writing() as uow:
        for part_no, qty, order, error, message in [
            ("NOPE", "1", ro, NotFound, "unknown part"),
            ("96536697", "1", "RO-2026-999999", NotFound, "unknown repair"),
            ("96536697", "0", ro, BadInput, "above zero"),
            ("96536697", "x", ro, BadInput, "not a number"),
        ]:
            with pytest.raises(error, match=message):
                shortages.log_shortage(part_no, qty, order, actor=staff[Role.ADVISOR], uow=uow)
        with pytest.raises(PermissionDenied):
            shortages.log_shortage("96536697", "1", ro, actor=staff[Role.STOREKEEPER], uow=uow)
        with pytest.raises(NotFound, match="unknown shortage"):
            shortages.get_shortage("SHT-2026-000077", uow=uow)
    assert _count_rows(db, "shortage") == 0


def test_a_receipt_fulfils_shortages_oldest_first(station, tmp_path):
    db, staff, ro = station
    with db.writing() as uow:
        first = shortages.log_shortage("96536697", "6", ro, actor=staff[Role.ADVISOR], uow=uow)
        second = shortages.log_shortage("96536697", "6", ro, actor=staff[Role.ADVISOR], uow=uow)
        path = tmp_path / "pads.csv"
        path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nS1,1,96536697,Pads,10,286\n",
                        encoding="utf-8")
        number = receiving.open_receipt(path, actor=staff[Role.STOREKEEPER], uow=uow)
        receiving.check_boxes(number, 1, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
        receiving.count_receipt(number, [CountEntry("96536697", Decimal(10))], first=staff[Role.STOREKEEPER],
                                second=staff[Role.PLANNER], uow=uow)
        receiving.post_receipt(number, actor=staff[Role.PLANNER], uow=uow)
        done, waiting = (shortages.get_shortage(n, uow=uow) for n in (first, second))
    assert (done.state, done.fulfilled_by_doc) == ("fulfilled", number)
    assert waiting.state == "open"  # 10 arrived: enough for the first six, not for six more


# -- forecast and drafts -----------------------------------------------------------------------


def test_the_forecast_from_the_ledger(station, clock):
    db, staff, _ro = station
    consumption(db, staff, clock, [20] * 6)
    with db.reading() as uow:
        demand = forecasting.part_demand("96800106", uow=uow)
    assert [q for _c, q in demand.history] == [20] * 6 and demand.forecast == 20 and not demand.flagged
    assert demand.on_hand == 100 and demand.suggested == 0  # 20 + 10 safety is covered by 100 on hand


def test_a_draft_goes_through_every_approver(station, clock):
    db, staff, _ro = station
    consumption(db, staff, clock, [120] * 6)
    planner, pm, sm, acct, sd = (staff[r] for r in (Role.PLANNER, Role.PARTS_MANAGER, Role.STATION_MANAGER,
                                                      Role.ACCOUNTANT, Role.SERVICE_DIRECTOR))
    with db.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)
        info = requests.get_request(number, uow=uow)
        # Forecast 120, safety 60, on hand 100: order 80.
        assert [(line.part_no, line.forecast, line.suggested, line.qty) for line in info.lines] == [
            ("96800106", 120, 80, 80)]
        assert info.waiting_for == ("parts_manager",)
        # Out of order, by the wrong role, by the author: refused.
        with pytest.raises(RuleViolation, match="approved only after every review"):
            requests.approve_request(number, actor=sm, uow=uow)
        with pytest.raises(PermissionDenied, match="parts manager's review"):
            requests.review_request(number, actor=acct, uow=uow)
        with pytest.raises(RuleViolation, match="drafted this request"):
            requests.review_request(number, actor=planner, uow=uow)
        requests.review_request(number, actor=pm, uow=uow, comment="ok")
        with pytest.raises(PermissionDenied):
            requests.review_request(number, actor=pm, uow=uow)
        # The order meeting: the station manager changes a line, and it stays at his step.
        info = requests.edit_request(number, [LineChange("96536697", Decimal(4), "workshop campaign")], actor=sm,
                                     uow=uow)
        assert info.state == "pm_reviewed"
        requests.review_request(number, actor=sm, uow=uow)
        requests.review_request(number, actor=acct, uow=uow)
        info = requests.approve_request(number, actor=sd, uow=uow)
        assert info.state == "accountant_reviewed" and info.waiting_for == ("station_manager",)
        with pytest.raises(RuleViolation, match="already approved"):
            requests.approve_request(number, actor=sd, uow=uow)
        info = requests.approve_request(number, actor=sm, uow=uow)
        assert info.state == "approved" and info.approved_by == ("service_director", "station_manager")
        with pytest.raises(RuleViolation, match="can no longer change"):
            requests.edit_request(number, [LineChange("96536697", Decimal(5))], actor=planner, uow=uow)
        actions = [(h.operator, h.action, h.state) for h in requests.get_request(number, uow=uow).history]
    assert actions == [("PLAN1", "created", "draft"), ("PM1", "reviewed", "pm_reviewed"),
                       ("SM1", "edited", "pm_reviewed"), ("SM1", "reviewed", "meeting_reviewed"),
                       ("ACCT1", "reviewed", "accountant_reviewed"), ("SD1", "approved", "accountant_reviewed"),
                       ("SM1", "approved", "approved")]


def test_an_edit_after_a_review_clears_the_reviews_after_it(station):
    db, staff, _ro = station
    planner, pm, sm = staff[Role.PLANNER], staff[Role.PARTS_MANAGER], staff[Role.STATION_MANAGER]
    with db.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)
        requests.edit_request(number, [LineChange("96536697", Decimal(4))], actor=planner, uow=uow)
        requests.review_request(number, actor=pm, uow=uow)
        requests.review_request(number, actor=sm, uow=uow)
        requests.review_request(number, actor=staff[Role.ACCOUNTANT], uow=uow)
        requests.approve_request(number, actor=sm, uow=uow)
        # The station manager changes it after the accountant: back to his meeting, approvals gone.
        info = requests.edit_request(number, [LineChange("96536697", Decimal(6))], actor=sm, uow=uow)
        assert info.state == "pm_reviewed" and info.approved_by == ()
        assert [line.changed for line in info.lines] == [True]
        # The planner changes it: back to the very start.
        info = requests.edit_request(number, [LineChange("96800106", Decimal(2))], actor=planner, uow=uow)
        assert info.state == "draft"
        with pytest.raises(PermissionDenied):
            requests.edit_request(number, [LineChange("96536697", Decimal(1))], actor=staff[Role.ACCOUNTANT],
                                  uow=uow)


def test_a_screens_line_edit_reads_only_the_lines_it_changes(station):
    """A 79,000-line draft at 200k parts: the screens' edit of one line (change_lines) must not read the draft."""
    db, staff, _ro = station
    planner = staff[Role.PLANNER]
    with db.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)
        requests.edit_request(number, [LineChange("96536697", Decimal(4)), LineChange("96800106", Decimal(2))],
                              actor=planner, uow=uow)
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        if sql.lstrip().upper().startswith("SELECT") and "purchase_request_line" in sql:
            seen.append(" ".join(sql.split()))

    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        with db.writing() as uow:
            edited = requests.change_lines(number, [LineChange("96536697", Decimal(6))], actor=planner, uow=uow)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    # By number, in byte order on PostgreSQL (core.byte_order): an IN-list of the changed numbers only.
    assert seen and all(re.search(r'part\.part_no (COLLATE "C" )?IN', sql) for sql in seen), seen
    assert (edited.number, edited.state) == (number, "draft")
    with db.reading() as uow:
        info = requests.get_request(number, uow=uow)
    assert {line.part_no: line.qty for line in info.lines} == {"96536697": 6, "96800106": 2}
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT revision FROM purchase_request WHERE number = :n"), {"n": number})
        assert edited.revision == stored.scalar_one()


def test_a_rejection_sends_it_back_with_the_comment(station):
    db, staff, _ro = station
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange("96536697", Decimal(4))], actor=staff[Role.PLANNER],
                              uow=uow)
        requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        with pytest.raises(BadInput, match="needs a comment"):
            requests.reject_request(number, comment=" ", actor=staff[Role.STATION_MANAGER], uow=uow)
        with pytest.raises(PermissionDenied, match="no decision"):
            requests.reject_request(number, comment="no", actor=staff[Role.ACCOUNTANT], uow=uow)
        info = requests.reject_request(number, comment="too many pads", actor=staff[Role.STATION_MANAGER],
                                       uow=uow)
    assert info.state == "returned" and info.waiting_for == ("planner",)
    with db.reading() as uow:
        assert requests.get_request(number, uow=uow).history[-1].comment == "too many pads"
    with db.reading() as uow:  # out of every reviewer's queue
        for role in (Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT, Role.SERVICE_DIRECTOR):
            assert waiting_numbers(uow, staff[role]) == []
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="no review to give"):
            requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        with pytest.raises(PermissionDenied, match="needs the role parts planner"):
            requests.resubmit_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        # The planner works on it: it stays with him until he resubmits it.
        info = requests.edit_request(number, [LineChange("96536697", Decimal(2))], actor=staff[Role.PLANNER],
                                     uow=uow)
        assert info.state == "returned"
        info = requests.resubmit_request(number, actor=staff[Role.PLANNER], uow=uow, comment="halved")
        assert info.state == "draft" and info.waiting_for == ("parts_manager",)
        whole = requests.get_request(number, uow=uow)
        assert [line.changed for line in whole.lines if line.part_no == "96536697"] == [True]
        with pytest.raises(RuleViolation, match="only a returned draft"):
            requests.resubmit_request(number, actor=staff[Role.PLANNER], uow=uow)
        assert waiting_numbers(uow, staff[Role.PARTS_MANAGER]) == [number]


def test_a_second_draft_for_a_cycle_with_an_open_one_is_refused_naming_it(station):
    db, staff, _ro = station
    planner = staff[Role.PLANNER]
    with db.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow)
    for state in ("draft", "pm_reviewed", "returned", "approved"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE purchase_request SET state = :s"), {"s": state})
        with pytest.raises(RuleViolation, match=f"request {number} for the month from 2026-11-01 is still open"):
            with db.writing() as uow:
                requests.draft_request(actor=planner, uow=uow)
    with db.writing() as uow:  # another cycle is another matter; an ordered draft is done with
        week = requests.draft_request(actor=planner, uow=uow, cycle="week")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE purchase_request SET state = 'ordered'"))
    with db.writing() as uow:
        assert requests.draft_request(actor=planner, uow=uow) not in (number, week)


def test_a_flagged_line_needs_a_reason_before_review(station, clock):
    db, staff, _ro = station
    consumption(db, staff, clock, [10, 10, 10, 10, 10, 80])
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
        line = requests.get_request(number, uow=uow).lines[0]
        assert line.flagged
        with pytest.raises(RuleViolation, match="jumps against history"):
            requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        requests.edit_request(number, [LineChange(line.part_no, reason="fleet contract from December")],
                              actor=staff[Role.PLANNER], uow=uow)
        assert requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow).state == "pm_reviewed"


def _approved(db, staff, lines):
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange(p, Decimal(q)) for p, q in lines], actor=staff[Role.PLANNER],
                              uow=uow)
        for role in (Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT):
            requests.review_request(number, actor=staff[role], uow=uow)
        for role in (Role.STATION_MANAGER, Role.SERVICE_DIRECTOR):
            requests.approve_request(number, actor=staff[role], uow=uow)
    return number


def test_orders_per_supplier_from_an_approved_draft(station, tmp_path):
    db, staff, _ro = station
    with db.writing() as uow:
        purchasing.add_supplier("BOSCH", "Bosch", actor=staff[Role.PLANNER], uow=uow)
        purchasing.set_part_supplier("13579188", "BOSCH", actor=staff[Role.PLANNER], uow=uow)
        settings.set_setting("manufacturer", "sgm", actor=staff[Role.ADMIN], uow=uow)
    number = _approved(db, staff, [("96536697", 4), ("13579188", 1), ("96800106", 0)])
    with db.writing() as uow:
        with pytest.raises(PermissionDenied):
            ordering.orders_from_request(number, actor=staff[Role.STOREKEEPER], uow=uow)
        orders = ordering.orders_from_request(number, actor=staff[Role.PLANNER], uow=uow)
        placed = {o: purchasing.get_order(o, uow=uow) for o in orders}
        assert requests.get_request(number, uow=uow).state == "ordered"
        with pytest.raises(RuleViolation, match="only an approved request"):
            ordering.orders_from_request(number, actor=staff[Role.PLANNER], uow=uow)
    assert sorted((o.supplier, [line.part_no for line in o.lines], o.source_doc) for o in placed.values()) == [
        ("BOSCH", ["13579188"], number), ("SGM", ["96536697"], number)]
    with db.writing() as uow:
        for suffix in ("csv", "xlsx"):
            written = ordering.export_order(orders[0], tmp_path / f"order.{suffix}", uow=uow)
            assert written.exists()
        assert "13579188" in (tmp_path / "order.csv").read_text(encoding="utf-8-sig")
        with pytest.raises(BadInput, match=".csv or .xlsx"):
            ordering.export_order(orders[0], tmp_path / "order.pdf", uow=uow)


def test_chasing_orders_in_transit(station, clock):
    db, staff, _ro = station
    order = sent_order(db, staff, "SGM", [purchasing.parse_order_line("96536697:5")], ro=_ro)
    with db.writing() as uow:
        with pytest.raises(BadInput, match="in the past"):
            ordering.chase_order(order, "called", eta=clock.now() - timedelta(days=1), actor=staff[Role.PLANNER],
                                 uow=uow)
        with pytest.raises(BadInput, match="needs a note"):
            ordering.chase_order(order, "", actor=staff[Role.PLANNER], uow=uow)
        chased = ordering.chase_order(order, "called Ms Li: ships Monday", eta=clock.now() + timedelta(days=3),
                                      actor=staff[Role.PLANNER], uow=uow)
    assert chased.days_late == 0 and chased.last_note == "called Ms Li: ships Monday"
    clock.advance(days=5)
    with db.reading() as uow:
        transit = ordering.transit_orders(uow=uow)
    assert [(t.number, t.days_late) for t in transit] == [(order, 2)]


def test_the_spreadsheet_round_trip_and_a_sheet_that_does_not_match(station, tmp_path):
    db, staff, _ro = station
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange("96536697", Decimal(4)), LineChange("96800106", Decimal(10))],
                              actor=staff[Role.PLANNER], uow=uow)
        sheet = requests.export_request(number, tmp_path / "draft.xlsx", uow=uow)
    book = load_workbook(sheet)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("part_no", "name", "forecast", "suggested", "qty", "reason")
    with db.reading() as uow:
        lines = requests.get_request(number, uow=uow).lines
    # The draft's numbers go into the sheet's XML as their exact decimal text, never through a float.
    with zipfile.ZipFile(sheet) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    written = [v for row, v in re.findall(r'<c r="[CDE]([0-9]+)"[^>]*><v>([^<]*)</v>', xml) if row != "1"]
    assert [Decimal(v) for v in written] == [value for line in lines for value in (line.forecast, line.suggested,
                                                                                    line.qty)]
    assert not [v for v in written if "e" in v.lower() or len(v.split(".")[-1]) > 3]  # no float's long tail
    book.active.cell(row=2, column=5, value=6)
    book.active.cell(row=2, column=6, value="more brake jobs")
    book.save(tmp_path / "adjusted.xlsx")
    with db.writing() as uow:
        info = requests.import_request(number, tmp_path / "adjusted.xlsx", actor=staff[Role.PLANNER], uow=uow)
    assert {line.part_no: (line.qty, line.reason) for line in info.lines}["96536697"] == (6, "more brake jobs")
    wrong = Workbook()
    wrong.active.append(["part_no", "qty"])
    wrong.active.append(["96536697", 3])
    wrong.active.append(["13579188", 1])
    wrong.save(tmp_path / "wrong.xlsx")
    with db.writing() as uow, pytest.raises(ImportRejected, match="does not match") as caught:
        requests.import_request(number, tmp_path / "wrong.xlsx", actor=staff[Role.PLANNER], uow=uow)
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "13579188 is not on request" in messages and "96800106 of the draft is missing" in messages
    with db.reading() as uow:
        assert {line.part_no: line.qty for line in requests.get_request(number, uow=uow).lines} == {
            "96536697": 6, "96800106": 10}


def test_settings_are_checked(station):
    db, staff, _ro = station
    with db.writing() as uow:
        assert settings.set_setting("cycle", "week", actor=staff[Role.ADMIN], uow=uow) == "week"
        for key, value, message in [("cycle", "year", "week, month"), ("jump_ratio", "0.5", "from 1"),
                                    ("colour", "red", "unknown setting")]:
            with pytest.raises(BadInput, match=message):
                settings.set_setting(key, value, actor=staff[Role.ADMIN], uow=uow)
        with pytest.raises(PermissionDenied):
            settings.set_setting("cycle", "month", actor=staff[Role.PLANNER], uow=uow)
        assert settings.get_settings(uow=uow)["cycle"] == "week"
