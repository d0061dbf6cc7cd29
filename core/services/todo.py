"""The home to-do (待办): what waits for the operator, read in one unit, each section and item chosen by the
core's rules (core.access, core.shortage_rules, core.receiving_rules, core.order_rules, core.approvals).

A read model over the other services' public reads (never their private helpers): the screen only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import clock
from core.access import TodoSection, todo_sections
from core.order_rules import EXPECTED_STATES, is_late, may_approve, may_send
from core.receiving_rules import ReceiptTiming
from core.roles import Actor
from core.services.ordering import TransitOrder, transit_orders
from core.services.receiving import ReceiptSummary, list_receipts
from core.services.requests import RequestInfo, list_requests
from core.services.reservations import Arrival, arrivals_for
from core.services.shortages import ShortageInfo, list_shortages
from core.shortage_rules import answers_shortages, visible_shortages
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class Todo:
    """What waits for the operator, read at one moment (`now`); a section is None when it is not theirs."""

    now: datetime
    sections: tuple[TodoSection, ...] = ()
    shortages: list[ShortageInfo] | None = None
    receipts: list[ReceiptSummary] | None = None
    orders: list[TransitOrder] | None = None
    drafts: list[RequestInfo] | None = None
    answers_shortages: bool = False  # the parts department answers; an advisor follows his own
    arrivals: list[Arrival] | None = None  # parts arrived for the advisor's shortages, kept for his orders
    # Orders not sent yet that wait for the operator: the parts manager approves, the planner sends.
    to_decide: list[TransitOrder] | None = None


def read_todo(actor: Actor, *, uow: ReadUnit) -> Todo:
    """Every section the operator works on: shortages still to answer (an advisor's own until fulfilled),
    receipts not posted (today's, late, overdue), orders late in transit, orders to approve or send, drafts waiting
    for the operator's decision."""
    now = clock.now()
    sections = todo_sections(actor)
    answers = answers_shortages(actor)
    shortages = receipts = orders = drafts = to_decide = None
    if TodoSection.SHORTAGES in sections:
        # The parts department sees what waits for its answer; an advisor follows theirs until fulfilled.
        shortages = [s for s in visible_shortages(actor, list_shortages(uow=uow, open_only=True))
                     if s.state == "open" or not answers]
    if TodoSection.RECEIPTS in sections:
        # 当日报财务…最多不超过3天: every receipt not posted, overdue first, then late, then today's.
        order = {ReceiptTiming.OVERDUE: 0, ReceiptTiming.LATE: 1, ReceiptTiming.TODAY: 2}
        receipts = sorted(list_receipts(uow=uow, open_only=True), key=lambda r: (order.get(r.timing, 3), r.deadline))
    if TodoSection.ORDERS in sections:
        listed = transit_orders(uow=uow, unsent=True)
        orders = [o for o in listed if o.state in EXPECTED_STATES and is_late(o.eta, now)]
        to_decide = [o for o in listed if o.state not in EXPECTED_STATES
                     and (may_approve(actor, o.state, o.author_id) or may_send(actor, o.state))]
    if TodoSection.DRAFTS in sections:
        drafts = list_requests(uow=uow, waiting_for=actor)
    # Parts arrived for his shortages, reserved for the repair order until the storekeeper issues them.
    arrivals = arrivals_for(actor, uow=uow) if TodoSection.SHORTAGES in sections else None
    return Todo(now, sections, shortages, receipts, orders, drafts, answers, arrivals, to_decide)
