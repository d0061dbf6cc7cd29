"""The keys added so that a screen does what its CLI command does (the parity table): F10 on a stocktake shows its
paper (`print stocktake`) in the print preview."""

from __future__ import annotations

from core.roles import Role
from core.services import stocktake as st
from screens.print_preview import PrintPreviewScreen
from screens.stocktake import StocktakeScreen
from screens.stocktake_count import StocktakeCountScreen
from tests.helpers.tui import make_app, screen_text, settle, sign_in, until


async def test_f10_on_a_stocktake_shows_its_blind_sheet_and_the_list_prints_nothing(stocked, staff):
    with stocked.writing() as uow:
        number = st.open_stocktake("locations", "EXC-01-02-03", actor=staff[Role.STOREKEEPER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f13")
        await until(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.stocktakes, "the list")
        await pilot.press("f10")  # the list has no paper: the key is not offered and does nothing
        await settle(pilot)
        assert isinstance(app.screen, StocktakeScreen)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StocktakeCountScreen), "the stocktake")
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen) and number in screen_text(app)
                    and "Counted" in screen_text(app), "the stocktake's paper")
        assert app.screen.documents == [("stocktake", number)]
        assert "Book" not in screen_text(app)  # blind while open
