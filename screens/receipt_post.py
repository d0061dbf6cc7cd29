"""Posting a counted receipt (planner), with a code before shelving: a part without a location, or not in
the parts master, stops the posting and is given one on the spot; then posting goes on."""

from __future__ import annotations

from functools import partial

from core.i18n import _
from core.receiving_rules import MissingLocation, NotInPartsMaster
from core.services.receiving import ReceiptInfo, ReceiptLineInfo, get_receipt, post_receipt


class PostingSteps:
    """The posting step of the receipt screen (a mixin: it uses the screen's receipt, draft, message line and
    service calls)."""

    def action_post(self) -> None:
        """Post the signed count (planner); a missing location is asked for on the spot."""
        self._say(_("posting…"), "waiting")
        self._post(self.receipt.number)

    def _post(self, number: str) -> None:
        actor = self.app.actor
        self.run_write(lambda uow: post_receipt(number, actor=actor, uow=uow), self._posted,
                       failed=partial(self._not_posted, number), group="post")

    def _not_posted(self, number: str, exc: Exception) -> None:
        """A refusal or a database fault is said, the receipt kept as it was; a part without a location (or not
        in the master) is asked for on the spot."""
        if not isinstance(exc, MissingLocation | NotInPartsMaster):
            self.show_error(exc)
            return
        # The refusal names the part; its line, read again, has what the dialog shows (name, price, known or
        # not). Reading it failing too, the refusal is said as it came.
        self.run_read(partial(_line_of, number, exc.part_no), partial(self._ask_location, exc),
                      failed=lambda _exc: self._say(exc.message, "error"), group="post")

    def _ask_location(self, refusal: MissingLocation | NotInPartsMaster, line: ReceiptLineInfo | None) -> None:
        from screens.receipt_location import LocationDialog

        if line is None:
            self._say(refusal.message, "error")
            return
        if not self.is_current:  # left or signed out while posting: ask nothing over another screen
            return
        self._say(_("posting refused: {part_no} needs a location before it is shelved").format(
            part_no=line.part_no), "error")
        self.app.push_screen(LocationDialog(line), self._located)

    def _located(self, part_no: str | None) -> None:
        if part_no:
            self._say(_("{part_no} has its location; posting again…").format(part_no=part_no), "waiting")
            self._post(self.receipt.number)

    def _posted(self, receipt: ReceiptInfo) -> None:
        self.shown(receipt, signed=True)
        self._say(_("posted: the lots are on the books; the putaway list (ctrl+t) says where they go"), "success")


def _line_of(number: str, part_no: str, uow) -> ReceiptLineInfo | None:
    """The receipt's line of a part (None when the receipt no longer has it)."""
    receipt = get_receipt(number, uow=uow)
    return next((line for line in receipt.lines if line.part_no == part_no), None)
