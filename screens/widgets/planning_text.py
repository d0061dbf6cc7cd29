"""How planning's states, steps, solutions and countdowns read on screen (shared by review, shortages, dashboard)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from core.i18n import _

# Rich styles the screens and tests agree on: a changed line, a flagged line, something overdue.
CHANGED_STYLE = "bold yellow"
FLAGGED_STYLE = "bold magenta"
OVERDUE_STYLE = "bold red"
SOON_STYLE = "yellow"

# What each state of a draft waits for: the step to come, as the station names it.
_STEPS = {
    "draft": lambda: _("parts manager's review 备件经理审核"),
    "returned": lambda: _("returned to the planner 退回计划员"),
    "pm_reviewed": lambda: _("order meeting 订货会 (station manager)"),
    "meeting_reviewed": lambda: _("materials accountant's review 材料会计审核"),
    "accountant_reviewed": lambda: _("approval 审批 (station manager, service director)"),
    "approved": lambda: _("approved: ready to order"),
    "ordered": lambda: _("ordered"),
}

_SOLUTIONS = {
    "transfer": lambda: _("transfer from another store 调拨"),
    "order": lambda: _("order from the manufacturer 订货"),
    "urgent_purchase": lambda: _("urgent purchase 紧急采购"),
    "substitute": lambda: _("substitute part 替代件"),
}

_SOLUTIONS_SHORT = {
    "transfer": lambda: _("transfer 调拨"),
    "order": lambda: _("order 订货"),
    "urgent_purchase": lambda: _("urgent 紧急采购"),
    "substitute": lambda: _("substitute 替代件"),
}

_SHORTAGE_STATES = {
    "open": lambda: _("open"),
    "answered": lambda: _("answered"),
    "fulfilled": lambda: _("fulfilled"),
}

_ACTIONS = {
    "created": lambda: _("drafted"),
    "edited": lambda: _("edited"),
    "reviewed": lambda: _("reviewed"),
    "approved": lambda: _("approved"),
    "rejected": lambda: _("rejected"),
    "ordered": lambda: _("ordered"),
}


def step_label(state: str) -> str:
    """The step a draft in this state waits for."""
    label = _STEPS.get(state)
    return label() if label else state


def solution_label(solution: str | None, *, short: bool = False) -> str:
    """A shortage's solution in words, or in a word or two for narrow columns (— when not answered yet)."""
    if not solution:
        return "—"
    label = (_SOLUTIONS_SHORT if short else _SOLUTIONS).get(solution)
    return label() if label else solution


def solutions() -> list[tuple[str, str]]:
    """Every solution a shortage can be answered with, as (code, words), in the order the desk offers them."""
    return [(code, label()) for code, label in _SOLUTIONS.items()]


def shortage_state_label(state: str) -> str:
    """A shortage's state in words."""
    label = _SHORTAGE_STATES.get(state)
    return label() if label else state


def action_label(action: str) -> str:
    """An entry of a draft's history in words."""
    label = _ACTIONS.get(action)
    return label() if label else action


def local_time(moment: datetime | None) -> str:
    """An aware instant in the station's local time, to the minute (— for none)."""
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def short_time(moment: datetime | None) -> str:
    """An aware instant as month-day and time, for narrow columns (— for none)."""
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%m-%d %H:%M")


def duration(minutes: int) -> str:
    """Minutes as the desk says them: 25 min, 3 h 05 min, 2 d 4 h."""
    minutes = max(0, minutes)
    if minutes < 60:
        return _("{m} min").format(m=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return _("{h} h {m:02d} min").format(h=hours, m=rest)
    days, hours = divmod(hours, 24)
    return _("{d} d {h} h").format(d=days, h=hours)


def shortage_countdown(overdue: bool, minutes_left: int, respond_by: datetime, now: datetime) -> Text:
    """An unanswered shortage's countdown: minutes left, yellow in the last ten, red once overdue."""
    if overdue:
        late = int((now - respond_by).total_seconds() // 60)
        return Text(_("OVERDUE by {time}").format(time=duration(late)), style=OVERDUE_STYLE)
    return Text(_("{time} left").format(time=duration(minutes_left)), style=SOON_STYLE if minutes_left <= 10 else "")
