"""The advisor's shortage registration (缺件登记) from the repair-order board: the part and quantity the order
is short of, signed with the advisor's PIN, through the same core service as `shortage log`; and the order's
shortages as its card shows them, each with its 30-minute countdown or its answer."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.decimals import fmt_qty
from core.i18n import _
from core.labels import part_name
from core.services.operators import authenticate
from core.services.shortages import ShortageInfo, log_shortage
from screens.shortages import status_cell
from screens.widgets.dialogs import Dialog, PinField
from screens.widgets.fields import CodeInput
from screens.widgets.footer import Footer
from screens.widgets.planning_text import local_time, solution_label
from screens.widgets.scan import ScanInput


class ShortagePart(ScanInput):
    """The part short, typed or scanned; Enter moves on to the quantity."""


class LogShortageDialog(Dialog[str]):
    """Part, quantity and a note for repair order `ro`; the advisor's code and PIN sign it (Enter in the PIN).
    The result is the new shortage's number; a refusal (a wrong PIN, an unknown part) stays here, nothing logged."""

    AUTO_FOCUS = "#shortage-part"
    FIELDS = {"qty": "#shortage-qty"}

    def __init__(self, ro: str, advisor: str) -> None:
        """Log a shortage on `ro`, the advisor `advisor` (his code, prefilled) signing."""
        super().__init__()
        self.ro, self.advisor = ro, advisor

    def compose(self) -> ComposeResult:
        """Title, the fields and the message line."""
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("{ro}: shortage registration 缺件登记, signed by the service advisor").format(
                ro=self.ro)), classes="dialog-title")
            yield Label(_("Part no (type or scan)"), classes="field-label")
            yield ShortagePart(id="shortage-part")
            yield Label(_("Quantity"), classes="field-label")
            yield Input(value="1", id="shortage-qty", select_on_focus=True)
            yield Label(_("Note (optional)"), classes="field-label")
            yield Input(id="shortage-note")
            yield Label(_("Advisor's code"), classes="field-label")
            yield CodeInput(value=self.advisor, id="sign-code", max_length=16)
            yield Label(_("PIN"), classes="field-label")
            yield PinField(id="sign-pin", password=True, max_length=12)
            yield self.message_line(_("planning answers within 30 minutes"))
        yield Footer()

    @on(Input.Submitted, "#shortage-part, #shortage-qty, #shortage-note")
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id != "shortage-part" or event.value.strip():
            self.focus_next()

    @on(Input.Submitted, "#sign-pin")
    def _sign(self) -> None:
        part = self.query_one("#shortage-part", Input).value.strip()
        qty = self.query_one("#shortage-qty", Input).value
        note = self.query_one("#shortage-note", Input).value.strip() or None
        code = self.query_one("#sign-code", Input).value.strip()
        pin = self.query_one("#sign-pin", Input).value
        if not part:
            self.say(_("which part is short?"), "error")
            self.set_focus(self.query_one("#shortage-part", Input))
            return
        if not code or not pin:
            return
        ro = self.ro

        def log(uow) -> str:
            advisor = authenticate(code, pin, uow=uow)
            return log_shortage(part, qty, ro, actor=advisor, uow=uow, note=note)

        self.confirm(log, waiting=_("checking…"), pin="#sign-pin")


def shortages_text(shortages: list[ShortageInfo]) -> Text:
    """The order's shortages under its card: each part with its countdown, or its answer and expected time."""
    out = Text()
    if not shortages:
        return out
    out.append(_("Shortages 缺件登记") + "\n", "bold")
    for s in shortages:
        out.append(f"{s.number}  {s.part_no} {part_name(s.part_name, s.part_name_zh)} × {fmt_qty(s.qty)}  ")
        out.append_text(status_cell(s))
        if s.solution is not None:
            out.append("  " + _("{solution}, expected {eta}").format(solution=solution_label(s.solution),
                                                                     eta=local_time(s.eta)))
        out.append("\n")
    return out
