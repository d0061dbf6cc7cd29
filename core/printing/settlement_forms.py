"""The settlement slip (结算单) of a repair order: each part with its payer, unit price and amount, the totals by
payer, and the signatures; before settlement it shows the charges as they stand, marked as a draft."""

from __future__ import annotations

from core.decimals import fmt_money, fmt_qty
from core.documents import SETTLEMENT
from core.i18n import _
from core.labels import PAYER, label
from core.printing.model import (
    Block,
    Column,
    Document,
    both_names,
    name_column,
    no_column,
    paper,
    paper_words,
    part_no_column,
    qty_column,
    when,
)
from core.services.repair_orders import get_repair_order
from core.units import ReadUnit

PAYER_ZH = {"customer": "客户付费", "warranty": "保修索赔", "internal": "内部"}


def settlement_document(number: str, uow: ReadUnit) -> Document:
    """The settlement slip of repair order `number`: its parts by payer as settled (or as they stand, a draft)."""
    v = get_repair_order(number, uow=uow)
    charges = v.charges
    lines = charges.lines if charges is not None else ()
    rows = tuple(
        (str(index), x.part_no, both_names(x.name, x.name_zh), label(PAYER, x.payer), fmt_qty(x.qty),
         fmt_money(x.unit_price), fmt_money(x.amount))
        for index, x in enumerate(lines, start=1)
    )
    settled = f"{when(v.settled_at)} {v.settled_by.code} {v.settled_by.name}" if v.settled_at and v.settled_by \
        else paper_words(_("not settled: a draft"), "未结算")
    totals = tuple((paper_words(label(PAYER, payer), PAYER_ZH[payer]), fmt_money(amount))
                   for payer, amount in (charges.by_payer if charges is not None else ()))
    totals += ((paper_words(_("Total"), "合计"), fmt_money(charges.total if charges is not None else 0)),)
    warranty = [f"{x.part_no} {fmt_qty(x.qty)} × {fmt_money(x.unit_price)} = {fmt_money(x.amount)}"
                for x in lines if x.payer == "warranty"]
    blocks = (Block(paper_words(_("For the warranty claim"), "保修索赔"), tuple(warranty)),) if warranty else ()
    return paper(
        SETTLEMENT,
        v.ro_no,
        (
            (paper_words(_("Repair order"), "任务委托书"), v.ro_no),
            (paper_words(_("Settled"), "结算"), settled),
            (paper_words(_("Customer"), "客户"), f"{v.customer_name} {v.customer_phone}"),
            (paper_words(_("Vehicle"), "车辆"), f"{v.vin} {v.plate} {v.series} {v.mileage} km"),
        ),
        (no_column(), part_no_column(), name_column(), Column(_("Payer"), 10, title_zh="付费方"),
         qty_column(_("Qty"), 7, "数量"), qty_column(_("Unit price"), 9, "单价"), qty_column(_("Amount"), 10, "金额")),
        rows,
        totals=totals,
        blocks=blocks,
        signatures=(paper_words(_("Service advisor"), "服务顾问"), paper_words(_("Customer"), "客户")),
    )
