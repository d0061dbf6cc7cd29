"""The keys added so that a screen does what its CLI command does (the parity table): F10 on a stocktake shows its
paper (`print stocktake`) in the print preview; `l` in the preview prints the document's label (`label document`);
Enter on a part's lot opens its bin, whose label F10 prints (`label location`, from the lookup)."""

from __future__ import annotations

from core.roles import Role
from core.services import stocktake as st
from screens.location import LocationScreen
from screens.part import PartScreen
from screens.print_preview import PrintPreviewScreen
from screens.receipt import ReceiptScreen
from screens.stocktake import StocktakeScreen
from screens.stocktake_count import StocktakeCountScreen
from tests.helpers.tui import BRAKE_PADS, SIZE, burst, make_app, screen_text, settle, sign_in, until


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


async def test_l_in_the_preview_prints_the_documents_label_and_not_the_putaway_lists(db, staff, papers, tmp_path):
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    receipt = papers["receipt"]
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *receipt, "enter")
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.kind == "receipt"
        await pilot.press("l")
        label = tmp_path / "prints" / f"label-{receipt}.pdf"
        await until(pilot, lambda: label.exists() and f"label of {receipt} written to" in screen_text(app),
                    "the receipt's label")
        assert label.read_bytes().startswith(b"%PDF")
        label.unlink()
        await pilot.press("n")  # the putaway list: the receipt's number, no label of its own
        await until(pilot, lambda: app.screen.kind == "putaway" and app.screen.text, "the putaway list")
        assert not app.screen.check_action("label", ())
        await pilot.press("l")
        await settle(pilot)
        assert not label.exists()


async def test_enter_on_a_lot_opens_its_bin_whose_label_f10_prints(stocked, staff, tmp_path):
    app = make_app(stocked)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *BRAKE_PADS, "enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the part")
        oldest = app.screen.stock.lots[0].location
        await pilot.press("enter")  # the highlighted lot: the oldest
        await until(pilot, lambda: isinstance(app.screen, LocationScreen), "the lot's bin")
        assert app.screen.code == oldest
        await pilot.press("f10")
        label = tmp_path / "prints" / f"label-{oldest}.pdf"
        await until(pilot, lambda: label.exists() and f"label of {oldest} written to" in screen_text(app), "the label")
        assert label.read_bytes().startswith(b"%PDF")
