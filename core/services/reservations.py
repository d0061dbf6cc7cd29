"""Parts arrived for a shortage (缺件到货): the posted receipt that meets a shortage keeps those units for the
shortage's repair order, as a written requisition the storekeeper issues like any other, and the advisor sees it
on his home screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, or_, select

from core import tables as t
from core.counter_rules import RequisitionState
from core.documents import REQUISITION, next_number
from core.models import ShortageState
from core.repair_states import OPEN_STATES
from core.roles import Actor
from core.services.written_requisitions import insert_written
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class Arrival:
    """Units arrived for a shortage and kept for its repair order: what the advisor is told."""

    requisition: str
    shortage: str
    ro_no: str
    part_no: str
    name: str
    name_zh: str | None
    qty: Decimal
    at: datetime


def reserve_arrivals(conn: Connection, receipt_no: str, *, actor: Actor, at: datetime) -> list[str]:
    """For every shortage receipt `receipt_no` has just fulfilled whose repair order is still open, write a
    requisition of the shortage's part and quantity for that order (the receipt's poster its writer), so that the
    units cannot go to another order; inside the receipt's transaction. Returns the requisition numbers."""
    rows = conn.execute(
        select(t.shortage.c.id, t.shortage.c.part_id, t.shortage.c.qty, t.shortage.c.repair_order_id)
        .join(t.repair_order, t.repair_order.c.id == t.shortage.c.repair_order_id)
        .where(t.shortage.c.fulfilled_by_doc == receipt_no, t.shortage.c.state == ShortageState.FULFILLED.value,
               t.repair_order.c.state.in_([s.value for s in OPEN_STATES]))
        .order_by(t.shortage.c.id)
    ).all()
    numbers = []
    for row in rows:
        # The receipt's own units: they arrive in this transaction, so no availability is checked against them.
        number = next_number(conn, REQUISITION.prefix, at)
        insert_written(conn, number, row.repair_order_id, [(row.part_id, row.qty)], writer_id=actor.id, at=at,
                       shortage_id=row.id)
        numbers.append(number)
    return numbers


def arrivals_for(actor: Actor, *, uow: ReadUnit) -> list[Arrival]:
    """Units kept for the operator's open repair orders or shortages (he is the order's advisor or signed the
    shortage), still waiting to be issued, oldest first."""
    written, line = t.written_requisition, t.written_requisition_line
    with uow.read() as conn:
        rows = conn.execute(
            select(written.c.req_no, t.shortage.c.number, t.repair_order.c.ro_no, t.part.c.part_no, t.part.c.name,
                   t.part.c.name_zh, line.c.qty, written.c.written_at)
            .join(t.shortage, t.shortage.c.id == written.c.shortage_id)
            .join(t.repair_order, t.repair_order.c.id == written.c.repair_order_id)
            .join(line, line.c.written_id == written.c.id)
            .join(t.part, t.part.c.id == line.c.part_id)
            .where(written.c.state == RequisitionState.WRITTEN.value,
                   t.repair_order.c.state.in_([s.value for s in OPEN_STATES]),
                   or_(t.repair_order.c.advisor_id == actor.id, t.shortage.c.logged_by == actor.id))
            .order_by(written.c.written_at, written.c.id)
        ).all()
    return [Arrival(r.req_no, r.number, r.ro_no, r.part_no, r.name, r.name_zh, r.qty, r.written_at) for r in rows]
