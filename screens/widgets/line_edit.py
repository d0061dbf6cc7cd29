"""Changing a draft line's quantity and reason (the station manager at his order meeting, 订货会)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.decimals import fmt_qty, parse_qty
from core.errors import BadInput
from core.i18n import N_, _
from core.labels import part_names
from core.services.requests import RequestLineInfo
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class QtyInput(Input):
    """The new quantity; Enter moves on to the reason."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Next"), id="pd_next", tooltip=N_("Move on to the reason"))]


class ReasonInput(Input):
    """Why the quantity differs from the forecast; Enter saves the line."""

    BINDINGS = [
        Binding(keys.OPEN, "submit", N_("Save line"), id="pd_save_line", tooltip=N_("Save the quantity and reason"))
    ]


class LineEditDialog(Dialog[Any]):
    """Quantity and reason of one line; Enter in the reason runs `edit(qty, reason, uow)` in a write unit (None:
    unchanged)."""

    DEFAULT_CLASSES = "planning-dialog"
    AUTO_FOCUS = "#pd-qty"
    FIELDS = {"qty": "#pd-qty", "reason": "#pd-reason"}

    def __init__(self, number: str, line: RequestLineInfo, edit: Callable[[Decimal | None, str | None, Any], Any],
                 note: str = "") -> None:
        """Edit `line` of draft `number`; `note` says what an edit does to the chain."""
        super().__init__()
        self.number, self.line, self.edit, self.note = number, line, edit, note

    def compose(self) -> ComposeResult:
        """Title, the line's figures, quantity, reason and the message line."""
        line = self.line
        with Vertical(classes="pd-box"):
            yield Static(Text(_("{number}: change line {part_no}").format(number=self.number, part_no=line.part_no)),
                         classes="pd-title")
            yield Static(Text(_("{name}\nforecast {forecast} · suggested {suggested} · on the draft {qty}").format(
                name=part_names(line.name, line.name_zh), forecast=fmt_qty(line.forecast),
                suggested=fmt_qty(line.suggested),
                qty=fmt_qty(line.qty)) + (f"\n{self.note}" if self.note else "")), classes="pd-summary")
            yield Label(_("Quantity"), classes="pd-label")
            yield QtyInput(value=fmt_qty(line.qty), id="pd-qty", select_on_focus=True)
            yield Label(_("Reason (needed where the forecast jumps)"), classes="pd-label")
            yield ReasonInput(value=line.reason or "", id="pd-reason")
            yield self.message_line(_("Enter in the reason saves · Escape cancels"))
        yield Footer()

    @on(Input.Submitted, "#pd-qty")
    def _qty_done(self) -> None:
        self.set_focus(self.query_one("#pd-reason", Input))

    @on(Input.Submitted, "#pd-reason")
    def _reason_done(self) -> None:
        typed_qty = self.query_one("#pd-qty", Input).value
        reason = self.query_one("#pd-reason", Input).value.strip()
        # Only what changed is sent: an unchanged reason stays as it is; an emptied one is cleared ("").
        new_reason = None if reason == (self.line.reason or "") else reason

        def save(uow) -> Any:
            try:
                amount = parse_qty(typed_qty)
            except BadInput as exc:  # the quantity was wrong: the cursor goes back to it, not to the reason
                raise BadInput(exc.message, field="qty") from None
            new_qty = None if amount == self.line.qty else amount
            if new_qty is None and new_reason is None:
                raise BadInput(_("nothing changed: change the quantity or the reason, or press Escape"))
            return self.edit(new_qty, new_reason, uow)

        self.confirm(save)
