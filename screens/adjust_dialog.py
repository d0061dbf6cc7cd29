"""A stock adjustment or write-off (库存调整, 报废) from the part's card: the bin, a signed quantity, a reason code from
the list (`stock reasons`) and a note; above the station's value limit it waits for approval on the review screen."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from core.labels import ADJUST_REASON, label
from core.services.adjustments import Adjusted, adjust, reasons
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class AdjustDialog(Dialog[Adjusted]):
    """Bin, quantity (negative: taken out oldest first), reason code and note; Enter in the note confirms."""

    AUTO_FOCUS = "#ad-qty"

    def __init__(self, actor, part_no: str, location: str = "") -> None:
        """An adjustment of `part_no`, at the bin of the highlighted lot unless changed."""
        super().__init__()
        self.actor, self.part_no, self.location = actor, part_no, location

    def compose(self) -> ComposeResult:
        """Title, the reasons to choose from, the fields and the message line."""
        # The codes are typed; a label is added where it says more than the code (the reader's language).
        listed = ", ".join(code if label(ADJUST_REASON, code).startswith(code.replace("_", " "))
                           else f"{code} {label(ADJUST_REASON, code)}" for code in reasons())
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Adjust {part_no} (库存调整)").format(part_no=self.part_no)), classes="dialog-title")
            yield Label(_("Bin"))
            yield Input(value=self.location, id="ad-location", select_on_focus=True, compact=True)
            yield Label(_("Quantity (negative: out, oldest first)"))
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
        # Every rule (reason from the list, stock at the bin, the value limit) is the core's; a refusal is said here.
        self.confirm(lambda uow: adjust(part_no, values["qty"], location=values["location"], reason=values["reason"],
                                        note=values["note"] or None, actor=actor, uow=uow))
