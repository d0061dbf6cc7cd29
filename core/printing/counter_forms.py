"""The papers of the counter as structured documents: the requisition (领料单), the return slip (退料单)
and the repair order (维修服务单 / 任务委托书)."""

from __future__ import annotations

from core.decimals import fmt_money, fmt_qty
from core.documents import REPAIR_ORDER, REQUISITION, RETURN
from core.i18n import _, pgettext
from core.labels import CHECKLIST, REPAIR_STATE, WARRANTY, label
from core.printing.model import (
    Block,
    Column,
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
from core.records.repair_orders import Person, RoHeader
from core.services.repair_orders import RepairOrderView, get_repair_order
from core.services.requisitions import get_requisition
from core.services.returns import get_return
from core.units import ReadUnit


def _who(person: Person | None) -> str:
    return f"{person.code} {person.name}" if person else "-"


def _vehicle(ro: RoHeader) -> tuple[tuple[str, str], ...]:
    return ((paper_words(_("Repair order"), "任务委托书"), ro.ro_no),
            (paper_words(_("Vehicle"), "车辆"), f"{ro.vin} {ro.plate} {ro.series} {ro.mileage} km"),
            (paper_words(_("Customer"), "客户"), f"{ro.customer_name} {ro.customer_phone}"))


def _slip_columns() -> tuple[Column, ...]:
    return (no_column(), part_no_column(), name_column(), location_column(), qty_column(_("Qty"), 7, "数量"),
            qty_column(_("Unit cost"), 9, "单价"), qty_column(_("Amount"), 10, "金额"))


# -- the requisition ---------------------------------------------------------------------------


def requisition_document(number: str, uow: ReadUnit) -> Document:
    """The requisition (领料单): each line with the lots it came from (and its subtotal over several lots),
    returns before settlement as negative lines, totals, and the storekeeper's and the mechanic's signatures."""
    view = get_requisition(number, uow=uow)
    rows: list[tuple[str, ...] | str] = []
    for line in view.lines:
        for index, take in enumerate(line.takes):
            first = index == 0
            rows.append((str(line.line_no) if first else "", line.part_no if first else "",
                         both_names(line.name, line.name_zh) if first else "", take.location, fmt_qty(take.qty),
                         fmt_money(take.unit_cost), fmt_money(take.qty * take.unit_cost)))
        if len(line.takes) > 1:
            rows.append(("", "", "", paper_words(_("line"), "小计"), fmt_qty(line.qty), "", fmt_money(line.cost)))
    for ret in view.returns:
        # A return before settlement: a negative line naming its return number; where it went is the location.
        rows.append(("R", ret.part_no, f"{ret.ret_no} 退料 {both_names(ret.name, ret.name_zh)}", ret.location,
                     fmt_qty(-ret.qty), fmt_money(ret.unit_cost), fmt_money(-ret.cost)))
        if ret.damaged:
            rows.append(f"{paper_words(_('damaged'), '损坏')}: {ret.note or ''}")
    totals = [(paper_words(_("Issued"), "发料"), fmt_money(view.cost))]
    if view.returns:
        totals += [(paper_words(_("Returned"), "退料"), fmt_money(view.net_cost - view.cost)),
                   (paper_words(_("Net"), "净额"), fmt_money(view.net_cost))]
    later = (Block(_("Returned after settlement, on their own slips"), view.return_slips),) if view.return_slips else ()
    return paper(
        REQUISITION,
        view.number,
        (
            (paper_words(_("Requisition"), "领料单"), view.number),
            (paper_words(_("Issued"), "发料"), when(view.issued_at)),
            *_vehicle(view.ro),
        ),
        _slip_columns(),
        tuple(rows),
        totals=tuple(totals),
        blocks=later,
        signatures=(
            f"{paper_words(_('Issued by'), '发料人')}: {_who(view.storekeeper)}",
            f"{paper_words(_('Received by'), '领料人')}: {_who(view.mechanic)}",
        ),
    )


# -- the return slip ---------------------------------------------------------------------------


def return_document(number: str, uow: ReadUnit) -> Document:
    """The return slip (退料单): each part with the lot it came back into, or quarantine for a damaged one."""
    view = get_return(number, uow=uow)
    rows: list[tuple[str, ...] | str] = []
    for line in view.lines:
        rows.append(
            (
                str(line.line_no),
                line.part_no,
                both_names(line.name, line.name_zh),
                line.location,
                fmt_qty(line.qty),
                fmt_money(line.unit_cost),
                fmt_money(line.cost),
            )
        )
        condition = paper_words(_("damaged"), "损坏") if line.damaged else paper_words(_("intact"), "完好")
        # A damaged part names the quarantine it went to and what is wrong with it.
        rows.append(
            f"{condition}, {_('lot')} {line.lot}" + (f" → {line.location}: {line.note or ''}" if line.damaged else "")
        )
    fields = [
        (paper_words(pgettext("slip_title", "Return"), "退料单"), view.number),
        (paper_words(_("Returned"), "退料"), when(view.returned_at)),
        (paper_words(_("Requisition"), "领料单"), view.requisition),
        *_vehicle(view.ro),
    ]
    if view.reason:
        fields.append((paper_words(_("Reason"), "原因"), view.reason))
    return paper(
        RETURN,
        view.number,
        tuple(fields),
        _slip_columns(),
        tuple(rows),
        totals=((paper_words(_("Total"), "合计"), fmt_money(view.value)),),
        signatures=(
            f"{paper_words(_('Returned by'), '退料人')}: {_who(view.mechanic)}",
            f"{paper_words(_('Taken back by'), '收料人')}: {_who(view.storekeeper)}",
        ),
    )


# -- the repair order --------------------------------------------------------------------------


def _ro_fields(v: RepairOrderView) -> tuple[tuple[str, str], ...]:
    fields = [
        (paper_words(_("Repair order"), "任务委托书"), v.ro_no),
        (paper_words(_("State"), "状态"), label(REPAIR_STATE, v.state)),
        (paper_words(_("Opened"), "接车"), f"{when(v.opened_at)} {_who(v.advisor)}"),
        (paper_words(_("Technician"), "维修技师"), _who(v.technician)),
        (paper_words(_("Customer"), "客户"), f"{v.customer_name} {v.customer_phone}"),
        (paper_words(_("Address"), "地址"), v.customer_address or "-"),
        (paper_words(_("VIN"), "车架号"), v.vin),
        (paper_words(_("Plate"), "车牌"), v.plate),
        (paper_words(_("Series"), "车型"), v.series),
        (paper_words(_("Mileage"), "里程"), f"{v.mileage} km"),
        (
            paper_words(_("Warranty"), "保修"),
            f"{label(WARRANTY, v.warranty)}: {v.warranty_reason}" if v.warranty else "-",
        ),
    ]
    if v.outside_repairer:
        fields.append(
            (paper_words(_("Sent out"), "外送维修"), f"{v.outside_repairer} {when(v.sent_out_at)} → {when(v.back_at)}")
        )
    if v.customer_confirmed_at:
        fields.append(
            (
                paper_words(_("Customer confirmed"), "客户确认"),
                f"{when(v.customer_confirmed_at)} {_who(v.customer_confirmed_by)}",
            )
        )
    if v.settled_at:
        fields.append((paper_words(_("Settled"), "结算"), f"{when(v.settled_at)} {_who(v.settled_by)}"))
    return tuple(fields)


def _ro_blocks(v: RepairOrderView) -> tuple[Block, ...]:
    blocks = [Block(paper_words(_("Complaint"), "故障描述"), (v.complaint,))]
    inspection = [v.inspection] if v.inspection else []
    inspection += [f"[{'x' if present else ' '}] {label(CHECKLIST, item)}" for item, present in v.checklist.items()]
    if inspection:
        blocks.append(Block(paper_words(_("Intake inspection"), "接车检查"), tuple(inspection)))
    if v.notes:
        blocks.append(
            Block(
                paper_words(_("Repair process record"), "产品维修过程记录"),
                tuple(f"{when(e.at)} {e.operator.code}: {e.text}" for e in v.notes),
            )
        )
    if v.reinspection:
        blocks.append(
            Block(
                paper_words(_("Re-inspection"), "复检"),
                (f"{when(v.reinspected_at)} {_who(v.reinspected_by)}: {v.reinspection}",),
            )
        )
    return tuple(blocks)


def repair_order_document(number: str, uow: ReadUnit) -> Document:
    """The repair service order (维修服务单): customer, vehicle, complaint, intake inspection, process record,
    the parts documents issued on it, and the advisor's, the technician's and the customer's signatures."""
    v = get_repair_order(number, uow=uow)
    kinds = {kind.name: kind.title() for kind in (REQUISITION, RETURN)}
    rows = tuple(
        (
            d.number,
            kinds.get(d.kind, d.kind),
            when(d.at),
            _who(d.mechanic),
            str(d.lines),
            fmt_money(d.value if d.kind == "requisition" else -d.value),
        )
        for d in v.documents
    )
    return paper(
        REPAIR_ORDER,
        v.ro_no,
        _ro_fields(v),
        (
            Column(_("Document"), 16, title_zh="单号"),
            Column(_("Kind"), 18, title_zh="类别"),
            Column(_("At"), 16, title_zh="时间"),
            Column(_("Mechanic"), 10, grow=True, title_zh="维修工"),
            qty_column(_("Lines"), 5, "行数"),
            qty_column(_("Value"), 10, "金额"),
        ),
        rows,
        totals=((paper_words(_("Parts"), "备件合计"), fmt_money(v.parts_cost)),),
        blocks=_ro_blocks(v),
        signatures=(
            paper_words(_("Service advisor"), "服务顾问"),
            paper_words(_("Technician"), "维修技师"),
            paper_words(_("Customer"), "客户"),
        ),
    )
