"""The box check (验箱): how many boxes arrived, broken seals, damaged boxes, fragile parts found damaged, signed by
the storekeeper and the planner together (库房管理员和计划员一起验收箱数): the one signed in, and the other with
their code and PIN."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from core.decimals import parse_count
from core.errors import AuthenticationFailed, BadInput
from core.i18n import N_, _
from core.labels import part_name
from core.receiving_rules import box_count_doubt
from core.services.operators import authenticate
from core.services.receiving import ReceiptInfo, check_boxes
from screens import keys
from screens.widgets.dialogs import Dialog, YesNoDialog
from screens.widgets.fields import FieldInput
from screens.widgets.footer import Footer

_SEPARATORS = re.compile(r"[\s,;，、]+")


class LastBoxField(Input):
    """The last field of the box check, the other signer's PIN (shown as dots); Enter records it."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Record"), id="record_boxes", tooltip=N_("Record the box check"))]


def split_codes(text: str) -> list[str]:
    """Box or part numbers typed with commas or spaces between them."""
    return [code for code in _SEPARATORS.split(text.strip()) if code]


def _plain(box: str) -> bool:
    """Whether a box number is plain ASCII digits ("²" is a digit to Python, but not a number int() reads)."""
    return box.isascii() and box.isdigit()


class BoxCheckDialog(Dialog[ReceiptInfo | None]):
    """A form over the receipt: the boxes as they came off the truck; the result is the receipt as recorded."""

    DEFAULT_CLASSES = "form-dialog"
    FAULT = N_("the database refused: {error}")
    AUTO_FOCUS = "#boxes-received"

    def __init__(self, receipt: ReceiptInfo) -> None:
        """A form filled with the receipt's last box check, or with the packing list's box count."""
        super().__init__()
        self.receipt = receipt

    def compose(self) -> ComposeResult:
        """Hints from the packing list, four fields and the message line."""
        receipt = self.receipt
        boxes = sorted({box for line in receipt.lines for box in line.boxes.split(",") if box},
                       key=lambda box: (not _plain(box), int(box) if _plain(box) else 0, box))
        fragile = [f"{line.part_no} {part_name(line.name or line.description, line.name_zh)}"
                   for line in receipt.lines if line.fragile]
        received = receipt.boxes_received if receipt.boxes_received is not None else receipt.boxes_expected
        # Scrolls on a small terminal: the focused field (the other signer's PIN last) is always in view.
        with VerticalScroll(id="form"):
            yield Static(_("Box check 验箱 — {number}").format(number=receipt.number), classes="form-title")
            yield Static(_("On the packing list: {count} box(es): {boxes}").format(
                count=receipt.boxes_expected, boxes=", ".join(boxes)), classes="form-hint")
            yield Static(_("Fragile parts 易损件: {parts}").format(parts="; ".join(fragile) or _("none")),
                         classes="form-hint")
            yield Label(_("Boxes arrived"))
            yield FieldInput(str(received), id="boxes-received", max_length=6)
            with Horizontal(classes="form-pair"):
                with Vertical():
                    yield Label(_("Broken seal (box numbers: 2, 3)"))
                    yield FieldInput(", ".join(b.box_no for b in receipt.boxes if b.seal_broken), id="broken-seal")
                with Vertical():
                    yield Label(_("Damaged or deformed boxes"))
                    yield FieldInput(", ".join(b.box_no for b in receipt.boxes if b.damaged), id="damaged-boxes")
            yield Label(_("Fragile parts found damaged (part numbers)"))
            yield FieldInput(", ".join(line.part_no for line in receipt.lines if line.fragile_damaged),
                             id="fragile-damaged")
            yield Static(_("A broken seal or a damaged box is opened and counted before signing: "
                           "the carrier answers for what it lacks."), classes="form-hint")
            # 库房管理员和计划员一起验收箱数: the one signed in signs with the other, storekeeper and planner.
            with Horizontal(classes="form-pair"):
                with Vertical():
                    yield Label(_("Signing with {code}: the other's code").format(code=self.app.actor.code))
                    yield FieldInput(placeholder=_("storekeeper or planner"), id="second-code", max_length=16)
                with Vertical():
                    yield Label(_("Their PIN"))
                    yield LastBoxField(placeholder=_("4-12 digits"), id="second-pin", password=True, max_length=12)
            yield self.message_line()
        yield Footer()

    @on(Input.Submitted, "#second-pin")
    def _submitted(self) -> None:
        """Enter in the last field: record the box check (the other signer named, a PIN typed)."""
        for field in ("second-code", "second-pin"):
            if not self.query_one(f"#{field}", Input).value.strip():
                self.say(_("the box check is signed by two: the other signer's code and PIN"), "error")
                self.set_focus(self.query_one(f"#{field}", Input))
                return
        text = self.query_one("#boxes-received", Input).value
        try:  # the one parser of typed numbers: "１２" is twelve, "1,5" or "1e3" are refused
            received = parse_count(text, _("boxes arrived"))
        except BadInput as exc:
            self.say(exc.message, "error")
            self.set_focus(self.query_one("#boxes-received", Input))
            return
        doubt = box_count_doubt(received, self.receipt.boxes_expected)
        if doubt is None:
            self._record(received)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._record(received)
            else:
                self.say(_("not recorded: correct the boxes arrived"), "notice")
                self.set_focus(self.query_one("#boxes-received", Input))

        self.app.push_screen(YesNoDialog(_("Record {received} box(es) arrived?").format(received=received), doubt,
                                       kind="warning"), answered)

    def _record(self, received: int) -> None:
        number, actor = self.receipt.number, self.app.actor
        fields = ("broken-seal", "damaged-boxes", "fragile-damaged")
        values = {name: split_codes(self.query_one(f"#{name}", Input).value) for name in fields}
        code = self.query_one("#second-code", Input).value.strip()
        pin = self.query_one("#second-pin", Input).value

        def refused(exc: Exception) -> None:
            pin_field = self.query_one("#second-pin", Input)
            pin_field.clear()
            if isinstance(exc, AuthenticationFailed):
                self.set_focus(pin_field)
                return
            if not isinstance(exc, BadInput):  # the same person twice, not a storekeeper and a planner
                self.set_focus(self.query_one("#second-code", Input))
                return
            # BadInput names the box or part: the cursor goes to the field that holds it.
            message = str(getattr(exc, "message", exc)).upper()
            field = next((name for name in fields if any(code.upper() in message for code in values[name])),
                         "boxes-received")
            self.set_focus(self.query_one(f"#{field}", Input))

        def record(uow) -> ReceiptInfo:
            """Check the other signer's PIN (scrypt: slow on purpose), then record, off the UI thread."""
            second = authenticate(code, pin, uow=uow)
            return check_boxes(number, received, actor=actor, second=second, uow=uow,
                               broken_seal=values["broken-seal"], damaged=values["damaged-boxes"],
                               fragile_damaged=values["fragile-damaged"])

        self.confirm(record, waiting=_("checking…"), refused=refused)
