"""The TUI side of issue 11's items 8 and 9: the sign-in says until when an operator is locked, and the audit
screen (F11, the palette) shows the trail and the locked operators, whom the admin unlocks."""

from __future__ import annotations

from textual.widgets import Input

from core.roles import Role
from core.services import operators, settings
from screens.audit import AuditScreen
from screens.home import HomeScreen
from screens.login import LoginScreen
from tests.helpers.staff import PIN
from tests.helpers.tui import SIZE, make_app, polled, screen_text, settle, sign_in

WRONG = "9999"


def lock_out(db, code: str = "STORE1") -> None:
    """Five wrong PINs for an operator, as another terminal would type them."""
    for _ in range(5):
        with db.writing() as uow:
            try:
                operators.authenticate(code, WRONG, uow=uow)
            except Exception:  # noqa: BLE001  (each is refused; the fifth locks)
                pass


async def test_five_wrong_pins_then_the_right_one_is_refused_until_the_clock_passes(db, staff, clock):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER, pin=WRONG)
        for _ in range(4):  # the code stays, the PIN is emptied and has the cursor
            assert app.screen.focused is app.screen.query_one("#pin", Input)
            await pilot.press(*WRONG, "enter")
            await settle(pilot)
        assert "STORE1 is locked after 5 wrong PINs until 2026-11-20 08:31" in screen_text(app)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        assert "locked after 5 wrong PINs until 2026-11-20 08:31 (local time)" in screen_text(app)
        clock.advance(minutes=1, seconds=1)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.actor.code == "STORE1"


async def test_the_admin_sees_the_trail_and_unlocks_a_locked_operator(db, staff):
    with db.writing() as uow:
        settings.set_setting("printer_command", "lp -d counter", actor=staff[Role.ADMIN], uow=uow)
    lock_out(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        text = screen_text(app)
        assert "1 operator locked after wrong PINs" in text and "STORE1" in text
        assert "setting set" in text and "locked out" in text
        # Newest first: the lockout is the top row; o turns the order round.
        assert app.screen.rows[-1].action == "lockout"
        assert "Unlock" in text  # the key, in the footer
        await pilot.press("u")
        await settle(pilot)
        assert "STORE1 unlocked" in screen_text(app)
        assert app.screen.locked == [] and app.screen.rows[-1].action == "unlock"
        assert "nobody is locked out" in screen_text(app)
    with db.writing() as uow:
        assert operators.authenticate("STORE1", PIN, uow=uow).code == "STORE1"


async def test_the_station_manager_reads_the_trail_but_does_not_unlock(db, staff):
    lock_out(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STATION_MANAGER)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen) and app.screen.locked
        assert not app.screen.check_action("unlock", ())
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.locked and "unlocked" not in screen_text(app)


async def test_a_storekeeper_has_no_audit_key(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_opens_the_audit_screen(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"audit")
        # The palette searches in a task of its own: wait until it offers the command, then take it.
        await polled(pilot, lambda: "The audit trail and the operators" in screen_text(app),
                     "the palette offering the audit")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
