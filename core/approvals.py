"""The purchase-request approval chain, without a database: who acts at each step, and what an edit undoes.

draft → reviewed by the parts manager → the station manager's order meeting (he may edit) →
reviewed by the materials accountant → approved once both the station manager and the service
director have approved, in either order (domain.md, "Planning and ordering"). A rejection at any
step returns the draft to the planner (returned): no reviewer waits for it until he resubmits it.

Separation of duties: one person takes at most one step of a draft's chain, over the draft's whole history
(a person holding several of the chain's roles still gives one of its steps), and the two final approvals
come from two different people. The author takes none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core import labels
from core.errors import PermissionDenied, RuleViolation
from core.i18n import _
from core.models.enums import RequestState
from core.roles import Actor, Permission, Role, allows


@dataclass(frozen=True, slots=True)
class ReviewStep:
    """A review: the state it starts from, the one it leads to, and the role that gives it."""

    from_state: RequestState
    to_state: RequestState
    role: Role
    title: str


REVIEWS: tuple[ReviewStep, ...] = (
    ReviewStep(RequestState.DRAFT, RequestState.PM_REVIEWED, Role.PARTS_MANAGER, "parts manager's review"),
    ReviewStep(RequestState.PM_REVIEWED, RequestState.MEETING_REVIEWED, Role.STATION_MANAGER, "order meeting"),
    ReviewStep(RequestState.MEETING_REVIEWED, RequestState.ACCOUNTANT_REVIEWED, Role.ACCOUNTANT,
               "materials accountant's review"),
)
APPROVERS: tuple[Role, ...] = (Role.STATION_MANAGER, Role.SERVICE_DIRECTOR)
# Who may change the lines, and the state an edit by them returns the draft to: a change sends it
# back through every review after the point where it was made.
EDITORS: dict[Role, tuple[frozenset[RequestState], RequestState]] = {
    Role.PLANNER: (frozenset({RequestState.DRAFT, RequestState.PM_REVIEWED, RequestState.MEETING_REVIEWED,
                              RequestState.ACCOUNTANT_REVIEWED, RequestState.RETURNED}), RequestState.DRAFT),
    Role.STATION_MANAGER: (frozenset({RequestState.PM_REVIEWED, RequestState.MEETING_REVIEWED,
                                      RequestState.ACCOUNTANT_REVIEWED}), RequestState.PM_REVIEWED),
}
CLOSED = frozenset({RequestState.APPROVED, RequestState.ORDERED})
# A draft in these states still stands for its cycle: a second one for the same cycle is refused.
OPEN = frozenset(RequestState) - {RequestState.ORDERED}
# Every role with a step in the chain: the review screen and the to-do's drafts are theirs.
REVIEWER_ROLES = frozenset({step.role for step in REVIEWS} | set(APPROVERS))


# Events after which the approvals start again (the approval columns are cleared by them).
_APPROVALS_RESTART = frozenset({"created", "edited", "rejected", "resubmitted"})
_REVIEW_ROLE = {step.to_state.value: step.role for step in REVIEWS}


def _state(state: RequestState | str) -> str:
    return labels.label(labels.REQUEST_STATE, state)


def _position_title(role: Role) -> str:
    """The step a role of the chain stands for, as a refusal names it."""
    titles = {Role.PARTS_MANAGER: _("parts manager's review"),
              Role.STATION_MANAGER: _("order meeting and the station manager's approval"),
              Role.ACCOUNTANT: _("materials accountant's review"),
              Role.SERVICE_DIRECTOR: _("service director's approval")}
    return titles.get(role) or labels.label(labels.ROLE, role)


@dataclass(frozen=True, slots=True)
class ChainSteps:
    """Who has taken which step of a draft's chain: the chain's roles each operator acted as over the draft's
    whole history, and who approved since the approvals last started again.

    A role of the chain is one position: the station manager chairs the meeting and gives his approval, one
    person; the parts manager, the accountant and the service director one step each. One person holds at
    most one position of a draft, whatever roles his account holds.
    """

    taken: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    approvers: frozenset[int] = frozenset()

    @classmethod
    def from_events(cls, events: Iterable[tuple]) -> ChainSteps:
        """From the draft's events, oldest first: (operator id, action, state after, role acted as or None)."""
        taken: dict[int, set[Role]] = {}
        approvers: set[int] = set()
        for operator_id, action, state_after, as_role in events:
            if action == "reviewed":
                role = Role(as_role) if as_role else _REVIEW_ROLE.get(state_after)
                if role is not None:
                    taken.setdefault(operator_id, set()).add(role)
            elif action == "approved":
                # An approval from before the role was recorded counts as both approvers' position.
                roles = {Role(as_role)} if as_role else set(APPROVERS)
                taken.setdefault(operator_id, set()).update(roles)
                approvers.add(operator_id)
            elif action in _APPROVALS_RESTART:
                approvers.clear()
        return cls({k: frozenset(v) for k, v in taken.items()}, frozenset(approvers))

    def held_by_another(self, actor: Actor, role: Role) -> bool:
        """Whether someone else already acted as this role of the chain."""
        return any(role in roles for operator_id, roles in self.taken.items() if operator_id != actor.id)

    def other_position(self, actor: Actor, role: Role) -> Role | None:
        """A position of this chain the operator already holds other than `role` (None: he may act as it)."""
        other = sorted(self.taken.get(actor.id, frozenset()) - {role})
        return other[0] if other else None


def _one_position(actor: Actor, steps: ChainSteps | None, role: Role) -> None:
    """Refuse an operator who already took another step of this draft's chain, naming it."""
    other = steps.other_position(actor, role) if steps is not None else None
    if other is not None:
        raise RuleViolation(_("{code} already gave the {taken} on this request: one person takes one step of a "
                              "draft's chain").format(code=actor.code, taken=_position_title(other)))


def review_step(state: RequestState) -> ReviewStep | None:
    """The review due in a state (None once the reviews are done)."""
    return next((step for step in REVIEWS if step.from_state == state), None)


def waiting_roles(state: RequestState, approved: set[Role]) -> set[Role]:
    """The roles whose decision the draft waits for."""
    step = review_step(state)
    if step is not None:
        return {step.role}
    if state == RequestState.ACCOUNTANT_REVIEWED:
        return set(APPROVERS) - approved
    return set()


def _not_author(actor: Actor, author_id: int, doing: str) -> None:
    if actor.id == author_id:
        raise RuleViolation(_("{code} drafted this request and cannot {doing} it").format(code=actor.code,
                                                                                        doing=doing))


def check_review(actor: Actor, author_id: int, state: RequestState, steps: ChainSteps | None = None) -> ReviewStep:
    """The review the actor gives now, or the reason they may not (a step of the chain already theirs among
    them)."""
    _not_author(actor, author_id, _("review"))
    step = review_step(state)
    if step is None:
        raise RuleViolation(_("the request is {state}: there is no review to give; approvals come next").format(
            state=_state(state)) if state == RequestState.ACCOUNTANT_REVIEWED else
            _("the request is {state}: there is no review to give").format(state=_state(state)))
    if step.role not in actor.roles:
        raise PermissionDenied(_("the {step} is the {role}'s; {code} may not give it").format(
            step=step.title, role=labels.label(labels.ROLE, step.role), code=actor.code))
    _one_position(actor, steps, step.role)
    return step


def check_approval(actor: Actor, author_id: int, state: RequestState, approved: set[Role],
                   steps: ChainSteps | None = None) -> Role:
    """The approver role the actor approves as, or the reason they may not: the two approvals come from two
    people, whatever roles one of them holds."""
    _not_author(actor, author_id, _("approve"))
    if state != RequestState.ACCOUNTANT_REVIEWED:
        raise RuleViolation(_("the request is {state}: it is approved only after every review").format(
            state=_state(state)))
    if steps is not None and actor.id in steps.approvers:
        raise RuleViolation(_("{code} has already approved this request: the second approval is someone else's")
                            .format(code=actor.code))
    roles = [role for role in APPROVERS if role in actor.roles and role not in approved]
    if not roles:
        if any(role in actor.roles for role in APPROVERS):
            raise RuleViolation(_("{code} has already approved this request").format(code=actor.code))
        raise PermissionDenied(_("only the station manager and the service director approve; {code} may not").format(
            code=actor.code))
    # As the approver whose position he already holds (the meeting's chair approves as station manager), and
    # rather as one whose position nobody else holds yet (the meeting's chair keeps the station manager's).
    free = [role for role in roles if steps is None or steps.other_position(actor, role) is None]
    if not free:
        _one_position(actor, steps, roles[0])
    unheld = [role for role in free if steps is None or not steps.held_by_another(actor, role)]
    return (unheld or free)[0]


def check_reject(actor: Actor, author_id: int, state: RequestState, approved: set[Role],
                 steps: ChainSteps | None = None) -> None:
    """A rejection is the decision of whoever's step it is: not of someone who took another step of the chain."""
    _not_author(actor, author_id, _("reject"))
    if state in CLOSED:
        raise RuleViolation(_("the request is {state}: it can no longer be rejected").format(state=_state(state)))
    mine = sorted(waiting_roles(state, approved) & actor.roles)
    if not mine:
        raise PermissionDenied(_("{code} has no decision to make on this request now").format(code=actor.code))
    if steps is not None and all(steps.other_position(actor, role) is not None for role in mine):
        _one_position(actor, steps, mine[0])


def check_edit(actor: Actor, state: RequestState) -> RequestState:
    """The state an edit by the actor leaves the draft in, or the reason they may not edit."""
    if state in CLOSED:
        raise RuleViolation(_("the request is {state}: its lines can no longer change").format(state=_state(state)))
    for role, (states, back_to) in EDITORS.items():
        if role in actor.roles and state in states:
            # A returned draft stays with the planner while he works on it; he resubmits it when ready.
            return RequestState.RETURNED if state == RequestState.RETURNED else back_to
    raise PermissionDenied(_("{code} may not change this request's lines now (the planner drafts; the station "
                             "manager edits at the order meeting)").format(code=actor.code))


def check_resubmit(actor: Actor, state: RequestState) -> None:
    """A returned draft goes back into the chain by the planner's hand, and only a returned one."""
    if Role.PLANNER not in actor.roles:
        raise PermissionDenied(_("only the planner resubmits a returned draft; {code} may not").format(
            code=actor.code))
    if state != RequestState.RETURNED:
        raise RuleViolation(_("the request is {state}: only a returned draft is resubmitted").format(
            state=_state(state)))


# -- asked by the screens and the lists ---------------------------------------------------------


def may_review_drafts(actor: Actor) -> bool:
    """Whether the approval chain concerns the operator at all (a step of it is one of their roles)."""
    return bool(actor.roles & REVIEWER_ROLES)


def _roles(approved: Iterable[Role | str]) -> set[Role]:
    return {Role(role) for role in approved}


def waits_for(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str],
              steps: ChainSteps | None = None) -> bool:
    """Whether the draft waits for the operator's decision: a step of theirs is due, it is not their draft, and
    they have not taken another step of its chain."""
    state = RequestState(state)
    if actor.id == author_id or not (waiting_roles(state, _roles(approved)) & actor.roles):
        return False
    if state == RequestState.ACCOUNTANT_REVIEWED:
        return allows(check_approval, actor, author_id, state, _roles(approved), steps)
    return allows(check_review, actor, author_id, state, steps)


def may_give_review(actor: Actor, author_id: int, state: RequestState | str, steps: ChainSteps | None = None) -> bool:
    """Whether the operator may give the review due in `state` now."""
    return allows(check_review, actor, author_id, RequestState(state), steps)


def may_approve(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str],
                steps: ChainSteps | None = None) -> bool:
    """Whether the operator may approve the draft now (as an approver who has not yet approved it)."""
    return allows(check_approval, actor, author_id, RequestState(state), _roles(approved), steps)


def may_reject(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str],
               steps: ChainSteps | None = None) -> bool:
    """Whether the operator may send the draft back to the planner now."""
    return allows(check_reject, actor, author_id, RequestState(state), _roles(approved), steps)


def may_edit(actor: Actor, state: RequestState | str) -> bool:
    """Whether the operator may change the draft's lines in `state` (the planner drafts; the station manager
    edits at the order meeting)."""
    return allows(check_edit, actor, RequestState(state))


def may_decide(actor: Actor) -> bool:
    """Whether anything on the review screen may wait for the operator: a draft's step, a transfer to check (二审)
    or an adjustment to approve (core.services.decisions lists them)."""
    return may_review_drafts(actor) or actor.can(Permission.CHECK_TRANSFER) or actor.can(
        Permission.APPROVE_ADJUSTMENT)
