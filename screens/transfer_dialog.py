"""Entering a transfer note (调拨单, 一审) from the part's card: from which bin, to which, how many; it waits for a
second person's check (二审) on the review screen before any stock moves. On PostgreSQL a field names another
station of the dealer group to send to (empty: this station); on SQLite there is none, and it stays hidden."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.i18n import _
from core.services.transfers import TransferInfo, between_stations, create_transfer
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class TransferDialog(Dialog[TransferInfo]):
    """From bin, to bin (typed or scanned), quantity: Enter moves on, Enter in the quantity enters the note."""

    AUTO_FOCUS = "#td-to"
    FIELDS = {"qty": "#td-qty"}

    def __init__(self, actor, part_no: str, from_location: str = "") -> None:
        """A transfer of `part_no`, from the bin of the highlighted lot unless changed."""
        super().__init__()
        self.actor, self.part_no, self.from_location = actor, part_no, from_location

    def compose(self) -> ComposeResult:
        """Title, what happens next, the three fields and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Transfer {part_no} (调拨单)").format(part_no=self.part_no)), classes="dialog-title")
            yield Static(Text(_("Nothing moves until a second person checks it on the review screen (二审).")),
                         classes="dialog-summary")
            yield Label(_("From bin"))
            yield Input(value=self.from_location, id="td-from", select_on_focus=True, compact=True)
            yield Label(_("To bin"))
            yield Input(id="td-to", compact=True)
            for hidden in (Label(_("To station (empty: this one)"), id="td-station-label"),
                           Input(id="td-station", compact=True)):
                hidden.display = False  # until the database says it can hold other stations
                yield hidden
            yield Label(_("Quantity"))
            yield Input(id="td-qty", compact=True)
            yield self.message_line(_("Enter moves on; Enter in the quantity enters the note · Escape cancels"))
        yield Footer()

    def on_mount(self) -> None:
        """Ask whether the database can hold other stations: only then is the station field shown."""
        self.run_read(lambda uow: between_stations(uow=uow), self._stations, group="stations")

    def _stations(self, possible: bool) -> None:
        for selector in ("#td-station-label", "#td-station"):
            self.query_one(selector).display = possible

    @on(Input.Submitted, "#td-from")
    def _from_done(self) -> None:
        self.set_focus(self.query_one("#td-to", Input))

    @on(Input.Submitted, "#td-to")
    def _to_done(self) -> None:
        station = self.query_one("#td-station", Input)
        self.set_focus(station if station.display else self.query_one("#td-qty", Input))

    @on(Input.Submitted, "#td-station")
    def _station_done(self) -> None:
        self.set_focus(self.query_one("#td-qty", Input))

    @on(Input.Submitted, "#td-qty")
    def _qty_done(self) -> None:
        source = self.query_one("#td-from", Input).value
        target = self.query_one("#td-to", Input).value
        qty = self.query_one("#td-qty", Input).value
        station = self.query_one("#td-station", Input).value.strip() or None
        actor, part_no = self.actor, self.part_no
        # The core reads the quantity (core.decimals) and says what is wrong; the dialog stays with what was typed.
        self.confirm(lambda uow: create_transfer(part_no, qty, from_location=source, to_location=target,
                                                 to_station=station, actor=actor, uow=uow))
