"""A follow-up with the supplier (催货): what they said, and the new expected time if they gave one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import N_, _, ngettext
from core.services.ordering import TransitOrder
from core.services.shortages import parse_eta
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time


class ChaseNoteInput(Input):
    """Who was called and what they said; Enter moves on to the ETA."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="pd_chase_next", tooltip=N_("Move on to the new ETA"))]


class ChaseEtaInput(Input):
    """The ETA the supplier gave (may stay empty); Enter logs the follow-up."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Log follow-up"), id="pd_chase", tooltip=N_("Log the follow-up"))]


class ChaseDialog(Dialog[TransitOrder]):
    """Note and optional ETA for one order; Enter in the ETA runs `chase(note, eta, uow)` in a write unit."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#pd-chase-note"
    FIELDS = {"note": "#pd-chase-note", "eta": "#pd-chase-eta"}

    def __init__(self, order: TransitOrder, chase: Callable[[str, datetime | None, Any], Any]) -> None:
        """Chase `order`."""
        super().__init__()
        self.order, self.chase = order, chase

    def compose(self) -> ComposeResult:
        """Title, the order, note, ETA and the message line."""
        o = self.order
        summary = ngettext(
            "{supplier}, ordered {at}, {lines} line outstanding; ETA {eta}; last chased {chased}",
            "{supplier}, ordered {at}, {lines} lines outstanding; ETA {eta}; last chased {chased}", o.outstanding_lines,
        ).format(
            supplier=o.supplier, at=local_time(o.created_at), lines=o.outstanding_lines, eta=local_time(o.eta),
            chased=local_time(o.last_chased))
        with Vertical(classes="pd-box"):
            yield Static(Text(_("Chase order {number} 催货").format(number=o.number)), classes="pd-title")
            yield Static(Text(summary + (f"\n{o.last_note}" if o.last_note else "")), classes="pd-summary")
            yield Label(_("What the supplier said"), classes="pd-label")
            yield ChaseNoteInput(id="pd-chase-note")
            yield Label(_("New ETA (local time, may stay empty)"), classes="pd-label")
            yield ChaseEtaInput(placeholder="YYYY-MM-DD HH:MM", id="pd-chase-eta")
            yield self.message_line(_("Enter moves on; Enter in the ETA logs it · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#pd-chase-note")
    def _note_done(self) -> None:
        self.set_focus(self.query_one("#pd-chase-eta", Input))

    @on(Input.Submitted, "#pd-chase-eta")
    def _eta_done(self) -> None:
        note = self.query_one("#pd-chase-note", Input).value.strip()
        eta_text = self.query_one("#pd-chase-eta", Input).value.strip()
        self.confirm(lambda uow: self.chase(note, parse_eta(eta_text) if eta_text else None, uow))
