"""Answering a shortage (缺件登记): the solution, the expected time and a note, within its 30 minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core import clock
from core.decimals import fmt_qty
from core.i18n import N_, _
from core.labels import part_name
from core.services.shortages import ShortageInfo, parse_eta
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time, shortage_countdown, solutions


class SolutionList(OptionList):
    """The four solutions; Enter takes the highlighted one and moves on to the ETA."""

    BINDINGS = [Binding(keys.OPEN, "select", N_("Next"), id="pd_solution", tooltip=N_("Take this solution"))]


class EtaInput(Input):
    """When the part will be there, local time; Enter moves on to the note."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="pd_eta", tooltip=N_("Move on to the note"))]


class NoteInput(Input):
    """A note for the advisor; Enter sends the answer."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Answer"), id="pd_answer",
                        tooltip=N_("Send the answer to the advisor"))]


class AnswerDialog(Dialog[ShortageInfo]):
    """Solution, ETA and note for one shortage; Enter in the note runs `answer(solution, eta, note, uow)` in a write
    unit."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#pd-solution"
    FIELDS = {"solution": "#pd-solution", "eta": "#pd-eta", "note": "#pd-note"}

    def __init__(self, shortage: ShortageInfo, answer: Callable[[str, datetime, str | None, Any], Any]) -> None:
        """Answer `shortage`."""
        super().__init__()
        self.shortage, self.answer = shortage, answer

    def compose(self) -> ComposeResult:
        """Title, the shortage, the three fields and the message line."""
        s = self.shortage
        summary = Text(_("{part_no} {name} × {qty} for {ro}, logged by {who} at {at}").format(
            part_no=s.part_no, name=part_name(s.part_name, s.part_name_zh), qty=fmt_qty(s.qty), ro=s.ro,
            who=s.logged_by,
            at=local_time(s.logged_at)))
        if s.note:
            summary.append("\n" + s.note, style="dim")
        summary.append("\n" + _("Answer by {at}: ").format(at=local_time(s.respond_by)))
        summary.append_text(shortage_countdown(s.overdue, s.minutes_left, s.respond_by, clock.now()))
        with Vertical(classes="pd-box"):
            yield Static(Text(_("Answer shortage {number} 缺件答复").format(number=s.number)), classes="pd-title")
            yield Static(summary, classes="pd-summary")
            yield Label(_("Solution"), classes="pd-label")
            yield SolutionList(*[Option(label, id=code) for code, label in solutions()], id="pd-solution")
            yield Label(_("Expected (local time, e.g. 2026-11-27 14:00)"), classes="pd-label")
            yield EtaInput(placeholder="YYYY-MM-DD HH:MM", id="pd-eta")
            yield Label(_("Note for the advisor (optional)"), classes="pd-label")
            yield NoteInput(id="pd-note")
            yield self.message_line(_("Enter moves on; Enter in the note answers · Escape cancels"))
        yield Footer()

    @on(OptionList.OptionSelected, "#pd-solution")
    def _solution_chosen(self) -> None:
        self.set_focus(self.query_one("#pd-eta", Input))

    @on(Input.Submitted, "#pd-eta")
    def _eta_done(self) -> None:
        self.set_focus(self.query_one("#pd-note", Input))

    @on(Input.Submitted, "#pd-note")
    def _note_done(self) -> None:
        solution_list = self.query_one("#pd-solution", OptionList)
        highlighted = solution_list.highlighted
        solution = solution_list.get_option_at_index(highlighted).id if highlighted is not None else ""
        eta_text = self.query_one("#pd-eta", Input).value
        note = self.query_one("#pd-note", Input).value.strip() or None
        # parse_eta refuses a malformed time with the line to show, the core one in the past: either way the cursor
        # goes back to the ETA (BadInput.field), so the corrected time lands where it belongs.
        self.confirm(lambda uow: self.answer(solution or "", parse_eta(eta_text), note, uow))
