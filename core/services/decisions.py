"""What waits for a person's decision beyond purchase drafts: transfers to check (二审), adjustments and write-offs to
approve, stocktake variances to approve, urgent orders to approve or send, and claims to send.

A read model over the other services' reads: each row names its kind (core.labels.DECISION_KIND), its document, a
line saying what it is, who entered it and since when, and the action its key takes (check, approve, send). The
rules of who may decide stay in the services (transfers.check_rule, adjustments.approval_role, core.order_rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from core.labels import ADJUST_REASON, label
from core.models.enums import ClaimState
from core.order_rules import may_approve, may_send
from core.roles import Actor, Permission
from core.services.adjustments import adjustments_awaiting
from core.services.claims import list_claims
from core.services.ordering import unsent_orders
from core.services.stocktake import stocktakes_awaiting
from core.services.transfers import transfers_awaiting
from core.units import ReadUnit

# The kinds, as core.labels.DECISION_KIND names them, in the order the review screen lists them.
TRANSFER, ADJUSTMENT, ORDER, CLAIM, STOCKTAKE = "transfer", "adjustment", "order", "claim", "stocktake"
# What a row's key does.
CHECK, APPROVE, SEND = "check", "approve", "send"


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing waiting for the operator's decision."""

    kind: str  # core.labels.DECISION_KIND
    number: str  # the document: TRF-…, ADJ-…, PO-…, CLM-…, STK-…
    summary: str  # what it is, in a line: part, quantity, bins or value
    entered_by: str
    since: datetime
    action: str  # CHECK, APPROVE or SEND


def stocktake_variances_awaiting(uow: ReadUnit, actor: Actor) -> list[Decision]:
    """The stocktakes whose variances wait for this person's approval (core.services.stocktake decides who)."""
    return [Decision(STOCKTAKE, st.number, _("variances worth {value}: {scope}").format(
        scope=st.scope, value=fmt_money(st.variance_value)), st.closed_by, st.closed_at, APPROVE)
        for st in stocktakes_awaiting(uow, actor)]


def awaiting_decision(uow: ReadUnit, actor: Actor) -> list[Decision]:
    """Everything waiting for this operator's decision, by kind (transfers, adjustments, stocktakes, urgent orders,
    claims), oldest first within a kind."""
    rows: list[Decision] = []
    with uow.read() as conn:
        for info in transfers_awaiting(conn, actor):
            rows.append(Decision(TRANSFER, info.number, _("{part_no} {qty}: {source} → {target}").format(
                part_no=info.part_no, qty=fmt_qty(info.qty), source=info.from_location, target=info.destination),
                info.entered_by, info.entered_at, CHECK))
        for adj in adjustments_awaiting(conn, actor):
            summary = _("{part_no} {qty} at {location}, {reason}, value {value}")
            rows.append(Decision(ADJUSTMENT, adj.number, summary.format(
                part_no=adj.part_no, qty=fmt_qty(adj.qty), location=adj.location,
                reason=label(ADJUST_REASON, adj.reason), value=fmt_money(adj.value)),
                adj.entered_by, adj.entered_at, APPROVE))
    rows.extend(stocktake_variances_awaiting(uow, actor))
    if actor.can(Permission.APPROVE_ORDERS) or actor.can(Permission.SEND_ORDERS):
        for order in unsent_orders(uow=uow).rows:
            if not order.urgent:
                continue  # the cycle's orders wait on the to-do; an urgent one stands out here
            action = APPROVE if may_approve(actor, order.state, order.author_id) else (
                SEND if may_send(actor, order.state) else None)
            if action is not None:
                rows.append(Decision(ORDER, order.number, _("urgent order to {supplier}, for {serves}").format(
                    supplier=order.supplier, serves=order.serves or "—"), "", order.created_at, action))
    if actor.can(Permission.MANAGE_CLAIMS):
        for claim in reversed(list_claims(uow=uow, state=ClaimState.OPEN.value)):
            rows.append(Decision(CLAIM, claim.number, _("to {party}: {amount} on {receipt}").format(
                party=claim.party_name, amount=fmt_money(claim.amount), receipt=claim.receipt),
                claim.created_by, claim.created_at, SEND))
    return rows
