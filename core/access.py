"""What the operator's roles reach, without a database: the workflows' own predicates (the workflow registry,
screens.workflows, names which rule guards which screen) and the sections of the home to-do."""

from __future__ import annotations

from enum import StrEnum

from core.approvals import may_review_drafts
from core.counter_rules import may_take_back
from core.repair_states import may_open_order
from core.roles import Actor, Permission, may_see_margin
from core.shortage_rules import may_follow_shortages


def may_look_up_parts(actor: Actor) -> bool:
    """Whether the operator finds parts and their stock: every signed-in operator does."""
    return True


def may_work_counter(actor: Actor) -> bool:
    """Whether the counter is the operator's: the parts clerk writes requisitions there, the storekeeper issues
    them and takes parts back."""
    return actor.can(Permission.ISSUE_STOCK) or actor.can(Permission.WRITE_REQUISITION) or may_take_back(actor)


def may_follow_repair_orders(actor: Actor) -> bool:
    """Whether the repair orders are the operator's: the advisor's (intake), the workshop's (its process
    record), the accountant's who settles them, and the managers' who see what their parts earn."""
    return (may_open_order(actor) or actor.can(Permission.RECORD_REPAIR) or actor.can(Permission.SETTLE_REPAIR_ORDER)
            or may_see_margin(actor))


def may_read_audit(actor: Actor) -> bool:
    """Whether the audit trail is the operator's to read: the admin's, and the station manager's who checks on him."""
    return actor.can(Permission.READ_AUDIT)


def may_read_reports(actor: Actor) -> bool:
    """Whether the operator may open the reports (报表)."""
    return actor.can(Permission.READ_REPORTS)


def may_administer(actor: Actor) -> bool:
    """Whether the administration screen is the operator's: the admin's (operators, settings, backup), and the
    planner's and the parts manager's who keep the station's suppliers, carriers and locations there."""
    return any(actor.can(p) for p in (Permission.MANAGE_OPERATORS, Permission.MANAGE_SETTINGS,
                                      Permission.MANAGE_ORDERS))


def may_back_up(actor: Actor) -> bool:
    """Whether the operator backs the station's database up from the desk: the admin, who restores it too."""
    return actor.can(Permission.RESTORE_DATABASE)


def may_unlock_operators(actor: Actor) -> bool:
    """Whether the operator ends lockouts after wrong PINs: whoever manages operators (the admin)."""
    return actor.can(Permission.MANAGE_OPERATORS)


class TodoSection(StrEnum):
    """A section of the home to-do (待办)."""

    SHORTAGES = "shortages"  # shortages to answer, or one's own to follow
    SALES = "sales"  # counter sales entered and waiting for a second person's check (二审): a customer waits
    RECEIPTS = "receipts"  # receipts near or past their 3-day limit
    ORDERS = "orders"  # orders late in transit
    DRAFTS = "drafts"  # purchase-request drafts waiting for the operator's decision


def todo_sections(actor: Actor) -> tuple[TodoSection, ...]:
    """The to-do's sections the operator's roles work on, in the order of urgency of their work."""
    chosen = []
    if may_follow_shortages(actor):
        chosen.append(TodoSection.SHORTAGES)
    if actor.can(Permission.CHECK_SALE):
        chosen.append(TodoSection.SALES)
    # Whoever checks, counts or posts shipments, and the parts manager who answers for the store.
    if any(actor.can(p) for p in (Permission.RECEIVE_SHIPMENT, Permission.COUNT_SHIPMENT, Permission.POST_RECEIPT)):
        chosen.append(TodoSection.RECEIPTS)
    if actor.can(Permission.MANAGE_ORDERS):
        chosen.append(TodoSection.ORDERS)
    if may_review_drafts(actor):
        chosen.append(TodoSection.DRAFTS)
    return tuple(chosen)
