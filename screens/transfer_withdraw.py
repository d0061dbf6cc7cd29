"""Withdrawing a transfer note one entered, before the second person's check (二审): `transfer cancel` at the desk.

The part card opens it on the operator's own waiting transfers of the part: Enter on the highlighted one asks, then
withdraws that one (nothing moves; the checker's refusal is on the review screen instead).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.decimals import fmt_qty
from core.i18n import N_, _
from core.services.transfers import TransferInfo, cancel_transfer
from screens import keys
from screens.widgets.dialogs import Dialog, YesNoDialog
from screens.widgets.footer import Footer


class WaitingTransfers(OptionList):
    """The operator's transfers of the part waiting for the check; Enter withdraws the highlighted one."""

    BINDINGS = [Binding(keys.OPEN, "select", N_("Withdraw"), id="withdraw_transfer",
                        tooltip=N_("Withdraw the highlighted transfer note (asks first): nothing moves"))]


class WithdrawTransferDialog(Dialog[TransferInfo]):
    """Pick one of one's own waiting transfer notes of a part and withdraw it; the result is the withdrawn note."""

    AUTO_FOCUS = "#withdraw-list"

    def __init__(self, actor, part_no: str, waiting: list[TransferInfo]) -> None:
        """Offer `waiting` (read by the caller: the operator's entered transfers of `part_no`)."""
        super().__init__()
        self.actor, self.part_no, self.waiting = actor, part_no, waiting

    def compose(self) -> ComposeResult:
        """Title, the waiting notes and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("Withdraw a transfer note of {part_no} (调拨单)").format(part_no=self.part_no)),
                         classes="dialog-title")
            yield WaitingTransfers(*[Option(self._line(info), id=info.number) for info in self.waiting],
                                   id="withdraw-list")
            yield self.message_line(_("Enter: withdraw the highlighted note · Escape: close"))
        yield Footer()

    @staticmethod
    def _line(info: TransferInfo) -> Text:
        return Text(_("{number}  {qty} from {source} to {target}").format(
            number=info.number, qty=fmt_qty(info.qty), source=info.from_location, target=info.destination))

    @on(OptionList.OptionSelected, "#withdraw-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        number = event.option.id or ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirm(lambda uow: cancel_transfer(number, actor=self.actor, uow=uow))

        self.app.push_screen(YesNoDialog(_("Withdraw {number}").format(number=number),
                                         _("Withdraw transfer note {number}? Nothing moves; the checker no longer "
                                           "sees it.").format(number=number)), answered)
