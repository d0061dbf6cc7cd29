"""Planning in tests: repair orders and shortages, consumption history, drafts through their reviews, an overdue
receipt and a late order, as the planning screens and their snapshots find them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.roles import Role
from core.services import draft_pages, ordering, purchasing, requests, shortages, stock
from core.services.receiving import open_receipt
from core.services.repair_orders import open_repair_order
from core.services.requests import LineChange
from tests.helpers.counter import issue, open_order
from tests.helpers.orders import sent_order
from tests.helpers.staff import make_staff
from tests.helpers.station import SAMPLES
from tests.helpers.tui import stock_samples

PADS, FILTER = "96536697", "96800106"
# The oil filter's consumption, month by month up to the month before the frozen clock's (November 2026).
FILTER_MONTHS = [90, 110, 100, 130, 120, 140, 115, 125, 135, 120, 130, 125]


def repair_order(db, staff) -> str:
    """A repair order opened by the advisor (a shortage is logged against one)."""
    with db.writing() as uow:
        return open_repair_order(customer="王先生", phone="13800138000", vin="LSGPC54U3AF123456", plate="沪A12345",
                                 series="EXCELLE", mileage=42000, complaint="brakes squeal",
                                 actor=staff[Role.ADVISOR], uow=uow).ro_no


def planning_station(db):
    """Staff, the sample parts master and one open repair order: (db, staff, RO number)."""
    from core.services import part_import
    from tests.helpers.staff import make_staff

    staff = make_staff(db)
    with db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    return db, staff, repair_order(db, staff)


def log_shortage(db, staff, clock, ro: str, *, minutes_ago: int = 0, part_no: str = PADS, qty: str = "2") -> str:
    """A shortage the advisor logged `minutes_ago` before the clock's time."""
    now = clock.now()
    clock.set(now - timedelta(minutes=minutes_ago))
    with db.writing() as uow:
        number = shortages.log_shortage(part_no, qty, ro, note="car on the lift", actor=staff[Role.ADVISOR],
                                        uow=uow)
    clock.set(now)
    return number


def consumption(db, staff, clock, monthly: list[int], part_no: str = FILTER, location: str = "EXC-01-01-01",
                left: int = 100, ro: str | None = None) -> None:
    """Requisitions at mid-month, one month per figure, ending in the month before the clock's; `left` stays on
    hand. They are issued against `ro`, or against a repair order opened when the history starts."""
    start = clock.now()
    clock.set(start.replace(day=15) - timedelta(days=31 * len(monthly)))
    with db.writing() as uow:
        stock.adjust(part_no, Decimal(sum(monthly) + left), location=location, reason="opening",
                     actor=staff[Role.PARTS_MANAGER], uow=uow)
    ro = ro or open_order(db, staff)
    for used in monthly:
        clock.set(clock.now().replace(day=15))
        if used:
            issue(db, staff, ro, (part_no, Decimal(used)))
        clock.advance(days=31)
    clock.set(start)


def draft(db, staff, planner=None, cycle: str | None = None) -> str:
    """A draft from the forecast (the oil filter) with the brake pads added by the planner; one open draft a
    cycle, so a second one in a test names another `cycle` ("week")."""
    planner = planner or staff[Role.PLANNER]
    with db.writing() as uow:
        number = requests.draft_request(actor=planner, uow=uow, cycle=cycle)
        requests.edit_request(number, [LineChange(PADS, Decimal(4), "workshop campaign")], actor=planner,
                              uow=uow)
    return number


def waiting_numbers(uow, actor) -> list[str]:
    """The numbers of every draft waiting for the operator's decision, newest first: the to-do's and the review's
    list (draft_pages.waiting_drafts), read in the caller's unit."""
    return [d.number for d in draft_pages.waiting_drafts(uow=uow, waiting_for=actor, limit=10_000).rows]


def advance(db, staff, number: str, *steps: Role) -> str:
    """Give the reviews of `steps` in order."""
    with db.writing() as uow:
        for role in steps:
            requests.review_request(number, actor=staff[role], uow=uow)
    return number


def overdue_receipt(db, staff, clock) -> str:
    """The sample shipment, arrived four days ago and not posted."""
    now = clock.now()
    clock.set(now - timedelta(days=4))
    with db.writing() as uow:
        number = open_receipt(SAMPLES / "packing_list.csv", actor=staff[Role.STOREKEEPER], uow=uow,
                              supplier="SGM")
    clock.set(now)
    return number


def late_order(db, staff, clock) -> str:
    """An order placed ten days ago whose supplier promised it five days ago."""
    now = clock.now()
    clock.set(now - timedelta(days=10))
    order = sent_order(db, staff, "SGM", [purchasing.parse_order_line(f"{PADS}:5")])
    with db.writing() as uow:
        ordering.chase_order(order, "called Ms Li: ships Monday", eta=now - timedelta(days=5),
                             actor=staff[Role.PLANNER], uow=uow)
    clock.set(now)
    return order


def request(db, number: str):
    """A draft as the database holds it."""
    with db.reading() as uow:
        return requests.get_request(number, uow=uow)


def filter_station(db, clock):
    """Staff, the sample parts and lots, and a year of the oil filter's consumption: (db, staff)."""
    staff = make_staff(db)
    stock_samples(db, staff, clock)
    consumption(db, staff, clock, FILTER_MONTHS)
    return db, staff
