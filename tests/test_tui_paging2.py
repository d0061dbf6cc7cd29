"""The list screens that read every row before issue 14 read a page at a time: the transit list (orders expected
and not sent yet), ... Each service pages and counts in SQL in the order the whole list had; each screen reads the
next page when the cursor reaches the last row read, Enter (or a key) acts on the row highlighted after paging, and
a row asked for past the first page is read to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.roles import Role
from core.services import ordering, purchasing
from core.services.ordering import transit_orders, transit_page
from screens.transit import TransitScreen, TransitTable
from screens.widgets.tables import Pages
from tests.helpers.orders import sent_order
from tests.helpers.planning import PADS, late_order, repair_order
from tests.helpers.staff import make_staff
from tests.helpers.tui import SIZE, make_app, sign_in, stock_samples, until


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
