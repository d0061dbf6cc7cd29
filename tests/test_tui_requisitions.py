"""The counter's two steps driven through Pilot (先单后料, 出入分离): the parts clerk scans a repair order's parts and
writes them as a requisition, which reserves them; the storekeeper picks it from the list of written requisitions,
the mechanic signs with his PIN, and it is issued; a written one is cancelled after a yes."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from core.roles import Role
from core.services import settings, stock
from core.services.written_requisitions import get_written
from screens.counter import CounterScreen
from screens.counter_written import WrittenPicker
from screens.print_preview import PrintPreviewScreen
from screens.widgets.dialogs import SignDialog, YesNoDialog
from tests.helpers import assert_books_agree
from tests.helpers.counter import order_in
from tests.helpers.tui import BRAKE_PADS, SIZE, burst, make_app, screen_text, settle, sign_in, stock_samples, until


@pytest.fixture
def station(db, staff, clock):
    """The sample stock, the station's separate_issue on (as it comes), and a repair order in repair for MECH1."""
    stock_samples(db, staff, clock)
    with db.writing() as uow:
        settings.set_setting("separate_issue", "on", actor=staff[Role.ADMIN], uow=uow)
    return db, order_in(db, staff, "in_repair")


async def counter_as(pilot, role: Role) -> CounterScreen:
    await sign_in(pilot, role)
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CounterScreen)
    return pilot.app.screen


def reserved(database) -> tuple:
    with database.reading() as uow:
        held = stock.part_stock(BRAKE_PADS, uow=uow)
    return held.reserved, held.available


async def test_the_clerk_writes_and_the_storekeeper_issues_with_the_mechanics_pin(station):
    database, ro = station
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await counter_as(pilot, Role.PARTS_CLERK)
        await burst(pilot, *ro, "enter", *BRAKE_PADS, "*", "2", "enter")
        await until(pilot, lambda: screen.order is not None and all(line.stock for line in screen.draft.values()),
                    "the order and the part read")
        assert not screen.check_action("issue", ())  # the clerk writes; he does not issue
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "REQ-2026-000001 written for" in screen_text(app), "the requisition written")
        assert screen.draft == {} and [w.number for w in screen.written] == ["REQ-2026-000001"]
        assert "written, to issue 待发料" in screen_text(app) and "written by CLERK1" in screen_text(app)
        await pilot.press("f12")
        await settle(pilot)
    assert reserved(database) == (2, 17)

    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await counter_as(pilot, Role.STOREKEEPER)
        assert not screen.check_action("write", ())
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, WrittenPicker), "the list of written requisitions")
        assert "REQ-2026-000001" in screen_text(app) and "CLERK1" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen and screen.order is not None and screen.written,
                    "the order opened with its written requisition")
        assert screen.query_one("#ro", Input).value == ro
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, SignDialog), "the mechanic's signature")
        assert app.screen.query_one("#sign-code", Input).value == "MECH1"
        await burst(pilot, *"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen) and bool(app.screen.text),
                    "the issued slip")
        assert "REQ-2026-000001" in screen_text(app)
    assert reserved(database) == (0, 17)
    with database.reading() as uow:
        assert get_written("REQ-2026-000001", uow=uow).state == "issued"
    assert_books_agree(database)


async def test_a_written_requisition_is_cancelled_after_a_yes(station, staff):
    database, ro = station
    from core.services.written_requisitions import write_requisition

    with database.writing() as uow:
        write_requisition(ro, [(BRAKE_PADS, "3")], actor=staff[Role.PARTS_CLERK], uow=uow)
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await counter_as(pilot, Role.STOREKEEPER)
        await burst(pilot, *ro, "enter")
        await until(pilot, lambda: bool(screen.written), "the written requisition shown")
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
        await pilot.press("escape")  # no: nothing changes
        await until(pilot, lambda: app.screen is screen, "back at the counter")
        assert reserved(database) == (3, 16)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question again")
        await pilot.press("enter")
        await until(pilot, lambda: "REQ-2026-000001 cancelled" in screen_text(app), "the cancellation said")
        assert screen.written == ()
    assert reserved(database) == (0, 19)


async def test_the_advisor_sees_on_his_home_screen_the_parts_arrived_for_his_shortage(station, staff, tmp_path):
    from core.services import shortages
    from screens.dashboard import DashboardTable
    from tests.helpers.shipments import Line, receive_shipment

    database, ro = station
    with database.writing() as uow:
        number = shortages.log_shortage("96800106", "2", ro, actor=staff[Role.ADVISOR], uow=uow)
    receive_shipment(database, staff, tmp_path, [Line("96800106", 2)])
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        table = app.screen.query_one(DashboardTable)
        await until(pilot, lambda: table.row_count > 0, "the home screen's to-do")
        assert "parts arrived for your orders: 1" in screen_text(app)
        row = [cell.plain for cell in table.get_row("arrival:REQ-2026-000001")]
        assert row[:2] == ["Arrived 到货", number] and ro in row[2] and row[3] == "reserved on REQ-2026-000001"
