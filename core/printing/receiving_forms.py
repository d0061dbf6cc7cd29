"""The papers of receiving as structured documents: the receipt list (入库清单), the putaway list (上架清单),
the discrepancy record (验货异常现象记录表), the claim (索赔单) and the purchase order (采购订单)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core import tables as t
from core.decimals import fmt_money, fmt_qty
from core.documents import CLAIM, DISCREPANCY, ORDER, PUTAWAY, RECEIPT, normalise_number
from core.errors import NotFound
from core.i18n import _, pgettext
from core.labels import CLAIM_KIND, CLAIM_STATE, DIFFERENCE, ORDER_STATE, RECEIPT_STATE, label
from core.measures import totals_by_unit, unit_label
from core.printing.labels import part_details
from core.printing.model import (
    Block,
    Column,
    Document,
    both_names,
    location_column,
    name_column,
    no_column,
    paper,
    part_no_column,
    qty_column,
    when,
)
from core.receiving_rules import claim_against
from core.services.claims import get_claim
from core.services.purchasing import get_order
from core.services.receiving import ReceiptInfo, get_receipt, putaway_list
from core.units import ReadUnit


def difference_label(difference: str | None) -> str:
    """A difference of a counted line (少发, 漏发, ...), in the active language; a dash for none."""
    return label(DIFFERENCE, difference, "-")


def _party(code: str, name: str | None) -> str:
    """A supplier as a paper names it: its code and full name, the code once where it has no other name."""
    return f"{code} {name}" if name and name != code else code


def _names(part_nos: list[str], uow: ReadUnit) -> dict[str, str]:
    return {p: both_names(r.name, r.name_zh) for p, r in part_details(part_nos, uow=uow).items()}


# -- the receipt list --------------------------------------------------------------------------


def _receipt_fields(r: ReceiptInfo) -> tuple[tuple[str, str], ...]:
    return (
        (_("Receipt"), r.number), (_("State"), label(RECEIPT_STATE, r.state)), (_("Shipment"), r.shipment_no or "-"),
        (_("Order"), r.order or "-"), (_("Supplier"), r.supplier or "-"), (_("Carrier"), r.carrier or "-"),
        (_("Arrived"), when(r.arrived.at)), (_("Posted"), when(r.posted.at if r.posted else None)),
        (_("Boxes"), f"{r.boxes_received if r.boxes_received is not None else '-'} / {r.boxes_expected}"),
        (_("Deadline"), when(r.deadline) + (_(" OVERDUE") if r.overdue else "")),
    )


def _attachments(r: ReceiptInfo) -> Block:
    lines = [_("packing list 装箱清单: {file} ({shipment})").format(file=r.packing_list, shipment=r.shipment_no or "-")]
    if r.discrepancy_no:
        lines.append(_("discrepancy record 验货异常现象记录表: {number}").format(number=r.discrepancy_no))
    if r.surplus_no:
        lines.append(_("surplus receipt 盈利入库: {number}").format(number=r.surplus_no))
    lines += [_("claim 索赔单: {number} ({party}, {amount})").format(
        number=c.number, party=claim_against(c.party, c.party_code), amount=fmt_money(c.amount)) for c in r.claims]
    if r.late_reason:  # 如遇特殊情况: the special reason a receipt posted after its day gave
        lines.append(_("posted late 特殊情况: {reason}").format(reason=r.late_reason))
    if r.invoice:
        lines.append(_("invoice 发票: {number}, {amount}; difference {difference}").format(
            number=r.invoice.number, amount=fmt_money(r.invoice.amount), difference=fmt_money(r.invoice_difference)))
    return Block(_("Attachments 附件"), tuple(lines))


def _steps(r: ReceiptInfo) -> Block:
    stamps = [(_("Received by 收货"), r.arrived), (_("Boxes checked by 验箱"), r.boxes_checked),
              (_("Counted by 清点 (1)"), r.counted), (_("Counted by 清点 (2)"), r.counted_second),
              (_("Posted by 记账"), r.posted)]
    return Block(_("Steps 经办"), tuple(f"{step}: {s.by} {when(s.at)}" if s else f"{step}: -" for step, s in stamps))


def receipt_document(number: str, uow: ReadUnit) -> Document:
    """The receipt list (入库清单): every line as expected, counted and accepted, its attachments and steps."""
    r = get_receipt(number, uow=uow)
    names = _names([line.part_no for line in r.lines], uow)
    total = sum(((line.accepted or 0) * line.unit_price for line in r.lines), Decimal(0))
    # Quantities add up per unit only (never litres to pieces), a line each; money adds up across all.
    accepted = totals_by_unit([(line.unit, line.accepted) for line in r.lines if line.accepted])
    return paper(
        RECEIPT, r.number, _receipt_fields(r),
        (no_column(), part_no_column(), name_column(), qty_column(_("Expected"), 8, "应收"),
         qty_column(_("Counted"), 7, "实点"), qty_column(_("Accepted"), 8, "入库"), location_column(),
         Column(_("Result"), 13, title_zh="结果")),
        tuple((str(line.line_no), line.part_no, names.get(line.part_no, line.description), fmt_qty(line.expected),
               fmt_qty(line.counted) if line.counted is not None else "-",
               fmt_qty(line.accepted) if line.accepted is not None else "-", line.location or "-",
               difference_label(line.difference)) for line in r.lines),
        totals=tuple((_("Accepted, {unit}").format(unit=unit_label(unit) or "-"), fmt_qty(qty))
                     for unit, qty in accepted)
        + ((_("Accepted, at packing list prices"), fmt_money(total)),),
        blocks=(_attachments(r), _steps(r)),
        signatures=(_("Storekeeper 库管"), _("Planner 计划员"), _("Counter 清点人"), _("Finance 财务")),
    )


# -- the putaway list --------------------------------------------------------------------------


def putaway_document(number: str, uow: ReadUnit) -> Document:
    """The putaway list (上架清单): where each accepted line goes in walking order, with the FIFO instruction
    under it; it carries its receipt's number, which is what a scan of it should open."""
    r = get_receipt(number, uow=uow)
    lines = putaway_list(r.number, uow=uow)
    names = _names([line.part_no for line in lines], uow)
    rows: list[tuple[str, ...] | str] = []
    for line in lines:
        rows.append((line.location or "-", line.part_no, names.get(line.part_no, line.name), fmt_qty(line.qty),
                     fmt_qty(line.older), _("fragile 易损") if line.fragile else ""))
        rows.append(line.instruction)
        if line.superseded_note:  # shelved as shipped; the storekeeper knows it is an old number
            rows.append(line.superseded_note)
    return paper(
        PUTAWAY, r.number,
        ((_("Receipt"), r.number), (_("State"), label(RECEIPT_STATE, r.state)), (_("Shipment"), r.shipment_no or "-"),
         (_("Supplier"), r.supplier or "-"), (_("Arrived"), when(r.arrived.at)), (_("Lines"), str(len(lines)))),
        (location_column(), part_no_column(), name_column(), qty_column(_("Qty"), 7, "数量"),
         qty_column(_("In bin"), 8, "库存"),
         Column(_("Care"), 8, title_zh="注意")),
        tuple(rows),
        totals=tuple((_("To shelve, {unit}").format(unit=unit_label(unit) or "-"), fmt_qty(qty))
                     for unit, qty in totals_by_unit([(line.unit, line.qty) for line in lines])),
        blocks=(Block(_("First in, first out 先进先出"), (
            _("New goods go behind or under the old ones; the old go out first."),
            _("A part without a location gets one before it is shelved, and the system is updated."),
        ) if lines else (_("Nothing accepted yet: count the receipt first."),)),),
        signatures=(_("Shelved by 上架人"), _("Checked by 复核人")),
    )


# -- the discrepancy record --------------------------------------------------------------------


def receipt_of_discrepancy(number: str, uow: ReadUnit) -> str:
    """The receipt a discrepancy record (DSC-…) belongs to; a receipt number is taken as it is."""
    normalised = normalise_number(number)
    if not normalised.startswith(f"{DISCREPANCY.prefix}-"):
        return normalised
    with uow.read() as conn:
        found = conn.execute(select(t.receipt.c.number).where(t.receipt.c.discrepancy_no == normalised)).scalar()
    if found is None:
        raise NotFound(_("unknown discrepancy record {number}").format(number=normalised))
    return found


def _box_lines(r: ReceiptInfo) -> tuple[str, ...]:
    lines = []
    if r.boxes_received is not None and r.boxes_received != r.boxes_expected:
        lines.append(_("Boxes: {received} arrived, {expected} on the packing list").format(
            received=r.boxes_received, expected=r.boxes_expected))
    for box in r.boxes:
        state = ", ".join(filter(None, [_("seal broken 封条破损") if box.seal_broken else "",
                                        _("box damaged 箱体破损") if box.damaged else ""]))
        lines.append(_("Box {box}: {state}").format(box=box.box_no, state=state))
    return tuple(lines)


def discrepancy_document(number: str, uow: ReadUnit) -> Document:
    """The discrepancy record (验货异常现象记录表): the boxes and lines that differ from the packing list."""
    r = get_receipt(receipt_of_discrepancy(number, uow), uow=uow)
    different = [line for line in r.lines if line.difference not in (None, "ok")]
    names = _names([line.part_no for line in different], uow)
    rows: list[tuple[str, ...] | str] = []
    for line in different:
        rows.append((line.part_no, names.get(line.part_no, line.description), fmt_qty(line.expected),
                     fmt_qty(line.counted or 0), fmt_qty(line.damaged), difference_label(line.difference)))
        if line.refused:
            rows.append(_("refused, sent back: {note}").format(note=line.refusal_note or ""))
        if not line.known:
            rows.append(_("not in the parts master"))
    boxes = _box_lines(r)
    # An old number shipped is no difference (the maker sent it, it is received as such), but the record says it.
    superseded = tuple(line.superseded_note for line in r.lines if line.superseded_note)
    return paper(
        DISCREPANCY, r.discrepancy_no or r.number,
        ((pgettext("field", "Record"), r.discrepancy_no or _("(not posted)")), (_("Receipt"), r.number),
         (_("Shipment"), r.shipment_no or "-"), (_("Supplier"), r.supplier or "-"), (_("Carrier"), r.carrier or "-"),
         (_("Arrived"), when(r.arrived.at))),
        (part_no_column(), name_column(), qty_column(_("Expected"), 8, "应收"), qty_column(_("Counted"), 8, "实点"),
         qty_column(_("Damaged"), 8, "破损"),
         Column(_("Result"), 13, title_zh="结果")),
        tuple(rows),
        blocks=((Block(_("Boxes 箱况"), boxes),) if boxes else ())
        + (() if different else (Block(_("Lines"), (_("Every line agrees with the packing list."),)),))
        + ((Block(_("Superseded numbers 旧零件号"), superseded),) if superseded else ()),
        signatures=(_("Storekeeper 库管"), _("Planner 计划员"), _("Carrier 承运人")),
    )


# -- the claim ---------------------------------------------------------------------------------


def claim_document(number: str, uow: ReadUnit) -> Document:
    """The claim (索赔单) to send to the supplier or the carrier: each difference with its value."""
    claim = get_claim(number, uow=uow)
    names = _names([line.part_no for line in claim.lines], uow)
    rows: list[tuple[str, ...] | str] = []
    for line in claim.lines:
        rows.append((line.part_no, names.get(line.part_no, ""), label(CLAIM_KIND, line.kind, "-"), fmt_qty(line.qty),
                     fmt_money(line.unit_price), fmt_money(line.amount)))
        if line.note:
            rows.append(line.note)
    totals = [(_("Total claimed"), fmt_money(claim.amount))]
    if claim.settled_amount is not None:
        totals.append((_("Settled"), fmt_money(claim.settled_amount)))
    return paper(
        CLAIM, claim.number,
        ((_("Claim"), claim.number), (_("State"), label(CLAIM_STATE, claim.state)),
         (_("Against"), claim_against(claim.party, claim.party_code, claim.party_name)), (_("Receipt"), claim.receipt),
         (_("Shipment"), claim.shipment_no or "-"), (_("Raised"), when(claim.created_at))),
        (part_no_column(), name_column(), Column(_("Kind"), 13, title_zh="类别"), qty_column(_("Qty"), 7, "数量"),
         qty_column(_("Price"), 10, "单价"), qty_column(_("Amount"), 11, "金额")),
        tuple(rows), totals=tuple(totals),
        blocks=(Block(_("Note"), (claim.note,)),) if claim.note else (),
        signatures=(_("Planner 计划员"), _("Parts manager 备件经理"), _("Finance 财务")),
    )


# -- the purchase order ------------------------------------------------------------------------


def order_document(number: str, uow: ReadUnit) -> Document:
    """The purchase order (采购订单) as sent to the manufacturer and filed with finance."""
    order = get_order(number, uow=uow)
    names = _names([line.part_no for line in order.lines], uow)
    total = sum((line.ordered * line.unit_cost for line in order.lines), Decimal(0))
    return paper(
        ORDER, order.number,
        ((_("Order"), order.number), (_("State"), label(ORDER_STATE, order.state)),
         (_("Supplier"), _party(order.supplier, order.supplier_name)), (_("Created"), when(order.created_at)),
         (_("Created by"), order.created_by), (_("From draft"), order.source_doc or "-"),
         # Who approved and sent it (the procedure's 相关审核后，发往厂家), and what an urgent order is for.
         (_("Approved"), f"{when(order.approved_at)} {order.approved_by}" if order.approved_by else "-"),
         (_("Sent"), f"{when(order.sent_at)} {order.sent_by}" if order.sent_by else "-"),
         *(((_("Urgent order for"), ", ".join(order.serves)),) if order.urgent else ())),
        (no_column(), part_no_column(), name_column(), qty_column(_("Ordered"), 7, "订货"),
         qty_column(_("Received"), 8, "已到"), qty_column(pgettext("column", "Open"), 7, "未到"),
         qty_column(_("Unit cost"), 9, "单价"), qty_column(_("Amount"), 10, "金额")),
        tuple((str(line.line_no), line.part_no, names.get(line.part_no, line.name), fmt_qty(line.ordered),
               fmt_qty(line.received), fmt_qty(line.outstanding), fmt_money(line.unit_cost),
               fmt_money(line.ordered * line.unit_cost)) for line in order.lines),
        totals=((_("Order value"), fmt_money(total)),),
        signatures=(_("Planner 计划员"), _("Parts manager 备件经理"), _("Finance 财务")),
    )

