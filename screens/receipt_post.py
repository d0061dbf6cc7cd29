"""Posting a counted receipt (planner), with a code before shelving: a part without a location, or not in
the parts master, stops the posting and is given one on the spot; then posting goes on."""

from __future__ import annotations

from textual import work

from core.i18n import _
from core.receiving_rules import MissingLocation, NotInPartsMaster
from core.services.receiving import ReceiptInfo, ReceiptLineInfo, get_receipt, post_receipt


class PostingSteps:
    """The posting step of the receipt screen (a mixin: it uses the screen's receipt, draft and message line)."""

    def action_post(self) -> None:
        """Post the signed count (planner); a missing location is asked for on the spot."""
        if self.draft.dirty:
            self._say(_("the count changed since it was signed: sign it again (ctrl+s) before posting"), "error")
            return
        self._say(_("posting…"), "waiting")
        self._post(self.receipt.number)

    @work(thread=True, exclusive=True, group="post")
    def _post(self, number: str) -> None:
        try:
            with self.app.writing() as uow:
                receipt = post_receipt(number, actor=self.app.actor, uow=uow)
        except (MissingLocation, NotInPartsMaster) as exc:
            blocking = self._line_without_location(number, exc.part_no)
            if blocking is not None:
                self.app.call_from_thread(self._ask_location, blocking)
            else:
                self.app.call_from_thread(self._say, exc.message, "error")
        except Exception as exc:  # a refusal or a database fault: say it, keep the receipt as it was
            self.app.call_from_thread(self._failed, exc)
        else:
            self.app.call_from_thread(self._posted, receipt)

    def _line_without_location(self, number: str, part_no: str) -> ReceiptLineInfo | None:
        # The refusal names the part; its line, read again, has what the dialog shows (name, price, known or not).
        try:
            with self.app.reading() as uow:
                receipt = get_receipt(number, uow=uow)
        except Exception:  # reading failed too: the refusal is said as it came
            return None
        return next((line for line in receipt.lines if line.part_no == part_no), None)

    def _ask_location(self, line: ReceiptLineInfo) -> None:
        from screens.receipt_location import LocationDialog

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
