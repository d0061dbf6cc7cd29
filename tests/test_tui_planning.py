"""Planning in the TUI, from the keyboard with a frozen clock: the review screen (who sees which draft, review,
approve, reject, the meeting's edit, changed lines), the dashboard's countdown, answering a shortage, chasing an
order and the forecast view."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Sparkline, Static

from core.approvals import may_approve, may_edit, may_give_review, may_reject
from core.decimals import fmt_money, fmt_qty
from core.roles import Role
from core.services import operators, ordering, requests, shortages
from screens.dashboard import Dashboard, DashboardTable
from screens.forecast import ForecastScreen
from screens.home import HomeScreen
from screens.review import CHANGED_MARK, ReviewScreen
from screens.shortages import ShortagesScreen
from screens.transit import TransitScreen
from screens.widgets.answer import AnswerDialog
from screens.widgets.decision import DecisionDialog
from screens.widgets.line_edit import LineEditDialog
from screens.widgets.planning_text import CHANGED_STYLE, OVERDUE_STYLE
from tests.helpers import FROZEN, PIN
from tests.helpers.planning import (
    FILTER,
    FILTER_MONTHS,
    PADS,
    advance,
    consumption,
    draft,
    late_order,
    log_shortage,
    overdue_receipt,
    repair_order,
    request,
)
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in, stock_samples, until


@pytest.fixture
def stocked(db, staff, clock):
    """The sample parts master and three lots of brake pads."""
    return stock_samples(db, staff, clock)


# -- building the station's planning state -------------------------------------------------------


# -- driving the screens -----------------------------------------------------------------------


async def open_review(pilot, role: Role) -> ReviewScreen:
    """Sign in and open review with F7."""
    await sign_in(pilot, role)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def draft_numbers(screen: ReviewScreen) -> list[str]:
    """The drafts listed, top to bottom."""
    table = screen.query_one("#drafts", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def dialog_message(app) -> str:
    """The message line of the dialog on top."""
    return str(app.screen.query_one(".dialog-message", Static).render())


async def type_text(pilot, text: str) -> None:
    """Type into the focused field (Pilot presses space by name)."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


# -- review ------------------------------------------------------------------------------------


async def test_the_station_manager_sees_his_meeting_not_the_accountants_step(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    at_meeting = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    at_accountant = advance(stocked, staff, draft(stocked, staff, cycle="week"), Role.PARTS_MANAGER,
                            Role.STATION_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        assert draft_numbers(screen) == [at_meeting]
        assert at_accountant not in screen_text(app)
        assert "order meeting" in screen_text(app)
        # The meeting is a review: the key says Review, and approving is not offered.
        assert app.screen.check_action("review", ()) and not app.screen.check_action("approve", ())


async def test_a_review_and_an_approval_from_the_keyboard_with_comments(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await type_text(pilot, "pads for the campaign")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert draft_numbers(screen) == []  # decided: it waits for the accountant now
        assert f"{number} reviewed" in screen_text(app)
    info = request(stocked, number)
    assert info.state == "meeting_reviewed"
    assert (info.history[-1].operator, info.history[-1].action, info.history[-1].comment) == (
        "SM1", "reviewed", "pads for the campaign")
    advance(stocked, staff, number, Role.ACCOUNTANT)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.SERVICE_DIRECTOR)
        assert draft_numbers(screen) == [number]
        assert not screen.check_action("review", ()) and screen.check_action("approve", ())
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog), "the approval's dialog")
        await type_text(pilot, "ok")
        await pilot.press("enter")
        await until(pilot, lambda: draft_numbers(screen) == [], "the approved draft to leave the list")
    info = request(stocked, number)
    assert info.approved_by == ("service_director",) and info.history[-1].comment == "ok"


async def test_the_review_keys_follow_the_chain_for_each_draft(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    approving = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER, Role.STATION_MANAGER,
                        Role.ACCOUNTANT)
    meeting = advance(stocked, staff, draft(stocked, staff, cycle="week"), Role.PARTS_MANAGER)
    manager = staff[Role.STATION_MANAGER]
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        assert draft_numbers(screen) == [meeting, approving]
        shown = {}
        for number in (meeting, approving):
            await pilot.press("down" if number == approving else "home")
            await settle(pilot)
            info = screen.current
            assert info.number == number
            assert screen.check_action("review", ()) is may_give_review(manager, info.author_id, info.state)
            assert screen.check_action("approve", ()) is may_approve(manager, info.author_id, info.state,
                                                                     info.approved_by)
            assert screen.check_action("reject", ()) is may_reject(manager, info.author_id, info.state,
                                                                   info.approved_by)
            assert screen.check_action("edit_line", ()) is may_edit(manager, info.state)
            shown[number] = screen_text(app).splitlines()[-1]
    # The meeting is his review, the other draft his approval; he edits both (a change at the approval step
    # sends it back to the meeting).
    assert "v Review" in shown[meeting] and "a Approve" not in shown[meeting]
    assert "a Approve" in shown[approving] and "v Review" not in shown[approving]
    assert all("e Edit line" in line for line in shown.values())


async def test_a_rejection_without_a_comment_is_refused_in_the_dialog(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = draft(stocked, staff)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.PARTS_MANAGER)
        await pilot.press("r")
        await settle(pilot)
        # What rejecting does is said before the Enter that does it.
        assert "Rejecting sends it back to its planner PLAN1 with your comment" in app.screen.summary
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        assert "needs a comment" in dialog_message(app)
        assert app.screen.query_one(".dialog-message").has_class("error")
        assert [h.action for h in request(stocked, number).history] == ["created", "edited"]
        await type_text(pilot, "too many filters")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    info = request(stocked, number)
    assert (info.state, info.history[-1].action, info.history[-1].comment) == ("returned", "rejected",
                                                                             "too many filters")


async def test_a_rejected_draft_leaves_the_reviewers_queue_until_the_planner_resubmits_it(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = draft(stocked, staff)
    other = draft(stocked, staff, cycle="week")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.PARTS_MANAGER)
        assert draft_numbers(screen) == [other, number]
        await pilot.press("down")
        await settle(pilot)
        assert screen.current.number == number
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "too many filters")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        # The queue is read again after the decision.
        await until(pilot, lambda: draft_numbers(screen) == [other], "the review queue read again")
        shown = screen_text(app)
        assert f"{number} rejected: now returned to the planner" in shown
        assert "now parts manager's review" not in shown
    with stocked.writing() as uow:
        requests.resubmit_request(number, actor=staff[Role.PLANNER], uow=uow)
    info = request(stocked, number)
    assert info.state == "draft" and [h.action for h in info.history][-2:] == ["rejected", "resubmitted"]
    assert info.history[-2].comment == "too many filters"  # the reason stays with the draft
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.PARTS_MANAGER)
        assert draft_numbers(screen) == [other, number]


async def test_the_author_never_sees_his_own_draft(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    with stocked.writing() as uow:
        operators.add_operator("PLPM", "planner and parts manager", ["planner", "parts_manager"], PIN,
                               actor=staff[Role.ADMIN], uow=uow)
        both = operators.authenticate("PLPM", PIN, uow=uow)
    own = draft(stocked, staff, planner=both)
    other = draft(stocked, staff, cycle="week")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"PLPM", "enter", *PIN, "enter")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert draft_numbers(app.screen) == [other]
        assert own not in screen_text(app)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:  # the planner alone has no review at all
        await sign_in(pilot, Role.PLANNER)
        assert app.check_action("workflow", ("review",)) is False
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_meeting_changes_a_line_and_the_change_is_highlighted(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        lines = screen.query_one("#draft-lines", DataTable)
        assert [lines.get_row_at(r)[1].plain for r in range(lines.row_count)] == [PADS, FILTER]
        assert all(CHANGED_MARK not in lines.get_row_at(r)[0].plain for r in range(lines.row_count))
        await pilot.press("tab")  # into the lines; the filter is the second
        await pilot.press("down", "e")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog)
        await pilot.press("6", "0", "enter")
        await type_text(pilot, "stock up before winter")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        info = request(stocked, number)
        assert info.state == "pm_reviewed"  # still at his meeting
        assert {line.part_no: (line.qty, line.reason, line.changed) for line in info.lines} == {
            PADS: (4, "workshop campaign", False), FILTER: (60, "stock up before winter", True)}
        # Highlighted on screen: the changed line in its style with the mark, the other one plain.
        changed, plain = lines.get_row_at(1), lines.get_row_at(0)
        assert changed[1].plain == FILTER and CHANGED_MARK in changed[0].plain
        assert str(changed[1].style) == CHANGED_STYLE and str(plain[1].style) == ""
        assert "1 changed since the last step" in screen_text(app)


async def test_after_an_edit_the_highlighted_line_stays_the_subject(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    number = advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        lines = screen.query_one("#draft-lines", DataTable)
        await pilot.press("tab", "down", "e")  # the filter, the second line
        await settle(pilot)
        await pilot.press("6", "0", "enter")
        await type_text(pilot, "stock up")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.current.number == number
        # The draft read again: the cursor, and the line the next key changes, are still the filter.
        assert lines.cursor_row == 1 and screen._line().part_no == FILTER
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog) and FILTER in screen_text(app)


async def test_an_edit_that_is_refused_stays_in_the_dialog(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, Role.STATION_MANAGER)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("backspace", "x", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog)
        assert "not a number" in dialog_message(app)
        assert app.focused is app.screen.query_one("#pd-qty", Input)  # back on the quantity that was wrong


async def test_the_forecast_of_a_line_opens_from_review(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    advance(stocked, staff, draft(stocked, staff), Role.PARTS_MANAGER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, Role.STATION_MANAGER)
        await pilot.press("tab", "down", "f")
        await settle(pilot)
        assert isinstance(app.screen, ForecastScreen) and app.screen.part_no == FILTER
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


# -- the dashboard -----------------------------------------------------------------------------


def dashboard_rows(app) -> dict[str, list]:
    """The dashboard's items by key (kind:number), each its cells."""
    table = app.screen.query_one(DashboardTable)
    return {str(row.key.value): table.get_row(row.key) for row in table.ordered_rows}


async def test_the_dashboard_counts_a_shortage_down_and_turns_it_red(stocked, staff, clock):
    number = log_shortage(stocked, staff, clock, repair_order(stocked, staff), minutes_ago=5)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        cells = dashboard_rows(app)[f"shortage:{number}"]
        assert cells[-1].plain == "25 min left" and str(cells[-1].style) != OVERDUE_STYLE
        clock.advance(minutes=25)
        await pilot.press("d", "f5")  # into the dashboard, and read it again
        await settle(pilot)
        cells = dashboard_rows(app)[f"shortage:{number}"]
        assert cells[-1].plain == "OVERDUE by 0 min" and str(cells[-1].style) == OVERDUE_STYLE
        assert "(1 overdue)" in screen_text(app)
        clock.advance(minutes=5)
        app.screen.query_one(Dashboard).reload()  # what the 30-second timer does
        await settle(pilot)
        assert dashboard_rows(app)[f"shortage:{number}"][-1].plain == "OVERDUE by 5 min"


async def test_each_dashboard_item_opens_its_screen(stocked, staff, clock):
    consumption(stocked, staff, clock, [120] * 6)
    shortage = log_shortage(stocked, staff, clock, repair_order(stocked, staff))
    receipt = overdue_receipt(stocked, staff, clock)
    order = late_order(stocked, staff, clock)
    number = draft(stocked, staff)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        rows = dashboard_rows(app)
        assert list(rows) == [f"shortage:{shortage}", f"receipt:{receipt}", f"order:{order}", f"draft:{number}"]
        assert rows[f"receipt:{receipt}"][-1].plain.startswith("OVERDUE by 1 d")
        assert rows[f"order:{order}"][-1].plain == "5 d 0 h late · ETA 11-15"
        await pilot.press("d", "enter")  # the shortage
        await settle(pilot)
        assert isinstance(app.screen, ShortagesScreen) and app.screen.highlighted().number == shortage
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d", "down", "down", "enter")  # the order
        await settle(pilot)
        assert isinstance(app.screen, TransitScreen) and app.screen.highlighted().number == order
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d", "down", "enter")  # the draft (the cursor stayed on the order)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.current.number == number
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d", "up", "up", "enter")  # the receipt: receiving is not the parts manager's
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "storekeeper's and the planner's" in screen_text(app)


async def test_a_receipt_on_the_dashboard_opens_in_receiving(stocked, staff, clock):
    receipt = overdue_receipt(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        assert list(dashboard_rows(app)) == [f"receipt:{receipt}"]
        await pilot.press("d", "enter")
        await settle(pilot)
        from screens.receipt import ReceiptScreen

        assert isinstance(app.screen, ReceiptScreen)
        assert receipt in screen_text(app)


async def test_the_advisor_follows_his_shortage_on_the_dashboard(stocked, staff, clock):
    number = log_shortage(stocked, staff, clock, repair_order(stocked, staff), minutes_ago=10)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        assert dashboard_rows(app)[f"shortage:{number}"][-1].plain == "20 min left"
        with stocked.writing() as uow:
            shortages.answer_shortage(number, "transfer", clock.now() + timedelta(hours=2),
                                      actor=staff[Role.PLANNER], uow=uow)
        await pilot.press("d", "f5")
        await settle(pilot)
        cells = dashboard_rows(app)[f"shortage:{number}"]
        assert cells[-1].plain == "transfer → 11-20 10:30"
        assert "your shortages: 1, 1 answered" in screen_text(app)


async def test_a_sale_waiting_for_a_check_is_on_the_checkers_dashboard_and_opens_in_the_sales(stocked, staff, clock):
    from core.services import sales
    from screens.sales import SalesScreen

    with stocked.writing() as uow:
        first = sales.create_sale("李四汽修", ["96536697:1"], actor=staff[Role.STOREKEEPER], uow=uow).number
        second = sales.create_sale("王五", ["96536697:2"], actor=staff[Role.STOREKEEPER], uow=uow).number
    clock.advance(minutes=20)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.CHECKER)
        rows = dashboard_rows(app)
        assert list(rows) == [f"sale:{first}", f"sale:{second}"]  # the customer waiting longest first
        assert rows[f"sale:{second}"][-1].plain == "waiting 20 min"
        assert "sales to check: 2" in screen_text(app)
        await pilot.press("d", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, SalesScreen) and app.screen.highlighted() is not None
                    and app.screen.highlighted().number == second, "the sale to check, in the sales")


async def test_no_dashboard_for_the_mechanic(stocked, staff):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.MECHANIC)
        assert not app.screen.query_one(Dashboard).display
        assert app.screen.check_action("dashboard", ()) is False


# -- shortages ---------------------------------------------------------------------------------


async def test_the_planner_answers_a_shortage(stocked, staff, clock):
    number = log_shortage(stocked, staff, clock, repair_order(stocked, staff), minutes_ago=12)
    cycle_draft = draft(stocked, staff)  # answered `order`, the shortage goes on it
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ShortagesScreen) and screen.highlighted().number == number
        assert "18 min left" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnswerDialog)
        await pilot.press("down", "enter")  # order from the manufacturer
        await type_text(pilot, "2026-11-19 10:00")  # yesterday: refused
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AnswerDialog) and "in the past" in dialog_message(app)
        # The cursor is back on the ETA that was wrong: the corrected time typed now lands there, not in the note.
        eta = app.screen.query_one("#pd-eta", Input)
        assert app.focused is eta
        await pilot.press("ctrl+u", *"2026-11-21 14:00", "enter")
        await type_text(pilot, "SGM express")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert f"{number} answered" in screen_text(app)
        assert not screen.check_action("answer", ())  # answered: nothing left to answer
    with stocked.reading() as uow:
        info = shortages.get_shortage(number, uow=uow)
    assert (info.state, info.solution, info.answered_by, info.answer_note) == ("answered", "order", "PLAN1",
                                                                                "SGM express")
    assert info.eta == FROZEN.replace(day=21, hour=14, minute=0) and not info.overdue
    assert info.ordered_on == cycle_draft


async def test_after_an_answer_the_highlighted_shortage_stays_the_subject(stocked, staff, clock):
    ro = repair_order(stocked, staff)
    draft(stocked, staff)
    log_shortage(stocked, staff, clock, ro, minutes_ago=12)
    log_shortage(stocked, staff, clock, ro, minutes_ago=5, part_no=FILTER)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        await pilot.press("down")
        await settle(pilot)
        second = screen.highlighted().number
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnswerDialog) and second in screen_text(app)
        await pilot.press("down", "enter")
        await type_text(pilot, "2026-11-21 14:00")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen is screen and f"{second} answered" in screen_text(app)
        table = screen.query_one("#shortage-list", DataTable)
        # The highlighted row, the detail and what the next key acts on: the answered shortage.
        assert table.subject_key == second == screen.highlighted().number
        assert str(screen.query_one("#shortage-detail", Static).render()).startswith(second)


async def test_the_advisor_follows_his_shortages_and_cannot_answer(stocked, staff, clock):
    number = log_shortage(stocked, staff, clock, repair_order(stocked, staff))
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ShortagesScreen) and app.screen.highlighted().number == number
        assert app.screen.check_action("answer", ()) is False
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ShortagesScreen)


# -- orders in transit ---------------------------------------------------------------------------


async def test_the_planner_chases_a_late_order(stocked, staff, clock):
    order = late_order(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TransitScreen)
        assert "5 days" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "called again: Friday")
        await pilot.press("enter", *"2026-11-27 12:00", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TransitScreen)
    with stocked.reading() as uow:
        chased = next(t for t in ordering.transit_orders(uow=uow) if t.number == order)
    assert chased.last_note == "called again: Friday" and chased.days_late == 0


async def test_after_a_chase_the_highlighted_order_stays_the_subject(stocked, staff, clock):
    late_order(stocked, staff, clock)
    late_order(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("d", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TransitScreen)
        screen.set_focus(screen.query_one("#transit-list", DataTable))
        await pilot.press("down")
        await settle(pilot)
        second = screen.highlighted().number
        await pilot.press("c")
        await settle(pilot)
        assert second in screen_text(app)
        await type_text(pilot, "called again")
        await pilot.press("enter", *"2026-11-27 12:00", "enter")
        await settle(pilot)
        assert app.screen is screen and f"{second} chased" in screen_text(app)
        table = screen.query_one("#transit-list", DataTable)
        assert table.subject_key == second == screen.highlighted().number
        assert str(screen.query_one("#transit-detail", Static).render()).startswith(second)


async def test_a_refused_chase_puts_the_cursor_on_the_field_that_was_wrong(stocked, staff, clock):
    late_order(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("d", "enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("enter", *"2026-11-27 12:00", "enter")  # no note
        await settle(pilot)
        assert "needs a note" in dialog_message(app)
        assert app.focused is dialog.query_one("#pd-chase-note", Input)
        await type_text(pilot, "called")
        await pilot.press("enter", "ctrl+u", *"2026-11-19 10:00", "enter")  # in the past
        await settle(pilot)
        assert "in the past" in dialog_message(app)
        assert app.focused is dialog.query_one("#pd-chase-eta", Input)


# -- the forecast view ---------------------------------------------------------------------------


async def test_the_forecast_view_shows_the_history_and_the_numbers(stocked, staff, clock):
    consumption(stocked, staff, clock, FILTER_MONTHS)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*FILTER, "enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ForecastScreen)
        demand = screen.demand
        assert [int(q) for _start, q in demand.history] == FILTER_MONTHS
        table = screen.query_one("#forecast-history", DataTable)
        rows = [[cell.plain for cell in table.get_row_at(r)] for r in range(table.row_count)]
        assert rows[0] == ["2025-11", "90"] and rows[11] == ["2026-10", "125"]
        assert rows[12] == ["next (forecast)", fmt_qty(demand.forecast)]
        # Four columns a month, a gap of zero, the forecast.
        expected = [float(q) for q in FILTER_MONTHS for _column in range(4)] + [0.0, 0.0] + [float(demand.forecast)] * 4
        assert screen.query_one(Sparkline).data == expected
        text = screen_text(app)
        for label in ("Forecast, next cycle", "Safety stock", "On hand", "In transit", "Suggested order"):
            assert label in text
        assert str(screen.query_one("#forecast-on_hand", Static).render()) == "100"


async def test_the_review_reads_a_drafts_lines_a_page_at_a_time_and_acts_on_the_line_under_the_cursor(
        stocked, staff, clock, monkeypatch):
    from screens.review import ReviewLinesTable
    from tests.helpers.receiving import HEADLAMP_LEFT as HEADLAMP

    consumption(stocked, staff, clock, [120] * 6)
    number = draft(stocked, staff)
    with stocked.writing() as uow:  # a third line: the headlamp, after the pads and the filter
        requests.change_lines(number, [requests.LineChange(HEADLAMP, Decimal(1), "accident repair")],
                              actor=staff[Role.PLANNER], uow=uow)
    advance(stocked, staff, number, Role.PARTS_MANAGER)
    # A page of one line: the screen reads a page and the next one under the cursor's row, never the whole draft;
    # the title still counts and values all of it.
    monkeypatch.setattr(ReviewLinesTable, "PAGE", 1)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, Role.STATION_MANAGER)
        lines = screen.query_one(ReviewLinesTable)
        await until(pilot, lambda: screen.current is not None and lines.row_count == 2, "the first lines")
        whole = request(stocked, number)
        assert lines.total == len(whole.lines) == 3
        assert [line.part_no for line in screen.lines] == [line.part_no for line in whole.lines][:2]
        assert "3 lines" in screen_text(app) and f"value {fmt_money(screen.current.value)}" in screen_text(app)
        await pilot.press("tab", "down")  # into the lines, onto the last one read: the next page
        await until(pilot, lambda: lines.row_count == 3, "the third page of lines")
        await pilot.press("down")
        await settle(pilot)
        last = whole.lines[-1].part_no
        assert screen._line().part_no == last and [line.part_no for line in screen.lines] == [
            line.part_no for line in whole.lines]
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog) and last in screen_text(app)
