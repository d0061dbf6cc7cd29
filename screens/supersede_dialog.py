"""Supersede a part from its card (planner, parts manager): the new number (several for a kit), the date and
whether the old stock may still be issued for the new number."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from core.i18n import N_, _
from core.services.supersession import Superseded, supersede
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class SupersedeDialog(Dialog[Superseded | None]):
    """The old number (the card's part), the new number(s), the date and the flag; the result is what was set."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#supersede-new"
    BINDINGS = [Binding(keys.COMMIT, "supersede", N_("Supersede"), id="supersede_confirm",
                        tooltip=N_("Set the supersession"))]

    def __init__(self, part_no: str) -> None:
        """Supersede `part_no`."""
        super().__init__()
        self.part_no = part_no

    def compose(self) -> ComposeResult:
        """The old number, the fields and the message line."""
        with Vertical(id="form"):
            yield Static(_("Supersede {part_no} 零件替代").format(part_no=self.part_no), classes="form-title")
            yield Label(_("New part number (several, separated by spaces, for a kit)"))
            yield FieldInput(placeholder=_("e.g. 5C6941005B"), id="supersede-new", max_length=200)
            yield Label(_("From (YYYY-MM-DD; empty: today)"))
            yield Input(id="supersede-date", max_length=10)
            yield Checkbox(_("Interchangeable: the old stock is issued first"), True, id="supersede-interchangeable")
            yield self.message_line(_("F9 or Enter on the date sets it; Escape closes"))
        yield Footer()

    @on(Input.Submitted, "#supersede-date")
    def _date_submitted(self) -> None:
        self.action_supersede()

    def action_supersede(self) -> None:
        """Set the supersession as typed; a refusal (unknown number, a chain back on itself) is said here."""
        new = self.query_one("#supersede-new", Input).value.replace(",", " ").split()
        if not new:
            self.say(_("name the new part number"), "error")
            self.set_focus(self.query_one("#supersede-new"))
            return
        day = self.query_one("#supersede-date", Input).value.strip() or None
        interchangeable = self.query_one("#supersede-interchangeable", Checkbox).value
        old, actor = self.part_no, self.app.actor
        self.confirm(lambda uow: supersede(old, new, interchangeable=interchangeable, effective_on=day, actor=actor,
                                           uow=uow))
