"""The claims screen (⇧F5): the claims with the receivable per party; send (asked first), settle with the amount
and the quarantine units' outcome, reject with a reason, print; and the refusals: settling a claim not sent, a
rejection without a reason, a settlement that leaves the outcome unsaid. Snapshots at 80x24 and 120x36."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from core.roles import Role
from core.services.claims import get_claim
from screens import keys
from screens.claims import ClaimsScreen
from screens.claims_settle import SettleDialog
from screens.print_preview import PrintPreviewScreen
from screens.widgets.dialogs import TextDialog, YesNoDialog
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, steady_cursors, until


def _claim(db, number):
    with db.reading() as uow:
        return get_claim(number, uow=uow)


def _message(app) -> str:
    return str(app.screen.query_one(".dialog-message").render())


async def test_send_settle_with_the_outcome_and_print_a_claim(db, staff, papers):
    carrier = papers["claim"].replace("000001", "000002")  # the lamp broken in transit: the carrier's, newest
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.CLAIMS)
        await until(pilot, lambda: isinstance(app.screen, ClaimsScreen) and app.screen.subject is not None,
                    "the claims")
        screen = app.screen
        assert screen.subject.number == carrier
        text = screen_text(app)
        assert "1580.00" in text and "192.50" in text and "Receivable 挂账" in text
        assert not screen.check_action("settle", ())  # open, not sent: no settling yet
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen and _claim(db, carrier).state == "open"
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("enter")
        await until(pilot, lambda: _claim(db, carrier).state == "sent" and screen.subject is not None
                    and screen.subject.state == "sent", "the claim sent")
        assert f"claim {carrier} is sent" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, SettleDialog)
        await pilot.press(*"1500", "enter")
        await pilot.press(keys.COMMIT)  # no outcome for the lamp in quarantine: refused, nothing done
        await settle(pilot)
        assert isinstance(app.screen, SettleDialog) and "say how it was settled" in _message(app)
        assert _claim(db, carrier).state == "sent"
        app.screen.query_one("#settle-outcome").focus()
        await pilot.press("enter")  # the first outcome: credited by the carrier
        await pilot.press(keys.COMMIT)
        await until(pilot, lambda: app.screen is screen, "the dialog closed")
        claim = _claim(db, carrier)
        assert (claim.state, claim.settled_amount, claim.outcome) == ("settled", Decimal("1500.00"), "credit")
        assert all(line.in_quarantine == 0 for line in claim.lines)  # written off from quarantine
        await pilot.press(keys.PRINT)
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen) and (app.screen.kind, app.screen.number) == (
            "claim", carrier)


async def test_a_rejection_needs_its_reason(db, staff, papers):
    supplier = papers["claim"]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.CLAIMS)
        await until(pilot, lambda: isinstance(app.screen, ClaimsScreen) and app.screen.subject is not None,
                    "the claims")
        screen = app.screen
        await pilot.press("down")
        await until(pilot, lambda: screen.subject is not None and screen.subject.number == supplier, "the supplier's")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")  # no reason: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, TextDialog) and "cannot be empty" in _message(app)
        assert _claim(db, supplier).state == "open"
        app.screen.query_one(Input).value = "shortage not proven"
        await pilot.press("enter")
        await until(pilot, lambda: _claim(db, supplier).state == "rejected", "the claim rejected")
        assert _claim(db, supplier).note == "shortage not proven"
        carrier = supplier.replace("000001", "000002")
        await pilot.press("t")  # open ones only: the carrier's
        await until(pilot, lambda: [c.number for c in screen.claims] == [carrier], "the state filter")
        await pilot.press("t", "t", "t", "t", "a", "a")  # every state again, then the supplier's only
        await until(pilot, lambda: [c.number for c in screen.claims] == [supplier], "the party filter")
        assert "rejected" in screen_text(app) and "supplier SGM" in screen_text(app)


async def test_a_scanned_claim_opens_on_the_claims_screen(db, staff, papers):
    from tests.helpers.tui import burst

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await burst(pilot, *papers["claim"], "enter")
        await until(pilot, lambda: isinstance(app.screen, ClaimsScreen) and app.screen.subject is not None,
                    "the claims screen")
        assert app.screen.subject.number == papers["claim"]


def test_claims_snapshot(snap_compare, size, db, staff, papers):
    """The claims, newest first: state, party, age, amount and receivable, the receivable per party above."""

    async def run_before(pilot):
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.CLAIMS)
        await until(pilot, lambda: isinstance(pilot.app.screen, ClaimsScreen)
                    and pilot.app.screen.subject is not None, "the claims")
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
