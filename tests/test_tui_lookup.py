"""Part lookup and the part screen: search as you type, Chinese, the scanner, keyboard opening, paging."""

from __future__ import annotations

import csv

from textual.widgets import DataTable, Input

from core.roles import Role
from core.services.part_import import import_parts
from screens.home import HomeScreen
from screens.lookup import LookupScreen
from screens.part import PartScreen
from screens.widgets.tables import ResultsTable
from tests.helpers.tui import (
    BRAKE_PADS,
    SIZE,
    burst,
    make_app,
    polled,
    screen_text,
    settle,
    sign_in,
    until,
)


async def open_lookup(pilot) -> LookupScreen:
    """Sign in as the storekeeper and open part lookup with its key."""
    await sign_in(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LookupScreen)
    return pilot.app.screen


def result_keys(screen: LookupScreen) -> list[str]:
    """The part numbers in the results table, top to bottom."""
    table = screen.query_one(ResultsTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


async def test_typing_a_prefix_shows_the_matching_parts(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"965")
        await settle(pilot)
        assert result_keys(screen) == ["96536697", "96553450"]
        text = screen_text(app)
        assert "Front brake pad set" in text and "前刹车片" in text
        row = screen.query_one(ResultsTable).get_row_at(0)
        assert [cell.plain for cell in row] == ["96536697", "Front brake pad set", "前刹车片", "EXCELLE",
                                                "EXC-01-02-03", "19"]
        await pilot.press(*"53")  # 96553: one part left
        await settle(pilot)
        assert result_keys(screen) == ["96553450"]
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert result_keys(screen) == []


async def test_a_chinese_substring_finds_the_part(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"滤清")
        await settle(pilot)
        assert result_keys(screen) == ["96800106"]
        assert "机油滤清器" in screen_text(app)


async def test_a_name_substring_finds_parts_case_insensitively(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"HEADLAMP")
        await settle(pilot)
        assert sorted(result_keys(screen)) == ["13301204", "13301205"]


async def test_a_scanner_burst_opens_the_part_with_its_lots_oldest_first(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        await pilot.press(*BRAKE_PADS, "enter")  # no pause: a scanner types faster than any search
        await settle(pilot)
        assert isinstance(app.screen, PartScreen)
        assert app.screen.info.part_no == BRAKE_PADS
        lots = app.screen.query_one("#lots", DataTable)
        rows = [[cell.plain for cell in lots.get_row_at(i)] for i in range(lots.row_count)]
        # lot, location, received (local time; TZ=UTC in the tests), received qty, qty, unit cost, document
        assert [row[2] for row in rows] == ["2026-11-01 14:30", "2026-11-08 10:15", "2026-11-15 09:00"]
        assert [row[1] for row in rows] == ["EXC-01-02-03", "EXC-01-02-04", "EXC-01-02-03"]
        assert [row[3:6] for row in rows] == [["4", "3", "250.00"], ["6", "6", "260.00"], ["10", "10", "270.00"]]
        assert all(row[6].startswith("ADJ-") for row in rows)
        text = screen_text(app)
        assert "On hand: 19 set in 3 lots" in text  # the Chinese master's 套, in the desk's words
        assert "Front brake pad set  前刹车片" in text
        for fact in ("EXCELLE", "286.00", "EXC-01-02-03"):
            assert fact in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        # The field kept the number, selected, so the next scan replaces it.
        field = app.screen.query_one("#query", Input)
        assert app.screen.focused is field
        await pilot.press(*"96800106", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == "96800106"


async def test_a_scan_delivered_in_one_burst_opens_the_whole_number(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        await burst(pilot, *"96800106", "enter")
        assert isinstance(app.screen, PartScreen)
        assert app.screen.info.part_no == "96800106"


async def test_a_scan_while_the_results_have_the_focus_opens_the_scanned_part(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"headlamp")
        await settle(pilot)
        await pilot.press("down")
        assert screen.focused is screen.query_one(ResultsTable)
        await burst(pilot, *"96800106", "enter")  # not the headlamp under the cursor
        assert isinstance(app.screen, PartScreen)
        assert app.screen.info.part_no == "96800106"


async def test_ten_scans_in_a_row_each_open_their_part(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        for part_no in ["96536697", "96800106", "13301204", "95486621", "13250358"] * 2:
            await pilot.press(*part_no, "enter")
            await settle(pilot)
            assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == part_no
            await pilot.press("escape")
            await settle(pilot)


async def test_arrow_keys_and_enter_open_a_row(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"headlamp")
        await settle(pilot)
        keys = result_keys(screen)
        assert len(keys) == 2
        assert "↓ Results" in screen_text(app)  # the footer offers the way down
        await pilot.press("down")  # from the field into the results, first row
        assert screen.focused is screen.query_one(ResultsTable)
        # In the table, down moves the cursor: the footer no longer offers the way down once it has redrawn.
        await polled(pilot, lambda: "Results" not in screen_text(app), "the footer without '↓ Results'")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PartScreen)
        assert app.screen.info.part_no == keys[1]
        assert "yes, handle with care" in screen_text(app)  # headlamps are fragile
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("up", "up")  # up from the first row returns to the field
        assert screen.focused is screen.query_one("#query", Input)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_enter_on_a_name_with_one_match_opens_it_and_unknown_numbers_are_said(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"windscreen", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == "95486621"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+u", *"00000000", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "no part matches “00000000”" in screen_text(app)


async def test_a_part_without_location_says_so(stocked):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        await pilot.press(*"24258947", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "none: give it one before shelving" in text
        assert "On hand: 0 pc — no stock" in text


async def test_the_results_never_hold_more_rows_than_the_table_shows(db, staff, tmp_path):
    path = tmp_path / "bulk.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["part_no", "name", "model_series", "unit", "unit_price", "fragile", "location"])
        for n in range(500):
            writer.writerow([f"77{n:06d}", f"Bulk part {n}", "GENERAL", "pc", "1.00", "no", "GEN-02-01-01"])
    with db.writing() as uow:
        import_parts(path, actor=staff[Role.PLANNER], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        table = screen.query_one(ResultsTable)
        await pilot.press(*"77")
        await settle(pilot)
        shown = table.row_count
        assert 10 < shown < 500
        assert shown == table.content_region.height - table.header_height  # fills the table exactly
        assert table.max_scroll_y == 0
        assert f"first {shown} matches" in screen_text(app)
        # Every row on screen is a real row: the last part number drawn is the last row held.
        assert result_keys(screen)[-1] in screen_text(app)
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert table.row_count == table.content_region.height - table.header_height < shown
        assert table.max_scroll_y == 0
        await pilot.press(*"bulk")  # "77bulk": nothing
        await settle(pilot)
        assert table.row_count == 0


async def test_a_database_fault_in_search_is_said_and_the_desk_keeps_running(stocked, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr("screens.lookup.search_parts", broken)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lookup(pilot)
        await pilot.press(*"brake")
        await settle(pilot)
        assert "search failed: disk I/O error" in screen_text(app)
        await pilot.press("ctrl+u", *BRAKE_PADS, "enter")  # opening by number does not need the search
        await settle(pilot)
        assert isinstance(app.screen, PartScreen)
        assert screen.is_attached


async def test_a_part_read_after_sign_out_does_not_open_over_the_login(stocked, monkeypatch):
    import threading

    from core.services import stock as stock_service
    from screens.login import LoginScreen

    release = threading.Event()

    def slow_part_stock(*args, **kwargs):
        assert release.wait(10)
        return stock_service.part_stock(*args, **kwargs)

    monkeypatch.setattr("screens.lookup.part_stock", slow_part_stock)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(pilot)
        await pilot.press(*BRAKE_PADS, "enter")
        await pilot.press("f12")  # the operator walks away mid-read
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 1


# -- one lookup per sign-in, built before F2 -------------------------------------------------------------------


async def test_the_lookup_is_built_on_home_and_shown_again_empty_on_every_f2(stocked):
    """F2 shows the lookup home built beforehand (no screen built on the key), and each F2 opens it as a new one
    would: an empty field with the cursor in it, no results; a part opened from it still comes back to its query."""
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        kept = app._partsdesk_lookup
        assert isinstance(kept, LookupScreen) and kept.is_mounted and kept not in app.screen_stack
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is kept
        await pilot.press(*"965")
        await settle(pilot)
        assert result_keys(kept) == ["96536697", "96553450"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and kept.is_mounted  # kept, not removed
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is kept
        field = kept.query_one("#query", Input)
        assert field.value == "" and kept.focused is field
        assert result_keys(kept) == [] and "type to search" in screen_text(app)
        await pilot.press(*"headlamp")  # and it searches as before
        await settle(pilot)
        assert result_keys(kept)


async def test_another_operator_gets_a_lookup_of_their_own(stocked):
    """Signed out and in again: a new lookup (the operator's own, in their language); the old one is gone."""
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first = app._partsdesk_lookup
        await pilot.press("f2", *"965")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await sign_in(pilot, Role.PLANNER)
        second = app._partsdesk_lookup
        assert second is not first and not first.is_attached
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is second and second.query_one("#query", Input).value == ""


async def test_a_lookup_taken_down_still_answers_its_footer(stocked):
    """Signed out, the kept lookup is removed child by child, and its footer may ask for its keys in between
    (seen in CI under load): the lookup answers without its results table instead of ending the desk."""
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        kept = app._partsdesk_lookup
        await kept.query_one(ResultsTable).remove()  # as the removal of the screen leaves it, part way
        assert kept.check_action("results", ()) is True
        assert kept.active_bindings  # what the footer reads
        await pilot.press("f12")
        await settle(pilot)
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f6")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ReceivingScreen", "receiving opened")


async def test_a_dashboard_read_on_its_way_when_f2_leaves_home_is_dropped(stocked, monkeypatch):
    """Home's read still running when F2 opens the lookup is not shown on the hidden home (the lookup paints
    alone); home reads again when it shows."""
    import threading

    from core.services import todo
    from screens.dashboard import Dashboard

    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        board = app.screen.query_one(Dashboard)
        before = board.data
        assert before is not None
        started, release, reads = threading.Event(), threading.Event(), []
        real = todo.read_todo

        def held(*args, **kwargs):
            started.set()
            release.wait(10)
            reads.append(object())
            return real(*args, **kwargs)

        monkeypatch.setattr(todo, "read_todo", held)
        board.reload()
        while not started.is_set():
            await pilot.pause()
        await pilot.press("f2")
        while not isinstance(app.screen, LookupScreen):
            await pilot.pause()
        release.set()
        await settle(pilot)
        assert reads and board.data is before  # read, and dropped
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and board.data is not before  # read again on the way home
