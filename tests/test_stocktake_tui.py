"""The stocktake workflow in the TUI (盘点, shift+F1): open one over a zone, count it by scanner (a bin label, then
its parts), close it with the second counter's PIN, approve the variances (asked first); refusals said on the
status line with nothing changed."""

from __future__ import annotations

from decimal import Decimal

from core.roles import Role
from core.services import stock
from core.services import stocktake as st
from screens.stocktake import StocktakeScreen
from screens.stocktake_count import StocktakeCountScreen
from tests.helpers.tui import BRAKE_PADS, burst, make_app, screen_text, sign_in, until


def _on(app, screen_class) -> bool:
    return isinstance(app.screen, screen_class)


def _status(app) -> str:
    return str(app.screen.query_one("#stk-status").render())


async def test_count_by_scanner_close_and_approve(stocked, staff):
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f13")
        await until(pilot, lambda: _on(app, StocktakeScreen), "the stocktake list")
        await pilot.press("ctrl+n")
        await pilot.press(*"EXC-01-02-0?", "enter")
        await until(pilot, lambda: _on(app, StocktakeCountScreen), "the new stocktake's count")
        assert "Book" not in screen_text(app)  # blind
        await burst(pilot, *"EXC-01-02-03", "enter")
        for _scan in range(3):
            await burst(pilot, *BRAKE_PADS, "enter")
        await until(pilot, lambda: "3 counted" in _status(app), "three pads counted")
        await burst(pilot, "5", "*")  # five more on the highlighted line
        await until(pilot, lambda: "8 counted" in _status(app), "eight pads counted")
        await burst(pilot, *"EXC-01-02-04", "enter", *BRAKE_PADS, "enter")
        await until(pilot, lambda: "@EXC-01-02-04: 1 counted" in _status(app), "one pad at the other bin")
        number = app.screen.info.number
        await pilot.press("ctrl+s")
        await pilot.press(*"PLAN1", "enter", *"1234", "enter")
        await until(pilot, lambda: app.screen.info.state == "closed", "the count closed")
        assert "Variance" in screen_text(app)
    with stocked.reading() as uow:
        info = st.show(number, uow=uow)
    # 13 pads at EXC-01-02-03 (10 + 4 - 1), 8 counted; 6 at EXC-01-02-04, 1 counted.
    assert sorted((x.location, x.book, x.counted) for x in info.lines) == [
        ("EXC-01-02-03", 13, 8), ("EXC-01-02-04", 6, 1)]
    assert info.counters == ("PLAN1", "STORE1")

    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f13")
        await until(pilot, lambda: _on(app, StocktakeScreen) and app.screen.stocktakes, "the stocktake list")
        await pilot.press("enter")
        await until(pilot, lambda: _on(app, StocktakeCountScreen), "the stocktake")
        await pilot.press("f9")
        await until(pilot, lambda: "Approve" in screen_text(app) and "cannot be undone" in screen_text(app),
                    "the question")
        await pilot.press("enter")
        await until(pilot, lambda: "ledger rows posted" in _status(app) or "accountant" in _status(app),
                    "the approval")
    with stocked.reading() as uow:
        assert st.show(number, uow=uow).state == "pm_approved"  # 10 pads short: above the limit of 1000
        assert stock.part_stock(BRAKE_PADS, uow=uow).on_hand == Decimal(19)


async def test_refusals_are_said_and_change_nothing(stocked, staff):
    with stocked.writing() as uow:
        number = st.open_stocktake("locations", "EXC-01-02-03", actor=staff[Role.STOREKEEPER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f13")
        await until(pilot, lambda: _on(app, StocktakeScreen) and app.screen.stocktakes, "the stocktake list")
        await pilot.press("enter")
        await until(pilot, lambda: _on(app, StocktakeCountScreen), "the stocktake")
        await burst(pilot, *BRAKE_PADS, "enter")
        await until(pilot, lambda: "scan the bin label first" in _status(app), "the bin asked for")
        await burst(pilot, *"CRZ-03-01-01", "enter", *BRAKE_PADS, "enter")
        await until(pilot, lambda: "not in the scope" in _status(app), "the refusal")
        assert not app.screen.check_action("approve", ())  # a storekeeper does not approve
        await pilot.press("ctrl+s")
        await pilot.press(*"PLAN1", "enter", *"1234", "enter")
        await until(pilot, lambda: "not counted yet" in screen_text(app), "the close refused")
    with stocked.reading() as uow:
        info = st.show(number, uow=uow)
    assert info.state == "open" and info.counted == 0
