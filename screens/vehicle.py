"""Parts taken off a new vehicle (拆新车) or put back on it (负入库), against its VIN: the storekeeper's dialog,
opened from the lookup and from receiving (ctrl+t, and the palette)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Static

from core.i18n import N_, _, ngettext
from core.roles import Permission
from core.services.vehicles import VehicleMove, restore, take
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer


class VehicleDialog(Dialog[VehicleMove | None]):
    """VIN, lines (PART_NO:QTY, scanned or typed), the bin they go into, and whether they go back on the vehicle;
    the result is the document booked."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#vehicle-vin"
    FIELDS = {"location": "#vehicle-location"}
    BINDINGS = [Binding(keys.COMMIT, "book", N_("Book"), id="vehicle_book",
                        tooltip=N_("Receive the parts against the VIN, or put them back"))]

    def compose(self) -> ComposeResult:
        """The fields and the message line."""
        with Vertical(id="form"):
            yield Static(_("Parts from a new vehicle 拆新车"), classes="form-title")
            yield Label(_("VIN 车架号"))
            yield FieldInput(id="vehicle-vin", max_length=24)
            # Side by side: the dialog fits 24 rows with its message line.
            with Horizontal(classes="form-pair"):
                with Vertical():
                    yield Label(_("Lines: PART_NO:QTY …"))
                    yield FieldInput(placeholder=_("e.g. 96536697:2 96800106:1"), id="vehicle-lines", max_length=500)
                with Vertical():
                    yield Label(_("Into bin (taking off only)"))
                    yield Input(id="vehicle-location", max_length=20)
            yield Checkbox(_("Put back on the vehicle (负入库)"), False, id="vehicle-restore")
            yield self.message_line(_("F9 or Enter on the bin books it; Escape closes"))
        yield Footer()

    @on(Input.Submitted, "#vehicle-location")
    def _location_submitted(self) -> None:
        self.action_book()

    def action_book(self) -> None:
        """Book the take (a receipt into its own lots) or the restore (a negative receipt) as typed."""
        vin = self.query_one("#vehicle-vin", Input).value
        lines = self.query_one("#vehicle-lines", Input).value.replace(",", " ").split()
        location = self.query_one("#vehicle-location", Input).value.strip()
        actor = self.app.actor
        if self.query_one("#vehicle-restore", Checkbox).value:
            self.confirm(lambda uow: restore(vin, lines, actor=actor, uow=uow))
        else:
            self.confirm(lambda uow: take(vin, lines, location=location, actor=actor, uow=uow))


def vehicle_binding() -> Binding:
    """The key that opens the dialog, as the lookup and receiving show it."""
    return Binding(keys.VEHICLE, "vehicle", N_("Vehicle parts"), id="vehicle_parts",
                   tooltip=N_("Parts taken off a new vehicle (拆新车) or put back, against its VIN"))


def may_book(app) -> bool:
    """Whether the operator signed in may book parts off a new vehicle (the key is shown to them only)."""
    actor = getattr(app, "actor", None)
    return actor is not None and actor.can(Permission.TAKE_FROM_VEHICLE)


def open_vehicle_dialog(screen, say) -> None:
    """Push the dialog over `screen`; what it booked is told through `say(line)` and its slip (拆车入库单 or
    恢复新车负入库单) comes up in the print preview, where the print key prints it."""
    from core.documents import VEHICLE_RESTORE, VEHICLE_TAKE, kind_of
    from screens.print_preview import PrintPreviewScreen

    def booked(done: VehicleMove | None) -> None:
        if done is not None:
            say(ngettext("{document}: {count} line booked against {vin}",
                         "{document}: {count} lines booked against {vin}", len(done.lines)).format(
                document=done.document, count=len(done.lines), vin=done.vin))
            kind = VEHICLE_RESTORE if kind_of(done.document) is VEHICLE_RESTORE else VEHICLE_TAKE
            screen.app.push_screen(PrintPreviewScreen([(kind.name, done.document)]))

    screen.app.push_screen(VehicleDialog(), booked)
