"""The home to-do (待办): what waits for the operator, read in one unit, each section and item chosen by the
core's rules (core.access, core.shortage_rules, core.receiving_rules, core.order_rules, core.approvals).

A read model over the other services' public reads (never their private helpers): the screen only shows it.
It reads a window of the items (the first WINDOW for the home dashboard, any page for the full list) and the
counts of them all: SQL counts and pages the long sections (shortages, receipts, late orders), so a station with
50,000 open documents reads as fast as one with fifty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import clock
from core.access import TodoSection, todo_sections
from core.order_rules import may_approve, may_send
from core.records.sales import SaleView
from core.roles import Actor
from core.services.draft_pages import WaitingDraft, waiting_drafts
from core.services.ordering import TransitOrder, late_orders_page, unsent_orders
from core.services.receiving import ReceiptSummary, receipts_page
from core.services.reservations import Arrival, arrivals_for
from core.services.sales import sales_to_check
from core.services.shortages import ShortageInfo, shortages_page
from core.shortage_rules import answers_shortages
from core.units import ReadUnit

# The items the home dashboard shows: the most urgent; the full list (its key) pages through the rest.
WINDOW = 20


@dataclass(frozen=True, slots=True)
class TodoCounts:
    """How many items wait in each section, all of them (not only those read)."""

    arrivals: int = 0
    shortages: int = 0  # listed: open ones for the parts department, an advisor's own until fulfilled
    shortages_open: int = 0
    shortages_overdue: int = 0
    sales: int = 0  # counter sales waiting for the operator's check
    receipts_today: int = 0
    receipts_late: int = 0
    receipts_overdue: int = 0
    orders_late: int = 0
    to_decide: int = 0
    drafts: int = 0

    @property
    def receipts(self) -> int:
        """Every receipt not posted."""
        return self.receipts_today + self.receipts_late + self.receipts_overdue

    @property
    def total(self) -> int:
        """Every item waiting, in every section."""
        return (self.arrivals + self.shortages + self.sales + self.receipts + self.orders_late + self.to_decide
                + self.drafts)


@dataclass(frozen=True, slots=True)
class Todo:
    """What waits for the operator, read at one moment (`now`): a window of the items (from `offset`, the
    sections in the order the dashboard shows them) and the counts of all; a section is None when it is not
    theirs, an empty list when none of its items falls in the window."""

    now: datetime
    sections: tuple[TodoSection, ...] = ()
    shortages: list[ShortageInfo] | None = None
    receipts: list[ReceiptSummary] | None = None
    orders: list[TransitOrder] | None = None
    drafts: list[WaitingDraft] | None = None
    answers_shortages: bool = False  # the parts department answers; an advisor follows his own
    arrivals: list[Arrival] | None = None  # parts arrived for the advisor's shortages, kept for his orders
    # Orders not sent yet that wait for the operator: the parts manager approves, the planner sends.
    to_decide: list[TransitOrder] | None = None
    counts: TodoCounts = TodoCounts()
    offset: int = 0
    sales: list[SaleView] | None = None  # counter sales waiting for the operator's check, the oldest first

    @property
    def shown(self) -> int:
        """How many items this window holds."""
        return sum(len(section or ()) for section in (self.arrivals, self.shortages, self.sales, self.receipts,
                                                      self.orders, self.to_decide, self.drafts))


class _Window:
    """Where the window stands while the sections are read in order: items still to skip, room still left."""

    def __init__(self, offset: int, limit: int) -> None:
        self.skip, self.room = max(0, offset), max(0, limit)

    def took(self, shown: int, total: int) -> None:
        """A section of `total` items gave `shown` of them to the window."""
        self.skip = max(0, self.skip - total)
        self.room -= shown

    def cut(self, items: list) -> list:
        """The window's part of a section read whole (a short one)."""
        part = items[self.skip:self.skip + self.room]
        self.took(len(part), len(items))
        return part


def read_todo(actor: Actor, *, uow: ReadUnit, offset: int = 0, limit: int = WINDOW) -> Todo:
    """Every section the operator works on, `limit` items from `offset` (the dashboard's order) and the counts of
    all: parts arrived for his orders, shortages still to answer (an advisor's own until fulfilled), counter sales
    waiting for his check, receipts not posted (overdue, late, today's), orders late in transit, orders to approve
    or send, drafts waiting for the operator's decision."""
    now = clock.now()
    sections = todo_sections(actor)
    answers = answers_shortages(actor)
    window = _Window(offset, limit)
    counts: dict[str, int] = {}
    shortages = receipts = orders = drafts = to_decide = arrivals = sales = None
    if TodoSection.SHORTAGES in sections:
        # Parts arrived for his shortages, reserved for the repair order until the storekeeper issues them.
        listed = arrivals_for(actor, uow=uow)
        counts["arrivals"] = len(listed)
        arrivals = window.cut(listed)
        # The parts department sees what waits for its answer; an advisor follows his until fulfilled.
        page = shortages_page(uow=uow, offset=window.skip, limit=window.room, unanswered=answers,
                              logged_by=None if answers else actor.code)
        window.took(len(page.rows), page.total)
        shortages = page.rows
        counts.update(shortages=page.total, shortages_open=page.open, shortages_overdue=page.overdue)
    if TodoSection.SALES in sections:
        # A customer at the counter waits for the second person's check (一审、二审) before the parts leave.
        page = sales_to_check(actor, uow=uow, offset=window.skip, limit=window.room)
        window.took(len(page.rows), page.total)
        sales = page.rows
        counts["sales"] = page.total
    if TodoSection.RECEIPTS in sections:
        # 当日报财务…最多不超过3天: every receipt not posted, overdue first, then late, then today's.
        page = receipts_page(uow=uow, offset=window.skip, limit=window.room, most_urgent_first=True)
        window.took(len(page.rows), page.total)
        receipts = page.rows
        counts.update(receipts_today=page.today, receipts_late=page.late, receipts_overdue=page.overdue)
    if TodoSection.ORDERS in sections:
        page = late_orders_page(uow=uow, offset=window.skip, limit=window.room)
        window.took(len(page.rows), page.total)
        orders = page.rows
        counts["orders_late"] = page.total
        waiting = [o for o in unsent_orders(uow=uow).rows
                   if may_approve(actor, o.state, o.author_id) or may_send(actor, o.state)]
        counts["to_decide"] = len(waiting)
        to_decide = window.cut(waiting)
    if TodoSection.DRAFTS in sections:
        # Counted, never read line by line: a draft of a big station has tens of thousands of lines.
        page = waiting_drafts(uow=uow, waiting_for=actor, offset=window.skip, limit=window.room)
        window.took(len(page.rows), page.total)
        drafts = page.rows
        counts["drafts"] = page.total
    return Todo(now, sections, shortages, receipts, orders, drafts, answers, arrivals, to_decide,
                TodoCounts(**counts), max(0, offset), sales)
