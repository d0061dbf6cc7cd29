"""The list screens that read every row before issue 14 read a page at a time: the transit list (orders expected
and not sent yet), ... Each service pages and counts in SQL in the order the whole list had; each screen reads the
next page when the cursor reaches the last row read, Enter (or a key) acts on the row highlighted after paging, and
a row asked for past the first page is read to."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from core.roles import Role
from core.services import ordering, purchasing, settings
from core.services.draft_pages import waiting_drafts
from core.services.ordering import transit_orders, transit_page
from core.services.repair_orders import assign_technician, get_repair_order, list_repair_orders, repair_orders_page
from core.services.requests import get_request
from core.services.written_requisitions import list_written, write_requisition, written_page
from screens import review
from screens.counter import CounterScreen
from screens.counter_written import WrittenPicker, WrittenTable
from screens.intake import IntakeScreen, OrdersTable
from screens.review import DraftsTable, ReviewScreen
from screens.transit import TransitScreen, TransitTable
from screens.widgets.decision import DecisionDialog
from screens.widgets.tables import Pages
from tests.helpers.counter import open_order, order_in
from tests.helpers.orders import sent_order
from tests.helpers.planning import PADS, advance, draft, late_order, repair_order
from tests.helpers.staff import make_staff
from tests.helpers.tui import SIZE, make_app, screen_text, sign_in, stock_samples, until


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3 rows: a few documents are then more than a page."""
    monkeypatch.setattr(Pages, "PAGE", 3)


def _chased(db, staff, clock, eta_from_now: timedelta | None) -> str:
    """An order sent to the maker, chased with an ETA `eta_from_now` from the clock's time (None: never chased)."""
    order = sent_order(db, staff, "SGM", [purchasing.parse_order_line(f"{PADS}:2")])
    if eta_from_now is not None:
        now = clock.now()
        clock.set(now - timedelta(days=10))  # chased when the ETA was still ahead
        with db.writing() as uow:
            ordering.chase_order(order, "called the supplier", eta=now + eta_from_now,
                                 actor=staff[Role.PLANNER], uow=uow)
        clock.set(now)
    return order


def _unsent(db, staff, *, approved: bool) -> str:
    """An urgent order drafted by the planner, approved by the parts manager when `approved`, not sent."""
    ro = repair_order(db, staff)
    with db.writing() as uow:
        number = purchasing.create_urgent_order("SGM", [purchasing.parse_order_line(f"{PADS}:1")], [ro],
                                                actor=staff[Role.PLANNER], uow=uow)
    if approved:
        with db.writing() as uow:
            purchasing.approve_order(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    return number


def transit_station(db, staff, clock) -> list[str]:
    """Orders of every kind the transit list shows: days late, hours late, due later, never chased, approved and
    drafted; their numbers in the list's order."""
    late_order(db, staff, clock)
    _chased(db, staff, clock, timedelta(days=-2))
    _chased(db, staff, clock, timedelta(hours=-3))  # late, but not a whole day yet
    _chased(db, staff, clock, timedelta(days=4))
    _chased(db, staff, clock, None)
    _unsent(db, staff, approved=True)
    _unsent(db, staff, approved=False)
    with db.reading() as uow:
        return [o.number for o in transit_orders(uow=uow, unsent=True)]


def test_the_transit_pages_keep_the_order_of_the_whole_list_and_count_it(any_db, clock):
    staff = make_staff(any_db)
    stock_samples(any_db, staff, clock)
    whole = transit_station(any_db, staff, clock)
    with any_db.reading() as uow:
        full = transit_orders(uow=uow, unsent=True)
        pages = [transit_page(uow=uow, limit=3, offset=offset) for offset in (0, 3, 6)]
    assert [o.number for page in pages for o in page.rows] == whole and len(whole) == 7
    assert [o for page in pages for o in page.rows] == full
    assert (pages[0].total, pages[0].late, pages[0].unsent) == (7, 3, 2)
    assert [len(page.rows) for page in pages] == [3, 3, 1]


async def _open_transit(pilot, app, select: str | None = None) -> TransitScreen:
    """Sign in as the parts manager and open the transit list (on `select`, as the to-do opens it)."""
    await sign_in(pilot, Role.PARTS_MANAGER)
    app.push_screen(TransitScreen(select=select))
    await until(pilot, lambda: isinstance(app.screen, TransitScreen)
                and app.screen.query_one(TransitTable).row_count > 0, "the transit list read")
    return app.screen


async def test_transit_pages_as_the_cursor_reaches_the_end_and_acts_on_the_highlighted_order(
        stocked, staff, clock, small_pages):
    whole = transit_station(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_transit(pilot, app)
        table = screen.query_one(TransitTable)
        assert [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)] \
            == whole[:3]
        assert table.total == 7 and table.more
        summary = str(screen.query_one("#transit-summary").render())
        assert "2 orders not sent yet" in summary and "5 orders in transit" in summary
        screen.set_focus(table)
        await pilot.press("down", "down")  # the last row read: the next page comes
        await until(pilot, lambda: table.row_count == 6, "the second page read")
        assert table.subject_key == whole[2] == screen.highlighted().number
        with stocked.reading() as uow:
            drafted = next(o.number for o in transit_orders(uow=uow, unsent=True) if o.state == "draft")
        at = whole.index(drafted)
        assert at >= 3  # past the first page
        await pilot.press(*["down"] * (at - 2))
        await until(pilot, lambda: table.subject_key == drafted, "the cursor on the drafted order")
        assert screen.highlighted().number == drafted
        await pilot.press("a")  # the parts manager approves the order under the cursor, read on a later page
        await until(pilot, lambda: f"{drafted} approved" in str(screen.query_one("#transit-status").render()),
                    "the approval said")
        await until(pilot, lambda: table.subject_key == drafted and screen.highlighted().state == "approved",
                    "the cursor kept on the order, approved now")


async def test_transit_reads_to_an_order_asked_for_past_the_first_page(stocked, staff, clock, small_pages):
    whole = transit_station(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_transit(pilot, app, select=whole[6])
        table = screen.query_one(TransitTable)
        await until(pilot, lambda: table.subject_key == whole[6], "the order asked for read to and highlighted")
        assert table.row_count == 7 and screen.highlighted().number == whole[6]
        assert whole[6] in str(screen.query_one("#transit-detail").render())


# -- the repair-order board --------------------------------------------------------------------


def board_station(db, staff) -> list[str]:
    """Repair orders in several states, some settled or cancelled (off the board); the board's numbers in order."""
    for state in ("in_repair", "intake", "settled", "ready", "intake", "diagnosing", "cancelled", "intake",
                  "delivered"):
        order_in(db, staff, state)
    with db.reading() as uow:
        return [o.ro_no for o in list_repair_orders(uow=uow)]


def test_the_board_pages_keep_the_order_of_the_whole_list_and_count_it(any_db, clock):
    staff = make_staff(any_db)
    whole = board_station(any_db, staff)
    with any_db.reading() as uow:
        full = list_repair_orders(uow=uow)
        pages = [repair_orders_page(uow=uow, limit=3, offset=offset) for offset in (0, 3, 6)]
        intake = [o.ro_no for o in list_repair_orders(uow=uow, state="intake")]
        intake_page = repair_orders_page(uow=uow, limit=2, offset=1, state="intake")
    assert [o for page in pages for o in page.rows] == full and len(whole) == 7
    assert [page.total for page in pages] == [7, 7, 7] and [len(page.rows) for page in pages] == [3, 3, 1]
    assert [o.ro_no for o in intake_page.rows] == intake[1:3] and intake_page.total == 3


def _board_rows(table) -> list[str]:
    return [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]


async def _open_board(pilot, app) -> IntakeScreen:
    await sign_in(pilot, Role.ADVISOR)
    await pilot.press("f4")
    await until(pilot, lambda: isinstance(app.screen, IntakeScreen)
                and app.screen.query_one(OrdersTable).row_count > 0, "the board read")
    return app.screen


async def test_the_board_pages_as_the_cursor_reaches_the_end_and_keys_act_on_the_highlighted_order(
        db, staff, clock, small_pages):
    whole = board_station(db, staff)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await _open_board(pilot, app)
        table = board.query_one(OrdersTable)
        assert _board_rows(table) == whole[:3] and table.total == 7 and table.more
        await pilot.press("down", "down")
        await until(pilot, lambda: table.row_count == 6, "the second page read")
        await pilot.press("down", "down")
        await until(pilot, lambda: board.subject is not None and board.subject.ro_no == whole[4],
                    "the card of the order under the cursor")
        await pilot.press("n")  # a note on the order read on the second page
        await until(pilot, lambda: whole[4] in screen_text(app) and app.screen is not board, "the note dialog")
        await pilot.press(*"customer called", "enter")
        await until(pilot, lambda: app.screen is board and board.subject is not None, "back on the board")
        assert table.subject_key == whole[4] == board.subject.ro_no
    with db.reading() as uow:
        assert [n.text for n in get_repair_order(whole[4], uow=uow).notes] == ["customer called"]


async def test_the_board_reads_on_to_an_order_moved_or_scanned_past_the_rows_read(db, staff, clock, small_pages):
    numbers = [open_order(db, staff) for _ in range(7)]  # all at intake: by number
    with db.writing() as uow:
        assign_technician(numbers[0], "MECH1", actor=staff[Role.ADVISOR], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await _open_board(pilot, app)
        table = board.query_one(OrdersTable)
        assert _board_rows(table) == numbers[:3]
        board.show_order(numbers[4])  # scanned elsewhere: past the first page
        await until(pilot, lambda: table.subject_key == numbers[4] and board.subject is not None
                    and board.subject.ro_no == numbers[4], "the scanned order read to and its card shown")
        assert _board_rows(table) == numbers[:6]  # read page by page up to it, no further
        await pilot.press("up", "up", "up", "up")
        await until(pilot, lambda: board.subject is not None and board.subject.ro_no == numbers[0],
                    "back on the first order")
        await pilot.press("d")  # diagnosing: after every order at intake, past the rows read
        await until(pilot, lambda: table.subject_key == numbers[0] and board.subject is not None
                    and board.subject.state == "diagnosing", "the cursor followed the order down the list")
        assert _board_rows(table)[-1] == numbers[0] and not table.more


# -- the requisitions written, waiting to be issued ------------------------------------------------


def written_station(db, staff, clock, count: int = 5) -> list[str]:
    """`count` requisitions of one brake pad each written for two repair orders in repair, a minute apart, on a
    station that separates writing from issuing; their numbers oldest first."""
    stock_samples(db, staff, clock)
    with db.writing() as uow:
        settings.set_setting("separate_issue", "on", actor=staff[Role.ADMIN], uow=uow)
    orders = [order_in(db, staff, "in_repair"), order_in(db, staff, "in_repair")]
    numbers = []
    for index in range(count):
        clock.advance(minutes=1)
        with db.writing() as uow:
            numbers.append(write_requisition(orders[index % 2], [(PADS, "1")], actor=staff[Role.PARTS_CLERK],
                                             uow=uow).number)
    return numbers


def test_the_written_pages_keep_the_order_of_the_whole_list_and_count_it(any_db, clock):
    staff = make_staff(any_db)
    numbers = written_station(any_db, staff, clock)
    with any_db.reading() as uow:
        whole = list_written(uow=uow)
        pages = [written_page(uow=uow, limit=2, offset=offset) for offset in (0, 2, 4)]
    assert [w for page in pages for w in page.rows] == whole and [w.number for w in whole] == numbers
    assert [page.total for page in pages] == [5, 5, 5] and [len(page.rows) for page in pages] == [2, 2, 1]


async def test_the_written_list_pages_and_enter_opens_the_highlighted_requisition(db, staff, clock, small_pages):
    numbers = written_station(db, staff, clock)
    with db.reading() as uow:
        ro_of = {w.number: w.ro_no for w in list_written(uow=uow)}
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, CounterScreen), "the counter")
        counter = app.screen
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, WrittenPicker), "the list of written requisitions")
        table = app.screen.query_one(WrittenTable)
        assert _board_rows(table) == numbers[:3] and table.total == 5 and table.more
        await pilot.press("down", "down")  # the last row read: the next page comes
        await until(pilot, lambda: table.row_count == 5 and not table.more, "the second page read")
        await pilot.press("down")
        await until(pilot, lambda: table.subject_key == numbers[3], "the cursor on the fourth requisition")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is counter and counter.order is not None and counter.written,
                    "the order of the requisition opened")
        # The fourth requisition's order, not the first's (the two orders alternate).
        assert counter.order.ro_no == ro_of[numbers[3]] != ro_of[numbers[0]]
        assert numbers[3] in [w.number for w in counter.written]


# -- review: the drafts waiting for the operator --------------------------------------------------


def review_station(db, staff, clock, count: int = 5) -> list[str]:
    """`count` weekly drafts a week apart waiting for the parts manager's review, and one reviewed already
    (waiting for the meeting, not for him); the `count` waiting for him, newest first, as they were drafted."""
    advance(db, staff, draft(db, staff, cycle="week"), Role.PARTS_MANAGER)
    drafted = []
    for _ in range(count):
        clock.advance(days=7)
        drafted.append(draft(db, staff, cycle="week"))
    return drafted[::-1]


def test_the_review_pages_keep_the_order_of_the_whole_list_and_count_it(any_db, clock):
    staff = make_staff(any_db)
    stock_samples(any_db, staff, clock)
    numbers = review_station(any_db, staff, clock)
    manager = staff[Role.PARTS_MANAGER]
    with any_db.reading() as uow:
        pages = [waiting_drafts(uow=uow, waiting_for=manager, limit=2, offset=offset) for offset in (0, 2, 4)]
        planner = waiting_drafts(uow=uow, waiting_for=staff[Role.PLANNER], limit=10)
    assert [d.number for page in pages for d in page.rows] == numbers and len(numbers) == 5
    assert [page.total for page in pages] == [5, 5, 5] and [len(page.rows) for page in pages] == [2, 2, 1]
    assert planner.rows == [] and planner.total == 0  # his own drafts never wait for him


async def _review_open(pilot, app) -> tuple[ReviewScreen, DraftsTable]:
    """The parts manager signed in, review open with its first page read, the drafts' list focused."""
    await sign_in(pilot, Role.PARTS_MANAGER)
    app.push_screen(ReviewScreen())
    await until(pilot, lambda: isinstance(app.screen, ReviewScreen)
                and app.screen.query_one(DraftsTable).row_count > 0, "the drafts read")
    screen = app.screen
    table = screen.query_one(DraftsTable)
    screen.set_focus(table)
    return screen, table


async def test_a_down_pressed_while_the_next_page_is_read_moves_the_cursor_once_it_is(
        stocked, staff, clock, small_pages, monkeypatch):
    """Down on the last row read, pressed again before the next page is in: the cursor takes it with the page."""
    numbers = review_station(stocked, staff, clock)
    page_asked, page_may_come = threading.Event(), threading.Event()

    def held_page(*, offset: int, **kwargs):
        if offset:  # the first page comes at once; the next waits until the keys are in
            page_asked.set()
            assert page_may_come.wait(60), "the test never let the page come"
        return waiting_drafts(offset=offset, **kwargs)

    monkeypatch.setattr(review, "waiting_drafts", held_page)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await _review_open(pilot, app)
        await pilot.press("down", "down")  # on the last row read: the next page is asked for
        deadline = time.monotonic() + 60  # not `until`: it waits for the read held here
        while not page_asked.is_set():
            assert time.monotonic() < deadline, "the next page was never asked for"
            await pilot.pause()
        assert table.subject_key == numbers[2]
        await pilot.press("down", "down")  # while it is read
        assert table.row_count == 3 and table.subject_key == numbers[2]
        page_may_come.set()
        await until(pilot, lambda: table.row_count == 5, "the next page read")
        await until(pilot, lambda: screen.current is not None and screen.current.number == numbers[4],
                    "the two Downs taken, the fifth draft shown")
        assert table.subject_key == numbers[4]


async def test_review_pages_and_reads_to_a_draft_asked_for_past_the_first_page(stocked, staff, clock, small_pages):
    numbers = review_station(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await _review_open(pilot, app)
        assert _board_rows(table) == numbers[:3] and table.total == 5 and table.more
        assert "5 drafts" in str(screen.query_one("#review-heading").render())
        await pilot.press("down", "down", "down")
        await until(pilot, lambda: table.row_count == 5 and screen.current is not None
                    and screen.current.number == numbers[3], "the next page read, the fourth draft shown")
        assert table.subject_key == numbers[3]
        await pilot.press("v")  # the review of the draft under the cursor, read on the second page
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog), "the decision dialog")
        assert numbers[3] in screen_text(app)
        await pilot.press(*"ok", "enter")
        await until(pilot, lambda: app.screen is screen and table.total == 4, "the reviewed draft off the list")
        with stocked.reading() as uow:
            assert get_request(numbers[3], uow=uow).state == "pm_reviewed"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ReviewScreen), "back home")
        app.push_screen(ReviewScreen(select=numbers[4]))  # the fourth of the four left: past the first page
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None
                    and app.screen.current.number == numbers[4], "the draft asked for read to and shown")
        assert app.screen.query_one(DraftsTable).subject_key == numbers[4]
