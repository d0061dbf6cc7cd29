"""One receipt step by step: box check, the count by scanner or keyboard with the difference live, the second
counter's PIN, posting (a location given on the spot when one is missing), refusing a line, and its papers.

Every scan is stored as it happens (core.services.receipt_counts): it shows at once, in the order the keys
came, and goes into a queue that one worker writes in order, one short transaction a scan; when the queue
is empty the lines are loaded from what the database returned, so what stays on screen is what is stored.
A quit, a sign-out or a crash loses nothing written, and leaving waits for the queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from core.codes import normalise_part_no, part_no_doubt
from core.decimals import fmt_qty
from core.errors import BadInput
from core.i18n import N_, _, ngettext
from core.labels import part_names
from core.printing.documents import document_text
from core.receiving_rules import ReceiptStep, may_take_step
from core.services import receipt_counts
from core.services.receipt_counts import StoredCount
from core.services.receiving import ReceiptInfo, get_receipt, putaway_list
from core.services.supersession import received_note, scanned_note
from screens import keys
from screens.receipt_draft import CountDraft
from screens.receipt_lines import ReceiptLines
from screens.receipt_post import PostingSteps
from screens.receipt_view import receipt_facts, receipt_steps, receipt_title, tally_text
from screens.widgets.calls import ServiceCalls
from screens.widgets.count import CountInput
from screens.widgets.footer import Footer

# The screen's actions and the receipt's steps they take (core.receiving_rules says when and for whom).
_STEPS = {
    "boxes": ReceiptStep.CHECK_BOXES,
    "set_damaged": ReceiptStep.COUNT,
    "sign": ReceiptStep.COUNT,
    "reopen": ReceiptStep.REOPEN_COUNT,
    "post": ReceiptStep.POST,
    "refuse": ReceiptStep.REFUSE_LINE,
    "putaway": ReceiptStep.PUTAWAY,
}


DAMAGED = "ctrl+d"
REOPEN = "ctrl+e"


class ReceiptScreen(PostingSteps, ServiceCalls, Screen[None]):
    """A receipt's facts and steps over a scan field and its lines with the live difference."""

    AUTO_FOCUS = "#scan"
    FAULT = N_("the database refused: {error}")
    # Control keys, not letters: the scan field has the focus. Print (the receipt's papers, in the preview) is the
    # app's key.
    BINDINGS = [
        Binding("ctrl+b", "boxes", N_("Boxes"), id="boxes",
                tooltip=N_("Check the boxes, their seals and the fragile parts")),
        # Over the scan field's own ctrl+d (delete right, which Delete does too): the field has the focus.
        Binding(DAMAGED, "set_damaged", N_("Damaged"), id="set_damaged", priority=True,
                tooltip=N_("Set how many of the selected line are damaged to the number typed")),
        Binding("ctrl+s", "sign", N_("Sign count"), id="sign_count",
                tooltip=N_("The second counter confirms the count with their PIN")),
        # Over the scan field's own ctrl+e (end of line, which End does too): the field has the focus.
        Binding(REOPEN, "reopen", N_("Reopen count"), id="reopen_count", priority=True,
                tooltip=N_("Open the signed count again to change it; both signatures are cleared")),
        Binding(keys.COMMIT, "post", N_("Post"), id="post_receipt",
                tooltip=N_("Post the receipt: lots, claims, documents")),
        Binding("ctrl+r", "refuse", N_("Refuse line"), id="refuse_line",
                tooltip=N_("Send the selected line back to the supplier (it is claimed, not shelved)")),
        Binding("ctrl+l", "receipt_list", N_("Receipt list"), id="receipt_list",
                tooltip=N_("The receipt list (入库清单) to print and sign")),
        Binding("ctrl+t", "putaway", N_("Putaway"), id="putaway",
                tooltip=N_("Where each line goes, first in first out")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the receipts (every scan is stored)")),
        # After Back: on a narrow footer Refresh is the one to give way (F1 lists it).
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload",
                tooltip=N_("Read the receipt and its count again: another terminal's scans and signatures")),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    def __init__(self, receipt: ReceiptInfo, count: StoredCount | None = None) -> None:
        """The receipt and its stored count as read (None: nothing counted yet)."""
        super().__init__()
        self.receipt = receipt
        self.draft = CountDraft(receipt, count)
        # Scans and typed quantities shown but not stored yet, written in order by one worker at a time.
        self._unsaved: deque[Callable] = deque()
        self._leaving = False  # Escape came while scans were being stored: leave once they are
        self._busy = False  # a write of the queue is running
        self._looked_up: set[str] = set()  # parts whose supersession was looked up on their first scan here

    def compose(self) -> ComposeResult:
        """Title, facts, steps, scan field, message line, lines and the tally."""
        yield Header()
        with Vertical(id="receipt-body"):
            yield Static(id="receipt-title")
            yield Static(id="receipt-facts")
            yield Static(id="receipt-steps")
            with Horizontal(id="receipt-scan-row"):
                yield Label(_("Scan or type a part number"), id="receipt-scan-label")
                hint = _("scan: one more · a number then *: the count · then {key}: damaged")
                yield CountInput(placeholder=hint.format(key=keys.label(DAMAGED)), id="scan")
            yield Static(id="receipt-status")
            yield ReceiptLines("scan", id="lines")
            yield Static(id="receipt-tally")
        yield Footer()

    def on_mount(self) -> None:
        """Show the receipt and its lines in the first frame; the width is measured once laid out."""
        self._show_facts()
        self._fit(self.app.size.width - 2)

    def on_resize(self) -> None:
        """Fit the name column to the width."""
        self.call_after_refresh(self._fit)

    def on_descendant_focus(self) -> None:
        """The footer's keys depend on what has the focus."""
        self.refresh_bindings()

    # -- showing -----------------------------------------------------------------------------

    def _fit(self, width: int | None = None) -> None:
        self._lines.fit(list(self.draft.lines.values()), width)
        self._show_tally()

    @property
    def _lines(self) -> ReceiptLines:
        return self.query_one(ReceiptLines)

    def _show_facts(self) -> None:
        receipt = self.receipt
        self.query_one("#receipt-title", Static).update(receipt_title(receipt))
        self.query_one("#receipt-facts", Static).update(receipt_facts(receipt))
        self.query_one("#receipt-steps", Static).update(receipt_steps(receipt))
        # Differences mean something once the boxes are checked (before, nothing may be counted).
        self._lines.live = receipt.state != "arrived"
        posted = receipt.state == "posted"
        self.query_one("#scan", CountInput).disabled = posted
        self.query_one("#receipt-scan-row").display = not posted  # nothing more to count
        if posted:
            self.set_focus(self._lines)
        self.refresh_bindings()

    def _show_tally(self) -> None:
        self.query_one("#receipt-tally", Static).update(tally_text(self.draft, live=self._lines.live))

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice, waiting, success or nothing); errors of the service calls too."""
        if not self.is_attached:
            return
        status = self.query_one("#receipt-status", Static)
        status.update(message)
        status.set_classes(kind)

    _say = say  # the older name its callers use

    def shown(self, receipt: ReceiptInfo, count: StoredCount | None = None, *, signed: bool = False) -> None:
        """Show the receipt as read again, and its count as stored (`count` None: read it again)."""
        if not self.is_attached:
            return
        self.receipt = receipt
        if count is None and not signed and receipt.state != "posted":
            self.reload()
        self.draft.load(receipt, count)
        self._show_facts()
        self._lines.show(list(self.draft.lines.values()))
        self._show_tally()

    def reload(self) -> None:
        """Read the receipt and its stored count again (another terminal may have counted or signed)."""
        number, actor = self.receipt.number, self.app.actor

        def read(uow) -> tuple[ReceiptInfo, StoredCount]:
            return get_receipt(number, uow=uow), receipt_counts.count_of(number, actor=actor, uow=uow)

        self.run_read(read, lambda both: self.shown(*both), group="reload")

    def action_reload(self) -> None:
        """Read the receipt and its count again, once this terminal's own scans are stored (their write reads
        it again anyway)."""
        if self._unsaved or self._busy:
            self._say(_("scans are still being stored: the count is read again when they are"), "waiting")
            return
        self.reload()
        self._say(_("read again"), "notice")

    # -- counting ----------------------------------------------------------------------------

    def _may_count(self) -> bool:
        state = self.receipt.state
        if may_take_step(self.app.actor, state, ReceiptStep.COUNT):
            return True
        if state == "arrived":
            self._say(_("check the boxes first (ctrl+b): counting starts after the box check"), "error")
        elif state == "posted":
            self._say(_("{number} is posted: nothing more to count").format(number=self.receipt.number), "error")
        elif state == "counted":
            self._say(_("the count of {number} is signed: nothing more is counted unless it is reopened ({key}, "
                        "which clears both signatures)").format(number=self.receipt.number, key=REOPEN), "error")
        else:
            self._say(_("{code} may not count shipments").format(code=self.app.actor.code), "error")
        return False

    @on(Input.Submitted, "#scan")
    def _scanned(self, event: Input.Submitted) -> None:
        """A part number scanned or typed, then Enter: one more on its line (a new line if not on the list; one
        that does not look like a part number, 1E9, is asked about first)."""
        if not event.value.strip() or not self._may_count():
            return
        doubt = None if normalise_part_no(event.value) in self.draft.lines else part_no_doubt(event.value)
        if doubt is None:
            self._count_scan(event.value)
            return
        from screens.widgets.dialogs import YesNoDialog

        text = event.value

        def answered(yes: bool | None) -> None:
            if yes:
                self._count_scan(text)
            else:
                self._say(_("{text} not counted").format(text=text.strip()), "notice")

        question = _("{doubt}, and it is not on the packing list. Count it as a wrong part?").format(doubt=doubt)
        self.app.push_screen(YesNoDialog(_("Count {text}?").format(text=text.strip()), question, kind="warning"),
                             answered)

    def _count_scan(self, value: str) -> None:
        """One more of the part scanned: its line, the tally and the message line."""
        try:
            line, new = self.draft.scan(value)
        except BadInput as exc:
            self._say(exc.message, "error")
            return
        if new:
            self._lines.add_line(line)
        else:
            self._lines.update_line(line)
        self._lines.select(line.part_no)
        number, actor, part_no = self.receipt.number, self.app.actor, line.part_no
        self._store(lambda uow: receipt_counts.scan_part(number, part_no, actor=actor, uow=uow))
        if line.on_list:
            said = _("{part_no}: {counted} of {expected}").format(
                part_no=line.part_no, counted=fmt_qty(line.counted), expected=fmt_qty(line.expected))
            if line.superseded_by:  # every scan of an old number says so, not only the first
                self._say(f"{said} · {received_note(line.part_no, line.superseded_by)}", "notice")
            else:
                self._say(said)
        else:
            self._say(_("{part_no} is not on the packing list: {counted} counted as a wrong part").format(
                part_no=line.part_no, counted=fmt_qty(line.counted)), "notice")
            if part_no not in self._looked_up:
                # A part the list does not name: whether it is an old number is read on its first scan.
                self._looked_up.add(part_no)
                self.run_read(lambda uow: scanned_note(part_no, uow=uow), self._flag_superseded,
                              group="superseded", exclusive=False)

    def _flag_superseded(self, note: str | None) -> None:
        if note:
            self._say(note, "notice")

    # -- storing: one write a scan, in the order they came ----------------------------------------

    def _store(self, work: Callable) -> None:
        """Queue one write of the count; the worker takes them in order."""
        self._unsaved.append(work)
        self.draft.saving = True
        self._show_tally()
        if not self._busy:
            self._busy = True
            self._write_next()

    def _write_next(self) -> None:
        self.run_write(self._unsaved[0], self._stored, failed=self._not_stored, group="count", exclusive=False)

    def _stored(self, count: StoredCount) -> None:
        self._unsaved.popleft()
        if self._unsaved:
            self._write_next()
            return
        self._busy = False
        self.draft.saving = False
        if count.state != self.receipt.state:  # signed or reopened at another terminal meanwhile
            self.reload()
        else:
            self.shown(self.receipt, count)
        if self._leaving:
            self.dismiss()

    def _not_stored(self, exc: Exception) -> None:
        """A write refused (signed at another terminal, a bad number, a fault): said; the rest of the queue is
        dropped and the count read again, so the screen shows what is stored."""
        self._unsaved.clear()
        self._busy = self._leaving = self.draft.saving = False
        self.show_error(exc)
        self.reload()

    def _typed_quantity(self, apply, store, text: str) -> None:
        if not self._may_count():
            return
        part_no = self._lines.selected
        if part_no is None:
            self._say(_("no line to set: scan a part first"), "error")
            return
        try:
            line = apply(part_no, text)
        except BadInput as exc:
            self._say(exc.message, "error")
            return
        number, actor = self.receipt.number, self.app.actor
        self._store(lambda uow: store(number, part_no, text, actor=actor, uow=uow))
        if part_no in self.draft.drop_empty_extras():
            self._lines.remove_row(part_no)
            self._say(_("{part_no} taken off the count").format(part_no=part_no))
        else:
            self._lines.update_line(line)
            self._say(_("{part_no}: {counted} counted, {damaged} damaged").format(
                part_no=part_no, counted=fmt_qty(line.counted or 0), damaged=fmt_qty(line.damaged)))

    @on(CountInput.QuantityTyped)
    def _quantity_typed(self, event: CountInput.QuantityTyped) -> None:
        """A number then `*`: the selected line's count."""
        self._typed_quantity(self.draft.set_counted, receipt_counts.set_counted, event.value)

    def action_set_damaged(self) -> None:
        """The number typed in the scan field becomes the selected line's damaged quantity."""
        field = self.query_one("#scan", CountInput)
        text, field.value = field.value, ""
        self._typed_quantity(self.draft.set_damaged, receipt_counts.set_damaged, text)

    def action_move(self, delta: int) -> None:
        """Up and down in the scan field move the selected line (the field keeps the focus for the scanner)."""
        self._lines.move(delta)

    # -- the steps ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each step only in the states and for the roles it belongs to (others hidden from footer and palette)."""
        actor, step = self.app.actor, _STEPS.get(action)
        if actor is None:
            return action == "back"
        return True if step is None else may_take_step(actor, self.receipt.state, step)

    def action_boxes(self) -> None:
        """The box check form; its result is the receipt with the boxes recorded."""
        from screens.receipt_boxes import BoxCheckDialog

        self.app.push_screen(BoxCheckDialog(self.receipt), self._boxes_checked)

    def _boxes_checked(self, receipt: ReceiptInfo | None) -> None:
        if receipt is not None:
            self.shown(receipt)
            self._say(_("boxes checked: {received} of {expected} arrived; now count").format(
                received=receipt.boxes_received, expected=receipt.boxes_expected))

    def action_sign(self) -> None:
        """The second counter's code and PIN; signing writes the count."""
        from screens.receipt_sign import SignCountDialog

        if self._unsaved:
            self._say(_("the count is still being stored; sign it in a moment"), "waiting")
            return
        self.app.push_screen(SignCountDialog(self.receipt.number, self.draft.tally()), self._signed)

    def _signed(self, receipt: ReceiptInfo | None) -> None:
        if receipt is not None:
            self.shown(receipt, signed=True)
            self._say(_("count signed by {first} and {second}").format(
                first=receipt.counted.by, second=receipt.counted_second.by), "success")

    def action_reopen(self) -> None:
        """Open the signed count again, once confirmed: both signatures are cleared, the stored scans stay."""
        from screens.widgets.dialogs import YesNoDialog

        number = self.receipt.number
        question = _("The count of {number} is signed. Reopen it to count again? Both signatures are cleared; "
                     "the count must be signed again by two people before posting.").format(number=number)
        self.app.push_screen(YesNoDialog(_("Reopen the count 重新清点"), question), self._reopen_answered)

    def _reopen_answered(self, yes: bool | None) -> None:
        if not yes:
            return
        number, actor = self.receipt.number, self.app.actor
        self.run_write(lambda uow: receipt_counts.reopen_count(number, actor=actor, uow=uow), self._reopened,
                       group="reopen")

    def _reopened(self, receipt: ReceiptInfo) -> None:
        self.shown(receipt)
        self._say(_("the count of {number} is open again: both signatures are cleared").format(
            number=receipt.number), "notice")

    def action_refuse(self) -> None:
        """Send the selected line back, with a reason (planner)."""
        from screens.receipt_refuse import RefuseDialog

        line = self.draft.lines.get(self._lines.selected or "")
        if line is None or not line.on_list:
            self._say(_("select a line of the packing list to refuse (a part not on it is claimed anyway)"), "error")
        elif line.refused:
            self._say(_("{part_no} is already refused").format(part_no=line.part_no), "error")
        else:
            names = part_names(line.name, line.name_zh)
            self.app.push_screen(RefuseDialog(self.receipt.number, line.part_no, names), self._refused)

    def _refused(self, receipt: ReceiptInfo | None) -> None:
        if receipt is not None:
            self.shown(receipt)
            self._say(_("line refused: it will be claimed, not shelved"))

    def action_receipt_list(self) -> None:
        """The receipt list slip as it prints."""
        self._papers("list")

    def action_putaway(self) -> None:
        """The putaway list in walking order."""
        self._papers("putaway")

    def _papers(self, which: str) -> None:
        number = self.receipt.number
        # The list as an 80-column slip, whatever the printer's width: the screen is wide enough.
        paper = partial(document_text, "receipt", width=80) if which == "list" else putaway_list
        # A fault is said on the message line.
        self.run_read(lambda uow: paper(number, uow=uow), partial(self._show_paper, which), group="papers")

    def _show_paper(self, which: str, paper) -> None:
        from screens.putaway import PutawayScreen
        from screens.receipt_list import ReceiptListScreen

        if not self.is_current:
            return
        if which == "list":
            self.app.push_screen(ReceiptListScreen(self.receipt.number, paper))
        else:
            self.app.push_screen(PutawayScreen(self.receipt, paper))

    def papers(self) -> list[tuple[str, str]]:
        """The receipt's printable documents: its list, then the putaway, discrepancy record and claims it has."""
        receipt = self.receipt
        docs = [("receipt", receipt.number)]
        if may_take_step(self.app.actor, receipt.state, ReceiptStep.PUTAWAY):
            docs.append(("putaway", receipt.number))
        if receipt.discrepancy_no:
            docs.append(("discrepancy", receipt.discrepancy_no))
        docs.extend(("claim", claim.number) for claim in receipt.claims)
        return docs

    def action_print(self) -> None:
        """The receipt's papers in the print preview (n moves from one to the next)."""
        from screens.print_preview import PrintPreviewScreen

        self.app.push_screen(PrintPreviewScreen(self.papers()))

    def unsaved_work(self) -> str | None:
        """What leaving the desk now would lose: scans not stored yet (a stored count is never lost)."""
        if self._unsaved:
            return ngettext(
                "{count} scan of {number} is still being stored",
                "{count} scans of {number} are still being stored", len(self._unsaved)).format(
                count=len(self._unsaved), number=self.receipt.number)
        return None

    def action_back(self) -> None:
        """Back to the receipts once every scan is stored (they are kept, signed or not)."""
        if self._unsaved:
            self._leaving = True
            self._say(_("storing the last scans…"), "waiting")
            return
        if self.draft.unsigned:
            self.notify(_("the count of {number} is stored, not signed yet").format(number=self.receipt.number))
        self.dismiss()
