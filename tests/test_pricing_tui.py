"""Prices and settlement at the keyboard: the repair-order board's charges by payer (the margin for the managers),
p setting a part's payer, s settling and offering the slip, settling refused while a requisition is open; the
price rules dialog on the review screen."""

from __future__ import annotations

from core.roles import Role
from core.services import pricing, repair_orders
from core.services.written_requisitions import write_requisition
from screens.intake import IntakeScreen
from screens.payer_dialog import PayerDialog
from screens.price_rules import PriceRulesDialog
from screens.print_preview import PrintPreviewScreen
from screens.review import ReviewScreen
from tests.helpers import add_parts, receive
from tests.helpers.counter import drive, issue, open_order
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, until


def delivered_with_parts(db, staff, *, written: bool = False) -> str:
    """A delivered order, in warranty (the helper's path decides so), with two pads (cost 40) and an oil filter
    (cost 20) issued, list price 100 each; `written`: a requisition of it still written and not issued."""
    add_parts(db, staff)
    receive(db, staff, "96536697", "4", cost="40")
    receive(db, staff, "96800106", "4", cost="20")
    ro = open_order(db, staff)
    drive(db, staff, ro, "in_repair")
    issue(db, staff, ro, ("96536697", "2"), ("96800106", "1"))
    if written:
        with db.writing() as uow:
            write_requisition(ro, [("96800106", "1")], actor=staff[Role.PARTS_CLERK], uow=uow)
    for state in ("reinspection", "ready", "delivered"):
        with db.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, note="ok",
                                       customer_confirmed=True)
    return ro


def shown(db, ro):
    with db.reading() as uow:
        return repair_orders.get_repair_order(ro, uow=uow)


async def test_a_payer_set_and_the_order_settled_from_the_board(db, staff):
    ro = delivered_with_parts(db, staff)  # in warranty (the helper's decision): the maker pays at list price
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.subject is not None,
                    "the board with its order")
        text = screen_text(app)
        assert "Charged: customer 0.00 · warranty 300.00" in text and "cost 100.00" in text
        assert "Margin" not in text  # the advisor does not see what the parts earn
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PayerDialog)
        await pilot.press("i")  # the highlighted part, the first: the pads, for the workshop's own use
        await until(pilot, lambda: "96536697: internal pays" in screen_text(app), "the payer set")
        await pilot.press("escape")
        await until(pilot, lambda: "internal 80.00" in screen_text(app), "the board read again")
        await pilot.press("s")
        await settle(pilot)
        assert "internal 80.00" in screen_text(app)  # the question says what will be recorded
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen), "the slip offered")
        assert "结算单" in screen_text(app)
    view = shown(db, ro)
    assert view.state == "settled" and view.charges.settled
    assert view.charges.by_payer[1:] == (("warranty", view.charges.amount("warranty")), ("internal", 80))
    assert view.charges.amount("warranty") == 100


async def test_settling_is_refused_while_a_requisition_is_open_and_the_manager_sees_the_margin(db, staff):
    ro = delivered_with_parts(db, staff, written=True)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ACCOUNTANT)
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.subject is not None,
                    "the board with its order")
        await pilot.press("s", "enter")
        await until(pilot, lambda: "is written and not issued" in screen_text(app), "the refusal said")
        assert isinstance(app.screen, IntakeScreen)
    assert shown(db, ro).state == "delivered"
    from screens.intake import card

    assert "Margin: 200.00" in card(shown(db, ro), pricing.may_see_margin(staff[Role.PARTS_MANAGER])).plain


async def test_a_price_rule_set_from_the_review_screen(db, staff):
    add_parts(db, staff)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PriceRulesDialog)
        await pilot.press(*"series excelle", "enter", *"30", "enter", *"abc", "enter")
        await until(pilot, lambda: "the floor" in screen_text(app), "the bad floor refused")
        with db.reading() as uow:
            assert pricing.list_rules(uow=uow) == []
        app.screen.query_one("#pr-floor").value = ""
        app.screen.set_focus(app.screen.query_one("#pr-floor"))
        await pilot.press("enter")
        await until(pilot, lambda: "price rule set" in screen_text(app), "the rule set")
        assert "30.00%" in screen_text(app)
    with db.reading() as uow:
        (rule,) = pricing.list_rules(uow=uow)
    assert (rule.scope, rule.key, str(rule.markup)) == ("series", "EXCELLE", "30.00")
