"""Reading a manufacturer's packing list (装箱清单) from CSV or XLSX, English or Chinese headers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core import tables as t
from core.codes import PART_NO_PATTERN, normalise_part_no
from core.decimals import check_value, parse_money, parse_qty
from core.errors import BadInput, ImportProblem, ImportRejected
from core.i18n import _, ngettext
from core.receiving_rules import MAX_LINE_QTY
from core.tabular import RowReader, map_columns, read_table

COLUMNS: dict[str, tuple[str, ...]] = {
    "shipment_no": ("shipment_no", "发运单号"),
    "box_no": ("box_no", "箱号"),
    "part_no": ("part_no", "零件号"),
    "description": ("description", "零件名称"),
    "qty": ("qty", "数量"),
    "unit_price": ("unit_price", "单价"),
}
REQUIRED = ("box_no", "part_no", "qty")
# Each text column's length in the database (a longer cell is a problem of its row).
LENGTHS = {"shipment_no": t.receipt.c.shipment_no.type.length,
           **{column: t.packing_list_row.c[column].type.length for column in ("box_no", "part_no", "description")}}


@dataclass(frozen=True, slots=True)
class PackingRow:
    """One valid row of a packing list."""

    row: int
    shipment_no: str
    box_no: str
    part_no: str
    description: str
    qty: Decimal
    unit_price: Decimal


def read_packing_list(path: str | Path) -> tuple[list[PackingRow], str]:
    """Every row of a packing list checked; any bad row refuses the whole file with every problem listed."""
    table = read_table(path)
    columns = map_columns(table.headers, COLUMNS, REQUIRED, _("the packing list"))
    rows: list[PackingRow] = []
    problems: list[ImportProblem] = []
    for number, cells in table.rows:
        row = RowReader(number, cells, columns, table.headers, decimal_comma=table.decimal_comma,
                        lengths=LENGTHS)
        part_no = normalise_part_no(row.cell("part_no"))
        if not part_no:
            row.problem("part_no", _("empty part number"))
        elif not PART_NO_PATTERN.match(part_no):
            row.problem("part_no", _("part number {part_no!r} holds characters no catalogue uses").format(
                part_no=part_no))
        if not row.cell("box_no"):
            row.problem("box_no", _("empty box number"))
        qty = row.decimal("qty", parse_qty, _("quantity"), default=None)
        if qty is not None and (qty <= 0 or qty > MAX_LINE_QTY):
            row.problem("qty", _("quantity {qty} is not a quantity a box holds").format(qty=row.cell("qty")))
        price = row.decimal("unit_price", parse_money, _("price"), default=Decimal(0))
        if price is not None and price < 0:
            row.problem("unit_price", _("negative price {price}").format(price=row.cell("unit_price")))
        elif price is not None and qty is not None:
            try:
                check_value(qty, price, _("the line's value"))
            except BadInput as exc:
                row.problem("unit_price", exc.message)
        if row.problems:
            problems.extend(row.problems)
            continue
        rows.append(PackingRow(number, row.cell("shipment_no"), row.cell("box_no"), part_no, row.cell("description"),
                               qty, price))
    name = Path(path).name
    if problems:
        raise ImportRejected(
            ngettext(
                "{file}: {count} problem, the packing list was not opened",
                "{file}: {count} problems, the packing list was not opened", len(problems),
            ).format(file=name, count=len(problems)),
            problems,
        )
    if not rows:
        raise BadInput(_("{file} is an empty packing list").format(file=name))
    return rows, table.encoding
