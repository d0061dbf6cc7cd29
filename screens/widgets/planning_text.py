"""How planning's states, steps, solutions and countdowns read on screen (shared by review, shortages, dashboard)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from core import labels
from core.i18n import _

# Rich styles the screens and tests agree on: a changed line, a flagged line, something overdue.
CHANGED_STYLE = "bold yellow"
FLAGGED_STYLE = "bold magenta"
OVERDUE_STYLE = "bold red"
SOON_STYLE = "yellow"


def step_label(state: str) -> str:
    """The step a draft in this state waits for."""
    return labels.label(labels.REQUEST_STEP, state)


def solution_label(solution: str | None, *, short: bool = False) -> str:
    """A shortage's solution in words, or in a word or two for narrow columns (— when not answered yet)."""
    return labels.label(labels.SOLUTION_SHORT if short else labels.SOLUTION, solution)


def solutions() -> list[tuple[str, str]]:
    """Every solution a shortage can be answered with, as (code, words), in the order the desk offers them."""
    return [(code, labels.label(labels.SOLUTION, code)) for code in labels.codes(labels.SOLUTION)]


def shortage_state_label(state: str) -> str:
    """A shortage's state in words."""
    return labels.label(labels.SHORTAGE_STATE, state)


def action_label(action: str) -> str:
    """An entry of a draft's history in words."""
    return labels.label(labels.REQUEST_ACTION, action)


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
