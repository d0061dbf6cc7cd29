"""The slips of parts taken off a new vehicle (拆车入库单, VTK) and put back on it (恢复新车负入库单, VRS): the
VIN, each part's bin, units and cost, signed by the storekeeper and the parts manager."""

from __future__ import annotations

from core.decimals import fmt_money, fmt_qty
from core.documents import VEHICLE_RESTORE, VEHICLE_TAKE
from core.i18n import _
from core.printing.model import (
    Column,
    Document,
    both_names,
    location_column,
    paper,
    paper_words,
    part_no_column,
    qty_column,
    when,
)
from core.services.vehicles import slip
from core.units import ReadUnit


def vehicle_document(number: str, uow: ReadUnit) -> Document:
    """A take's or a restore's slip: the VIN, and per ledger row the bin, part, units, unit cost and value."""
    info = slip(number, uow=uow)
    columns = (location_column(), part_no_column(), Column(_("Name"), 16, grow=True, title_zh="名称"),
               qty_column(_("Qty"), 6, "数量"), qty_column(_("Unit cost"), 9, "单价"),
               qty_column(_("Amount"), 10, "金额"))
    rows = tuple((x.location, x.part_no, both_names(x.name, x.name_zh), fmt_qty(x.qty), fmt_money(x.unit_cost),
                  fmt_money(x.qty * x.unit_cost)) for x in info.lines)
    fields = ((paper_words(_("Document"), "单号"), info.number), (paper_words(_("VIN"), "车架号"), info.vin),
              (_("Booked"), f"{when(info.at)} {info.operator}"))
    kind = VEHICLE_RESTORE if info.restore else VEHICLE_TAKE
    return paper(kind, info.number, fields, columns, rows, totals=((_("Amount"), fmt_money(info.value)),),
                 signatures=(_("Storekeeper 库管"), _("Parts manager 备件经理")))
