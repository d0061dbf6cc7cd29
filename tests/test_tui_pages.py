"""The Pages mixin's own rules (screens.widgets.tables), on a bare table: a page read after the table was filled
again is dropped and asked for again from where the rows end, and a row sought past the rows read is read on to."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from screens.widgets.tables import Column, Pages, SubjectTable


class PagedTable(Pages, SubjectTable):
    """A paged table of one column."""

    PAGE = 4


class PagesApp(App[None]):
    """One paged table; the pages it asks for are noted, not read."""

    def __init__(self) -> None:
        """No page asked for yet."""
        super().__init__()
        self.wanted: list[int] = []

    def compose(self) -> ComposeResult:
        """The table."""
        yield PagedTable(id="paged")

    def on_mount(self) -> None:
        """Its column."""
        self.query_one(PagedTable).set_columns(Column("key", "Key", 10))

    def on_pages_wanted(self, event: Pages.Wanted) -> None:
        """Note the offset asked for."""
        self.wanted.append(event.offset)


def rows(first: int, last: int):
    """Rows r<first> to r<last - 1>."""
    return [(f"r{index}", (Text(f"r{index}"),)) for index in range(first, last)]


async def test_a_page_read_after_the_table_was_filled_again_is_dropped_and_asked_again():
    app = PagesApp()
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.fill_page(rows(0, 4), 10)
        table.focus()
        table.move_cursor(row=3)  # the last row read: the next page is asked for
        await pilot.pause()
        assert app.wanted == [4]
        table.fill_page(rows(0, 5), 10)  # filled again meanwhile (a refresh read as many as were shown, and one)
        assert table.page_read(4, rows(4, 8), 10) is False  # its rows no longer follow these: dropped
        assert table.row_count == 5
        table.move_cursor(row=4)
        await pilot.pause()
        assert app.wanted[-1] == 5  # asked again from where the rows end
        assert table.page_read(5, rows(5, 9), 10) is True and table.row_count == 9
        assert table.subject_key == "r4"  # rows only ever added under the cursor


async def test_a_row_sought_past_the_rows_read_is_read_on_to():
    app = PagesApp()
    async with app.run_test() as pilot:
        table = app.query_one(PagedTable)
        table.seek("r9")
        table.fill_page(rows(0, 4), 12)
        await pilot.pause()
        assert app.wanted == [4] and table.sought == "r9"
        table.page_read(4, rows(4, 8), 12)
        await pilot.pause()
        assert app.wanted == [4, 8]  # not there yet: the next page
        table.page_read(8, rows(8, 12), 12)
        await pilot.pause()
        assert table.subject_key == "r9" and table.sought is None
        table.seek("r99")  # no such row: read to the end, then given up
        table.fill_page(rows(0, 12), 12)
        assert table.sought is None and table.subject_key == "r9"
