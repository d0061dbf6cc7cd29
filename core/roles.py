"""The station's roles and the one permission matrix every service checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from core import labels
from core.errors import BadInput, PermissionDenied, RuleViolation
from core.i18n import ENGLISH, _


class Role(StrEnum):
    """A job at the desk (domain.md, "Who works at the desk")."""

    STOREKEEPER = "storekeeper"
    PARTS_CLERK = "parts_clerk"  # 备件管理员: writes the requisition from the repair order; the storekeeper issues it
    PLANNER = "planner"
    ADVISOR = "advisor"
    PARTS_MANAGER = "parts_manager"
    ACCOUNTANT = "accountant"
    STATION_MANAGER = "station_manager"
    SERVICE_DIRECTOR = "service_director"
    MECHANIC = "mechanic"
    ADMIN = "admin"
    # 发货检验员: the ERP flow's second check of a transfer note (保管员录入调拨单一审，发货检验员二审).
    CHECKER = "checker"


class Permission(StrEnum):
    """Something a service does that not everybody may do."""

    MANAGE_OPERATORS = "manage_operators"
    EDIT_PARTS = "edit_parts"
    EDIT_LOCATIONS = "edit_locations"
    ISSUE_STOCK = "issue_stock"
    RETURN_STOCK = "return_stock"
    ADJUST_STOCK = "adjust_stock"
    # Receiving (入库)
    MANAGE_ORDERS = "manage_orders"
    APPROVE_ORDERS = "approve_orders"
    SEND_ORDERS = "send_orders"
    RECEIVE_SHIPMENT = "receive_shipment"
    COUNT_SHIPMENT = "count_shipment"
    POST_RECEIPT = "post_receipt"
    MANAGE_CLAIMS = "manage_claims"
    CHECK_INVOICE = "check_invoice"
    # The counter (repair orders, requisitions, returns)
    OPEN_REPAIR_ORDER = "open_repair_order"
    RECORD_REPAIR = "record_repair"
    SETTLE_REPAIR_ORDER = "settle_repair_order"
    SIGN_FOR_PARTS = "sign_for_parts"
    WRITE_REQUISITION = "write_requisition"
    CANCEL_REQUISITION = "cancel_requisition"
    # Planning and ordering
    LOG_SHORTAGE = "log_shortage"
    ANSWER_SHORTAGE = "answer_shortage"
    PLAN_ORDERS = "plan_orders"
    MANAGE_SETTINGS = "manage_settings"
    RESTORE_DATABASE = "restore_database"
    READ_AUDIT = "read_audit"
    # Transfers (调拨) and adjustments above the value limit
    TRANSFER_STOCK = "transfer_stock"
    CHECK_TRANSFER = "check_transfer"
    RELEASE_QUARANTINE = "release_quarantine"
    APPROVE_ADJUSTMENT = "approve_adjustment"
    # Stocktake (盘点)
    OPEN_STOCKTAKE = "open_stocktake"
    COUNT_STOCK = "count_stock"
    APPROVE_STOCKTAKE = "approve_stocktake"
    APPROVE_STOCKTAKE_VALUE = "approve_stocktake_value"
    READ_REPORTS = "read_reports"
    # Parts taken off a new vehicle (拆新车) and put back (负入库)
    TAKE_FROM_VEHICLE = "take_from_vehicle"
    # Prices (the station's price rules)
    SET_PRICES = "set_prices"
    # Counter sales (销售订单)
    ENTER_SALE = "enter_sale"
    CHECK_SALE = "check_sale"
    SETTLE_SALE = "settle_sale"
    RETURN_SALE = "return_sale"


# The one place that says who may do what. Receiving and issuing stay with the warehouse;
# corrections of stock are a supervisor's (parts manager's) act; the admin manages people,
# not stock (domain.md: "no stock work by default").
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_OPERATORS: frozenset({Role.ADMIN}),
    Permission.EDIT_PARTS: frozenset({Role.PLANNER, Role.PARTS_MANAGER}),
    Permission.EDIT_LOCATIONS: frozenset({Role.STOREKEEPER, Role.PLANNER, Role.PARTS_MANAGER}),
    Permission.ISSUE_STOCK: frozenset({Role.STOREKEEPER}),
    Permission.RETURN_STOCK: frozenset({Role.STOREKEEPER}),
    Permission.ADJUST_STOCK: frozenset({Role.PARTS_MANAGER}),
    # The storekeeper and the planner check the boxes together; two people count; the planner posts.
    Permission.MANAGE_ORDERS: frozenset({Role.PLANNER, Role.PARTS_MANAGER}),
    # 计划员依《订单底稿》制作《采购计划》，相关审核后，发往厂家: the parts manager approves, the planner sends.
    Permission.APPROVE_ORDERS: frozenset({Role.PARTS_MANAGER}),
    Permission.SEND_ORDERS: frozenset({Role.PLANNER}),
    Permission.RECEIVE_SHIPMENT: frozenset({Role.STOREKEEPER, Role.PLANNER}),
    Permission.COUNT_SHIPMENT: frozenset({Role.STOREKEEPER, Role.PLANNER, Role.PARTS_MANAGER}),
    Permission.POST_RECEIPT: frozenset({Role.PLANNER}),
    Permission.MANAGE_CLAIMS: frozenset({Role.PLANNER, Role.PARTS_MANAGER}),
    # 财务要当日审核单据之间是否相符，并与发票相一致: the accountant checks the receipt against the invoice.
    Permission.CHECK_INVOICE: frozenset({Role.ACCOUNTANT}),
    # The advisor opens, assigns, decides warranty, hands back and cancels; the workshop records the
    # repair; settling is billing (advisor or accountant); only a mechanic signs for parts received.
    Permission.OPEN_REPAIR_ORDER: frozenset({Role.ADVISOR}),
    Permission.RECORD_REPAIR: frozenset({Role.ADVISOR, Role.MECHANIC}),
    Permission.SETTLE_REPAIR_ORDER: frozenset({Role.ADVISOR, Role.ACCOUNTANT}),
    Permission.SIGN_FOR_PARTS: frozenset({Role.MECHANIC}),
    # 先单后料: the parts clerk writes the requisition from the repair order, the storekeeper issues against it;
    # either may cancel one not yet issued (a wrong line, a job given up), which releases what it reserved.
    Permission.WRITE_REQUISITION: frozenset({Role.PARTS_CLERK}),
    Permission.CANCEL_REQUISITION: frozenset({Role.PARTS_CLERK, Role.STOREKEEPER}),
    # The advisor signs a shortage; the parts department answers it. Who reviews and approves a
    # purchase request is the approval chain's own table (core/approvals.py), step by step.
    Permission.LOG_SHORTAGE: frozenset({Role.ADVISOR}),
    Permission.ANSWER_SHORTAGE: frozenset({Role.PLANNER, Role.PARTS_MANAGER}),
    Permission.PLAN_ORDERS: frozenset({Role.PLANNER}),
    Permission.MANAGE_SETTINGS: frozenset({Role.ADMIN}),
    # Restoring replaces every record of the station with a backup's: the admin's, signed with the PIN.
    Permission.RESTORE_DATABASE: frozenset({Role.ADMIN}),
    # The admin answers for what he changed; the station manager, who answers for the station, checks on him.
    Permission.READ_AUDIT: frozenset({Role.ADMIN, Role.STATION_MANAGER}),
    # 保管员录入调拨单一审，发货检验员二审: the storekeeper enters a transfer, a second person (the dispatch checker or
    # the parts manager) checks it before stock moves; the services refuse the same person doing both.
    Permission.TRANSFER_STOCK: frozenset({Role.STOREKEEPER}),
    Permission.CHECK_TRANSFER: frozenset({Role.CHECKER, Role.PARTS_MANAGER}),
    # Quarantined units go back to a bin only on the parts manager's word, and then through a checked transfer.
    Permission.RELEASE_QUARANTINE: frozenset({Role.PARTS_MANAGER}),
    # An adjustment above `adjust_value_limit` posts once the parts manager and the accountant have both approved.
    Permission.APPROVE_ADJUSTMENT: frozenset({Role.PARTS_MANAGER, Role.ACCOUNTANT}),
    # 盘点: the warehouse counts (the storekeeper, with the planner as second counter, as at receiving); the parts
    # manager approves the variances, and the materials accountant too above the station's stocktake_value_limit.
    Permission.OPEN_STOCKTAKE: frozenset({Role.STOREKEEPER, Role.PARTS_MANAGER}),
    Permission.COUNT_STOCK: frozenset({Role.STOREKEEPER, Role.PLANNER}),
    Permission.APPROVE_STOCKTAKE: frozenset({Role.PARTS_MANAGER}),
    Permission.APPROVE_STOCKTAKE_VALUE: frozenset({Role.ACCOUNTANT}),
    # The reports (报表: stock value, aging, consumption, service level) are the managers' and the books' people's.
    Permission.READ_REPORTS: frozenset({Role.PARTS_MANAGER, Role.PLANNER, Role.ACCOUNTANT, Role.STATION_MANAGER,
                                        Role.SERVICE_DIRECTOR}),
    # 拆新车按车架号办理入库手续: the warehouse receives what comes off a new vehicle and books it back on; the parts
    # manager, who supervises the warehouse, may too.
    Permission.TAKE_FROM_VEHICLE: frozenset({Role.STOREKEEPER, Role.PARTS_MANAGER}),
    # The station's price rules (markups, floors) are the parts manager's and the station manager's, who also see
    # what a repair order's parts earn (core.services.pricing.may_see_margin).
    Permission.SET_PRICES: frozenset({Role.PARTS_MANAGER, Role.STATION_MANAGER}),
    # 发出商品销售: one person enters the sales order (一审), a second one checks it (二审: the dispatch checker or the
    # parts manager, never the one who entered it) and the parts leave; the counter or the books settle it.
    Permission.ENTER_SALE: frozenset({Role.STOREKEEPER, Role.PARTS_MANAGER}),
    Permission.CHECK_SALE: frozenset({Role.CHECKER, Role.PARTS_MANAGER}),
    Permission.SETTLE_SALE: frozenset({Role.STOREKEEPER, Role.PARTS_MANAGER, Role.ACCOUNTANT}),
    Permission.RETURN_SALE: frozenset({Role.STOREKEEPER, Role.PARTS_MANAGER}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated operator on whose behalf a service acts."""

    id: int
    code: str
    name: str
    roles: frozenset[Role]
    language: str = ENGLISH  # the operator's language (core.i18n.LANGUAGES): the TUI switches to it at sign-in

    def can(self, permission: Permission) -> bool:
        """Whether any of the operator's roles grants the permission."""
        return bool(self.roles & PERMISSIONS[permission])


def may_take_stock(actor: Actor) -> bool:
    """Whether the stocktake (盘点) workflow is the operator's: who opens, counts or approves one."""
    return any(actor.can(p) for p in (Permission.OPEN_STOCKTAKE, Permission.COUNT_STOCK, Permission.APPROVE_STOCKTAKE,
                                      Permission.APPROVE_STOCKTAKE_VALUE))


def may_see_margin(actor: Actor | None) -> bool:
    """Whether the operator sees what a repair order's parts earn (charged less cost): the parts manager's and
    the station manager's figure, not the counter's."""
    return actor is not None and bool(actor.roles & {Role.PARTS_MANAGER, Role.STATION_MANAGER})


def may_sell(actor: Actor) -> bool:
    """Whether the counter sales (销售订单) workflow is the operator's: who enters, checks or settles a sale."""
    return any(actor.can(p) for p in (Permission.ENTER_SALE, Permission.CHECK_SALE, Permission.SETTLE_SALE))


def require(actor: Actor, permission: Permission) -> None:
    """Refuse with PermissionDenied unless the actor holds a role that grants the permission."""
    if not actor.can(permission):
        needed = labels.labels(labels.ROLE, sorted(PERMISSIONS[permission]))
        raise PermissionDenied(
            _("{code} may not {action}: it needs the role {roles}").format(
                code=actor.code, action=labels.label(labels.PERMISSION, permission), roles=needed
            )
        )


def allows(check: Callable[..., object], *args: object, **kwargs: object) -> bool:
    """Whether a rule's check lets the operator through: False where it refuses (PermissionDenied, RuleViolation).

    A service calls the check and lets its refusal speak; a screen's footer and the CLI ask it through this,
    so that the two can never disagree.
    """
    try:
        check(*args, **kwargs)
    except (PermissionDenied, RuleViolation):
        return False
    return True


def parse_roles(names: list[str] | tuple[str, ...] | str) -> frozenset[Role]:
    """Roles from their codes (a list or a comma-separated string); an unknown one is BadInput."""
    if isinstance(names, str):
        names = [n for n in names.split(",") if n.strip()]
    roles = set()
    for name in names:
        try:
            roles.add(Role(name.strip().lower()))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise BadInput(_("unknown role {role!r}; the roles are {known}").format(role=name, known=known),
                           field="roles") from None
    if not roles:
        raise BadInput(_("an operator needs at least one role"), field="roles")
    return frozenset(roles)
