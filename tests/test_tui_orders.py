"""Orders not sent yet in the TUI (备件工作流程及制度, item 2: 相关审核后，发往厂家): the parts manager's home lists the
urgent order to approve and approves it on the transit screen; the planner's lists it to send, and sends it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.roles import Role
from core.services import purchasing, shortages
from core.services.purchasing import OrderLineRequest
from screens.review import ReviewScreen
from screens.transit import TransitScreen
from tests.helpers.planning import PADS, draft, log_shortage, repair_order
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, stock_samples, until


@pytest.fixture
def stocked(db, staff, clock):
    """The sample parts master and three lots of brake pads."""
    return stock_samples(db, staff, clock)


def _state(db, number: str) -> str:
    with db.reading() as uow:
        return purchasing.get_order(number, uow=uow).state


async def _open_from_home(pilot, role: Role, number: str) -> TransitScreen:
    await sign_in(pilot, role)
    await pilot.press("d", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TransitScreen) and screen.highlighted().number == number
    return screen


async def test_the_parts_manager_approves_and_the_planner_sends_an_urgent_order(stocked, staff):
    ro = repair_order(stocked, staff)
    with stocked.writing() as uow:
        number = purchasing.create_urgent_order("SGM", [OrderLineRequest(PADS, Decimal(2), None)], [ro],
                                                actor=staff[Role.PLANNER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        assert "orders to approve or send" not in screen_text(app)  # his own draft waits for the parts manager
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot, Role.PARTS_MANAGER, number)
        assert "urgent order for " + ro in screen_text(app)
        assert not screen.check_action("send", ()) and screen.check_action("approve", ())
        await pilot.press("a")
        await until(pilot, lambda: f"{number} approved" in screen_text(app), "the approval said")
    assert _state(stocked, number) == "approved"
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot, Role.PLANNER, number)
        assert not screen.check_action("approve", ()) and screen.check_action("send", ())
        await pilot.press("s")
        await until(pilot, lambda: f"{number} sent to the maker" in screen_text(app), "the sending said")
    assert _state(stocked, number) == "sent"


async def test_the_review_screen_shows_a_shortage_line_as_a_special_order(stocked, staff, clock):
    ro = repair_order(stocked, staff)
    number = draft(stocked, staff)
    shortage = log_shortage(stocked, staff, clock, ro)
    with stocked.writing() as uow:
        shortages.answer_shortage(shortage, "order", clock.now() + timedelta(days=3), actor=staff[Role.PARTS_MANAGER],
                                  uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None
                    and app.screen.current.number == number, "the draft shown")
        assert f"for {ro} · {shortage}" in screen_text(app)
