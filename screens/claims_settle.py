"""Settling a sent claim (索赔结算): the amount the party agreed (as claimed unless typed), what became of its damaged
units in quarantine (the CLI's --outcome: credited or replaced, written off; repaired or accepted, to the part's
bin), and a note; F9 or Enter in the note settles it through move_claim, the service of `claim settle`."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _
from core.models import ClaimState
from core.models.enums import ClaimOutcome
from core.receiving_rules import claim_against
from core.roles import Actor
from core.services.claims import ClaimInfo, move_claim
from screens import keys
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer


class SettleDialog(Dialog[ClaimInfo]):
    """The amount agreed, the outcome for the units in quarantine (only when it has some) and a note; the result
    is the settled claim. A refusal (no outcome where units wait, a negative amount) stays here, nothing done."""

    AUTO_FOCUS = "#settle-amount"
    BINDINGS = [Binding(keys.COMMIT, "settle", N_("Settle"), id="settle",
                        tooltip=N_("Settle the claim with the amount and outcome given"))]

    def __init__(self, claim: ClaimInfo, actor: Actor) -> None:
        """Settle `claim` as `actor`."""
        super().__init__()
        self.claim, self.actor = claim, actor
        self.quarantined = sum((line.in_quarantine for line in claim.lines), Decimal(0))

    def compose(self) -> ComposeResult:
        """Title, what is claimed, the amount, the outcome, the note and the message line."""
        claim = self.claim
        with Vertical(classes="dialog-box"):
            yield Static(Text(_("{number}: settle 索赔结算").format(number=claim.number)), classes="dialog-title")
            yield Static(Text(_("Claimed from {party}: {amount} receivable").format(
                party=claim_against(claim.party, claim.party_code, claim.party_name),
                amount=fmt_money(claim.receivable))), classes="dialog-summary")
            yield Label(_("Amount agreed (empty: as claimed)"), classes="field-label")
            yield Input(placeholder=fmt_money(claim.receivable), id="settle-amount")
            if self.quarantined:
                yield Label(_("{qty} damaged unit(s) in quarantine: what became of them").format(
                    qty=fmt_qty(self.quarantined)), classes="field-label")
                with RadioSet(id="settle-outcome"):
                    for outcome in ClaimOutcome:
                        yield RadioButton(labels.label(labels.CLAIM_OUTCOME, outcome), id=f"outcome-{outcome.value}")
            yield Label(_("Note (optional; Enter settles)"), classes="field-label")
            yield Input(id="settle-note")
            yield self.message_line(_("{key} or Enter in the note: settle · Escape: nothing changes").format(
                key=keys.label(keys.COMMIT)))
        yield Footer()

    @on(Input.Submitted, "#settle-amount")
    def _amount_done(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#settle-note")
    def _note_done(self) -> None:
        self.action_settle()

    def _outcome(self) -> str | None:
        if not self.quarantined:
            return None
        pressed = self.query_one("#settle-outcome", RadioSet).pressed_button
        return pressed.id.removeprefix("outcome-") if pressed is not None and pressed.id else None

    def action_settle(self) -> None:
        """Settle through the core: it refuses what is wrong, and the refusal is said here."""
        amount = self.query_one("#settle-amount", Input).value.strip() or None
        note = self.query_one("#settle-note", Input).value.strip() or None
        outcome, number, actor = self._outcome(), self.claim.number, self.actor
        self.confirm(lambda uow: move_claim(number, ClaimState.SETTLED, actor=actor, uow=uow, note=note,
                                            settled_amount=amount, outcome=outcome))
