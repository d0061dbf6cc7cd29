"""What the operator's roles reach, without a database: the workflows (the app's screens) and the sections of the
home to-do. The app's keys, the home list, the palette and opening a scanned document all ask here."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from core.approvals import may_review_drafts
from core.counter_rules import may_take_back
from core.receiving_rules import may_receive
from core.repair_states import may_open_order
from core.roles import Actor, Permission
from core.shortage_rules import may_follow_shortages


class Workflow(StrEnum):
    """A workflow of the desk, by the name of the app action that opens it."""

    LOOKUP = "lookup"
    RECEIVING = "receiving"
    COUNTER = "counter"
    INTAKE = "intake"
    REVIEW = "review"
    SHORTAGES = "shortages"


def _counter(actor: Actor) -> bool:
    # The counter is the storekeeper's: he issues against repair orders and takes parts back.
    return actor.can(Permission.ISSUE_STOCK) or may_take_back(actor)


def _intake(actor: Actor) -> bool:
    # The repair orders are the advisor's (intake) and the workshop's (its process record).
    return may_open_order(actor) or actor.can(Permission.RECORD_REPAIR)


_MAY_USE: dict[Workflow, Callable[[Actor], bool]] = {
    Workflow.LOOKUP: lambda actor: True,  # every signed-in operator finds parts
    Workflow.RECEIVING: may_receive,
    Workflow.COUNTER: _counter,
    Workflow.INTAKE: _intake,
    Workflow.REVIEW: may_review_drafts,
    Workflow.SHORTAGES: may_follow_shortages,
}


def may_use(actor: Actor | None, workflow: Workflow | str) -> bool:
    """Whether the workflow is for the operator (nobody's before sign-in)."""
    return actor is not None and _MAY_USE[Workflow(workflow)](actor)


class TodoSection(StrEnum):
    """A section of the home to-do (待办)."""

    SHORTAGES = "shortages"  # shortages to answer, or one's own to follow
    RECEIPTS = "receipts"  # receipts near or past their 3-day limit
    ORDERS = "orders"  # orders late in transit
    DRAFTS = "drafts"  # purchase-request drafts waiting for the operator's decision


def todo_sections(actor: Actor) -> tuple[TodoSection, ...]:
    """The to-do's sections the operator's roles work on, in the order of urgency of their work."""
    chosen = []
    if may_follow_shortages(actor):
        chosen.append(TodoSection.SHORTAGES)
    # Whoever checks, counts or posts shipments, and the parts manager who answers for the store.
    if any(actor.can(p) for p in (Permission.RECEIVE_SHIPMENT, Permission.COUNT_SHIPMENT, Permission.POST_RECEIPT)):
        chosen.append(TodoSection.RECEIPTS)
    if actor.can(Permission.MANAGE_ORDERS):
        chosen.append(TodoSection.ORDERS)
    if may_review_drafts(actor):
        chosen.append(TodoSection.DRAFTS)
    return tuple(chosen)
