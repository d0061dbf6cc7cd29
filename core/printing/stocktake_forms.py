"""The stocktake report (盘点单) as a paper: each line's book, count, variance and value, who counted and who
approved. While the count is open it prints as the blind count sheet (no book, nothing to copy)."""

from __future__ import annotations

from core.decimals import fmt_money, fmt_qty
from core.documents import STOCKTAKE
from core.i18n import _
from core.labels import STOCKTAKE_STATE, label
from core.printing.model import Column, Document, both_names, location_column, paper, part_no_column, qty_column, when
from core.services.stocktake import counters_by_code, show
from core.units import ReadUnit


def stocktake_document(number: str, uow: ReadUnit) -> Document:
    """The stocktake report: book, counted, variance and value per part and bin; the blind sheet while open."""
    info = show(number, uow=uow)
    name = Column(_("Name"), 16, grow=True, title_zh="名称")
    if info.blind:
        columns = (location_column(), part_no_column(), name, qty_column(_("Counted"), 8, "实盘"))
        rows = tuple((x.location, x.part_no, both_names(x.name, x.name_zh), "") for x in info.lines)
    else:
        columns = (location_column(), part_no_column(), name, qty_column(_("Book"), 7, "账面"),
                   qty_column(_("Counted"), 7, "实盘"), qty_column(_("Variance"), 8, "差异"),
                   qty_column(_("Value"), 10, "金额"))
        rows = tuple((x.location, x.part_no, both_names(x.name, x.name_zh), fmt_qty(x.book), fmt_qty(x.counted),
                      fmt_qty(x.variance), fmt_money(x.value)) for x in info.lines)
    counted = ", ".join(f"{code} ({lines})" for code, lines in counters_by_code(info).items()) or "-"
    fields = (
        (_("Stocktake"), info.number), (_("State"), label(STOCKTAKE_STATE, info.state)),
        (_("Scope"), info.scope_text), (_("Opened"), f"{when(info.opened_at)} {info.opened_by}"),
        (_("Counted by"), counted),
        (_("Approved"), f"{when(info.approved_at)} {info.approved_by}" if info.approved_by else "-"),
        (_("Accountant"), f"{when(info.accountant_at)} {info.accountant_by}" if info.accountant_by else "-"),
    )
    totals = () if info.blind else ((_("Variance value"), fmt_money(info.variance_value)),
                                    (_("Absolute variance value"), fmt_money(info.variance_abs)))
    return paper(STOCKTAKE, info.number, fields, columns, rows, totals=totals,
                 signatures=(_("Counter 盘点人"), _("Second counter 复盘人"), _("Parts manager 备件经理"),
                             _("Finance 财务")))
