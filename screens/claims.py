"""Claims (索赔单) to suppliers and carriers: open, sent, settled or rejected, newest first, by party and age, with the
amount receivable per party (挂账); send, settle and reject the highlighted claim, print it (the claim slip). w
switches to what the maker owes for warranty repairs (screens.claims_warranty) and back; there F10 prints the
highlighted repair order's settlement slip, whose warranty block lists the parts for the maker's claim.

A claim moves only along core.receiving_rules.CLAIM_TRANSITIONS, through core.services.claims.move_claim, the
service of `claim send`, `claim settle` and `claim reject`; the footer shows only the moves the highlighted
claim may make.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext
from core.models import ClaimState
from core.receiving_rules import claim_against, may_move_claim
from core.services.claim_list import ClaimPage, ClaimRow, claim_parties, claims_page
from core.services.claims import ClaimInfo, get_claim, move_claim
from screens import keys
from screens.claims_warranty import WarrantyClaims
from screens.widgets.calls import ServiceCalls
from screens.widgets.dialogs import TextDialog, YesNoDialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, Pages, SubjectTable

# The state filter goes through these: every claim, then one state at a time.
STATES: tuple[ClaimState | None, ...] = (None, *ClaimState)
# What the claims view shows, hidden while the warranty view is shown.
CLAIMS_VIEW = "#claims-heading, #claims-receivable, #claim-list, #claim-detail"


class ClaimTable(Pages, SubjectTable):
    """The claims, a page at a time."""


def _rows(claims: list[ClaimRow]):
    """(key, cells) of each claim: number, state label, party, age, amount and what is still receivable."""
    return [(c.number, (
        Text(c.number, style="bold"), Text(labels.label(labels.CLAIM_STATE, c.state)),
        Text(claim_against(c.party, c.party_code)),
        Text(ngettext("{days} day", "{days} days", c.age_days).format(days=c.age_days), justify="right"),
        Text(fmt_money(c.amount), justify="right"), Text(fmt_money(c.outstanding), justify="right"),
    )) for c in claims]


def detail_text(claim: ClaimInfo) -> Text:
    """The highlighted claim's lines, its quarantine units and how it ended."""
    out = Text.assemble((claim.number, "bold"), "  ", claim_against(claim.party, claim.party_code, claim.party_name),
                        "  ", _("receipt {receipt}").format(receipt=claim.receipt))
    for line in claim.lines:
        out.append(f"\n{line.part_no} {labels.label(labels.CLAIM_KIND, line.kind)} × {fmt_qty(line.qty)}  "
                   f"{fmt_money(line.amount)}")
        if line.in_quarantine:
            out.append("  " + _("{qty} in quarantine at {location}").format(
                qty=fmt_qty(line.in_quarantine), location=line.location or "—"), "yellow")
    if claim.settled_amount is not None:
        out.append("\n" + _("Settled at {amount}").format(amount=fmt_money(claim.settled_amount)), "green")
        if claim.outcome:
            out.append(" · " + labels.label(labels.CLAIM_OUTCOME, claim.outcome), "green")
    if claim.note:
        out.append("\n" + _("Note: {note}").format(note=claim.note), "dim")
    return out


class ClaimsScreen(ServiceCalls, Screen[None]):
    """The claims, newest first, the receivable per party above them and the highlighted claim's lines below."""

    AUTO_FOCUS = "#claim-list"
    # Letters: the screen has no text field.
    BINDINGS = [
        Binding("s", "move('sent')", N_("Send"), id="send_claim", tooltip=N_("Mark the claim sent to the party")),
        Binding("e", "settle", N_("Settle"), id="settle_claim",
                tooltip=N_("Settle the sent claim: the amount agreed, and what became of its damaged units")),
        Binding("x", "reject", N_("Reject"), id="reject_claim", tooltip=N_("The party refused the claim: the reason")),
        Binding("t", "filter_state", N_("State"), id="claims_state", tooltip=N_("Show one state at a time")),
        Binding("a", "filter_party", N_("Party"), id="claims_party", tooltip=N_("Show one party's claims at a time")),
        Binding("w", "switch_view", N_("Warranty"), id="claims_warranty",
                tooltip=N_("Switch between the claims to suppliers and carriers and what the maker owes for "
                           "warranty repairs")),
        Binding(keys.REFRESH, "reload", N_("Refresh"), id="reload_claims", tooltip=N_("Read the claims again")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to home")),
    ]

    def __init__(self) -> None:
        """Every claim, newest first."""
        super().__init__()
        self.claims: list[ClaimRow] = []
        self.claim: ClaimInfo | None = None  # the highlighted claim in full, once read
        self.state_index = 0
        self.parties: list[tuple[str, str]] = []
        self.party: tuple[str, str] | None = None
        self._select: str | None = None
        self.warranty = False  # the warranty view (what the maker owes) shown instead of the claims

    def compose(self) -> ComposeResult:
        """Heading, the receivable per party, the list, the highlighted claim and the status line."""
        yield Header()
        with Vertical(id="claims-body"):
            yield Static(id="claims-heading", classes="heading")
            yield Static("", id="claims-receivable")
            yield ClaimTable(id="claim-list")
            yield Static("", id="claim-detail")
            yield WarrantyClaims(id="warranty-claims")
            yield Static("", id="claims-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the claims."""
        self.query_one(ClaimTable).set_columns(
            Column("number", _("Claim"), 16),
            Column("state", _("State"), 10),
            Column("party", _("Against"), 0, min_width=10),
            Column("age", Text(_("Age"), justify="right"), 8, gives_way=2),
            Column("amount", Text(_("Amount"), justify="right"), 11, gives_way=1),
            Column("receivable", Text(_("Receivable"), justify="right"), 11),
        )
        self.query_one(ClaimTable).seek(self._select)
        self.query_one(WarrantyClaims).display = False
        self.action_reload()

    def returned_to(self, number: str | None) -> None:
        """Opened again (its key, a scanned claim): read again, the cursor on claim `number` (every claim shown, so
        that a scanned one is listed)."""
        if number is not None:
            self.state_index, self.party = 0, None
            self._set_view(warranty=False)
        if not self.is_mounted:
            self._select = number
            return
        self.query_one(ClaimTable).seek(number)
        self.action_reload()

    # -- reading -----------------------------------------------------------------------------

    def _filters(self) -> tuple[str | None, str | None]:
        state = STATES[self.state_index]
        return (state.value if state else None), (self.party[1] if self.party else None)

    def action_reload(self) -> None:
        """Read the claims again (other desks move them too): as many as were shown, the cursor kept; in the
        warranty view, the repair orders charging the maker."""
        if self.warranty:
            self.query_one(WarrantyClaims).reload()
            return
        table = self.query_one(ClaimTable)
        limit = max(ClaimTable.PAGE, table.row_count)
        state, party = self._filters()

        def read(uow) -> tuple[ClaimPage, list[tuple[str, str]]]:
            return claims_page(uow=uow, limit=limit, state=state, party_code=party), claim_parties(uow=uow)

        self.run_read(read, self._fill, group="claims")

    def _fill(self, read: tuple[ClaimPage, list[tuple[str, str]]]) -> None:
        page, self.parties = read
        self.claims = page.rows
        self._heading()
        owed = [_("{party}: {amount} ({count})").format(party=claim_against(row.party, row.party_code),
                                                         amount=fmt_money(row.outstanding), count=row.claims)
                for row in page.receivable]
        self.query_one("#claims-receivable", Static).update(
            Text(_("Receivable 挂账: {parties}").format(parties=" · ".join(owed)) if owed
                 else _("Receivable 挂账: nothing outstanding")))
        table = self.query_one(ClaimTable)
        table.fill_page(_rows(page.rows), page.total, select=table.subject_key)
        if not page.total:
            self.say(_("no claim here"))
        self._read_claim()

    def _heading(self) -> None:
        state = STATES[self.state_index]
        shown = labels.label(labels.CLAIM_STATE, state) if state else _("all")
        party = claim_against(*self.party) if self.party else _("every party")
        self.query_one("#claims-heading", Static).update(
            _("Claims 索赔单 — {state}, {party}").format(state=shown, party=party))

    @on(Pages.Wanted, "#claim-list")
    def _next_page(self, event: Pages.Wanted) -> None:
        """The cursor reached the last claim read: the next ones."""
        table, offset = self.query_one(ClaimTable), event.offset
        state, party = self._filters()

        def added(page: ClaimPage) -> None:
            if table.page_read(offset, _rows(page.rows), page.total):
                self.claims = self.claims[:offset] + page.rows

        self.run_read(lambda uow: claims_page(uow=uow, limit=table.PAGE, offset=offset, state=state,
                                              party_code=party), added, group="claims-more")

    @on(DataTable.RowHighlighted, "#claim-list")
    def _moved(self) -> None:
        self._read_claim()

    def _read_claim(self) -> None:
        """The highlighted claim in full (its lines and quarantine units) for the detail and the keys."""
        number = self.query_one(ClaimTable).subject_key
        if number is None:
            self._show(None)
            return
        self.run_read(lambda uow: get_claim(number, uow=uow), self._show, group="claim")

    def _show(self, claim: ClaimInfo | None) -> None:
        if not self.is_attached:
            return
        if claim is not None and claim.number != self.query_one(ClaimTable).subject_key:
            return  # the cursor moved on meanwhile: its own read shows its claim
        self.claim = claim
        self.query_one("#claim-detail", Static).update(detail_text(claim) if claim else "")
        self.refresh_bindings()

    @property
    def subject(self) -> ClaimInfo | None:
        """The claim every key acts on: the one under the cursor, once read."""
        claim = self.claim
        if claim is None or not self.is_mounted or claim.number != self.query_one(ClaimTable).subject_key:
            return None
        return claim

    # -- which keys work now -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Send, settle and reject only where the highlighted claim may move so (core.receiving_rules decides); in
        the warranty view none of the claims' keys, and print only on a repair order."""
        if self.warranty:
            if action in {"move", "settle", "reject", "filter_state", "filter_party"}:
                return False
            return self.query_one(WarrantyClaims).subject is not None if action == "print" else True
        actor, claim = self.app.actor, self.subject
        moves = {"move": str(parameters[0]) if parameters else "", "settle": ClaimState.SETTLED.value,
                 "reject": ClaimState.REJECTED.value}
        if action in moves:
            return actor is not None and claim is not None and may_move_claim(actor, claim.state, moves[action])
        if action == "print":
            return claim is not None
        return True

    # -- doing -------------------------------------------------------------------------------

    def _move(self, number: str, to: ClaimState, **extra) -> None:
        """Move claim `number` in a write unit, then read again with what was done (a refusal on the status line)."""
        actor = self.app.actor

        def done(claim: ClaimInfo) -> None:
            self.say(_("claim {number} is {state}").format(
                number=claim.number, state=labels.label(labels.CLAIM_STATE, claim.state)), "notice")
            self.action_reload()

        self.run_write(lambda uow: move_claim(number, to, actor=actor, uow=uow, **extra), done, group="write")

    def action_move(self, to: str) -> None:
        """Send the highlighted claim, asking first."""
        claim = self.subject
        if claim is None or ClaimState(to) is not ClaimState.SENT:
            return
        question = _("Send {number} to {party} for {amount}? It then waits for the party's answer.").format(
            number=claim.number, party=claim_against(claim.party, claim.party_code, claim.party_name),
            amount=fmt_money(claim.receivable))
        number = claim.number
        self.app.push_screen(YesNoDialog(_("{number}: send 发出索赔").format(number=number), question),
                             lambda yes: yes and self._move(number, ClaimState.SENT))

    def action_settle(self) -> None:
        """The settle dialog for the highlighted sent claim: the amount agreed and its quarantine units' outcome."""
        from screens.claims_settle import SettleDialog

        claim, actor = self.subject, self.app.actor
        if claim is None or actor is None or not may_move_claim(actor, claim.state, ClaimState.SETTLED):
            return
        self.app.push_screen(SettleDialog(claim, actor), self._settled)

    def _settled(self, claim: ClaimInfo | None) -> None:
        if claim is not None:
            self.say(_("claim {number} is {state}").format(
                number=claim.number, state=labels.label(labels.CLAIM_STATE, claim.state)), "notice")
            self.action_reload()

    def action_reject(self) -> None:
        """Reject the highlighted claim with the party's reason (required); cannot be undone."""
        claim = self.subject
        if claim is None:
            return
        number = claim.number
        summary = _("{number} against {party} is closed for good: nothing more is receivable on it. Enter rejects it "
                    "with the reason; Escape keeps it.").format(number=number,
                                                                party=claim_against(claim.party, claim.party_code))
        title = _("{number}: rejected 拒赔").format(number=number)
        self.app.push_screen(TextDialog(title, _("Why the party refused it"), summary=summary),
                             lambda reason: reason and self._move(number, ClaimState.REJECTED, note=reason))

    def action_filter_state(self) -> None:
        """The next state: every claim, then open, sent, settled, rejected."""
        self.state_index = (self.state_index + 1) % len(STATES)
        self._refilter()

    def action_filter_party(self) -> None:
        """The next party claims were made against, then every party again."""
        chosen = [None, *self.parties]
        at = chosen.index(self.party) if self.party in chosen else 0
        self.party = chosen[(at + 1) % len(chosen)]
        self._refilter()

    def _refilter(self) -> None:
        table = self.query_one(ClaimTable)
        table.clear()
        self._heading()
        self.run_read(partial(_first_page, *self._filters()), lambda page: self._fill((page, self.parties)),
                      group="claims")

    def action_switch_view(self) -> None:
        """The warranty view (what the maker owes), or the claims to suppliers and carriers again."""
        self._set_view(warranty=not self.warranty)
        self.say("")
        self.action_reload()

    def _set_view(self, *, warranty: bool) -> None:
        """Show the warranty view or the claims (once mounted; before, on_mount shows the one chosen), the focus on
        the list shown."""
        self.warranty = warranty
        if not self.is_mounted:
            return
        for widget in self.query(CLAIMS_VIEW):
            widget.display = not warranty
        view = self.query_one(WarrantyClaims)
        view.display = warranty
        (view.table if warranty else self.query_one(ClaimTable)).focus()
        self.refresh_bindings()

    def action_print(self) -> None:
        """The highlighted claim's slip (索赔单) in the print preview; in the warranty view the highlighted repair
        order's settlement slip (结算单), whose warranty block lists its parts for the maker's claim."""
        from screens.print_preview import PrintPreviewScreen

        if self.warranty:
            order = self.query_one(WarrantyClaims).subject
            if order is not None:
                self.app.push_screen(PrintPreviewScreen([("settlement", order.ro_no)]))
            return
        if self.subject is not None:
            self.app.push_screen(PrintPreviewScreen([("claim", self.subject.number)]))

    def action_back(self) -> None:
        """Back home."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, notice); the service calls' refusals come here too."""
        if not self.is_attached:
            return
        status = self.query_one("#claims-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _first_page(state: str | None, party: str | None, uow) -> ClaimPage:
    """The first page of the claims in `state` against `party` (None: any)."""
    return claims_page(uow=uow, limit=ClaimTable.PAGE, state=state, party_code=party)
