"""The planning workflow (⇧F4) from the keyboard with a frozen clock: the cycle drafted in a worker while the desk
stays usable, a line's quantity and jump reason changed, a returned draft resubmitted; orders made from the approved
draft, the order file exported, the order marked sent and chased; an urgent order; and the refusals: a quantity
that makes no sense, the steps an order's state does not allow."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from textual.widgets import Input, Static

from core.roles import Role
from core.services import ordering, purchasing, requests
from screens import keys
from screens.planning import PlanningScreen
from screens.planning_orders import PlanningOrdersScreen
from screens.planning_urgent import UrgentOrderDialog
from screens.print_preview import PrintPreviewScreen
from screens.transit import TransitScreen
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import TextDialog, YesNoDialog
from screens.widgets.line_edit import LineEditDialog
from tests.helpers.planning import FILTER, FILTER_MONTHS, PADS, advance, consumption, draft, repair_order, request
from tests.helpers.tui import SIZE, make_app, polled, screen_text, settle, sign_in, until

AIR_FILTER = "96553450"  # of the sample parts master: between the pads and the oil filter by number


@pytest.fixture
def planned(stocked, staff, clock):
    """The sample station with a year of the oil filter's consumption."""
    consumption(stocked, staff, clock, FILTER_MONTHS)
    return stocked


async def open_planning(pilot, role: Role = Role.PLANNER) -> PlanningScreen:
    """Sign in and open planning with ⇧F4."""
    await sign_in(pilot, role)
    await pilot.press(keys.PLANNING)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PlanningScreen)
    return pilot.app.screen


def dialog_message(app) -> str:
    """The message line of the dialog on top."""
    return str(app.screen.query_one(".dialog-message", Static).render())


def line_of(db, number: str, part_no: str):
    """A draft's line as the database holds it."""
    return next(line for line in request(db, number).lines if line.part_no == part_no)


async def test_draft_in_a_worker_edit_a_line_with_its_reason_and_resubmit(planned, staff, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real = requests.draft_request

    def slow_draft(**kwargs):  # a big station's draft: the test holds it until it has looked at the desk
        started.set()
        assert release.wait(30)
        return real(**kwargs)

    monkeypatch.setattr(requests, "draft_request", slow_draft)
    app = make_app(planned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        assert "No draft for this cycle yet" in screen_text(app)
        await pilot.press(keys.NEW)
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("enter")
        # Not settle: the worker is held on purpose.
        await polled(pilot, lambda: started.is_set() and "drafting…" in screen_text(app), "the draft under way")
        assert not screen.check_action("new_draft", ())  # no second draft meanwhile
        await pilot.press("o")  # the desk still answers: the orders open, and Escape comes back
        await polled(pilot, lambda: isinstance(app.screen, PlanningOrdersScreen), "the orders, while drafting")
        await pilot.press("escape")
        release.set()
        await until(pilot, lambda: screen.head is not None, "the draft")
        number = screen.head.number
        assert screen.head.state == "draft" and "drafted" in screen_text(app)
        assert screen.query_one("#plan-lines").row_count == 1  # the oil filter, from its forecast
        with planned.writing() as uow:  # the brake pads by hand, so the cursor has two lines
            requests.edit_request(number, [requests.LineChange(PADS, Decimal(4), "campaign")],
                                  actor=staff[Role.PLANNER], uow=uow)
        await pilot.press(keys.REFRESH)
        await settle(pilot)
        assert screen.query_one("#plan-lines").row_count == 2
        # Beside the line: its consumption over the last cycles (the filter's last three months).
        assert " ".join(str(q) for q in FILTER_MONTHS[-3:]) in screen_text(app)
        await pilot.press("down")  # the filter, after the pads by part number
        await settle(pilot)
        assert screen._line().part_no == FILTER
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog)
        await pilot.press(*"150", "enter", *"fleet", "space", *"contract", "enter")
        await settle(pilot)
        assert app.screen is screen and f"{FILTER} changed" in screen_text(app)
        line = line_of(planned, number, FILTER)
        assert (line.qty, line.reason) == (Decimal(150), "fleet contract")
        with planned.writing() as uow:
            requests.reject_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow, comment="fewer filters")
        await pilot.press(keys.REFRESH)
        await settle(pilot)
        assert "Sent back: fewer filters" in screen_text(app)
        await pilot.press(keys.COMMIT)
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and "resubmitted" in screen_text(app)
    assert request(planned, number).state == "draft"
    assert request(planned, number).history[-1].action == "resubmitted"


async def test_a_quantity_that_makes_no_sense_is_refused_and_a_line_removed_after_a_yes(planned, staff):
    number = draft(planned, staff)
    app = make_app(planned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        assert screen.head.number == number and screen._line().part_no == PADS
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"abc", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LineEditDialog)
        assert "abc" in dialog_message(app)
        assert app.focused is app.screen.query_one("#pd-qty")  # back on the quantity to correct it
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert line_of(planned, number, PADS).qty == Decimal(4)
        await pilot.press("delete")  # asks first: Escape keeps the line
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert screen._line().part_no == PADS
        await pilot.press("delete", "enter")
        await settle(pilot)
        assert f"{PADS} taken off" in screen_text(app) and screen._line().part_no == FILTER
    assert [line.part_no for line in request(planned, number).lines] == [FILTER]


def approved_draft(db, staff) -> str:
    """A draft through every review and both approvals."""
    number = advance(db, staff, draft(db, staff), Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT)
    with db.writing() as uow:
        requests.approve_request(number, actor=staff[Role.STATION_MANAGER], uow=uow)
    with db.writing() as uow:
        requests.approve_request(number, actor=staff[Role.SERVICE_DIRECTOR], uow=uow)
    return number


async def test_orders_from_the_approved_draft_exported_sent_and_chased(planned, staff, tmp_path):
    number = approved_draft(planned, staff)
    app = make_app(planned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        assert screen.head.state == "approved" and not screen.check_action("edit_line", ())
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert "made from" in screen_text(app) and screen.head.state == "ordered"
        await pilot.press("o")
        await settle(pilot)
        orders = app.screen
        assert isinstance(orders, PlanningOrdersScreen)
        order = orders.highlighted()
        assert order.state == "approved" and f"{order.number}" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        target = tmp_path / "order.csv"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: "written to" in screen_text(app), "the order file")
        assert order.number in target.read_text(encoding="utf-8")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert orders.highlighted().state == "sent"
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"Ms", "space", *"Li:", "space", *"Tuesday", "enter", *"2026-11-24", "space", *"10:00",
                          "enter")
        await settle(pilot)
        assert app.screen is orders and "chased" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TransitScreen)
    with planned.reading() as uow:
        chased = next(o for o in ordering.transit_orders(uow=uow) if o.number == order.number)
    assert chased.last_note == "Ms Li: Tuesday" and chased.eta is not None
    assert request(planned, number).state == "ordered"


async def test_the_steps_an_orders_state_does_not_allow_are_not_offered(stocked, staff):
    ro = repair_order(stocked, staff)
    with stocked.writing() as uow:
        number = purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:2")], [ro],
                                                actor=staff[Role.PLANNER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_planning(pilot)
        await pilot.press("o")
        await settle(pilot)
        orders = app.screen
        # A drafted order: not sent before the parts manager approves it, nothing to chase, and the planner
        # made it, so it is not his to approve.
        assert [orders.check_action(a, ()) for a in ("send", "chase", "approve", "close")] == [
            False, False, False, True]
        await pilot.press("s", "c", "a")
        await settle(pilot)
        assert app.screen is orders
        await pilot.press("k", "enter")
        await settle(pilot)
        assert orders.highlighted().state == "closed" and not orders.check_action("close", ())
        await pilot.press("k")
        await settle(pilot)
        assert app.screen is orders
    with stocked.reading() as uow:
        assert purchasing.get_order(number, uow=uow).state == "closed"


async def test_an_urgent_order_by_hand_refused_until_it_makes_sense(stocked, staff):
    ro = repair_order(stocked, staff)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_planning(pilot)
        await pilot.press("o")
        await settle(pilot)
        orders = app.screen
        await pilot.press(keys.NEW)
        await settle(pilot)
        assert isinstance(app.screen, UrgentOrderDialog)
        assert app.screen.query_one("#urgent-supplier", Input).value  # the manufacturer, filled in
        await pilot.press(*PADS, "enter", "0", "enter", "enter", *ro, "enter")
        await settle(pilot)
        assert isinstance(app.screen, UrgentOrderDialog) and "more than zero" in dialog_message(app)
        assert app.focused is app.screen.query_one("#urgent-qty")
        await pilot.press("backspace", "2", "enter", "enter", "enter")
        await settle(pilot)
        assert app.screen is orders and "made" in screen_text(app)
        made = orders.highlighted()
        await pilot.press(keys.PRINT)  # the order in the print preview (`print po`)
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.documents == [("po", made.number)]
    assert made.urgent and made.state == "draft" and made.serves == ro


async def test_the_lines_and_the_orders_are_read_a_page_at_a_time(planned, staff, clock, monkeypatch):
    from screens.planning import PlanLinesTable
    from screens.planning_orders import OrdersTable

    number = draft(planned, staff)
    with planned.writing() as uow:  # a third line: the pads, the air filter, the oil filter
        requests.edit_request(number, [requests.LineChange(AIR_FILTER, Decimal(8), "dusty season")],
                              actor=staff[Role.PLANNER], uow=uow)
    ro = repair_order(planned, staff)
    for qty in ("1", "2", "3"):
        with planned.writing() as uow:
            purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:{qty}")], [ro],
                                           actor=staff[Role.PLANNER], uow=uow)
    # A page of one: the first read is the page shown and the one under the cursor's row, never all of them.
    monkeypatch.setattr(PlanLinesTable, "PAGE", 1)
    monkeypatch.setattr(OrdersTable, "PAGE", 1)
    app = make_app(planned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        lines = screen.query_one(PlanLinesTable)
        assert screen.head.number == number and lines.row_count == 2 and lines.total == 3
        await pilot.press("down")  # the cursor on the last line read: the next page
        await until(pilot, lambda: lines.row_count == 3, "the third page of lines")
        await pilot.press("down")
        await settle(pilot)
        assert screen._line().part_no == FILTER and FILTER in str(screen.query_one("#plan-detail").render())
        await pilot.press("o")
        await settle(pilot)
        orders = app.screen.query_one(OrdersTable)
        assert orders.row_count == 2 and orders.total == 3
        await pilot.press("down")
        await until(pilot, lambda: orders.row_count == 3, "the third page of orders")


async def test_every_draft_is_listed_and_the_one_picked_shown(planned, staff, clock):
    from textual.widgets._footer import FooterKey  # noqa: PLC2701 - the keys the footer shows

    from core.labels import REQUEST_STATE, label
    from screens.planning_drafts import DraftPicker, DraftsTable

    month = draft(planned, staff)
    clock.advance(minutes=30)
    week = draft(planned, staff, cycle="week")
    app = make_app(planned)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        await until(pilot, lambda: screen.head is not None and screen.head.number == week, "the newest draft")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DraftPicker)
                    and app.screen.query_one(DraftsTable).row_count == 2, "the list of drafts")
        picker = app.screen
        assert [d.number for d in picker.drafts] == [week, month]
        cells = [str(cell) for cell in picker.query_one(DraftsTable).get_row(month)]
        assert cells[1].startswith("month") and cells[2] == label(REQUEST_STATE, "draft")  # labels, never codes
        assert "select_cursor" in [key.action for key in app.screen.query(FooterKey)]  # Enter shown in the footer
        await pilot.press("down", "enter")  # the month's: the older one
        await until(pilot, lambda: app.screen is screen and screen.head is not None
                    and screen.head.number == month, "the month's draft shown")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DraftPicker), "the list again")
        await pilot.press("escape")  # nothing picked: the draft shown stays
        await until(pilot, lambda: app.screen is screen, "the planning screen again")
        assert screen.head.number == month


async def test_the_list_of_drafts_says_when_there_is_none(stocked, staff):
    from screens.planning_drafts import DraftPicker

    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_planning(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DraftPicker), "the list of drafts")
        assert "no draft yet: ctrl+n drafts the cycle" in screen_text(app)
        await pilot.press("enter")  # nothing to pick: the list stays
        await settle(pilot)
        assert isinstance(app.screen, DraftPicker)
