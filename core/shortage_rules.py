"""The shortage registration's rules, without a database (缺件登记): the advisor logs and signs it against an open
repair order, the parts department answers it once within 30 minutes, and who follows which shortages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Protocol, TypeVar

from core import labels
from core.errors import RuleViolation
from core.i18n import _
from core.models.enums import ShortageState
from core.repair_states import OPEN_STATES, RepairState
from core.roles import Actor, Permission, allows, require

ANSWER_WITHIN = timedelta(minutes=30)


class LoggedShortage(Protocol):
    """What following a shortage reads of it: the code of the operator who logged it."""

    @property
    def logged_by(self) -> str:
        """The code of the advisor who logged (and signed) the shortage."""


S = TypeVar("S", bound=LoggedShortage)


def may_follow_shortages(actor: Actor) -> bool:
    """Whether shortages are the operator's work: those who answer them and those who log them."""
    return actor.can(Permission.ANSWER_SHORTAGE) or actor.can(Permission.LOG_SHORTAGE)


def answers_shortages(actor: Actor) -> bool:
    """Whether the operator is of the parts department, which answers (and so follows) every shortage."""
    return actor.can(Permission.ANSWER_SHORTAGE)


def follows(actor: Actor, shortage: LoggedShortage) -> bool:
    """Whether the operator follows the shortage: every one for the parts department, their own for an advisor."""
    return answers_shortages(actor) or shortage.logged_by == actor.code


def visible_shortages(actor: Actor, shortages: Iterable[S]) -> list[S]:
    """The shortages the operator follows, in the order given."""
    return [shortage for shortage in shortages if follows(actor, shortage)]


def check_log(actor: Actor, ro_no: str, ro_state: RepairState | str) -> None:
    """Logging a shortage: the advisor's, against a repair order still open."""
    require(actor, Permission.LOG_SHORTAGE)
    if RepairState(ro_state) not in OPEN_STATES:
        raise RuleViolation(_("repair order {ro} is {state}: no shortage can be logged on it").format(
            ro=ro_no, state=labels.label(labels.REPAIR_STATE, ro_state)))


def may_log(actor: Actor, ro_state: RepairState | str) -> bool:
    """Whether the operator may log a shortage on a repair order in `ro_state` now."""
    return allows(check_log, actor, "", ro_state)


def check_answer(actor: Actor, number: str, state: ShortageState | str) -> None:
    """Answering a shortage: the parts department's, once, while it is open."""
    require(actor, Permission.ANSWER_SHORTAGE)
    if state != ShortageState.OPEN:
        raise RuleViolation(_("shortage {number} is already {state}").format(
            number=number, state=labels.label(labels.SHORTAGE_STATE, state)))


def may_answer(actor: Actor, state: ShortageState | str) -> bool:
    """Whether the operator may answer a shortage in `state` now."""
    return allows(check_answer, actor, "", state)
