"""The claims screen's warranty view (w): the repair orders whose parts the maker pays for, newest first, with the
amount receivable from the maker; the highlighted order's warranty lines in the detail; F10 its settlement slip;
w again, or a scanned claim, back to the claims. With nothing owed by the maker: said on the status line, the
claims' keys gone and nothing to print. Snapshots at 80x24 and 120x36."""

from __future__ import annotations

from core.roles import Role
from screens import keys
from screens.claims import ClaimsScreen
from screens.print_preview import PrintPreviewScreen
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, steady_cursors, until
from tests.helpers.warranty import warranty_orders


async def _warranty_view(pilot):
    """Home → the claims → the warranty view, its highlighted order read."""
    app = pilot.app
    await sign_in(pilot, Role.PLANNER)
    await pilot.press(keys.CLAIMS)
    await until(pilot, lambda: isinstance(app.screen, ClaimsScreen), "the claims")
    await pilot.press("w")
    await until(pilot, lambda: app.screen.warranty and app.screen.query_one("#warranty-claims").subject is not None,
                "the warranty view")
    return app.screen


async def test_the_warranty_view_lists_what_the_maker_owes_and_prints_the_settlement_slip(stocked, staff, clock):
    settled, live = warranty_orders(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _warranty_view(pilot)
        view = screen.query_one("#warranty-claims")
        assert [row for row in view.table.rows] == [live, settled]  # newest first
        text = screen_text(app)
        assert "Receivable from the maker: 1244.00 on 2 repair orders" in text
        assert "Receivable 挂账" not in text  # the claims' own lines are hidden
        # The highlighted order's warranty lines: not the spark plugs the customer pays for.
        assert "amounts not final" in text
        assert view.subject.ro_no == live and "19300011 Engine oil 5W-30 × 6 @ 72.00 = 432.00" in text
        assert "13250358" not in text and "… and 2 more lines" in text and "919.50" in text
        assert not screen.check_action("filter_state", ()) and screen.check_action("print", ())
        await pilot.press("down")
        await until(pilot, lambda: view.subject is not None and view.subject.ro_no == settled, "the settled order")
        assert "amounts not final" not in screen_text(app) and "324.50" in screen_text(app)
        await pilot.press(keys.PRINT)
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen)
        assert (app.screen.kind, app.screen.number) == ("settlement", settled)
        await pilot.press(keys.BACK)
        await until(pilot, lambda: app.screen is screen, "back on the claims screen")
        await pilot.press("w")  # back to the claims to suppliers and carriers
        await until(pilot, lambda: not screen.warranty and "Receivable 挂账" in screen_text(app), "the claims")
        assert "Receivable from the maker" not in screen_text(app)
        assert app.focused is screen.query_one("#claim-list")


async def test_nothing_owed_by_the_maker_is_said_and_nothing_is_printed(stocked, staff):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.CLAIMS)
        await until(pilot, lambda: isinstance(app.screen, ClaimsScreen), "the claims")
        screen = app.screen
        await pilot.press("w")
        await until(pilot, lambda: "no repair order charges a part to the warranty" in screen_text(app),
                    "the empty warranty view")
        assert "Receivable from the maker: nothing" in screen_text(app)
        assert not screen.check_action("print", ())
        await pilot.press(keys.PRINT, "s", "t")  # nothing to print, no claim to send, no state to filter by
        await settle(pilot)
        assert app.screen is screen and screen.warranty and screen.state_index == 0


def test_warranty_view_snapshot(snap_compare, size, stocked, staff, clock):
    """The warranty view: the orders charging the maker, the total receivable and the order in repair's lines."""
    warranty_orders(stocked, staff, clock)

    async def run_before(pilot):
        await _warranty_view(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


async def test_a_scanned_claim_shows_the_claims_again(db, staff, papers):
    from tests.helpers.tui import burst

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press(keys.CLAIMS)
        await until(pilot, lambda: isinstance(app.screen, ClaimsScreen), "the claims")
        screen = app.screen
        await pilot.press("w")
        await until(pilot, lambda: screen.warranty and "Receivable from the maker" in screen_text(app),
                    "the warranty view")
        await burst(pilot, *papers["claim"], "enter")
        await until(pilot, lambda: not screen.warranty and screen.subject is not None, "the claims again")
        assert screen.subject.number == papers["claim"] and "Receivable 挂账" in screen_text(app)
