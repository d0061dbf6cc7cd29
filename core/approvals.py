"""The purchase-request approval chain, without a database: who acts at each step, and what an edit undoes.

draft → reviewed by the parts manager → the station manager's order meeting (he may edit) →
reviewed by the materials accountant → approved once both the station manager and the service
director have approved, in either order (domain.md, "Planning and ordering"). A rejection at any
step returns the draft to the planner (returned): no reviewer waits for it until he resubmits it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import PermissionDenied, RuleViolation
from core.i18n import _
from core.models.planning import RequestState
from core.roles import Actor, Role, allows


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


def check_review(actor: Actor, author_id: int, state: RequestState) -> ReviewStep:
    """The review the actor gives now, or the reason they may not."""
    _not_author(actor, author_id, _("review"))
    step = review_step(state)
    if step is None:
        raise RuleViolation(_("the request is {state}: there is no review to give; approvals come next").format(
            state=state.value) if state == RequestState.ACCOUNTANT_REVIEWED else
            _("the request is {state}: there is no review to give").format(state=state.value))
    if step.role not in actor.roles:
        raise PermissionDenied(_("the {step} is the {role}'s; {code} may not give it").format(
            step=step.title, role=step.role.value, code=actor.code))
    return step


def check_approval(actor: Actor, author_id: int, state: RequestState, approved: set[Role]) -> Role:
    """The approver role the actor approves as, or the reason they may not."""
    _not_author(actor, author_id, _("approve"))
    if state != RequestState.ACCOUNTANT_REVIEWED:
        raise RuleViolation(_("the request is {state}: it is approved only after every review").format(
            state=state.value))
    roles = [role for role in APPROVERS if role in actor.roles and role not in approved]
    if not roles:
        if any(role in actor.roles for role in APPROVERS):
            raise RuleViolation(_("{code} has already approved this request").format(code=actor.code))
        raise PermissionDenied(_("only the station manager and the service director approve; {code} may not").format(
            code=actor.code))
    return roles[0]


def check_reject(actor: Actor, author_id: int, state: RequestState, approved: set[Role]) -> None:
    """A rejection is the decision of whoever's step it is."""
    _not_author(actor, author_id, _("reject"))
    if state in CLOSED:
        raise RuleViolation(_("the request is {state}: it can no longer be rejected").format(state=state.value))
    if not (waiting_roles(state, approved) & actor.roles):
        raise PermissionDenied(_("{code} has no decision to make on this request now").format(code=actor.code))


def check_edit(actor: Actor, state: RequestState) -> RequestState:
    """The state an edit by the actor leaves the draft in, or the reason they may not edit."""
    if state in CLOSED:
        raise RuleViolation(_("the request is {state}: its lines can no longer change").format(state=state.value))
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
            state=state.value))


# -- asked by the screens and the lists ---------------------------------------------------------


def may_review_drafts(actor: Actor) -> bool:
    """Whether the approval chain concerns the operator at all (a step of it is one of their roles)."""
    return bool(actor.roles & REVIEWER_ROLES)


def _roles(approved: Iterable[Role | str]) -> set[Role]:
    return {Role(role) for role in approved}


def waits_for(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str]) -> bool:
    """Whether the draft waits for the operator's decision: a step of theirs is due, and it is not their draft."""
    return actor.id != author_id and bool(waiting_roles(RequestState(state), _roles(approved)) & actor.roles)


def may_give_review(actor: Actor, author_id: int, state: RequestState | str) -> bool:
    """Whether the operator may give the review due in `state` now."""
    return allows(check_review, actor, author_id, RequestState(state))


def may_approve(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str]) -> bool:
    """Whether the operator may approve the draft now (as an approver who has not yet approved it)."""
    return allows(check_approval, actor, author_id, RequestState(state), _roles(approved))


def may_reject(actor: Actor, author_id: int, state: RequestState | str, approved: Iterable[Role | str]) -> bool:
    """Whether the operator may send the draft back to the planner now."""
    return allows(check_reject, actor, author_id, RequestState(state), _roles(approved))


def may_edit(actor: Actor, state: RequestState | str) -> bool:
    """Whether the operator may change the draft's lines in `state` (the planner drafts; the station manager
    edits at the order meeting)."""
    return allows(check_edit, actor, RequestState(state))
