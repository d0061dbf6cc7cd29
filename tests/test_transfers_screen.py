"""The transfer notes list (receiving, ctrl+o) on one station (SQLite): every note newest first with its direction and
state by their labels, the highlighted one below with who entered and checked it and its lots, the next page read
as the cursor reaches the end. The incoming notes of a transfer between stations: tests/test_station_transfers.py."""

from __future__ import annotations

from core.roles import Role
from core.services import transfers
from screens.receiving import ReceivingScreen
from screens.transfers import TransfersScreen, TransfersTable
from tests.helpers.tui import BRAKE_PADS, make_app, sign_in, until

FROM, TO = "EXC-01-02-03", "EXC-01-02-04"


def _enter(database, staff, qty: str):
    with database.writing() as uow:
        return transfers.create_transfer(BRAKE_PADS, qty, from_location=FROM, to_location=TO,
                                         actor=staff[Role.STOREKEEPER], uow=uow)


async def _open_list(pilot):
    await sign_in(pilot, Role.STOREKEEPER)
    await pilot.press("f6")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReceivingScreen), "receiving")
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, TransfersScreen), "the transfer notes")


def _detail(app) -> str:
    return str(app.screen.query_one("#transfer-detail").render())


async def test_the_list_shows_each_note_and_the_highlighted_one_with_its_lots(stocked, staff):
    checked = _enter(stocked, staff, "4")
    with stocked.writing() as uow:
        transfers.check_transfer(checked.number, actor=staff[Role.CHECKER], uow=uow)
    waiting = _enter(stocked, staff, "1")
    app = make_app(stocked)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_list(pilot)
        screen = app.screen
        await until(pilot, lambda: screen.shown is not None and screen.shown.number == waiting.number,
                    "the newest note shown")
        table = screen.query_one(TransfersTable)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [waiting.number, checked.number]
        # On 80 columns the direction gives way (the note below says it), then who entered and checked.
        assert [str(cell) for cell in table.get_row(waiting.number)] == [waiting.number, BRAKE_PADS, "1", FROM, TO,
                                                                         "entered"]
        assert "within the station · entered" in _detail(app)
        assert "entered by STORE1" in _detail(app) and "lots:" not in _detail(app)
        await pilot.press("down")
        await until(pilot, lambda: screen.shown.number == checked.number, "the checked note shown")
        shown = _detail(app)
        assert "checked by CHECK1" in shown
        assert "lots: 3 at 250.00, received 2026-11-01" in shown and "1 at 270.00, received 2026-11-15" in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "receiving again")


async def test_the_next_page_is_read_as_the_cursor_reaches_the_end(stocked, staff, monkeypatch):
    monkeypatch.setattr(TransfersTable, "PAGE", 3)
    numbers = [_enter(stocked, staff, "1").number for _ in range(5)]
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_list(pilot)
        table = app.screen.query_one(TransfersTable)
        await until(pilot, lambda: table.row_count == 3, "the first page")
        for _ in range(3):
            await pilot.press("down")
        await until(pilot, lambda: table.row_count == 5, "the second page")
        assert [table.get_row_at(i)[0].plain for i in range(5)] == numbers[::-1]
