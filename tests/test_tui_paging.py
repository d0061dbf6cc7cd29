"""The TUI reads no more rows than it shows (issue 14): the services page and count in SQL in the order the whole
lists had; home's dashboard shows the counts and the first items with a key to the full list; the full list and
the receiving list read the next page when the cursor reaches the last row read, and the row highlighted after
paging is the row Enter acts on."""

from __future__ import annotations

import pytest

from core.roles import Role
from core.services import todo
from core.services.ordering import late_orders_page, transit_orders
from core.services.receiving import list_receipts, receipts_page
from core.services.shortages import list_shortages, shortages_page
from screens.dashboard import DashboardTable
from screens.receipt import ReceiptScreen
from screens.todo import TodoScreen
from screens.widgets.tables import Pages
from tests.helpers.planning import late_order, log_shortage, overdue_receipt, repair_order
from tests.helpers.receiving import open_receiving, open_sample
from tests.helpers.staff import FROZEN
from tests.helpers.tui import SIZE, make_app, screen_text, sign_in, until


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 4 rows and a dashboard of 3 items: a few documents are then more than a page."""
    monkeypatch.setattr(Pages, "PAGE", 4)
    monkeypatch.setattr(todo, "WINDOW", 3)


def test_the_pages_keep_the_order_of_the_whole_lists_and_count_them_all(stocked, staff, clock):
    ro = repair_order(stocked, staff)
    for minutes in (45, 5, 31, 12, 2):
        log_shortage(stocked, staff, clock, ro, minutes_ago=minutes)
    overdue_receipt(stocked, staff, clock)
    clock.advance(days=-1)
    open_sample(stocked, staff)  # yesterday's: late
    clock.advance(days=1)
    open_sample(stocked, staff)
    open_sample(stocked, staff)
    late_order(stocked, staff, clock)
    late_order(stocked, staff, clock)
    with stocked.reading() as uow:
        shortages = [s.number for s in list_shortages(uow=uow, open_only=True)]
        shortage_pages = [shortages_page(uow=uow, limit=2, offset=offset) for offset in (0, 2, 4)]
        urgent = {"overdue": 0, "late": 1, "today": 2}
        receipts = [r.number for r in sorted(list_receipts(uow=uow, open_only=True),
                                             key=lambda r: (urgent[r.timing], r.deadline))]
        newest = [r.number for r in list_receipts(uow=uow, open_only=True)]
        receipt_pages = [receipts_page(uow=uow, limit=3, offset=offset, most_urgent_first=True) for offset in (0, 3)]
        newest_page = receipts_page(uow=uow, limit=10)
        late = [o.number for o in transit_orders(uow=uow) if o.eta is not None and o.eta < clock.now()]
        order_pages = [late_orders_page(uow=uow, limit=1, offset=offset) for offset in (0, 1)]
    assert [s.number for page in shortage_pages for s in page.rows] == shortages
    assert shortage_pages[0].total == 5 and shortage_pages[0].open == 5 and shortage_pages[0].overdue == 2
    assert [r.number for page in receipt_pages for r in page.rows] == receipts
    assert (receipt_pages[0].total, receipt_pages[0].overdue, receipt_pages[0].late, receipt_pages[0].today) \
        == (4, 1, 1, 2)
    assert [r.number for r in newest_page.rows] == newest
    assert [o.number for page in order_pages for o in page.rows] == late and order_pages[0].total == 2


async def test_receiving_reads_a_page_and_the_next_as_the_cursor_reaches_its_end(stocked, staff, small_pages):
    newest_first = [open_sample(stocked, staff) for _ in range(10)][::-1]
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_receiving(pilot)
        table = screen.query_one("#receipts")
        await until(pilot, lambda: table.row_count == 4, "the first page")
        assert "10 receipts not posted yet" in screen_text(app)  # the count is of them all
        await pilot.press("down", "down", "down", "down")  # into the list, then to its last row read
        await until(pilot, lambda: table.row_count == 8, "the second page")
        assert table.cursor_row == 3 and table.subject_key == newest_first[3]  # the cursor stayed on its row
        await pilot.press("pagedown")
        await until(pilot, lambda: table.row_count == 10, "the last page")
        await pilot.press("up")
        chosen = table.subject_key
        assert chosen == newest_first[table.cursor_row]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReceiptScreen), "the receipt")
        assert app.screen.receipt.number == chosen


async def test_the_dashboard_shows_the_counts_and_the_first_items_and_a_key_lists_them_all(stocked, staff,
                                                                                           small_pages):
    newest_first = [open_sample(stocked, staff) for _ in range(9)][::-1]
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        board = app.screen.query_one(DashboardTable)
        await until(pilot, lambda: board.row_count == 3, "the dashboard's first items")
        text = screen_text(app)
        assert "receipts: 9 today's, 0 late" in text and "the first 3 of 9: a lists them all" in text
        assert "All to do" in text  # in the footer (and so in the palette)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, TodoScreen), "the full list")
        table = app.screen.query_one("#todo-items")
        await until(pilot, lambda: table.row_count == 4, "its first page")
        await pilot.press("down", "down", "down")  # the last row read
        await until(pilot, lambda: table.row_count == 8, "its second page")
        await pilot.press("down", "down", "down", "down")
        await until(pilot, lambda: table.row_count == 9, "its last page")
        await pilot.press("up")
        chosen = table.subject_key
        assert chosen == f"receipt:{newest_first[table.cursor_row]}"
        await pilot.press("enter")  # the storekeeper's receipt opens in receiving
        await until(pilot, lambda: isinstance(app.screen, ReceiptScreen), "the receipt")
        assert f"receipt:{app.screen.receipt.number}" == chosen


async def test_the_dashboard_counts_what_it_does_not_show(stocked, staff, clock, small_pages):
    ro = repair_order(stocked, staff)
    for minutes in (45, 31, 12, 2):
        log_shortage(stocked, staff, clock, ro, minutes_ago=minutes)
    overdue_receipt(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        board = app.screen.query_one(DashboardTable)
        await until(pilot, lambda: board.row_count == 3, "the dashboard's first items")
        assert [str(row.key.value).partition(":")[0] for row in board.ordered_rows] == ["shortage"] * 3
        text = screen_text(app)
        assert "shortages to answer: 4 (2 overdue)" in text and "receipts: 0 today's, 0 late (1 overdue)" in text


async def test_the_audit_trail_reads_a_page_and_the_next_as_the_cursor_reaches_its_end(db, staff, small_pages):
    from sqlalchemy import insert

    from core import tables as t
    from screens.audit import AuditScreen

    with db.engine.begin() as conn:
        before = conn.execute(t.audit_entry.select()).all()
        conn.execute(insert(t.audit_entry), [
            {"at": FROZEN, "operator": "ADMIN", "action": "setting_set", "subject": f"setting {n}", "new": str(n)}
            for n in range(10)])
    total = len(before) + 10
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f11")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen), "the audit trail")
        table = app.screen.query_one("#audit-list")
        await until(pilot, lambda: table.row_count == 4, "its first page")
        assert f"{total} rows, newest first" in screen_text(app)
        assert "setting 9" in screen_text(app)  # the newest on top
        await pilot.press("down", "down", "down")
        await until(pilot, lambda: table.row_count == 8, "its second page")
        assert table.cursor_row == 3
        assert [r.subject for r in app.screen.rows][-8:] == [f"setting {n}" for n in range(2, 10)]


async def test_the_shortages_page_and_one_asked_for_past_the_first_page_is_read_to(stocked, staff, clock, small_pages):
    from screens.shortages import ShortagesScreen

    ro = repair_order(stocked, staff)
    numbers = [log_shortage(stocked, staff, clock, ro, minutes_ago=60 - n) for n in range(10)]  # most urgent first
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, ShortagesScreen), "the shortages")
        screen = app.screen
        table = screen.query_one("#shortage-list")
        await until(pilot, lambda: table.row_count == 4, "their first page")
        assert "10 waiting for an answer" in screen_text(app)
        await pilot.press("down", "down", "down")
        await until(pilot, lambda: table.row_count == 8, "their second page")
        assert screen.highlighted().number == numbers[3]
        screen.select(numbers[9])  # as the to-do or a scan asks for it: past the rows read
        await until(pilot, lambda: screen.highlighted() is not None and screen.highlighted().number == numbers[9],
                    "the shortage asked for")
        assert table.row_count == 10
