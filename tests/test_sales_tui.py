"""The counter sales workflow in the TUI (销售订单, shift+F2): a sale entered line by line, checked by a second
person with code and PIN (二审) who issues it oldest lot first, settled after a question, its delivery note
previewed; a scanned SAL number opens it; refusals said where the person looks, with nothing changed."""

from __future__ import annotations

from core.decimals import fmt_money
from core.roles import Role
from core.services import sales
from screens.print_preview import PrintPreviewScreen
from screens.sales import SalesScreen
from screens.sales_form import SaleDialog
from screens.sales_return import SaleReturnDialog
from screens.widgets.dialogs import SignDialog, YesNoDialog
from tests.helpers.tui import BRAKE_PADS, burst, make_app, screen_text, sign_in, until


def _on(app, screen_class) -> bool:
    return isinstance(app.screen, screen_class)


def _message(app) -> str:
    return str(app.screen.query_one(".dialog-message").render())


async def test_enter_check_settle_and_print_a_sale(stocked, staff):
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f14")
        await until(pilot, lambda: _on(app, SalesScreen), "the sales list")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: _on(app, SaleDialog), "the new sale form")
        await pilot.press(*"Li Si", "enter", *"13800138000", "enter", *BRAKE_PADS, "enter", "5", "enter")
        await until(pilot, lambda: "added" in _message(app), "the line added")
        await pilot.press("f9")
        await until(pilot, lambda: _on(app, SalesScreen) and app.screen.sales, "the sale entered")
        number = app.screen.sales[0].number
        await pilot.press("c")
        await until(pilot, lambda: _on(app, SignDialog), "the checker's PIN")
        await pilot.press(*"CHECK1", "enter", *"1234", "enter")
        await until(pilot, lambda: _on(app, SalesScreen) and app.screen.sales[0].state == "checked", "checked")
        assert "checked by CHECK1" in screen_text(app)
        await pilot.press("s")
        await until(pilot, lambda: _on(app, YesNoDialog), "the question before settling")
        await pilot.press("enter")
        await until(pilot, lambda: _on(app, SalesScreen) and app.screen.sales[0].state == "settled", "settled")
        await pilot.press("f10")
        await until(pilot, lambda: _on(app, PrintPreviewScreen), "the delivery note")
        assert "发货通知单" in screen_text(app) and number in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: _on(app, SalesScreen), "the sales list again")
        await pilot.press("r")  # one back after settlement: the customer is owed its price
        await until(pilot, lambda: _on(app, SaleReturnDialog), "the return form")
        await pilot.press("enter", "1", "enter")
        await until(pilot, lambda: _on(app, SalesScreen) and app.screen.sales[0].refund, "the part taken back")
        settled = app.screen.sales[0]
        assert f"refund due {fmt_money(settled.refund)}" in screen_text(app)
    with stocked.reading() as uow:
        sale = sales.show_sale(number, uow=uow)
    # Oldest first: the 3 left of the lot of 1 November at EXC-01-02-03, then 2 of the lot of 8 November.
    assert [(take.location, take.qty) for take in sale.lines[0].takes] == [("EXC-01-02-03", 3), ("EXC-01-02-04", 2)]
    assert sale.settled_amount == sale.total and sale.refund == sale.lines[0].unit_price


async def test_the_person_who_entered_it_is_refused_as_checker(stocked, staff):
    with stocked.writing() as uow:
        number = sales.create_sale("王五", [f"{BRAKE_PADS}:1"], actor=staff[Role.PARTS_MANAGER], uow=uow).number
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await burst(pilot, *number, "enter")  # a scanned SAL number opens the sales at it
        await until(pilot, lambda: _on(app, SalesScreen) and app.screen.highlighted() is not None
                    and app.screen.highlighted().number == number, "the scanned sale")
        await pilot.press("c")
        await until(pilot, lambda: _on(app, SignDialog), "the checker's PIN")
        await pilot.press(*"PM1", "enter", *"1234", "enter")
        await until(pilot, lambda: "a second, different person checks it" in _message(app), "the refusal")
        await pilot.press("escape")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: _on(app, SaleDialog), "the new sale form")
        await pilot.press("f9")
        await until(pilot, lambda: "the customer's name is empty" in _message(app), "the empty customer refused")
    with stocked.reading() as uow:
        assert [s.state for s in sales.list_sales(uow=uow)] == ["entered"]
        assert sales.show_sale(number, uow=uow).lines[0].takes == ()
