"""The purchase order's rules in transit, without a database: who chases an order, which orders are still
expected, and when one is late (动态跟催)."""

from __future__ import annotations

from datetime import datetime

from core.errors import RuleViolation
from core.i18n import _
from core.labels import ORDER_STATE, label
from core.models.receiving import OrderState
from core.roles import Actor, Permission, allows, require

# Still expected from the supplier: chased, followed in transit.
EXPECTED_STATES = frozenset({OrderState.OPEN, OrderState.PARTLY_RECEIVED})


def check_chase(actor: Actor, number: str, state: OrderState | str) -> None:
    """A follow-up with the supplier: whoever manages orders, on an order still expected."""
    require(actor, Permission.MANAGE_ORDERS)
    if state not in EXPECTED_STATES:
        raise RuleViolation(_("order {number} is {state}: nothing left to chase").format(
            number=number.upper(), state=label(ORDER_STATE, state)))


def may_chase(actor: Actor, state: OrderState | str) -> bool:
    """Whether the operator may log a follow-up on an order in `state` now."""
    return allows(check_chase, actor, "", state)


def is_late(eta: datetime | None, now: datetime) -> bool:
    """Whether an order's expected time has passed (an order with no ETA yet is not late)."""
    return eta is not None and eta < now
