"""The counter's printable slips as fixed-width text: the requisition (领料单) and the return slip (退料单).

For dot-matrix and receipt printers: Chinese characters take two columns (core.textwidth), so the
columns stay aligned whatever mix of Chinese and Latin a name holds. Each slip carries the repair
order, the vehicle, the parts with quantities and locations, and both signature lines.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from core.records.repair_orders import Person, RoHeader
from core.services.requisitions import RequisitionView
from core.services.returns import ReturnView
from core.textwidth import cell_width, columns, fit, wrap

WIDTH = 80
MIN_WIDTH = 64
# The table's columns: line, part number, name (takes what is left), location, quantity, unit cost, amount.
_FIXED = {"no": 3, "part_no": 12, "location": 12, "qty": 7, "unit_cost": 9, "amount": 10}
_ALIGNS = ["right", "left", "left", "left", "right", "right", "right"]


def table_widths(width: int = WIDTH) -> list[int]:
    """The widths of the slip table's columns for a slip `width` columns wide (separators are one space)."""
    name = width - sum(_FIXED.values()) - (len(_FIXED))
    return [_FIXED["no"], _FIXED["part_no"], name, _FIXED["location"], _FIXED["qty"], _FIXED["unit_cost"],
            _FIXED["amount"]]


def _row(values: list[str], width: int) -> str:
    return columns(values, table_widths(width), _ALIGNS)


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _names(name: str, name_zh: str | None) -> str:
    return f"{name_zh} {name}" if name_zh and name_zh != name else name


def _pair(left: str, right: str, width: int) -> str:
    """Two fields on one line: the first at the left margin, the second ending at the right one."""
    gap = width - cell_width(left) - cell_width(right)
    if gap < 2:
        return fit(left, width).rstrip() + "\n" + fit(right, width, "right")
    return left + " " * gap + right


def _head(title: str, number: str, ro: RoHeader, when_label: str, at: datetime, width: int) -> list[str]:
    return [
        "=" * width,
        fit(f"{title}  {number}", width, "center").rstrip(),
        "=" * width,
        _pair(f"{_('Repair order')} 任务委托书  {ro.ro_no}", f"{when_label}  {_when(at)}", width),
        fit(f"{_('Vehicle')} 车辆  {ro.vin}  {ro.plate}  {ro.series}  {ro.mileage} km", width).rstrip(),
        fit(f"{_('Customer')} 客户  {ro.customer_name}  {ro.customer_phone}", width).rstrip(),
    ]


def _table_head(width: int) -> list[str]:
    return [
        "-" * width,
        _row(["#", _("Part no"), _("Name"), _("Location"), _("Qty"), _("Unit cost"), _("Amount")], width),
        _row(["", "零件号", "名称", "库位", "数量", "单价", "金额"], width),
        "-" * width,
    ]


def _signatures(left_label: str, left: Person, right_label: str, right: Person, width: int) -> list[str]:
    return ["", _signature(left_label, left, width), "", _signature(right_label, right, width)]


def _signature(label: str, person: Person, width: int) -> str:
    """Who signed in the desk, and a line to sign on paper, ending at the right margin."""
    line = "_" * 16
    text = fit(f"{label}  {person.code} {person.name}", width - len(line) - 2).rstrip()
    return text + " " * (width - len(line) - cell_width(text)) + line


def _total(label: str, amount: Decimal, width: int) -> str:
    widths = table_widths(width)
    label_width = sum(widths[:-1]) + len(widths) - 2
    return fit(label, label_width, "right") + " " + fit(fmt_money(amount), widths[-1], "right")


def requisition_slip(view: RequisitionView, width: int = WIDTH) -> str:
    """The requisition slip: each line with the lots it was taken from, returns before settlement as
    negative lines, totals, and the storekeeper's and the mechanic's signatures."""
    width = max(width, MIN_WIDTH)
    out = _head(_("REQUISITION") + " 领料单", view.number, view.ro, _("Issued") + " 发料", view.issued_at, width)
    out += _table_head(width)
    for line in view.lines:
        names = _names(line.name, line.name_zh)
        for index, take in enumerate(line.takes):
            out.append(_row([
                str(line.line_no) if index == 0 else "", line.part_no if index == 0 else "",
                names if index == 0 else "", take.location, fmt_qty(take.qty), fmt_money(take.unit_cost),
                fmt_money(take.qty * take.unit_cost)], width))
        if len(line.takes) > 1:
            out.append(_row(["", "", "", _("line") + " 小计", fmt_qty(line.qty), "", fmt_money(line.cost)], width))
    for ret in view.returns:
        # A return before settlement: a negative line naming its return number; where it went is the location.
        out.append(_row(["R", ret.part_no, f"{ret.ret_no} 退料", ret.location, fmt_qty(-ret.qty),
                         fmt_money(ret.unit_cost), fmt_money(-ret.cost)], width))
        if ret.damaged:
            out += _note_rows(f"{_('damaged')} 损坏: {ret.note or ''}", width)
    out.append("-" * width)
    out.append(_total(_("Issued") + " 发料", view.cost, width))
    if view.returns:
        out.append(_total(_("Returned") + " 退料", -(view.cost - view.net_cost), width))
        out.append(_total(_("Net") + " 净额", view.net_cost, width))
    if view.return_slips:
        out.append(fit(_("Returned after settlement, on their own slips: {numbers}").format(
            numbers=", ".join(view.return_slips)), width).rstrip())
    out += _signatures(_("Issued by") + " 发料人", view.storekeeper, _("Received by") + " 领料人", view.mechanic,
                       width)
    return "\n".join(out) + "\n"


def _note_rows(note: str, width: int) -> list[str]:
    widths = table_widths(width)
    indent = widths[0] + widths[1] + 2
    return [" " * indent + piece for piece in wrap(note, width - indent)]


def return_slip(view: ReturnView, width: int = WIDTH) -> str:
    """The return slip: each part with the lot it came back into (or quarantine for a damaged one, with
    the note), the value, and the mechanic's and the storekeeper's signatures."""
    width = max(width, MIN_WIDTH)
    out = _head(_("RETURN SLIP") + " 退料单", view.number, view.ro, _("Returned") + " 退料", view.returned_at, width)
    out.append(fit(f"{_('Requisition')} 领料单  {view.requisition}", width).rstrip())
    if view.reason:
        out += wrap(f"{_('Reason')} 原因  {view.reason}", width)
    out += _table_head(width)
    for line in view.lines:
        condition = _("damaged") + " 损坏" if line.damaged else _("intact") + " 完好"
        out.append(_row([str(line.line_no), line.part_no, f"{_names(line.name, line.name_zh)}",
                         line.location, fmt_qty(line.qty), fmt_money(line.unit_cost), fmt_money(line.cost)], width))
        detail = f"{condition}, {_('lot')} {line.lot}"
        if line.damaged:
            detail += f" → {line.location}: {line.note or ''}"
        out += _note_rows(detail, width)
    out.append("-" * width)
    out.append(_total(_("Total") + " 合计", view.value, width))
    out += _signatures(_("Returned by") + " 退料人", view.mechanic, _("Taken back by") + " 收料人", view.storekeeper,
                       width)
    return "\n".join(out) + "\n"
