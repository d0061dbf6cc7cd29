"""A code before shelving: give a part its location (or add a part the master does not know) so posting goes on."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from core.codes import LOCATION_SCHEME
from core.i18n import _
from core.services.catalog import add_part, set_part_location
from core.services.receiving import ReceiptLineInfo
from screens.widgets.form import FieldInput, FormDialog


class LocationInput(Input):
    """The location code; Enter saves it and posting is tried again."""

    BINDINGS = [Binding("enter", "submit", _("Save and post"), id="save_location",
                        tooltip=_("Save the location and post again"))]


class LocationDialog(FormDialog[str | None]):
    """Why posting stopped, and the location code (with a name for a new part); the result is the part number."""

    AUTO_FOCUS = "#new-name, #location"

    def __init__(self, line: ReceiptLineInfo) -> None:
        """The line whose part stops the posting."""
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        """The reason, the fields and the message line."""
        line = self.line
        with Vertical(id="form"):
            yield Static(_("A code before shelving 先编码后上架 — {part_no}").format(part_no=line.part_no),
                         classes="form-title")
            if line.known:
                yield Static(_("Posting stopped: {part_no} {name} has no location. Give it one; posting goes on.")
                             .format(part_no=line.part_no, name=line.name), classes="form-hint")
            else:
                yield Static(_("Posting stopped: {part_no} is not in the parts master. Add it with a name and a "
                               "location, or cancel and refuse the line (ctrl+r).").format(part_no=line.part_no),
                             classes="form-hint")
                yield Label(_("Name of the new part"))
                yield FieldInput(line.description, id="new-name", max_length=200)
            yield Label(_("Location, {scheme}").format(scheme=LOCATION_SCHEME))
            yield LocationInput(placeholder="EXC-01-02-03", id="location", max_length=16)
            yield Static("", id="form-message")
        yield Footer()

    @on(Input.Submitted, "#location")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the location: save it."""
        location = event.value.strip()
        if location:
            self.say(_("saving…"), "waiting")
            name = None if self.line.known else self.query_one("#new-name", Input).value.strip()
            self._save(location, name)

    @work(thread=True, exclusive=True, group="location")
    def _save(self, location: str, name: str | None) -> None:
        line = self.line
        try:
            with self.app.writing() as uow:
                if name is None:
                    set_part_location(line.part_no, location, actor=self.app.actor, uow=uow)
                else:
                    add_part(line.part_no, name, price=line.unit_price, location=location, actor=self.app.actor,
                             uow=uow)
        except Exception as exc:  # a code outside the scheme, no right to edit: said, nothing saved
            self.app.call_from_thread(self.fail, exc)
        else:
            self.app.call_from_thread(self.done, line.part_no)
