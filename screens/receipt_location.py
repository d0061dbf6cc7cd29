"""A code before shelving: give a part its location (or add a part the master does not know) so posting goes on."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.codes import LOCATION_SCHEME
from core.i18n import N_, _
from core.labels import part_names
from core.services.catalog import add_part, set_part_location
from core.services.receiving import ReceiptLineInfo
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class LocationInput(Input):
    """The location code; Enter saves it and posting is tried again."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Save and post"), id="save_location",
                        tooltip=N_("Save the location and post again"))]


class LocationDialog(Dialog[str | None]):
    """Why posting stopped, and the location code (with a name for a new part); the result is the part number."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#new-name, #location"
    FIELDS = {"name": "#new-name", "location": "#location"}
    # A new part's whole master record (series, unit, pack, supplier...) in the part form instead.
    BINDINGS = [Binding("ctrl+f", "part_form", N_("Part form"), id="receipt_part_form",
                        tooltip=N_("Add the new part with every master field in the part form"))]

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
                             .format(part_no=line.part_no, name=part_names(line.name, line.name_zh)),
                             classes="form-hint")
            else:
                yield Static(_("Posting stopped: {part_no} is not in the parts master. Add it with a name and a "
                               "location (ctrl+f: every field), or cancel and refuse the line (ctrl+r).").format(
                                   part_no=line.part_no), classes="form-hint")
                yield Label(_("Name of the new part"))
                yield FieldInput(line.description, id="new-name", max_length=200)
            yield Label(_("Location, {scheme}").format(scheme=_(LOCATION_SCHEME)))
            yield LocationInput(placeholder="EXC-01-02-03", id="location", max_length=16)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#location")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the location: save it."""
        location = event.value.strip()
        if location:
            name = None if self.line.known else self.query_one("#new-name", Input).value.strip()
            # A code outside the scheme, no right to edit: said, nothing saved.
            self.confirm(partial(self._save, location, name, self.app.actor))

    def _save(self, location: str, name: str | None, actor, uow) -> str:
        line = self.line
        if name is None:
            set_part_location(line.part_no, location, actor=actor, uow=uow)
        else:
            add_part(line.part_no, name, price=line.unit_price, location=location, actor=actor, uow=uow)
        return line.part_no

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The part form only for a part the master does not know."""
        if action == "part_form":
            return not self.line.known
        return True

    def action_part_form(self) -> None:
        """The part form, with the number, the name and the bin typed so far; once the part is saved posting goes
        on (asking again for a bin if the form gave none)."""
        from screens.part_form import PartFormDialog

        def added(info) -> None:
            if info is not None:
                self.close_with(self.line.part_no)

        name = self.query_one("#new-name", Input).value.strip()
        location = self.query_one("#location", Input).value.strip()
        self.app.push_screen(PartFormDialog(self.app.actor, part_no=self.line.part_no, name=name, location=location,
                                            price=str(self.line.unit_price or "0")), added)
