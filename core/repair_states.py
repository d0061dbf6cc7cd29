"""The repair order's states, the only transitions the workshop may make between them (维修服务流程), and who
may do what with an order in its state: the checks the services run and the screens' footers ask."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from core import labels
from core.errors import BadInput, RuleViolation
from core.i18n import _
from core.roles import Actor, Permission, allows, require


class RepairState(StrEnum):
    """Where a repair order stands: intake → diagnosing → in repair (→ sent out → back) → re-inspection → ready
    → delivered → settled; cancelled from any state before delivered."""

    INTAKE = "intake"
    DIAGNOSING = "diagnosing"
    IN_REPAIR = "in_repair"
    SENT_OUT = "sent_out"
    REINSPECTION = "reinspection"
    READY = "ready"
    DELIVERED = "delivered"
    SETTLED = "settled"
    CANCELLED = "cancelled"


# The words the staff type for a state (domain.md, "Repair-order intake"): accepted wherever a state is typed,
# whatever language the desk speaks; what a state reads as is core/labels.py's.
TYPED_CHINESE: dict[str, RepairState] = {
    "接车": RepairState.INTAKE, "诊断": RepairState.DIAGNOSING, "诊断中": RepairState.DIAGNOSING,
    "维修中": RepairState.IN_REPAIR, "外送维修": RepairState.SENT_OUT, "复检": RepairState.REINSPECTION,
    "待交车": RepairState.READY, "已交车": RepairState.DELIVERED, "已结算": RepairState.SETTLED,
    "已取消": RepairState.CANCELLED,
}

# The one table of allowed moves. A failed re-inspection sends the car back into repair, which is
# what a workshop does; anything before delivery may be cancelled; a delivered order only settles.
TRANSITIONS: dict[RepairState, frozenset[RepairState]] = {
    RepairState.INTAKE: frozenset({RepairState.DIAGNOSING, RepairState.CANCELLED}),
    RepairState.DIAGNOSING: frozenset({RepairState.IN_REPAIR, RepairState.CANCELLED}),
    RepairState.IN_REPAIR: frozenset({RepairState.SENT_OUT, RepairState.REINSPECTION, RepairState.CANCELLED}),
    RepairState.SENT_OUT: frozenset({RepairState.IN_REPAIR, RepairState.CANCELLED}),
    RepairState.REINSPECTION: frozenset({RepairState.READY, RepairState.IN_REPAIR, RepairState.CANCELLED}),
    RepairState.READY: frozenset({RepairState.DELIVERED, RepairState.CANCELLED}),
    RepairState.DELIVERED: frozenset({RepairState.SETTLED}),
    RepairState.SETTLED: frozenset(),
    RepairState.CANCELLED: frozenset(),
}

# Parts may be issued against these (出库凭单: no open document, no issue).
OPEN_STATES = frozenset(
    {RepairState.INTAKE, RepairState.DIAGNOSING, RepairState.IN_REPAIR, RepairState.SENT_OUT,
     RepairState.REINSPECTION, RepairState.READY}
)
# The order in which lists show states: the workshop's flow, closed ones last.
STATE_ORDER = {state: index for index, state in enumerate(RepairState)}
# States in which warranty can be decided: after diagnosis has begun, before the car is handed back.
# Warranty is decided once diagnosis has begun, and settled before the re-inspected car is ready: a ready car's
# repair is done and its billing follows the decision.
WARRANTY_STATES = OPEN_STATES - {RepairState.INTAKE, RepairState.READY}
# The technician's process record takes notes until the order is settled or cancelled (a delivered car may
# still get a note: what the customer said at hand-back).
RECORD_OPEN_STATES = frozenset(RepairState) - {RepairState.SETTLED, RepairState.CANCELLED}


def state_title(state: RepairState | str) -> str:
    """A state as the desk shows it, in the active language."""
    return labels.label(labels.REPAIR_STATE, RepairState(state))


def _state(state: RepairState | str) -> str:
    return labels.label(labels.REPAIR_STATE, state)


def parse_state(text: str) -> RepairState:
    """A state from what was typed ("in repair", "in-repair", "IN_REPAIR" or "维修中"); anything else is BadInput."""
    raw = (text or "").strip()
    key = raw.lower().replace("-", "_").replace(" ", "_")
    aliases = {"re_inspection": RepairState.REINSPECTION, "reinspect": RepairState.REINSPECTION,
               "canceled": RepairState.CANCELLED, "back": RepairState.IN_REPAIR}
    aliases.update(TYPED_CHINESE)
    try:
        return RepairState(key)
    except ValueError:
        pass
    if key in aliases:
        return aliases[key]
    found = labels.parse(labels.REPAIR_STATE, raw)
    if found is not None:
        return RepairState(found)
    known = ", ".join(state.value for state in RepairState)
    raise BadInput(_("unknown repair-order state {state!r}; the states are {known}").format(state=raw, known=known))


def allowed_next(state: RepairState | str) -> frozenset[RepairState]:
    """The states a repair order in `state` may move to."""
    return TRANSITIONS[RepairState(state)]


def check_transition(ro_no: str, current: RepairState | str, new: RepairState | str) -> None:
    """Refuse (RuleViolation) a move the table does not allow, naming the moves that are allowed."""
    current, new = RepairState(current), RepairState(new)
    if new in TRANSITIONS[current]:
        return
    allowed = sorted(TRANSITIONS[current], key=STATE_ORDER.__getitem__)
    if allowed:
        options = _("from {state} it may go to {allowed}").format(
            state=_state(current), allowed=", ".join(_state(s) for s in allowed))
    else:
        options = _("a {state} repair order is closed").format(state=_state(current))
    raise RuleViolation(
        _("{ro} cannot go from {current} to {new}: {options}").format(
            ro=ro_no, current=_state(current), new=_state(new), options=options)
    )


# -- who may do what with an order now ---------------------------------------------------------


class RepairOrderFacts(Protocol):
    """What the rules read of a repair order: a repair_order row and a RepairOrderView both have it."""

    @property
    def ro_no(self) -> str:
        """The order's number, for the refusals' words."""

    @property
    def state(self) -> str:
        """Where the order stands (a RepairState value)."""

    @property
    def technician_id(self) -> int | None:
        """The operator id of the assigned technician (None before assignment)."""


# Who may make which move: handing back and cancelling are the advisor's, settling is billing,
# the rest is workshop work.
_MOVE_PERMISSION = {
    RepairState.DELIVERED: Permission.OPEN_REPAIR_ORDER,
    RepairState.CANCELLED: Permission.OPEN_REPAIR_ORDER,
    RepairState.SETTLED: Permission.SETTLE_REPAIR_ORDER,
}


def move_permission(state: RepairState | str) -> Permission:
    """The permission a move to `state` needs."""
    return _MOVE_PERMISSION.get(RepairState(state), Permission.RECORD_REPAIR)


def is_workshop_move(state: RepairState | str) -> bool:
    """Whether a move to `state` is workshop work (only the order's technician, or an advisor, makes it)."""
    return RepairState(state) not in _MOVE_PERMISSION


def _refuse_closed(order: RepairOrderFacts, doing: str) -> None:
    if RepairState(order.state) not in OPEN_STATES:
        raise RuleViolation(_("{ro} is {state}: no {doing} on a closed repair order").format(
            ro=order.ro_no, state=_state(order.state), doing=doing))


def check_workshop_hand(actor: Actor, order: RepairOrderFacts) -> None:
    """A mechanic writes only on the orders assigned to him; the advisor on any."""
    if actor.can(Permission.OPEN_REPAIR_ORDER):
        return
    if order.technician_id != actor.id:
        raise RuleViolation(_("{ro} is not assigned to {code}: only its technician or an advisor records on it").format(
            ro=order.ro_no, code=actor.code))


def may_open_order(actor: Actor) -> bool:
    """Whether the operator takes cars in (opens repair orders)."""
    return actor.can(Permission.OPEN_REPAIR_ORDER)


def check_assign(actor: Actor, order: RepairOrderFacts) -> None:
    """Assigning the technician: the advisor's, on an order not yet closed."""
    require(actor, Permission.OPEN_REPAIR_ORDER)
    _refuse_closed(order, _("assignment"))


def may_assign(actor: Actor, order: RepairOrderFacts) -> bool:
    """Whether the operator may assign (or reassign) the order's technician now."""
    return allows(check_assign, actor, order)


def check_note(actor: Actor, order: RepairOrderFacts) -> None:
    """A note in the process record: the workshop's, on its own orders, until the record closes."""
    require(actor, Permission.RECORD_REPAIR)
    if RepairState(order.state) not in RECORD_OPEN_STATES:
        raise RuleViolation(_("{ro} is {state}: its record is closed").format(
            ro=order.ro_no, state=_state(order.state)))
    check_workshop_hand(actor, order)


def may_note(actor: Actor, order: RepairOrderFacts) -> bool:
    """Whether the operator may add a note to the order's process record now."""
    return allows(check_note, actor, order)


def check_warranty(actor: Actor, order: RepairOrderFacts) -> None:
    """The warranty decision: the advisor's, once diagnosis has begun and before the car is ready."""
    require(actor, Permission.OPEN_REPAIR_ORDER)
    _refuse_closed(order, _("warranty decision"))
    if RepairState(order.state) not in WARRANTY_STATES:
        raise RuleViolation(_("{ro} is at {state}: warranty is decided after diagnosis, before the car is ready")
                            .format(ro=order.ro_no, state=_state(order.state)))


def may_decide_warranty(actor: Actor, order: RepairOrderFacts) -> bool:
    """Whether the operator may record the warranty decision on the order now."""
    return allows(check_warranty, actor, order)


def check_move(actor: Actor, order: RepairOrderFacts, new: RepairState | str) -> None:
    """A move to `new`: the move's permission, a transition the table allows, and workshop moves made by the
    order's own technician (or an advisor). What the move needs besides (a note, the customer's word) the
    service checks with the command's input."""
    new = RepairState(new)
    require(actor, move_permission(new))
    check_transition(order.ro_no, order.state, new)
    if is_workshop_move(new):
        check_workshop_hand(actor, order)


def may_move(actor: Actor, order: RepairOrderFacts, new: RepairState | str) -> bool:
    """Whether the operator may move the order to `new` now."""
    return allows(check_move, actor, order, new)

