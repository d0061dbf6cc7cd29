"""Refusing a line (planner): the part goes back to the supplier and is claimed, never shelved."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from core.i18n import _
from core.services.receiving import ReceiptInfo, refuse_line
from screens.widgets.form import FormDialog


class ReasonInput(Input):
    """Why the line goes back; Enter refuses it."""

    BINDINGS = [Binding("enter", "submit", _("Refuse"), id="refuse_with_reason", tooltip=_("Refuse the line"))]


class RefuseDialog(FormDialog[ReceiptInfo | None]):
    """The line and a reason; the result is the receipt with the line refused."""

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
            yield Static("", id="form-message")
        yield Footer()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: refuse the line with the reason given."""
        if not event.value.strip():
            self.say(_("refusing a line needs a reason"), "error")
            return
        self._refuse(event.value.strip())

    @work(thread=True, exclusive=True, group="refuse")
    def _refuse(self, reason: str) -> None:
        try:
            with self.app.writing() as uow:
                receipt = refuse_line(self.number, self.part_no, reason=reason, actor=self.app.actor,
                                      uow=uow)
        except Exception as exc:  # no right, wrong state, a fault: said, nothing changed
            self.app.call_from_thread(self.fail, exc)
        else:
            self.app.call_from_thread(self.done, receipt)
