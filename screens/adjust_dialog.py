"""A stock adjustment or write-off (库存调整, 报废) from the part's card: the bin, a signed quantity, a reason code from
the list (`stock reasons`) and a note; above the station's value limit it waits for approval on the review screen.
Quarantined units are written off here too (the quarantine location, a quantity taken out), or released back to a bin
(`stock release`: a transfer a second person checks)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from core.labels import ADJUST_REASON, label
from core.services.adjustments import Adjusted, adjust, reasons
from core.services.transfers import TransferInfo, release
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class AdjustDialog(Dialog[Adjusted]):
    """Bin, quantity (negative: taken out oldest first), reason code and note; Enter in the note confirms."""

    AUTO_FOCUS = "#ad-qty"

    def __init__(self, actor, part_no: str, location: str = "", *, write_off: bool = False) -> None:
        """An adjustment of `part_no`, at the bin of the highlighted lot unless changed; `write_off`: units taken out
        (报废), the quantity typed without its sign."""
        super().__init__()
        self.actor, self.part_no, self.location, self.write_off = actor, part_no, location, write_off

    def compose(self) -> ComposeResult:
        """Title, the reasons to choose from, the fields and the message line."""
        # The codes are typed; a label is added where it says more than the code (the reader's language).
        listed = ", ".join(code if label(ADJUST_REASON, code).startswith(code.replace("_", " "))
                           else f"{code} {label(ADJUST_REASON, code)}" for code in reasons())
        with Vertical(classes="dialog-box"):
            title = _("Write off {part_no} (报废)") if self.write_off else _("Adjust {part_no} (库存调整)")
            yield Static(Text(title.format(part_no=self.part_no)), classes="dialog-title")
            yield Label(_("Bin"))
            yield Input(value=self.location, id="ad-location", select_on_focus=True, compact=True)
            yield Label(_("Quantity to write off, oldest first") if self.write_off
                        else _("Quantity (negative: out, oldest first)"))
            yield Input(id="ad-qty", compact=True)
            yield Static(Text(_("Reason: {reasons}").format(reasons=listed)))  # wraps, unlike a Label
            yield Input(id="ad-reason", compact=True)
            yield Label(_("Note (optional)"))
            yield Input(id="ad-note", compact=True)
            yield self.message_line(_("Enter moves on; Enter in the note confirms · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#ad-location")
    def _location_done(self) -> None:
        self.set_focus(self.query_one("#ad-qty", Input))

    @on(Input.Submitted, "#ad-qty")
    def _qty_done(self) -> None:
        self.set_focus(self.query_one("#ad-reason", Input))

    @on(Input.Submitted, "#ad-reason")
    def _reason_done(self) -> None:
        self.set_focus(self.query_one("#ad-note", Input))

    @on(Input.Submitted, "#ad-note")
    def _note_done(self) -> None:
        values = {name: self.query_one(f"#ad-{name}", Input).value for name in ("location", "qty", "reason", "note")}
        actor, part_no = self.actor, self.part_no
        if self.write_off:  # taken out: the core reads the quantity, the sign is the dialog's
            values["qty"] = "-" + values["qty"].strip().lstrip("-+")
        # Every rule (reason from the list, stock at the bin, the value limit) is the core's; a refusal is said here.
        self.confirm(lambda uow: adjust(part_no, values["qty"], location=values["location"], reason=values["reason"],
                                        note=values["note"] or None, actor=actor, uow=uow))


class ReleaseDialog(Dialog[TransferInfo]):
    """Quarantined units back to a bin (`stock release`): the bin, the quantity and a note; like any transfer it moves
    once a second person checks it on the review screen."""

    AUTO_FOCUS = "#rl-qty"
    FIELDS = {"qty": "#rl-qty", "location": "#rl-to"}

    def __init__(self, actor, part_no: str, to_location: str = "") -> None:
        """A release of `part_no` to its default bin unless changed."""
        super().__init__()
        self.actor, self.part_no, self.to_location = actor, part_no, to_location

    def compose(self) -> ComposeResult:
        """Title, what happens next, the fields and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Release {part_no} from quarantine").format(part_no=self.part_no)),
                         classes="dialog-title")
            yield Static(Text(_("Nothing moves until a second person checks it on the review screen (二审).")),
                         classes="dialog-summary")
            yield Label(_("Quantity"))
            yield Input(id="rl-qty", compact=True)
            yield Label(_("To bin"))
            yield Input(value=self.to_location, id="rl-to", select_on_focus=True, compact=True)
            yield Label(_("Note (optional)"))
            yield Input(id="rl-note", compact=True)
            yield self.message_line(_("Enter moves on; Enter in the note confirms · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#rl-qty")
    def _qty_done(self) -> None:
        self.set_focus(self.query_one("#rl-to", Input))

    @on(Input.Submitted, "#rl-to")
    def _to_done(self) -> None:
        self.set_focus(self.query_one("#rl-note", Input))

    @on(Input.Submitted, "#rl-note")
    def _note_done(self) -> None:
        qty, target, note = (self.query_one(f"#rl-{name}", Input).value for name in ("qty", "to", "note"))
        actor, part_no = self.actor, self.part_no
        self.confirm(lambda uow: release(part_no, qty, to_location=target, actor=actor, uow=uow,
                                         note=note.strip() or None))
