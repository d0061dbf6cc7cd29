"""The lines of a receipt as the count stands: expected, counted, damaged, to shelf and the difference in colour."""

from __future__ import annotations

from rich.text import Text

from core.decimals import fmt_qty
from core.i18n import N_, _
from core.labels import part_name
from screens.receipt_draft import DraftLine
from screens.receipt_view import BAD, CARE, CLAIM, difference_text
from screens.widgets.count import LinesTable
from screens.widgets.tables import Column, FittingColumns


def _right(title: str) -> Text:
    return Text(title, justify="right")


# The name takes what is left; on a narrow terminal the box, what goes to the shelf and the damaged give way
# before the difference and the location (screens.widgets.tables.fit_columns).
_COLUMNS = (
    Column("part_no", N_("Part no"), 12), Column("name", N_("Name"), 0, min_width=10),
    Column("boxes", N_("Box"), 5, gives_way=4), Column("expected", _right(N_("Expected")), 8),
    Column("counted", _right(N_("Counted")), 8), Column("damaged", _right(N_("Damaged")), 8, gives_way=2),
    Column("accepted", _right(N_("To shelf")), 8, gives_way=3), Column("difference", N_("Difference"), 12),
    Column("location", N_("Location"), 12, gives_way=1),
)


class ReceiptLines(FittingColumns, LinesTable):
    """One row per part, keyed by part number; the row under the cursor is the selected line."""

    def __init__(self, field: str, **kwargs) -> None:
        """Lines whose typing goes to the widget with id `field`."""
        super().__init__(field, **kwargs)
        self.live = False  # whether differences are shown (not before the box check)

    def fit(self, lines: list[DraftLine], width: int | None = None) -> None:
        """Declare the columns the first time and show the lines; after that they fit every width by themselves
        (`width` is no longer needed: FittingColumns measures the table)."""
        if not self._specs:
            self.set_columns(*_COLUMNS)
            self.show(lines)

    def show(self, lines: list[DraftLine]) -> None:
        """All the lines afresh, the same line selected as before."""
        if not self._specs:  # no columns yet: fit() shows them
            return
        selected = self.selected
        self.clear()
        for line in lines:
            self.add_row(*self._cells(line), key=line.part_no)
        if selected is not None and selected in self.rows:
            self.select(selected)

    def add_line(self, line: DraftLine) -> None:
        """A line that was not there (a part not on the list)."""
        self.add_row(*self._cells(line), key=line.part_no)

    def update_line(self, line: DraftLine) -> None:
        """Redraw one line's cells: a scan costs one row, whatever the length of the list."""
        for column, value in zip(_COLUMNS, self._cells(line), strict=True):
            self.update_cell(line.part_no, column.key, value)

    @property
    def selected(self) -> str | None:
        """The part number of the line under the cursor."""
        if not self.row_count:
            return None
        return self.ordered_rows[self.cursor_row].key.value

    def select(self, part_no: str) -> None:
        """Put the cursor on a part's line."""
        self.move_cursor(row=self.get_row_index(part_no))

    def move(self, delta: int) -> None:
        """Move the selection up or down, staying on the list."""
        if self.row_count:
            self.move_cursor(row=max(0, min(self.row_count - 1, self.cursor_row + delta)))

    def _cells(self, line: DraftLine) -> list[Text]:
        outcome = line.outcome() if self.live else None
        # Marks go before the name, so that a long name cut short never hides them.
        name = Text(overflow="ellipsis", no_wrap=True)
        for shown, mark, style in ((not line.on_list, _("not on list"), CLAIM),
                                   (line.on_list and not line.known, _("new part"), CLAIM),
                                   (line.refused, _("refused"), CLAIM),
                                   (line.fragile_damaged, _("broken at box check"), CLAIM),
                                   (line.on_list and line.fragile and not line.fragile_damaged, _("fragile"), CARE),
                                   # An old number is counted as shipped; the mark keeps it in sight past the scan.
                                   (bool(line.superseded_by), _("old → {new}").format(
                                       new=" ".join(line.superseded_by)), CARE)):
            if shown:
                name.append(f"[{mark}] ", style=style)
        name.append(part_name(line.name, line.name_zh) or (_("not in the parts master") if not line.known else ""),
                    style="italic" if not line.on_list else "")
        if line.counted is None:
            counted = Text("·", style="dim", justify="right")
        else:
            counted = Text(fmt_qty(line.counted), justify="right")
        damaged = Text(fmt_qty(line.damaged) if line.damaged else "", style=CLAIM, justify="right")
        accepted = Text(fmt_qty(outcome.accepted) if outcome else "", justify="right")
        location = Text(line.location or (_("none") if line.on_list else ""), style="" if line.location else BAD)
        return [Text(line.part_no), name, Text(line.boxes), Text(fmt_qty(line.expected), justify="right"), counted,
                damaged, accepted, difference_text(outcome.difference.value if outcome else None), location]
