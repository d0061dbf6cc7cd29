"""Refusing a line (planner): the part goes back to the supplier and is claimed, never shelved."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import N_, _
from core.services.receiving import ReceiptInfo, refuse_line
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class ReasonInput(Input):
    """Why the line goes back; Enter refuses it."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Refuse"), id="refuse_with_reason", tooltip=N_("Refuse the line"))]


class RefuseDialog(Dialog[ReceiptInfo | None]):
    """The line and a reason; the result is the receipt with the line refused."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#reason"

    def __init__(self, number: str, part_no: str, name: str) -> None:
        """Refuse `part_no` on receipt `number`."""
        super().__init__()
        self.number, self.part_no, self.part_name = number, part_no, name

    def compose(self) -> ComposeResult:
        """The line, the reason field and the message line."""
        with Vertical(id="form"):
            yield Static(_("Refuse a line 拒收 — {number}").format(number=self.number), classes="form-title")
            yield Static(f"{self.part_no}  {self.part_name}", classes="form-hint")
            yield Label(_("Reason (goes on the claim)"))
            yield ReasonInput(placeholder=_("e.g. shipped by mistake, not ordered"), id="reason", max_length=500)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: refuse the line with the reason given."""
        if not event.value.strip():
            self.say(_("refusing a line needs a reason"), "error")
            return
        reason, number, part_no, actor = event.value.strip(), self.number, self.part_no, self.app.actor
        # No right, wrong state, a fault: said, nothing changed.
        self.confirm(lambda uow: refuse_line(number, part_no, reason=reason, actor=actor, uow=uow), waiting="")
