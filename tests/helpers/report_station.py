"""The reports' small station in tests: four parts, five lots and two issues, every figure computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from core.roles import Role
from core.services import catalog
from tests.helpers.counter import issue, open_order
from tests.helpers.planning import planning_station
from tests.helpers.staff import FROZEN
from tests.helpers.station import receive

PADS, FILTER, LAMP, WIPER = "96536697", "96800106", "13301204", "90000001"


def at(year: int, month: int, day: int) -> datetime:
    """An instant at 10:00 UTC (the tests' time zone) on a day."""
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def small_station(db, clock):
    """Four parts, five lots and two issues, dated so that every bucket and class has a hand-computed figure:

    FILTER 10 @ 5.00 received 2025-10-01, 2 issued 2026-04-01 (8 left: 40.00, over 365 days, 6 months slow);
    PADS 6 @ 260.00 received 2026-07-01, 3 issued 2026-11-10 (3 left: 780.00, 91-180 days);
    PADS 4 @ 250.00 received 2026-11-01 (1000.00, 0-90 days);
    LAMP 2 @ 1000.00 received 2026-03-01, never issued (2000.00, 181-365 days, 6 months slow, CRUZE);
    WIPER 5 @ 20.00 received 2024-06-01, never issued (100.00, over 365 days, 24 months slow).
    """
    db, staff, _ro = planning_station(db)
    with db.writing() as uow:
        catalog.add_part(WIPER, "Wiper blade", name_zh="雨刮片", model_series="EXCELLE", price="40",
                         location="EXC-01-01-09", actor=staff[Role.PLANNER], uow=uow)
    clock.set(at(2024, 6, 1))
    receive(db, staff, WIPER, "5", cost="20", location="EXC-01-01-09")
    clock.set(at(2025, 10, 1))
    receive(db, staff, FILTER, "10", cost="5", location="EXC-01-01-01")
    clock.set(at(2026, 3, 1))
    receive(db, staff, LAMP, "2", cost="1000", location="CRZ-03-01-01")
    ro = open_order(db, staff)
    clock.set(at(2026, 4, 1))
    issue(db, staff, ro, (FILTER, "2"))
    clock.set(at(2026, 7, 1))
    receive(db, staff, PADS, "6", cost="260", location="EXC-01-02-03")
    clock.set(at(2026, 11, 1))
    receive(db, staff, PADS, "4", cost="250", location="EXC-01-02-03")
    clock.set(at(2026, 11, 10))
    issue(db, staff, ro, (PADS, "3"))
    clock.set(FROZEN)
    return db, staff
