"""Demand per part: consumption history by cycle, the forecast (core/forecast.py) and the suggested order."""

from __future__ import annotations

from sqlalchemy import select

from core import tables as t
from core.codes import normalise_part_no
from core.errors import NotFound
from core.i18n import _
from core.records.demand import PartDemand, demand
from core.units import ReadUnit

QUARANTINE_ZONE = "QRN"  # damaged parts taken back: on the books, not for use


def part_demand(part_no: str, *, uow: ReadUnit, cycle: str | None = None) -> PartDemand:
    """One part's history, forecast and suggestion (the per-part view)."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        pid = conn.execute(select(t.part.c.id).where(t.part.c.part_no == normalised)).scalar()
        if pid is None:
            raise NotFound(_("unknown part number {part_no}").format(part_no=normalised or repr(part_no)))
        _cycle, _current, rows = demand(conn, cycle=cycle, part_id=pid)
    return rows[0]
