"""Posting a counted receipt (planner), with a code before shelving: a part without a location, or not in
the parts master, stops the posting and is given one on the spot; then posting goes on."""

from __future__ import annotations

from functools import partial

from core.i18n import _, ngettext
from core.labels import PARTY, label
from core.models.enums import Party
from core.receiving_rules import MissingLocation, NotInPartsMaster, ShipmentDoubt
from core.services.receiving import (
    ReceiptInfo,
    ReceiptLineInfo,
    get_receipt,
    name_parties,
    post_receipt,
    unnamed_parties,
)


class PostingSteps:
    """The posting step of the receipt screen (a mixin: it uses the screen's receipt, draft, message line and
    service calls)."""

    def action_post(self) -> None:
        """Post the signed count (planner), once what posting does is said and confirmed; a missing location is
        asked for on the spot."""
        from screens.widgets.dialogs import YesNoDialog

        number = self.receipt.number
        unnamed = unnamed_parties(self.receipt)
        if unnamed:  # a claim names whom it is against: asked for before anything is posted
            self._ask_party(number, unnamed[0])
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self._say(_("not posted: nothing changed"))
                return
            self._say(_("posting…"), "waiting")
            self._post(number)

        if self.receipt.timing in ("late", "overdue"):
            self._ask_late_reason(number)
            return
        self.app.push_screen(YesNoDialog(_("Post {number}?").format(number=number), post_summary(self.receipt)),
                             answered)

    def _ask_late_reason(self, number: str) -> None:
        """当日报财务。如遇特殊情况: a receipt posted after the day it arrived gives the special reason; Enter posts."""
        from screens.widgets.dialogs import TextDialog

        summary = _("{number} arrived on {day}: a receipt is posted the day it arrives. Give the special reason; "
                    "it is printed on the receipt list.").format(
            number=number, day=self.receipt.arrived.at.astimezone().date().isoformat()) + "\n" + post_summary(
            self.receipt)

        def given(reason: str | None) -> None:
            if not reason:
                self._say(_("not posted: nothing changed"))
                return
            self._say(_("posting…"), "waiting")
            self._post(number, reason)

        self.app.push_screen(TextDialog(_("Post {number}?").format(number=number), _("Special reason"),
                                        summary=summary), given)

    def _ask_party(self, number: str, party: Party) -> None:
        from screens.widgets.dialogs import TextDialog

        label = party_label(party)
        summary = _("Posting {number} raises a claim against its {party}, and the receipt names none: a claim "
                    "always says whom it is against. Enter names it; posting is asked next.").format(
            number=number, party=label)

        def named(code: str | None, register: bool = False) -> None:
            if not code:
                self._say(_("not posted: the {party} is not named").format(party=label))
                return
            actor = self.app.actor
            supplier, carrier = (code, None) if party is Party.SUPPLIER else (None, code)
            self.run_write(lambda uow: name_parties(number, actor=actor, uow=uow, supplier=supplier, carrier=carrier,
                                                    register=register),
                           self._party_named, failed=partial(unknown, code), group="post")

        def unknown(code: str, exc: Exception) -> None:
            from screens.widgets.dialogs import YesNoDialog

            if not isinstance(exc, ShipmentDoubt):
                self.show_error(exc)
                return
            # A code not known yet is asked about before it is registered.
            self.app.push_screen(YesNoDialog(_("Register {code}?").format(code=code.strip().upper()),
                                             "\n".join(exc.doubts), kind="warning"),
                                 lambda yes: named(code, register=True) if yes else self._say(
                                     _("not posted: the {party} is not named").format(party=label)))

        self.app.push_screen(TextDialog(_("{number}: name the {party}").format(number=number, party=label),
                                        _("{party} code").format(party=label), summary=summary), named)

    def _party_named(self, receipt: ReceiptInfo) -> None:
        self.shown(receipt)
        self.action_post()  # the next party to name, or the question that posts

    def _post(self, number: str, late_reason: str | None = None) -> None:
        actor = self.app.actor
        self._late_reason = late_reason  # kept for posting again once a missing location is given
        self.run_write(lambda uow: post_receipt(number, actor=actor, uow=uow, late_reason=late_reason), self._posted,
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
            self._post(self.receipt.number, getattr(self, "_late_reason", None))

    def _posted(self, receipt: ReceiptInfo) -> None:
        self.shown(receipt, signed=True)
        self._say(_("posted: the lots are on the books; the putaway list (ctrl+t) says where they go"), "success")


def post_summary(receipt: ReceiptInfo) -> str:
    """What posting the counted receipt will do, in the words the planner confirms: the lots shelved, the lines
    claimed and from whom by name, and that it cannot be undone."""
    lines = receipt.lines
    shelved = sum(1 for line in lines if line.accepted)
    differ = [line for line in lines if line.difference not in (None, "ok")]
    names = {Party.SUPPLIER: receipt.supplier, Party.CARRIER: receipt.carrier}
    parties = sorted({party for line in lines if line.outcome for party, _kind, _qty in line.outcome.claims})
    out = [ngettext(
        "{lines} line of shipment {shipment} from {supplier}",
        "{lines} lines of shipment {shipment} from {supplier}", len(lines)).format(
        lines=len(lines), shipment=receipt.shipment_no or "—", supplier=receipt.supplier or _("no supplier named")),
        ngettext(
            "{count} line goes on the shelf as a new lot at its location",
            "{count} lines go on the shelf as new lots at their locations", shelved).format(count=shelved)]
    if differ:
        out.append(ngettext(
            "{count} line differs: a discrepancy record is made",
            "{count} lines differ: a discrepancy record is made", len(differ)).format(count=len(differ)))
    for party in parties:
        out.append(_("a claim is raised against the {party} {name}").format(
            party=party_label(party), name=names[party] or _("(no name on the receipt)")))
    out.append(_("Posting cannot be undone."))
    return "\n".join(out)


def party_label(party: Party | str) -> str:
    """A claim's party as the desk says it."""
    return label(PARTY, party)


def _line_of(number: str, part_no: str, uow) -> ReceiptLineInfo | None:
    """The receipt's line of a part (None when the receipt no longer has it)."""
    receipt = get_receipt(number, uow=uow)
    return next((line for line in receipt.lines if line.part_no == part_no), None)
