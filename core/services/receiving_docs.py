"""The papers of a receipt: the putaway list, the receipt list (入库清单), the discrepancy record
(验货异常现象记录表) and the claim (索赔单), as fixed-width text where Chinese counts double."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core import tables as t
from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from core.models import ReceiptState
from core.receiving_rules import Difference
from core.services.claims import ClaimInfo, get_claim
from core.services.receiving import ReceiptInfo, get_receipt
from core.textwidth import cell_width, columns, fit, wrap
from core.units import ReadUnit

DEFAULT_WIDTH = 80


@dataclass(frozen=True, slots=True)
class PutawayLine:
    """Where one accepted line goes, and how to shelve it first-in-first-out."""

    part_no: str
    name: str
    qty: Decimal
    location: str | None
    older: Decimal  # of the same part already in that bin, to go out first
    fragile: bool

    @property
    def instruction(self) -> str:
        """What the storekeeper does at the bin."""
        if self.location is None:
            return _("no location yet: give it one before shelving")
        if self.older > 0:
            return _("put behind or under the {older} already there: the old go out first").format(
                older=fmt_qty(self.older))
        return _("none of it in the bin: shelve it")


def putaway_list(number: str, *, uow: ReadUnit) -> list[PutawayLine]:
    """The accepted lines of a counted or posted receipt in walking order (by location), with the FIFO instruction."""
    receipt = get_receipt(number, uow=uow)
    lines = [line for line in receipt.lines if line.accepted]
    if not lines:
        return []
    with uow.read() as conn:
        statement = (
            select(t.part.c.part_no, t.location.c.code, func.sum(t.stock_lot.c.qty_remaining).label("qty"))
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.part.c.part_no.in_([line.part_no for line in lines]), t.stock_lot.c.qty_remaining > 0)
            .group_by(t.part.c.part_no, t.location.c.code)
        )
        if receipt.state == ReceiptState.POSTED:
            # After posting, this receipt's own lots are in the bin too; only the older ones count.
            statement = statement.where(t.stock_lot.c.doc_no.not_in([receipt.number, receipt.surplus_no or ""]))
        held = {(r.part_no, r.code): r.qty for r in conn.execute(statement)}
    result = [
        PutawayLine(line.part_no, line.name or line.description, line.accepted, line.location,
                    held.get((line.part_no, line.location), Decimal(0)), line.fragile)
        for line in lines
    ]
    return sorted(result, key=lambda p: (p.location or "~", p.part_no))


# -- text documents ----------------------------------------------------------------------------


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "-"


def title_lines(chinese: str, english: str, width: int) -> list[str]:
    """A document's bilingual title, centred, and its rule."""
    return [fit(f"{chinese}  {english}", width, "center").rstrip(), "=" * width]


def field_lines(items: list[tuple[str, str]], width: int) -> list[str]:
    """Label: value pairs, two to a line where they fit."""
    half = width // 2
    cells = [f"{label}: {value}" for label, value in items]
    lines = []
    for i in range(0, len(cells), 2):
        left, right = cells[i], cells[i + 1] if i + 1 < len(cells) else ""
        if right and cell_width(left) < half and cell_width(right) <= width - half:
            lines.append((fit(left, half) + right).rstrip())
        else:
            lines.extend(wrap(left, width))
            if right:
                lines.extend(wrap(right, width))
    return lines


def signature_lines(labels: list[str], width: int) -> list[str]:
    """Lines to sign on, two to a line on a wide printer."""
    per_line = 2 if width >= 60 else 1
    span = width // per_line
    lines = [""]
    for i in range(0, len(labels), per_line):
        lines.append("".join(fit(f"{label}: ________", span) for label in labels[i:i + per_line]).rstrip())
        lines.append("")
    return lines


def _line_table(receipt: ReceiptInfo, width: int) -> list[str]:
    name_width = max(10, width - 2 - 10 - 8 * 3 - 12 - 12 - 7)
    widths = [2, 10, name_width, 8, 8, 8, 12, 12]
    aligns = ["right", "left", "left", "right", "right", "right", "left", "left"]
    head = [_("#"), _("part no"), _("name"), _("expected"), _("counted"), _("accepted"), _("location"),
            _("result")]
    lines = [columns(head, widths, aligns), "-" * width]
    for line in receipt.lines:
        lines.append(columns([
            str(line.line_no), line.part_no, line.name or line.description, fmt_qty(line.expected),
            fmt_qty(line.counted) if line.counted is not None else "-",
            fmt_qty(line.accepted) if line.accepted is not None else "-", line.location or "-",
            difference_label(line.difference),
        ], widths, aligns))
    return lines


def difference_label(difference: str | None) -> str:
    """A difference (or claim kind) in English with the staff's word."""
    labels = {
        Difference.OK: _("ok"), Difference.SHORT: _("short 少发"), Difference.MISSING: _("missing 漏发"),
        Difference.OVER: _("over 多发"), Difference.WRONG_PART: _("wrong 错发"), Difference.DAMAGED: _("damaged 破损"),
    }
    return labels.get(difference, "-") if difference else "-"


def receipt_list_text(number: str, *, uow: ReadUnit, width: int = DEFAULT_WIDTH) -> str:
    """The receipt list (入库清单) to print, sign and send to finance with its attachments."""
    receipt = get_receipt(number, uow=uow)
    lines = title_lines("入库清单", _("RECEIPT LIST"), width)
    lines += field_lines([
        (_("Receipt"), receipt.number), (_("State"), receipt.state),
        (_("Shipment"), receipt.shipment_no or "-"), (_("Order"), receipt.order or "-"),
        (_("Supplier"), receipt.supplier or "-"), (_("Carrier"), receipt.carrier or "-"),
        (_("Arrived"), _when(receipt.arrived.at)), (_("Posted"), _when(receipt.posted.at if receipt.posted else None)),
        (_("Boxes"), f"{receipt.boxes_received if receipt.boxes_received is not None else '-'} / "
                     f"{receipt.boxes_expected}"),
        (_("Deadline"), _when(receipt.deadline) + (_(" OVERDUE") if receipt.overdue else "")),
    ], width)
    lines.append("")
    lines += _line_table(receipt, width)
    lines.append("-" * width)
    total = sum(((line.accepted or 0) * line.unit_price for line in receipt.lines), Decimal(0))
    lines.append(fit(_("Accepted, at packing list prices: {total}").format(total=fmt_money(total)), width, "right"))
    lines.append("")
    lines.append(_("Attachments 附件:"))
    lines.append("  " + _("packing list 装箱清单: {file} ({shipment})").format(
        file=receipt.packing_list, shipment=receipt.shipment_no or "-"))
    if receipt.discrepancy_no:
        lines.append("  " + _("discrepancy record 验货异常现象记录表: {number}").format(number=receipt.discrepancy_no))
    if receipt.surplus_no:
        lines.append("  " + _("surplus receipt 盈利入库: {number}").format(number=receipt.surplus_no))
    for claim in receipt.claims:
        lines.append("  " + _("claim 索赔单: {number} ({party} {code}, {amount})").format(
            number=claim.number, party=claim.party, code=claim.party_code, amount=fmt_money(claim.amount)))
    stamps = [(_("Received by 收货"), receipt.arrived), (_("Boxes checked by 验箱"), receipt.boxes_checked),
              (_("Counted by 清点 (1)"), receipt.counted), (_("Counted by 清点 (2)"), receipt.counted_second),
              (_("Posted by 记账"), receipt.posted)]
    lines.append("")
    for label, stamp in stamps:
        lines.append(f"{label}: {stamp.by if stamp else '-'}  {_when(stamp.at) if stamp else ''}".rstrip())
    lines += signature_lines(
        [_("Storekeeper 库管"), _("Planner 计划员"), _("Counter 清点人"), _("Finance 财务")], width
    )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def discrepancy_text(number: str, *, uow: ReadUnit, width: int = DEFAULT_WIDTH) -> str:
    """The discrepancy record (验货异常现象记录表): every line and box that differs from the packing list."""
    receipt = get_receipt(number, uow=uow)
    lines = title_lines("验货异常现象记录表", _("RECEIVING DISCREPANCY RECORD"), width)
    lines += field_lines([(_("Record"), receipt.discrepancy_no or _("(not posted)")), (_("Receipt"), receipt.number),
                     (_("Shipment"), receipt.shipment_no or "-"), (_("Supplier"), receipt.supplier or "-"),
                     (_("Carrier"), receipt.carrier or "-"), (_("Arrived"), _when(receipt.arrived.at))], width)
    lines.append("")
    if receipt.boxes_received is not None and receipt.boxes_received != receipt.boxes_expected:
        lines.append(_("Boxes: {received} arrived, {expected} on the packing list").format(
            received=receipt.boxes_received, expected=receipt.boxes_expected))
    for box in receipt.boxes:
        state = ", ".join(filter(None, [_("seal broken 封条破损") if box.seal_broken else "",
                                        _("box damaged 箱体破损") if box.damaged else ""]))
        lines.append(_("Box {box}: {state}").format(box=box.box_no, state=state))
    lines.append("")
    different = [line for line in receipt.lines if line.difference not in (None, Difference.OK)]
    if not different:
        lines.append(_("Every line agrees with the packing list."))
    widths = [12, max(10, width - 12 - 8 * 3 - 5 - 12), 8, 8, 8, 12]
    aligns = ["left", "left", "right", "right", "right", "left"]
    if different:
        lines.append(columns([_("part no"), _("name"), _("expected"), _("counted"), _("damaged"), _("result")],
                             widths, aligns))
        lines.append("-" * width)
    for line in different:
        lines.append(columns([line.part_no, line.name or line.description, fmt_qty(line.expected),
                              fmt_qty(line.counted or 0), fmt_qty(line.damaged), difference_label(line.difference)],
                             widths, aligns))
        if line.refused:
            lines.append("    " + _("refused, sent back: {note}").format(note=line.refusal_note or ""))
        if not line.known:
            lines.append("    " + _("not in the parts master"))
    lines += signature_lines([_("Storekeeper 库管"), _("Planner 计划员"), _("Carrier 承运人")], width)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def claim_text(number: str, *, uow: ReadUnit, width: int = DEFAULT_WIDTH) -> str:
    """The claim (索赔单) to send to the supplier or the carrier."""
    claim: ClaimInfo = get_claim(number, uow=uow)
    lines = title_lines("索赔单", _("CLAIM"), width)
    lines += field_lines([(_("Claim"), claim.number), (_("State"), claim.state), (_("Against"), f"{claim.party} "
                     f"{claim.party_code} {claim.party_name}".strip()), (_("Receipt"), claim.receipt),
                     (_("Shipment"), claim.shipment_no or "-"), (_("Raised"), _when(claim.created_at))], width)
    lines.append("")
    widths = [12, 12, 8, 10, 12, max(8, width - 12 - 12 - 8 - 10 - 12 - 5)]
    aligns = ["left", "left", "right", "right", "right", "left"]
    lines.append(columns([_("part no"), _("kind"), _("qty"), _("price"), _("amount"), _("note")], widths, aligns))
    lines.append("-" * width)
    for line in claim.lines:
        lines.append(columns([line.part_no, line.kind, fmt_qty(line.qty), fmt_money(line.unit_price),
                              fmt_money(line.amount), line.note or ""], widths, aligns))
    lines.append("-" * width)
    lines.append(fit(_("Total claimed: {amount}").format(amount=fmt_money(claim.amount)), width, "right"))
    if claim.settled_amount is not None:
        lines.append(fit(_("Settled: {amount}").format(amount=fmt_money(claim.settled_amount)), width, "right"))
    lines += signature_lines([_("Planner 计划员"), _("Parts manager 备件经理"), _("Finance 财务")], width)
    return "\n".join(line.rstrip() for line in lines) + "\n"
