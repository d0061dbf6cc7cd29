"""The advisor at the repair-order board (F4): a shortage logged for the order, signed with his PIN (a wrong PIN
refused, nothing logged), its countdown and then its answer on the order; finding an order by a VIN piece, and
by its number scanned into the search field."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from core.roles import Role
from core.services import shortages
from screens.intake import IntakeScreen
from screens.intake_shortage import LogShortageDialog
from screens.ro_search import RepairOrderPicker
from tests.helpers import PIN
from tests.helpers.counter import open_order, order_in
from tests.helpers.tui import BRAKE_PADS, SIZE, burst, make_app, screen_text, settle, sign_in, until


def _shown(app) -> str:
    return str(app.screen.query_one("#order-shortages").render())


async def _at_board(pilot, ro: str) -> IntakeScreen:
    await sign_in(pilot, Role.ADVISOR)
    await pilot.press("f4")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.is_mounted, "the board")
    screen = app.screen
    screen.show_order(ro)
    await until(pilot, lambda: screen.subject is not None and screen.subject.ro_no == ro, "the order")
    return screen


async def test_the_advisor_logs_a_shortage_signed_with_his_pin_and_sees_its_answer(stocked, staff, clock):
    ro = order_in(stocked, staff, "in_repair")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        board = await _at_board(pilot, ro)
        await pilot.press("l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogShortageDialog)
        await burst(pilot, *BRAKE_PADS, "enter")  # scanned
        await pilot.press("2", "enter", *"no stock", "enter")
        assert dialog.query_one("#sign-code", Input).value == "ADV1"  # the advisor signed in, his PIN asked
        await pilot.press("enter", *"9999", "enter")  # a wrong PIN: refused, the PIN emptied, nothing logged
        await settle(pilot)
        assert app.screen is dialog and dialog.query_one("#sign-pin", Input).value == ""
        with stocked.reading() as uow:
            assert shortages.list_shortages(uow=uow, ro=ro) == []
        await pilot.press(*PIN, "enter")
        await until(pilot, lambda: app.screen is board and "30 min left" in _shown(app), "the countdown")
        with stocked.reading() as uow:
            (logged,) = shortages.list_shortages(uow=uow, ro=ro)
        assert (logged.part_no, logged.qty, logged.logged_by, logged.note) == (BRAKE_PADS, 2, "ADV1", "no stock")
        assert f"{logged.number} logged" in screen_text(app)
        with stocked.writing() as uow:
            shortages.answer_shortage(logged.number, "transfer", clock.now() + timedelta(hours=2),
                                      actor=staff[Role.PLANNER], uow=uow)
        await pilot.press("f5")
        await until(pilot, lambda: "expected" in _shown(app), "the answer on the order")
        assert "answered" in _shown(app)


async def test_no_shortage_on_a_closed_order(stocked, staff):
    ro = order_in(stocked, staff, "cancelled")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        board = await _at_board(pilot, ro)
        assert not board.check_action("log_shortage", ())
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is board


async def test_the_board_finds_an_order_by_a_vin_piece_and_by_a_scanned_number(stocked, staff):
    first = open_order(stocked, staff)
    other = open_order(stocked, staff, plate="沪B77777", vin="LSGKB54H8MV123456", customer="Li Si")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        board = await _at_board(pilot, first)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, RepairOrderPicker)
        await pilot.press(*"mv1234", "enter")  # one found: picked
        await until(pilot, lambda: app.screen is board and board.subject is not None
                    and board.subject.ro_no == other, "the order found")
        await pilot.press("f")
        await settle(pilot)
        await burst(pilot, *first, "enter")  # its label scanned into the field
        await until(pilot, lambda: app.screen is board and board.subject is not None
                    and board.subject.ro_no == first, "the order scanned")
