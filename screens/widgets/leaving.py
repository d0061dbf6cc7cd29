"""Leaving unsaved work asks first: a screen that holds work not stored says so (`unsaved_work()`), and Escape,
sign-out and quit ask before throwing it away.

A screen with work in progress defines `unsaved_work() -> str | None`: one line saying what would be lost, or
None when nothing would. A receipt's count never is for long (every scan is stored as it comes); the counter's
lines not yet issued and a half-filled intake form are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from core.i18n import _
from screens.widgets.dialogs import YesNoDialog


class LeaveQuestion(YesNoDialog):
    """The question asked before unsaved work is dropped (Enter: drop it and leave; Escape: stay)."""


def unsaved_in(screens: Iterable[Any]) -> list[str]:
    """What each of `screens` would lose if closed now (those with nothing unsaved say nothing)."""
    lines = []
    for screen in screens:
        ask = getattr(screen, "unsaved_work", None)
        line = ask() if callable(ask) else None
        if line:
            lines.append(line)
    return lines


def ask_before_leaving(app: Any, lost: list[str], leave: Callable[[], Any], *, doing: str) -> None:
    """Leave at once when nothing is lost; otherwise ask, naming what would be lost, and leave only on yes."""
    if not lost:
        leave()
        return
    if isinstance(app.screen, LeaveQuestion):  # asked already: a second key is no answer
        return
    question = "\n".join([*lost, "", _("{doing} drops it. Go ahead?").format(doing=doing)])

    def answered(yes: bool | None) -> None:
        if yes:
            leave()

    app.push_screen(LeaveQuestion(_("Unsaved work 未保存"), question), answered)
