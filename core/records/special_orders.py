"""A shortage answered `order` on the cycle's draft (订单底稿), inside a transaction: a line of its own, tagged with
the shortage and its repair order, a special order for that customer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from core import request_events
from core import tables as t
from core.approvals import CLOSED, OPEN
from core.errors import RuleViolation
from core.i18n import _
from core.labels import REQUEST_STATE, label
from core.models import RequestState
from core.records.demand import cycle_start
from core.records.requests import record_event
from core.records.settings import read_settings
from core.records.supersession import order_newest
from core.roles import Actor


def add_to_cycle_draft(conn: Connection, shortage, actor: Actor, at: datetime) -> str:
    """Add the shortage's part and quantity to the current cycle's open draft as a line tagged with the shortage;
    the draft's approvals start again, as after any edit. Refused where the cycle has no draft open yet (the
    planner drafts it) or its draft is approved already (its lines no longer change). The draft's number."""
    cycle = read_settings(conn)["cycle"]
    start = cycle_start(at.astimezone().date(), cycle)
    request = t.purchase_request
    drafts = conn.execute(select(request).where(request.c.cycle == cycle,
                                                request.c.state.in_([state.value for state in OPEN]))
                          .order_by(request.c.id).with_for_update()).all()
    # Compared as dates: SQLite hands the stored start back without its time zone.
    draft = next((row for row in drafts if row.cycle_start.date() == start), None)
    if draft is None:
        raise RuleViolation(_("no purchase draft is open for the {cycle} from {start}: the planner drafts it with "
                              "`partsdesk request draft`, or answer urgent_purchase").format(
            cycle=cycle, start=start.isoformat()))
    if draft.state in CLOSED:
        raise RuleViolation(_("request {number} is {state}: its lines no longer change; answer urgent_purchase "
                              "instead").format(number=draft.number, state=label(REQUEST_STATE, draft.state)))
    revision = draft.revision + 1
    # A shortage of a superseded number is ordered as its newest number(s): a draft holds no old number.
    lines = [(part, qty) for part, qty, _cost in order_newest(conn, [(shortage.part_id, shortage.qty, None)])]
    conn.execute(insert(t.purchase_request_line), [
        {"request_id": draft.id, "part_id": part, "forecast": Decimal(0), "suggested": Decimal(0), "qty": qty,
         "flagged": False, "reason": None, "changed_revision": revision, "shortage_id": shortage.id}
        for part, qty in lines])
    conn.execute(update(request).where(request.c.id == draft.id).values(
        revision=revision, sm_approved_at=None, sd_approved_at=None))
    ro = conn.execute(select(t.repair_order.c.ro_no).where(t.repair_order.c.id == shortage.repair_order_id)).scalar()
    # The comment names the shortage and its repair order (numbers, the same in every language); the detail is
    # the line as every edit records it.
    numbers = dict(conn.execute(select(t.part.c.id, t.part.c.part_no).where(
        t.part.c.id.in_([part for part, _qty in lines]))).all())
    record_event(conn, draft.id, actor, at, "edited", RequestState(draft.state), revision, f"{shortage.number} {ro}",
                 detail=request_events.edited([request_events.ChangedLine(numbers[part], qty) for part, qty in lines]))
    return draft.number
