"""The delivery note of a counter sale (发货通知单) as a paper: the customer, each line at its price with the bins
its parts left from, the totals, and the signatures of who entered it, who checked it and the customer."""

from __future__ import annotations

from core.decimals import fmt_money, fmt_qty
from core.documents import SALE
from core.i18n import _
from core.labels import SALE_STATE, label
from core.printing.model import (
    Document,
    both_names,
    location_column,
    name_column,
    no_column,
    paper,
    paper_words,
    part_no_column,
    qty_column,
    when,
)
from core.services.sales import show_sale
from core.units import ReadUnit


def sale_document(number: str, uow: ReadUnit) -> Document:
    """The delivery note: a row per lot each line left from once checked (one per line before), its price and amount;
    the total, what came back and what is owed; the entering, the checking and the customer's signatures."""
    view = show_sale(number, uow=uow)
    columns = (no_column(), part_no_column(), name_column(), location_column(), qty_column(_("Qty"), 7, "数量"),
               qty_column(_("Unit price"), 10, "单价"), qty_column(_("Amount"), 10, "金额"))
    rows: list[tuple[str, ...] | str] = []
    for line in view.lines:
        first = (str(line.line_no), line.part_no, both_names(line.name, line.name_zh))
        if not line.takes:
            rows.append((*first, "", fmt_qty(line.qty), fmt_money(line.unit_price), fmt_money(line.amount)))
        for index, take in enumerate(line.takes):
            cells = first if index == 0 else ("", "", "")
            rows.append((*cells, take.location, fmt_qty(take.qty), fmt_money(line.unit_price),
                         fmt_money(take.qty * line.unit_price)))
        if line.returned:
            rows.append(f"{paper_words(_('returned'), '退货')}: {fmt_qty(line.returned)}")
    customer = " ".join(filter(None, [view.customer, view.phone]))
    fields = (
        (paper_words(_("Sale"), "销售订单"), view.number),
        (paper_words(_("Customer"), "客户"), customer),
        (paper_words(_("State"), "状态"), label(SALE_STATE, view.state)),
        (paper_words(_("Entered"), "开单"), f"{when(view.entered_at)} {view.entered_by.code}"),
        (paper_words(_("Checked"), "审核"),
         f"{when(view.checked_at)} {view.checked_by.code}" if view.checked_by else "-"),
    )
    totals = [(paper_words(_("Total"), "合计"), fmt_money(view.total))]
    if view.returned_value:
        totals += [(paper_words(_("Returned"), "退货"), fmt_money(-view.returned_value)),
                   (paper_words(_("Net"), "净额"), fmt_money(view.net))]
    if view.settled_amount is not None:
        totals.append((paper_words(_("Settled"), "已结算"), fmt_money(view.settled_amount)))
    if view.refund:
        totals.append((paper_words(_("Refund due"), "应退款"), fmt_money(view.refund)))
    return paper(SALE, view.number, fields, columns, tuple(rows), totals=tuple(totals), signatures=(
        f"{paper_words(_('Entered by'), '开单人')}: {view.entered_by.code} {view.entered_by.name}",
        f"{paper_words(_('Checked by'), '发货检验员')}: "
        + (f"{view.checked_by.code} {view.checked_by.name}" if view.checked_by else ""),
        paper_words(_("Customer"), "客户签收"),
    ))
