"""Tables for lists the operator moves through by keyboard, the one place that decides which of a table's
columns a narrow terminal shows (Column, fit_columns, FittingColumns), and paging a long list (Pages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

from core.i18n import N_, _
from screens import keys
from screens.widgets.focus import ForwardsKeys

# -- columns that fit the width ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A table column as a screen declares it: its key, title and width in cells, and how it yields to a narrow
    terminal.

    `min_width` makes it flexible (a name): it shrinks down to that first, cut with "…". `gives_way` says
    when it is hidden altogether if shrinking is not enough: 0 never while another can go; the highest number
    goes first, the rightmost of equals first. `width` 0: the column takes whatever room is left (at least
    `min_width`).
    """

    key: str
    title: str | Text
    width: int
    min_width: int | None = None
    gives_way: int = 0
    wrap: bool = False  # a flexible cell wraps onto more lines (rows of height None) instead of being cut

    def shown_title(self) -> str | Text:
        """The title in the active language: a screen may declare its columns at module level (marked with N_),
        so the title is translated when the table is laid out, never when the module is imported."""
        if isinstance(self.title, Text):
            shown = self.title.copy()
            shown.plain = _(self.title.plain)
            return shown
        return _(self.title)

    @property
    def flexible(self) -> bool:
        """Whether the column may be narrower than its width."""
        return self.min_width is not None and (self.width == 0 or self.min_width < self.width)


def fit_columns(columns: Sequence[Column], room: int, padding: int = 1,
                needs: Mapping[str, int] | None = None) -> dict[str, int]:
    """The columns that fit in `room` cells and each one's width, in the columns' order: the one place that
    decides which columns stay (`room` 0: not measured yet, every column at its width). `needs` are the cells a
    flexible column's title and rows take at most: room left over goes first to what they need."""
    widths = {c.key: c.width or (c.min_width or 1) for c in columns}
    if room <= 0:
        return widths
    shown = list(columns)

    def used() -> int:
        return sum(widths[c.key] + 2 * padding for c in shown)

    while True:
        for column in shown:  # squeeze the flexible ones to their least, then see
            if column.flexible:
                widths[column.key] = column.min_width or 1
        if used() <= room or len(shown) == 1:
            break
        # Hide the column that gives way first (the rightmost of equals).
        going = max(reversed(shown), key=lambda c: c.gives_way)
        shown.remove(going)
    # Give the room back to the flexible ones: first up to what their cells need, evenly, so that the short ones
    # are whole before a long one grows (no column cut while another keeps room its cells leave empty); then up
    # to their width, in proportion to what each lost; all of the rest to a column of width 0.
    needs = needs or {}
    capped = [c for c in shown if c.flexible and c.width]
    _even(widths, room - used(), {c.key: min(c.width, max(needs.get(c.key, c.width), c.min_width or 1))
                                  for c in capped})
    _share(widths, room - used(), {c.key: c.width for c in capped})
    spare = room - used()
    for column in shown:
        if column.flexible and not column.width and spare > 0:
            widths[column.key] += spare
            spare = 0
    return {c.key: widths[c.key] for c in columns if c in shown}


def _even(widths: dict[str, int], spare: int, wanted: Mapping[str, int]) -> None:
    """Widen the columns towards the widths `wanted`, `spare` cells shared evenly among those still short, so the
    least wanting are met first (what does not divide evenly, first come)."""
    lacking = {key: want - widths[key] for key, want in wanted.items() if want > widths[key]}
    while spare > 0 and lacking:
        share = max(1, spare // len(lacking))
        for key in list(lacking):
            grow = min(share, lacking[key], spare)
            widths[key] += grow
            spare -= grow
            lacking[key] -= grow
            if not lacking[key]:
                del lacking[key]


def _share(widths: dict[str, int], spare: int, wanted: Mapping[str, int]) -> None:
    """Widen the columns towards the widths `wanted`, `spare` cells shared in proportion to what each lacks
    (what rounding leaves, first come)."""
    lacking = {key: want - widths[key] for key, want in wanted.items() if want > widths[key]}
    owed = sum(lacking.values())
    if spare <= 0 or not owed:
        return
    grown = {key: min(lacks, spare * lacks // owed) for key, lacks in lacking.items()}
    for key, grow in grown.items():
        widths[key] += grow
    spare -= sum(grown.values())
    for key in lacking:
        grow = min(spare, wanted[key] - widths[key])
        widths[key] += grow
        spare -= grow


def _cells(content: Any) -> int:
    """The terminal cells a title or cell takes on one line (Chinese two each)."""
    return content.cell_len if isinstance(content, Text) else cell_len(str(content))


class FittingColumns:
    """Mixin for a DataTable: its columns are `Column`s and fit its width, hidden or squeezed as `fit_columns`
    decides, again on every resize; rows and cells are given for every column and the hidden ones are kept, so
    that a wider terminal shows them again. Flexible cells are cut with "…". Until `set_columns` is called the
    table is a plain DataTable.
    """

    _specs: tuple[Column, ...] = ()
    _fitted: dict[str, int] | None = None

    def set_columns(self, *columns: Column) -> None:
        """Declare the table's columns (its rows are cleared)."""
        self._specs: tuple[Column, ...] = columns
        self._full: dict[Any, tuple[dict[str, Any], int]] = {}
        self._fitted: dict[str, int] | None = None
        # What each flexible column's title and widest cell take: room goes there first (fit_columns). It only
        # grows while the columns stay, so the columns keep still as rows are read again or a search is retyped.
        self._needs: dict[str, int] = {c.key: _cells(c.shown_title()) for c in columns
                                       if c.flexible and c.width and not c.wrap}
        self._refit(force=True)

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns shown now."""
        return list(self._fitted or {})

    def _room(self) -> int:
        return self.scrollable_content_region.width if self.is_mounted else 0

    def _refit(self, force: bool = False) -> bool:
        """Work the widths out again; when they changed (or `force`), rebuild the table with them (True)."""
        widths = fit_columns(self._specs, self._room(), self.cell_padding, self._needs)
        if widths == self._fitted and not force:
            return False
        self._fitted = widths
        cursor = self.cursor_coordinate.row if self.row_count else 0
        rows = list(self._full.items())
        super().clear(columns=True)
        for column in self._specs:
            if column.key in widths:
                super().add_column(column.shown_title(), width=widths[column.key], key=column.key)
        for key, (cells, height) in rows:
            super().add_row(*self._shown(cells), height=height, key=key)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        return True

    def _shown(self, cells: dict[str, Any]) -> list[Any]:
        fitted = self._fitted or {}
        return [self._cell(column, cells.get(column.key)) for column in self._specs if column.key in fitted]

    @staticmethod
    def _cell(column: Column, cell: Any) -> Any:
        """A flexible column's cell is cut with "…" rather than mid-character."""
        if column.flexible and not column.wrap and cell is not None:
            cell = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            cell.no_wrap, cell.overflow = True, "ellipsis"
        return cell

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None) -> RowKey:
        """A row with a cell for every declared column, in their order (hidden ones kept for later)."""
        if not self._specs:
            return super().add_row(*cells, height=height, key=key, label=label)
        full = {column.key: cell for column, cell in zip(self._specs, cells, strict=False)}
        if key is None:  # kept rows need a key of their own to come back under after a refit
            self._unkeyed = getattr(self, "_unkeyed", 0) + 1
            key = f"row-{self._unkeyed}"
        row_key = super().add_row(*self._shown(full), height=height, key=key, label=label)
        self._full[row_key.value] = (full, height)
        if self._grew(full):
            self._refit()
        return row_key

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        """Change one cell (of a hidden column too: it shows when the table is wide again)."""
        if not self._specs:
            super().update_cell(row_key, column_key, value, update_width=update_width)
            return
        row = getattr(row_key, "value", row_key)
        column = getattr(column_key, "value", column_key)
        if row in self._full:
            self._full[row][0][column] = value
            if self._grew({column: value}) and self._refit():
                return  # rebuilt with the new value in it
        if column in (self._fitted or {}):
            spec = next(spec for spec in self._specs if spec.key == column)
            super().update_cell(row_key, column_key, self._cell(spec, value), update_width=update_width)

    def _grew(self, cells: Mapping[str, Any]) -> bool:
        """Note what these cells of flexible columns take; True when one of them needs more than any before it.
        The widths are then worked out again (`_refit`, which rebuilds only when they change), so that they
        depend on the width and the needs alone, never on whether the rows came before or after the last resize."""
        grew = False
        for key, need in self._needs.items():
            if (cell := cells.get(key)) is not None and (width := _cells(cell)) > need:
                self._needs[key] = width
                grew = True
        return grew

    def remove_row(self, row_key: Any) -> None:
        """Remove a row."""
        if self._specs:
            self._full.pop(getattr(row_key, "value", row_key), None)
        super().remove_row(row_key)

    def clear(self, columns: bool = False) -> Any:
        """Remove every row (the declared columns stay: `set_columns` declares others)."""
        if not self._specs:
            return super().clear(columns)
        self._full = {}
        return super().clear()

    def on_resize(self, event: events.Resize) -> None:
        """Another width: the columns fit it again."""
        if self._specs:
            self._refit()


class KeepsSubject:
    """For a row-cursor DataTable whose highlighted row is its screen's subject: the detail shown and the document
    the next key acts on are the row under the cursor, always.

    `reload(rows)` fills the table again with the cursor kept on the same document (by row key), or on the one
    asked for (a new document), and a highlight that a reload left behind (the first row's, while the cursor
    went on to the kept one) never reaches the screen: the screen hears only of the row the cursor is on.
    """

    @property
    def subject_key(self) -> str | None:
        """The key of the row under the cursor (None: the table is empty)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def reload(self, rows: Iterable[tuple[str, Sequence[Any]]], select: str | None = None) -> None:
        """Fill the table with `rows` (key, cells): the cursor on `select`, else on the row it was on, else
        at the same place (the row went: the next one)."""
        keep, at = select or self.subject_key, self.cursor_row
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not self.select(keep):
            self.move_cursor(row=min(max(at, 0), max(self.row_count - 1, 0)))

    def select(self, key: str | None) -> bool:
        """Put the cursor on the row of `key`; False when there is none."""
        if key is None:
            return False
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index)
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A highlight of a row the cursor has left already (a reload's first row) goes no further."""
        if event.row_key.value != self.subject_key:
            event.stop()


class Pages:
    """For a KeepsSubject table over a long list, read a page at a time: the screen fills it with the first page
    and the count of all (`fill_page`); when the cursor reaches the last row read (arrow, PageDown, End) while more
    wait, the table posts `Pages.Wanted` and the screen reads the next page and hands it over (`page_read`). Rows
    are only ever added under the cursor, so the highlighted row stays the row the next key acts on.

    A row asked for by its key (`seek`: from the to-do, a scan) further down than the rows read is read on to: the
    table asks for the next page (`Pages.Wanted` again) until the row is read, the cursor then on it, or no row is
    left.

    A Down pressed on the last row while its next page is being read is not lost: the cursor takes it once the
    page is added, as a storekeeper holding the key expects.

    Mixed in before the table class (it extends DataTable's cursor watcher and Down).
    """

    PAGE = 50  # rows a read adds: a few screens' worth

    class Wanted(Message):
        """The cursor reached the last row read and more wait: read `PAGE` rows from `offset`."""

        def __init__(self, table: Any, offset: int) -> None:
            """The table that wants its next rows, from row `offset`."""
            super().__init__()
            self.table = table
            self.offset = offset

        @property
        def control(self) -> Any:
            """The table (so a handler can be chosen by its id)."""
            return self.table

    _paged_total = 0
    _asked_at: int | None = None  # the offset asked for and not added yet: asked once
    _filling = False
    _sought: str | None = None  # the key of a row asked for and not read yet
    _downs_waiting = 0  # Downs pressed on the last row while the next page was being read

    @property
    def total(self) -> int:
        """How many rows the whole list has (the rows read are the first of them)."""
        return max(self._paged_total, self.row_count)

    @property
    def more(self) -> bool:
        """Whether rows past the last one read wait."""
        return self.row_count < self._paged_total

    @property
    def sought(self) -> str | None:
        """The key of the row asked for (`seek`) and not read yet, if any."""
        return self._sought

    def seek(self, key: str | None) -> None:
        """Put the cursor on the row of `key` once it is read, reading on to it (None: nothing asked for)."""
        self._sought = key

    def fill_page(self, rows: Iterable[tuple[str, Sequence[Any]]], total: int, select: str | None = None) -> None:
        """The first rows of the list (a reload reads as many as were shown, so the cursor keeps its row) and
        the count of all of them; the cursor on the row sought, else on `select`."""
        self._paged_total, self._filling, self._downs_waiting = total, True, 0
        try:  # the cursor moves as the rows go in: no page is asked for until they all are
            self.reload(rows, select=self._sought or select)
        finally:
            self._filling = False
        self._asked_at = None
        self._read_on()
        self._want_more()

    def page_read(self, offset: int, rows: Iterable[tuple[str, Sequence[Any]]], total: int) -> bool:
        """A page the screen read from `offset` for `Pages.Wanted`: added (True), or ignored when the table was
        filled again meanwhile (False; the page is asked for again from where the rows end). The screen keeps its
        own copy of the rows' documents only when True."""
        if self.row_count != offset:
            self.add_page(offset, (), total)
            return False
        self.add_page(offset, rows, total)
        return True

    def add_page(self, offset: int, rows: Iterable[tuple[str, Sequence[Any]]], total: int) -> None:
        """The rows from `offset` on, read after the cursor reached the end; ignored when the table was filled
        again meanwhile (its rows are no longer the ones they follow)."""
        if offset != self.row_count or self._asked_at != offset:
            if self._asked_at == offset:  # asked before a reload changed the rows: ask again from where they end
                self._asked_at = None
                self._want_more()
            return
        self._paged_total, self._asked_at = total, None
        for key, cells in rows:
            if key not in self.rows:  # a row that moved up a page between the reads is shown once
                self.add_row(*cells, key=key)
        downs, self._downs_waiting = self._downs_waiting, 0
        if downs and self._sought is None:
            self.move_cursor(row=min(self.cursor_row + downs, self.row_count - 1))
        self._read_on()
        self._want_more()

    def action_cursor_down(self) -> None:
        """Down a row; on the last row read while the next page is being read, the move waits for the page."""
        waiting = self._asked_at is not None and self.more
        if waiting and self.row_count and self.cursor_row >= self.row_count - 1:
            self._downs_waiting += 1
            return
        super().action_cursor_down()  # type: ignore[misc]

    def action_cursor_up(self) -> None:
        """Up a row; Downs still waiting for a page are dropped (the storekeeper turned back)."""
        self._downs_waiting = 0
        super().action_cursor_up()  # type: ignore[misc]

    def _read_on(self) -> None:
        """The row sought: the cursor on it once read, else the next page asked for while more rows wait."""
        if self._sought is None:
            return
        if self.select(self._sought) or not self.more:
            self._sought = None
            return
        if self._asked_at is None:  # asked here, not by the cursor
            self._asked_at = self.row_count
            self.post_message(self.Wanted(self, self.row_count))

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        """DataTable's cursor watcher, then the next page when the cursor is on the last row read."""
        super().watch_cursor_coordinate(old, new)
        self._want_more()

    def _want_more(self) -> None:
        at_end = self.row_count and self.cursor_row >= self.row_count - 1
        if at_end and self.more and self._asked_at is None and not self._filling:
            self._asked_at = self.row_count
            self.post_message(self.Wanted(self, self.row_count))


class SubjectTable(FittingColumns, KeepsSubject, DataTable):
    """A row-cursor list whose highlighted row is its screen's subject (KeepsSubject), zebra-striped, its columns
    fitting its width (FittingColumns)."""

    def __init__(self, **kwargs) -> None:
        """A table with a row cursor and zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)


class ResultsTable(FittingColumns, KeepsSubject, ForwardsKeys, DataTable):
    """A row-cursor table under a search field: Up on the first row, or typing, goes back to the field.

    A label scanned while the table has the focus therefore lands in the field and opens its part,
    instead of the row under the cursor.
    """

    # DataTable's own Enter, shown: the footer then says what Enter does on a row.
    BINDINGS = [Binding(keys.OPEN, "select_cursor", N_("Open"), id="open_row",
                        tooltip=N_("Open the row under the cursor"))]

    def __init__(self, **kwargs) -> None:
        """A table with a row cursor and zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)

    def on_key(self, event: events.Key) -> None:
        """Typing means searching again: the focus goes to the field (text selected, so the first character
        replaces it); ForwardsKeys (next in line) then passes this key and the rest of a burst on."""
        if event.is_printable and self.screen.focused is self:
            self.screen.focus_previous()

    def action_cursor_up(self) -> None:
        """Move up a row; on the first row, go back to the widget before (the search field)."""
        if self.cursor_row <= 0:
            self.screen.focus_previous()
            return
        super().action_cursor_up()

    @property
    def visible_rows(self) -> int:
        """How many rows fit under the header without scrolling."""
        header = self.header_height if self.show_header else 0
        return max(1, self.content_region.height - header)


class FittingTable(FittingColumns, DataTable):
    """A row-cursor table with zebra stripes whose columns fit its width (FittingColumns)."""

    def __init__(self, **kwargs) -> None:
        """A table with a row cursor and zebra stripes; other arguments as DataTable."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
