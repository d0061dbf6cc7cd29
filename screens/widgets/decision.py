"""A decision on a draft (review, approve, reject) with its comment, confirmed from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import N_, _
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class CommentInput(Input):
    """The comment; Enter (shown in the footer) gives the decision."""

    BINDINGS = [
        Binding(keys.OPEN, "submit", N_("Confirm"), id="pd_confirm", tooltip=N_("Give the decision with this comment"))
    ]


class DecisionDialog(Dialog[Any]):
    """Title, what is decided, a comment field: Enter runs `decide(comment, uow)` in a write unit (the core says if
    the comment is missing where one is required), Escape changes nothing."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#pd-comment"

    def __init__(self, title: str, summary: str, label: str, decide: Callable[[str, Any], Any], *,
                 kind: str = "") -> None:
        """A dialog for one decision; kind `reject` draws it in the warning colour."""
        super().__init__()
        self.title_text, self.summary, self.label, self.decide, self.kind = title, summary, label, decide, kind

    def compose(self) -> ComposeResult:
        """Title, summary, the comment and the message line."""
        with Vertical(classes=f"pd-box {self.kind}".strip()):
            yield Static(Text(self.title_text), classes="pd-title")
            yield Static(Text(self.summary), classes="pd-summary")
            yield Label(self.label, classes="pd-label")
            yield CommentInput(id="pd-comment")
            yield self.message_line(_("Enter confirms · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#pd-comment")
    def _submitted(self, event: Input.Submitted) -> None:
        comment = event.value.strip()
        self.confirm(lambda uow: self.decide(comment, uow))
