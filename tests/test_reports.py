"""The reports (报表) against a small station computed by hand, on SQLite and PostgreSQL (any_db)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import BadInput, NotFound
from core.roles import Role
from core.services import receiving, shortages
from core.services.reports import read_report
from tests.helpers.counter import issue, open_order
from tests.helpers.planning import log_shortage, planning_station
from tests.helpers.receiving import counted, open_sample
from tests.helpers.report_station import FILTER, LAMP, PADS, WIPER, small_station
from tests.helpers.staff import FROZEN
from tests.helpers.station import receive


def report(db, name, **options):
    """A report read whole."""
    with db.reading() as uow:
        return read_report(name, uow=uow, **options)


def rows(found, section=0):
    return [tuple(row) for row in found.sections[section].rows]


def test_valuation_now_and_at_past_dates(any_db, clock):
    db, _staff = small_station(any_db, clock)
    now = report(db, "valuation")
    assert now.params == {"at": "2026-11-20"}
    assert rows(now) == [("CRUZE", "CRZ", "2", "2000.00"), ("EXCELLE", "EXC", "20", "1920.00")]
    assert now.totals == {"qty": "22", "value": "3920.00"}
    # Before the new pads came and before the pads were issued: the older pad lot still whole.
    october = report(db, "valuation", at="2026-10-31")
    assert rows(october) == [("CRUZE", "CRZ", "2", "2000.00"), ("EXCELLE", "EXC", "19", "1700.00")]
    march = report(db, "valuation", at="2026-03-15")
    assert rows(march) == [("CRUZE", "CRZ", "2", "2000.00"), ("EXCELLE", "EXC", "15", "150.00")]
    assert report(db, "valuation", at="2024-01-01").sections[0].rows == []


def test_aging_buckets(any_db, clock):
    db, _staff = small_station(any_db, clock)
    found = report(db, "aging")
    assert [(key, qty, value) for key, _title, qty, value in rows(found)] == [
        ("0_90", "4", "1000.00"), ("91_180", "3", "780.00"), ("181_365", "2", "2000.00"), ("over_365", "13", "140.00")]
    # At the end of October: the new pads not yet in, the older lot still whole (6), 4 months old then.
    october = report(db, "aging", at="2026-10-31")
    assert [(key, qty, value) for key, _title, qty, value in rows(october)] == [
        ("0_90", "0", "0.00"), ("91_180", "6", "1560.00"), ("181_365", "2", "2000.00"), ("over_365", "13", "140.00")]
    assert found.totals == {"qty": "22", "value": "3920.00"}


def test_slow_moving_parts(any_db, clock):
    db, _staff = small_station(any_db, clock)
    found = report(db, "slow")
    parts = rows(found, 0)
    assert [(p[0], p[3], p[4], p[5], p[6]) for p in parts] == [
        (LAMP, None, "6", "2", "2000.00"), (WIPER, None, "24", "5", "100.00"),
        (FILTER, "2026-04-01", "6", "8", "40.00")]
    assert rows(found, 1) == [("24", "1", "5", "100.00"), ("12", "0", "0", "0.00"), ("6", "2", "10", "2040.00")]
    assert found.totals == {"parts": "3", "value": "2140.00"}
    # Seen from June 2025, when the wiper was a year old and nothing else was in: 12 months.
    june = report(db, "slow", at="2025-06-30")
    assert [(r[0], r[4], r[5]) for r in rows(june, 0)] == [(WIPER, "12", "5")]


def test_stock_card(any_db, clock):
    db, _staff = small_station(any_db, clock)
    found = report(db, "card", part_no=PADS, start="2026-11-01", end="2026-11-20")
    assert found.params == {"from": "2026-11-01", "to": "2026-11-20", "part_no": PADS}
    assert [(r[1], r[4], r[5], r[6], r[7]) for r in rows(found)] == [
        ("adjust", "4", None, "10", "250.00"), ("issue", None, "3", "7", "260.00")]
    assert found.totals == {"opening_qty": "6", "opening_value": "1560.00", "closing_qty": "7",
                            "closing_value": "1780.00"}
    with pytest.raises(NotFound):
        report(db, "card", part_no="NOPE-1")


def test_consumption_by_series_and_month(any_db, clock):
    db, _staff = small_station(any_db, clock)
    found = report(db, "consumption", start="2026-01-01", end="2026-11-30")
    assert rows(found) == [("EXCELLE", "2026-04", "2", "10.00"), ("EXCELLE", "2026-11", "3", "780.00")]
    assert found.chart.labels[0] == "2026-01" and found.chart.labels[-1] == "2026-11"
    assert found.chart.series[0][0] == "EXCELLE"
    # The default period: twelve months to this one.
    assert report(db, "consumption").params == {"from": "2025-12-01", "to": "2026-11-20"}


def test_abc_classes(any_db, clock):
    db, _staff = small_station(any_db, clock)
    found = report(db, "abc")
    assert rows(found, 1) == [("A", "1", "780.00", "98.7"), ("B", "0", "0.00", "0.0"), ("C", "1", "10.00", "1.3")]
    assert found.totals == {"value": "790.00"}
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows(found, 0)] == [
        ("1", PADS, "3", "780.00", "A"), ("2", FILTER, "2", "10.00", "C")]


def test_abc_b_class_and_ties(any_db, clock):
    """Issue values 70, 20, 6, 4 (of 100): a part is A while what ranks above it is under 80%, B under 95%."""
    db, staff = planning_station(any_db)[:2]
    ro = open_order(db, staff)
    for part_no, qty in ((PADS, "70"), (FILTER, "20"), (LAMP, "6"), ("96553450", "4")):
        receive(db, staff, part_no, qty, cost="1", location="EXC-01-01-02" if part_no == "96553450" else None)
        issue(db, staff, ro, (part_no, qty))
    found = report(db, "abc")
    # Above PADS: 0 (A); above FILTER: 70 < 80 (A); above LAMP: 90 (B: under 95); above the air filter: 96 (C).
    assert [(r[1], r[5]) for r in rows(found, 0)] == [(PADS, "A"), (FILTER, "A"), (LAMP, "B"), ("96553450", "C")]


def test_service_level_and_late_receipts(any_db, clock):
    db, staff, ro = planning_station(any_db)
    quick = log_shortage(db, staff, clock, ro, minutes_ago=10)
    slow = log_shortage(db, staff, clock, ro, minutes_ago=50)
    with db.writing() as uow:  # answered 10 minutes after logging (in time), the other 85 minutes after
        shortages.answer_shortage(quick, "transfer", FROZEN + timedelta(days=1), actor=staff[Role.PLANNER],
                                  uow=uow)
    clock.advance(minutes=35)
    with db.writing() as uow:
        shortages.answer_shortage(slow, "transfer", FROZEN + timedelta(days=1), actor=staff[Role.PLANNER],
                                  uow=uow)
    clock.set(FROZEN - timedelta(days=2))
    number = counted(db, staff, open_sample(db, staff))
    clock.set(FROZEN)
    with db.writing() as uow:
        # The pads come in: both shortages fulfilled, 10 and 50 minutes after they were logged.
        receiving.post_receipt(number, actor=staff[Role.PLANNER], uow=uow, late_reason="invoice missing")
    found = report(db, "service", start="2026-11-01", end="2026-11-20")
    assert rows(found, 0) == [("2", "2", "1", "50.0", "47.5", "2", "30.0")]
    assert rows(found, 1) == [(number, "2026-11-18", "2026-11-20", "2", "invoice missing")]


def test_claims_outstanding(any_db, clock, tmp_path):
    """The sample receipt's two claims, raised 40 days ago: the carrier's damaged lamp (1 x 1580.00, box 2
    damaged) and the supplier's five missing oil filters (5 x 38.50)."""
    from tests.helpers.papers import one_of_each
    from tests.helpers.staff import make_staff

    staff = make_staff(any_db)
    clock.set(FROZEN - timedelta(days=40))
    one_of_each(any_db, staff, tmp_path)
    clock.set(FROZEN)
    found = report(any_db, "claims")
    assert rows(found) == [("carrier", "31_60", "31–60 days", "1", "1580.00"),
                           ("supplier", "31_60", "31–60 days", "1", "192.50")]
    assert found.totals == {"claims": "2", "amount": "1772.50"}
    assert [r[1] for r in rows(report(any_db, "claims", at="2026-10-20"))] == ["0_30", "0_30"]
    assert rows(report(any_db, "claims", at="2026-10-01")) == []


@pytest.mark.parametrize("options, message", [
    ({"at": "2026-13-01"}, "bad date"),
    ({"start": "2026-11-10", "end": "2026-11-01", "name": "consumption"}, "is after"),
    ({"start": "2026-11-10"}, "taken at a date"),
    ({"at": "2026-11-10", "name": "service"}, "covers a period"),
    ({"name": "card"}, "needs a part number"),
    ({"name": "nonsense"}, "unknown report"),
])
def test_bad_options_are_refused(db, options, message):
    name = options.pop("name", "valuation")
    with db.reading() as uow, pytest.raises(BadInput, match=message):
        read_report(name, uow=uow, **options)


def test_the_slow_movers_last_issue_reads_sqlites_stored_text_as_its_datetime():
    """SQLite hands the last issue over as its stored text (no column type's parse, a sixth of the report at 150,000
    parts), PostgreSQL as a naive UTC datetime: the local day is the same for each hour of the day."""
    from datetime import datetime

    from core.services.reports_build import _stored_day

    for hour in range(24):
        at = datetime(2026, 3, 31, hour, 59, 59, 999999)
        assert _stored_day(f"2026-03-31 {hour:02d}:59:59.999999") == _stored_day(at)
    assert _stored_day(None) is None
