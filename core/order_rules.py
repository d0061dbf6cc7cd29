"""The purchase order's rules without a database (备件工作流程及制度, item 2: 审批完《订单底稿》后，计划员依《订单底稿》
制作《采购计划》(订单)，相关审核后，发往厂家): who approves and sends an order and when, which orders are still
expected, which may be received against, and when one is late (动态跟催)."""

from __future__ import annotations

from datetime import datetime

from core.errors import RuleViolation
from core.i18n import _
from core.labels import ORDER_STATE, label
from core.models.enums import OrderState
from core.roles import Actor, Permission, allows, require

# Sent to the maker and not all in: chased, followed in transit, received against.
EXPECTED_STATES = frozenset({OrderState.SENT, OrderState.PARTLY_RECEIVED})
# The goods come for an order sent to the maker: a receipt matches only these.
RECEIVABLE_STATES = EXPECTED_STATES
# On order, whether sent yet or not: the forecast does not suggest ordering it again.
ON_ORDER_STATES = frozenset({OrderState.DRAFT, OrderState.APPROVED}) | EXPECTED_STATES


def check_urgent(urgent: bool, serves: list[str] | tuple[str, ...]) -> None:
    """An order is made from an approved draft (`po from-request`); made by hand only as an urgent order that
    names the shortages or repair order it serves (a shortage that cannot wait for the cycle's draft)."""
    if not urgent or not [s for s in serves if (s or "").strip()]:
        raise RuleViolation(_("orders are made from an approved purchase draft with `partsdesk po from-request "
                              "PRQ-…`; only an urgent order for a shortage is made by hand: "
                              "`po create --urgent --for SHT-…|RO-…`"))


def may_plan_orders(actor: Actor) -> bool:
    """Whether the planning workflow (the cycle's draft, its orders, the goods in transit) is the operator's: the
    planner's, and the parts manager's who approves the orders."""
    return actor.can(Permission.PLAN_ORDERS) or actor.can(Permission.MANAGE_ORDERS)


def check_chase(actor: Actor, number: str, state: OrderState | str) -> None:
    """A follow-up with the supplier: whoever manages orders, on an order still expected."""
    require(actor, Permission.MANAGE_ORDERS)
    if state not in EXPECTED_STATES:
        raise RuleViolation(_("order {number} is {state}: nothing left to chase").format(
            number=number.upper(), state=label(ORDER_STATE, state)))


def may_chase(actor: Actor, state: OrderState | str) -> bool:
    """Whether the operator may log a follow-up on an order in `state` now."""
    return allows(check_chase, actor, "", state)


def check_approve(actor: Actor, number: str, state: OrderState | str, author_id: int) -> None:
    """The parts manager approves a drafted order (相关审核), never one he made himself."""
    require(actor, Permission.APPROVE_ORDERS)
    if state != OrderState.DRAFT:
        raise RuleViolation(_("order {number} is {state}: only a draft order is approved").format(
            number=number.upper(), state=label(ORDER_STATE, state)))
    if actor.id == author_id:
        raise RuleViolation(_("{code} made order {number} and may not approve it: another parts manager "
                              "approves it").format(code=actor.code, number=number.upper()))


def may_approve(actor: Actor, state: OrderState | str, author_id: int) -> bool:
    """Whether the operator may approve an order in `state` made by `author_id` now."""
    return allows(check_approve, actor, "", state, author_id)


def check_send(actor: Actor, number: str, state: OrderState | str) -> None:
    """The planner sends an approved order to the maker (发往厂家); a draft is approved first."""
    require(actor, Permission.SEND_ORDERS)
    if state != OrderState.APPROVED:
        raise RuleViolation(_("order {number} is {state}: only an approved order is sent to the maker").format(
            number=number.upper(), state=label(ORDER_STATE, state)))


def may_send(actor: Actor, state: OrderState | str) -> bool:
    """Whether the operator may send an order in `state` now."""
    return allows(check_send, actor, "", state)


def check_close(actor: Actor, number: str, state: OrderState | str) -> None:
    """Whoever manages orders closes one whose rest will not come; a closed order stays closed."""
    require(actor, Permission.MANAGE_ORDERS)
    if state == OrderState.CLOSED:
        raise RuleViolation(_("order {number} is already closed").format(number=number.upper()))


def may_close(actor: Actor, state: OrderState | str) -> bool:
    """Whether the operator may close an order in `state` now."""
    return allows(check_close, actor, "", state)


def check_receivable(number: str, state: OrderState | str) -> None:
    """A receipt answers an order sent to the maker (sent or partly received), never a draft nor a closed one."""
    if state not in RECEIVABLE_STATES:
        raise RuleViolation(_("order {number} is {state}: goods are received only for an order sent to the "
                              "maker").format(number=number.upper(), state=label(ORDER_STATE, state)))


def is_late(eta: datetime | None, now: datetime) -> bool:
    """Whether an order's expected time has passed (an order with no ETA yet is not late)."""
    return eta is not None and eta < now
