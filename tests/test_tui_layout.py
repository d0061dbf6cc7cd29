"""80 x 24 is a first-class size: the footer shows whole keys only and always the help key, the help (F1, ?) lists
every key of the screen with what it does, hidden or not, and the palette reaches every key the help lists."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from core.roles import Role
from screens import keys
from screens.commands import BindingCommands
from screens.help import KeysDialog, screen_keys
from screens.intake import IntakeScreen
from tests.helpers.counter import open_order
from tests.helpers.tui import make_app, polled, settle, sign_in

SMALL = (80, 24)


@pytest.fixture
def board(db, staff):
    """One repair order at intake: the advisor's board offers most of its keys."""
    open_order(db, staff)
    return db


async def open_board(pilot) -> IntakeScreen:
    """Sign in as the advisor and open the repair-order board."""
    await sign_in(pilot, Role.ADVISOR)
    await pilot.press(keys.REPAIR_ORDERS)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    return screen


def footer_keys(screen) -> dict[str, object]:
    """The footer's keys by key, with their regions."""
    return {key.key: key for key in screen.query("FooterKey")}


async def test_the_footer_shows_whole_keys_and_the_help_key_at_80_columns(board):
    app = make_app(board)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_board(pilot)
        await pilot.pause()
        shown = footer_keys(screen)
        width = screen.size.width
        palette = shown[keys.PALETTE]
        for key, widget in shown.items():
            assert widget.region.right <= width, f"{key} runs past the edge"
            if key != keys.PALETTE:
                assert widget.region.right <= palette.region.x, f"{key} under the palette's key"
        assert keys.HELP in shown
        listed = {entry.description for entry in screen_keys(screen)}
        in_footer = {widget.description for widget in shown.values()}
        assert listed - in_footer, "at 80 columns some keys must give way to the help"


async def test_f1_lists_every_key_of_the_screen_the_footer_has_no_room_for_included(board):
    app = make_app(board)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_board(pilot)
        expected = screen_keys(screen)
        hidden = {entry.description for entry in expected} - {w.description for w in footer_keys(screen).values()}
        await pilot.press(keys.HELP)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, KeysDialog)
        table = dialog.query_one("#keys-list", DataTable)
        rows = [str(table.get_row_at(index)[1]) for index in range(table.row_count)]
        assert rows == [entry.description for entry in expected]
        assert hidden <= set(rows)
        for description in ("New", "Tech", "Note", "Print", "Sign out", "Quit", "Keys"):
            assert description in rows, description
        await pilot.press(keys.BACK)
        await settle(pilot)
        assert app.screen is screen


async def test_question_mark_opens_the_help_where_no_field_has_the_focus(board):
    app = make_app(board)
    async with app.run_test(size=SMALL) as pilot:
        await open_board(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysDialog)


async def test_the_palette_reaches_every_key_the_help_lists(board):
    app = make_app(board)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_board(pilot)
        provider = BindingCommands(screen)
        titles = {title for title, _help, _callback in provider._commands()}
        for entry in screen_keys(screen):
            if entry.enabled and entry.description not in ("Keys",):
                assert any(entry.description in title for title in titles), entry.description


# -- columns that fit -------------------------------------------------------------------------------------------


def test_fit_columns_squeezes_names_first_then_hides_what_gives_way_first():
    from screens.widgets.tables import Column, fit_columns

    columns = [Column("no", "#", 3, gives_way=3), Column("part_no", "Part no", 12),
               Column("name", "Name", 40, min_width=12), Column("location", "Pick at", 13, gives_way=2),
               Column("on_hand", "On hand", 8), Column("qty", "Qty", 8), Column("note", "Note", 16, min_width=9,
                                                                                    gives_way=1)]
    wide = fit_columns(columns, 200)
    assert wide == {"no": 3, "part_no": 12, "name": 40, "location": 13, "on_hand": 8, "qty": 8, "note": 16}
    narrow = fit_columns(columns, 76)
    assert list(narrow) == ["part_no", "name", "location", "on_hand", "qty", "note"]
    assert narrow["name"] >= 12 and sum(width + 2 for width in narrow.values()) <= 76
    tiny = fit_columns(columns, 50)
    assert {"part_no", "on_hand", "qty"} <= set(tiny) and "no" not in tiny and "location" not in tiny
    assert fit_columns(columns, 0) == wide  # not measured yet: everything at its width


def test_a_column_of_width_0_takes_the_room_left():
    from screens.widgets.tables import Column, fit_columns

    columns = [Column("ro", "RO", 14), Column("customer", "Customer", 0, min_width=8)]
    assert fit_columns(columns, 60) == {"ro": 14, "customer": 60 - 16 - 2}


def test_room_left_goes_first_to_what_the_cells_need():
    from screens.widgets.tables import Column, fit_columns

    # The transfer list at 120 columns: the number is declared wide for an incoming note's station:TRF-…, but
    # its cells here take 15; the direction's "within the station" takes 18.
    columns = [Column("number", "Transfer", 30, min_width=15), Column("direction", "Direction", 20, min_width=8),
               Column("part_no", "Part no", 12), Column("source", "From", 26, min_width=12)]
    room = 15 + 8 + 12 + 12 + 8 + 4 * 2  # every flexible one at its least, and 8 cells to spare
    by_loss = fit_columns(columns, room)
    assert by_loss["direction"] < 18  # shared by what each lost: the number takes room its cells leave empty
    by_need = fit_columns(columns, room, needs={"number": 15, "direction": 18, "source": 12})
    assert by_need == {"number": 15, "direction": 16, "part_no": 12, "source": 12}
    roomier = fit_columns(columns, room + 10, needs={"number": 15, "direction": 18, "source": 12})
    assert roomier["direction"] == 18 and roomier["number"] > 15  # needs met: the rest as before, by width
    assert sum(width + 2 for width in roomier.values()) == room + 10
    assert fit_columns(columns, room, needs={}) == by_loss  # no cells measured: as before


async def test_a_wider_cell_read_later_widens_its_column_and_the_cursor_keeps_its_row():
    from textual.app import App

    from screens.widgets.tables import Column, SubjectTable

    class Listing(App):
        def compose(self):
            yield SubjectTable()

    app = Listing()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(SubjectTable)
        table.set_columns(Column("no", "No", 20, min_width=6), Column("name", "Name", 40, min_width=8),
                          Column("qty", "Qty", 6))
        table.reload([("a", ("A-1", "brake pad", "1")), ("b", ("B-2", "oil filter", "2"))])
        await pilot.pause()
        name_width = table.columns["name"].width
        assert name_width >= len("oil filter") and table.columns["no"].width < 20
        table.move_cursor(row=1)
        table.add_row("C-3", "front bumper assembly, left", "3", key="c")  # a later page's row, wider
        await pilot.pause()
        assert table.columns["name"].width > name_width
        assert table.subject_key == "b"  # the row under the cursor is still the row acted on


async def test_the_counter_keeps_on_hand_qty_and_shortage_at_80x24(db, staff, clock):
    from screens.counter import CounterScreen
    from tests.helpers.counter import order_in
    from tests.helpers.tui import BRAKE_PADS, burst, screen_text, stock_samples

    stock_samples(db, staff, clock)
    ro = order_in(db, staff, "in_repair")
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        await pilot.press(keys.COUNTER)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await burst(pilot, *ro, "enter")
        await burst(pilot, *f"{BRAKE_PADS}*99", "enter")
        lines = screen.query_one("#lines")
        assert {"part_no", "name", "on_hand", "qty", "note"} <= set(lines.shown_columns)
        assert lines.virtual_size.width <= lines.scrollable_content_region.width  # nothing scrolled off the right
        text = screen_text(app)
        for words in ("On hand", "Qty", "short 80", "96536697"):
            assert words in text, text
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert "no" in lines.shown_columns  # wider again: the hidden column is back, its cells too
        assert "short 80" in screen_text(app)


async def test_the_repair_order_card_goes_under_the_list_at_80_columns(board):
    app = make_app(board)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_board(pilot)
        orders, card = screen.query_one("#orders-pane"), screen.query_one("#order-pane")
        assert card.region.y >= orders.region.bottom
        assert card.region.width >= 70
    app = make_app(board)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_board(pilot)
        orders, card = screen.query_one("#orders-pane"), screen.query_one("#order-pane")
        assert card.region.x >= orders.region.right  # side by side where there is room


async def test_the_receipt_keeps_difference_and_location_at_80x24_and_counts_show(db, staff, clock):
    from tests.helpers.receiving import BRAKE_PADS, boxes_checked, open_receipt_screen, open_sample, scan
    from tests.helpers.tui import screen_text, stock_samples

    stock_samples(db, staff, clock)
    number = boxes_checked(db, staff, open_sample(db, staff))
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await open_receipt_screen(pilot, number)
        await scan(pilot, *[BRAKE_PADS] * 3)
        lines = app.screen.query_one("#lines")
        assert {"part_no", "name", "expected", "counted", "difference", "location"} <= set(lines.shown_columns)
        assert lines.virtual_size.width <= lines.scrollable_content_region.width
        row = [str(cell) for cell in lines.get_row(BRAKE_PADS)]
        assert row[lines.shown_columns.index("counted")] == "3"  # a scan updates a fitted row's cells
        text = screen_text(app)
        for words in ("Difference", "Location", "EXC-01-02-03"):
            assert words in text, text


async def test_a_fitting_table_keeps_every_row_and_cell_through_a_resize():
    from textual.app import App, ComposeResult

    from screens.widgets.tables import Column, FittingTable

    class Sheet(App[None]):
        def compose(self) -> ComposeResult:
            yield FittingTable(id="sheet")

    app = Sheet()
    async with app.run_test(size=(120, 10)) as pilot:
        table = app.query_one(FittingTable)
        table.set_columns(Column("a", "A", 30), Column("b", "B", 30, gives_way=1), Column("c", "C", 30))
        for index in range(3):  # rows without keys of their own
            table.add_row(f"a{index}", f"b{index}", f"c{index}")
        await pilot.pause()
        assert table.shown_columns == ["a", "b", "c"]
        await pilot.resize_terminal(80, 10)
        await polled(pilot, lambda: table.shown_columns == ["a", "c"], "the B column giving way")
        assert table.row_count == 3
        table.update_cell(table.ordered_rows[1].key, "b", "b1 changed")  # a hidden cell, kept
        await pilot.resize_terminal(120, 10)
        await polled(pilot, lambda: table.shown_columns == ["a", "b", "c"], "the B column back")
        assert [[str(cell) for cell in table.get_row_at(i)] for i in range(3)] == [
            ["a0", "b0", "c0"], ["a1", "b1 changed", "c1"], ["a2", "b2", "c2"]]


async def test_home_at_80_columns_shows_part_lookup_first_then_its_own_keys(db, staff):
    """Home's footer at 80 x 24 keeps F2 (part lookup, the most used key) before everything else, then home's own
    keys (the to-do and the full list), whole, beside the help and the palette."""
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        screen = app.screen
        await pilot.pause()
        shown = footer_keys(screen)
        width = screen.size.width
        for key in (keys.LOOKUP, "d", "a", keys.HELP, keys.PALETTE):
            assert key in shown, key
            assert shown[key].region.right <= width, f"{key} runs past the edge"


async def test_a_cell_changed_to_a_longer_value_shows_it_when_the_widths_stay():
    from textual.app import App

    from screens.widgets.tables import Column, SubjectTable

    class Listing(App):
        def compose(self):
            yield SubjectTable()

    app = Listing()
    async with app.run_test(size=(120, 10)) as pilot:  # wide: every column at its width, none to change
        table = app.query_one(SubjectTable)
        table.set_columns(Column("no", "No", 8), Column("name", "Name", 30, min_width=8))
        table.reload([("a", ("A-1", "pad"))])
        await pilot.pause()
        table.update_cell("a", "name", "front brake pad set")  # a need grows; the widths do not change
        await pilot.pause()
        assert str(table.get_cell("a", "name")) == "front brake pad set"
