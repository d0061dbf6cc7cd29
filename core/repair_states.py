"""The repair order's states and the only transitions the workshop may make between them (维修服务流程)."""

from __future__ import annotations

from enum import StrEnum

from core.errors import BadInput, RuleViolation
from core.i18n import _


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


# English title and the word the staff use (domain.md, "Repair-order intake").
STATE_TITLES: dict[RepairState, tuple[str, str]] = {
    RepairState.INTAKE: ("intake", "接车"),
    RepairState.DIAGNOSING: ("diagnosing", "诊断"),
    RepairState.IN_REPAIR: ("in repair", "维修中"),
    RepairState.SENT_OUT: ("sent out", "外送维修"),
    RepairState.REINSPECTION: ("re-inspection", "复检"),
    RepairState.READY: ("ready", "待交车"),
    RepairState.DELIVERED: ("delivered", "已交车"),
    RepairState.SETTLED: ("settled", "已结算"),
    RepairState.CANCELLED: ("cancelled", "已取消"),
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


def state_title(state: RepairState | str) -> str:
    """A state as the desk shows it: English, then Chinese."""
    english, chinese = STATE_TITLES[RepairState(state)]
    return f"{_(english)} {chinese}"


def parse_state(text: str) -> RepairState:
    """A state from what was typed ("in repair", "in-repair", "IN_REPAIR" or "维修中"); anything else is BadInput."""
    raw = (text or "").strip()
    key = raw.lower().replace("-", "_").replace(" ", "_")
    aliases = {"re_inspection": RepairState.REINSPECTION, "reinspect": RepairState.REINSPECTION,
               "canceled": RepairState.CANCELLED, "back": RepairState.IN_REPAIR}
    for state, (english, chinese) in STATE_TITLES.items():
        aliases[english.replace(" ", "_").replace("-", "_")] = state
        aliases[chinese] = state
    try:
        return RepairState(key)
    except ValueError:
        pass
    if key in aliases:
        return aliases[key]
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
            state=current.value, allowed=", ".join(s.value for s in allowed))
    else:
        options = _("a {state} repair order is closed").format(state=current.value)
    raise RuleViolation(
        _("{ro} cannot go from {current} to {new}: {options}").format(
            ro=ro_no, current=current.value, new=new.value, options=options)
    )
