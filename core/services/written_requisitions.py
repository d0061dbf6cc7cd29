"""Requisitions written, then issued (先单后料, 出入分离): the parts clerk writes the requisition from the repair order,
which reserves the stock for it; the storekeeper issues it against the written lines, oldest lot first, the
mechanic signing on the spot; a requisition not issued can be cancelled, which releases its reservation.

备件管理员依《任务委托书》上料，并打领料单，库房管理员按领料单上的品名、型号、数量发料，收货人要现场验收，
确认无误后双方签字.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, insert, select, update

from core import clock
from core import tables as t
from core.counter_rules import RequisitionState, check_cancel, check_issue, check_issue_written, check_write
from core.documents import REQUISITION, next_number
from core.i18n import _
from core.records.catalog import check_whole, part_id
from core.records.repair_orders import Person, people, ro_row
from core.records.requisitions import written_row
from core.records.reservations import reserved_by_part_no
from core.records.settings import separate_issue
from core.roles import Actor, Permission, require
from core.services.operators import confirm_mechanic
from core.services.requisitions import (
    IssuedRequisition,
    issue_lines,
    lock_and_check,
    merge_lines,
    spread_over_chains,
)
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class WrittenLine:
    """A line as the parts clerk wrote it: the part (品名、型号) and the quantity (数量) the storekeeper issues."""

    line_no: int
    part_no: str
    name: str
    name_zh: str | None
    unit: str
    qty: Decimal


@dataclass(frozen=True, slots=True)
class WrittenRequisition:
    """A written requisition: its repair order, state, who wrote it and when, its lines, and how it closed."""

    number: str
    ro_no: str
    state: str
    written_at: datetime
    writer: Person
    lines: tuple[WrittenLine, ...]
    shortage: str | None = None  # the shortage whose arrival it keeps for the order (written on posting a receipt)
    closed_at: datetime | None = None
    closed_by: Person | None = None


# -- writing -----------------------------------------------------------------------------------


@retried
def write_requisition(
    ro_no: str, lines: Iterable[tuple[str, str | Decimal]], *, actor: Actor, uow: WriteUnit,
) -> WrittenRequisition:
    """The parts clerk writes a requisition from an open repair order: every line must be available (on hand less
    what is reserved for any other written requisition), and is then reserved for this order until issued or
    cancelled. Every line or none; the requisition gets its number now."""
    require(actor, Permission.WRITE_REQUISITION)
    wanted = merge_lines(lines)
    at = clock.now()
    with uow.write() as conn:
        ro = ro_row(conn, ro_no, lock=True)
        check_write(actor, ro)
        ids = {part_no: part_id(conn, part_no) for part_no, _qty in wanted}
        check_whole(conn, wanted)
        # A number in a supersession chain is written as the old stock first, then the newest number: the slip
        # names what the storekeeper takes from the shelf.
        wanted, ids = spread_over_chains(conn, wanted, ids, lambda of: reserved_by_part_no(conn, of))
        # Read under the lots' locks: of two terminals writing for the last unit, the second sees the first's line.
        lock_and_check(conn, ro.ro_no, wanted, ids, lambda: reserved_by_part_no(conn, ids))
        number = next_number(conn, REQUISITION.prefix, at)
        insert_written(conn, number, ro.id, [(ids[p], q) for p, q in wanted], writer_id=actor.id, at=at)
        return written_view(conn, written_row(conn, number))


def insert_written(conn: Connection, number: str, ro_id: int, lines: list[tuple[int, Decimal]], *, writer_id: int,
                   at: datetime, shortage_id: int | None = None) -> int:
    """Write a requisition in state written with its lines (part id, quantity); its id."""
    written_id = conn.execute(insert(t.written_requisition).values(
        req_no=number, repair_order_id=ro_id, state=RequisitionState.WRITTEN.value, written_at=at,
        writer_id=writer_id, shortage_id=shortage_id)).inserted_primary_key[0]
    conn.execute(insert(t.written_requisition_line), [
        {"written_id": written_id, "line_no": n, "part_id": pid, "qty": qty}
        for n, (pid, qty) in enumerate(lines, start=1)])
    return written_id


# -- issuing and cancelling ------------------------------------------------------------------


@retried
def issue_written(req_no: str, *, mechanic: str, mechanic_pin: str, actor: Actor, uow: WriteUnit) -> IssuedRequisition:
    """The storekeeper issues a written requisition against its lines (库房管理员按领料单上的品名、型号、
    数量发料), oldest lot first, every line or none; the receiving mechanic checks on the spot and signs with his
    PIN. With separate_issue on, the one who wrote it may not issue it. Its reservation ends: the parts are
    issued."""
    require(actor, Permission.ISSUE_STOCK)
    receiver = confirm_mechanic(mechanic, mechanic_pin, actor=actor, doing=_("issue to"), uow=uow)
    at = clock.now()
    with uow.write() as conn:
        found = written_row(conn, req_no)
        ro_no = conn.execute(select(t.repair_order.c.ro_no).where(
            t.repair_order.c.id == found.repair_order_id)).scalar_one()
        ro = ro_row(conn, ro_no, lock=True)  # the order first, as the one-step issue locks it
        written = written_row(conn, req_no, lock=True)
        check_issue_written(actor, written.req_no, written.state, written.writer_id, separate_issue(conn))
        check_issue(actor, ro)
        wanted, ids = _written_lines(conn, written.id)
        # Its own lines are its reservation; every other written requisition's stay out of reach.
        lock_and_check(conn, ro.ro_no, wanted, ids, lambda: reserved_by_part_no(conn, ids, except_written=written.id))
        issued = issue_lines(conn, written.req_no, ro, wanted, ids, actor=actor, mechanic_id=receiver.id, at=at)
        _close(conn, written.id, RequisitionState.ISSUED, actor=actor, at=at)
    return IssuedRequisition(written.req_no, ro.ro_no, at, Person(actor.code, actor.name),
                             Person(receiver.code, receiver.name), issued)


@retried
def cancel_requisition(req_no: str, *, actor: Actor, uow: WriteUnit) -> WrittenRequisition:
    """Cancel a requisition not issued (parts clerk or storekeeper): its reservation is released."""
    require(actor, Permission.CANCEL_REQUISITION)
    at = clock.now()
    with uow.write() as conn:
        written = written_row(conn, req_no, lock=True)
        check_cancel(actor, written.req_no, written.state)
        _close(conn, written.id, RequisitionState.CANCELLED, actor=actor, at=at)
        return written_view(conn, written_row(conn, written.req_no))


def _close(conn: Connection, written_id: int, state: RequisitionState, *, actor: Actor, at: datetime) -> None:
    conn.execute(update(t.written_requisition).where(t.written_requisition.c.id == written_id).values(
        state=state.value, closed_at=at, closed_by_id=actor.id))


def _written_lines(conn: Connection, written_id: int) -> tuple[list[tuple[str, Decimal]], dict[str, int]]:
    rows = conn.execute(
        select(t.part.c.part_no, t.part.c.id, t.written_requisition_line.c.qty)
        .join(t.part, t.part.c.id == t.written_requisition_line.c.part_id)
        .where(t.written_requisition_line.c.written_id == written_id)
        .order_by(t.written_requisition_line.c.line_no)
    ).all()
    return [(r.part_no, r.qty) for r in rows], {r.part_no: r.id for r in rows}


# -- reading -----------------------------------------------------------------------------------


def get_written(req_no: str, *, uow: ReadUnit) -> WrittenRequisition:
    """A written requisition (written, issued or cancelled) with its lines."""
    with uow.read() as conn:
        return written_view(conn, written_row(conn, req_no))


def list_written(*, uow: ReadUnit, ro_no: str | None = None, open_only: bool = True) -> list[WrittenRequisition]:
    """Written requisitions, oldest first: those still to issue (open_only), of one repair order where given."""
    statement = select(t.written_requisition).order_by(t.written_requisition.c.written_at, t.written_requisition.c.id)
    if open_only:
        statement = statement.where(t.written_requisition.c.state == RequisitionState.WRITTEN.value)
    with uow.read() as conn:
        if ro_no is not None:
            statement = statement.where(t.written_requisition.c.repair_order_id == ro_row(conn, ro_no).id)
        return [written_view(conn, row) for row in conn.execute(statement).all()]


def written_view(conn: Connection, row) -> WrittenRequisition:
    """The view of a written_requisition row (inside the caller's transaction)."""
    ro_no = conn.execute(select(t.repair_order.c.ro_no).where(t.repair_order.c.id == row.repair_order_id)).scalar_one()
    lines = conn.execute(
        select(t.written_requisition_line.c.line_no, t.written_requisition_line.c.qty, t.part.c.part_no,
               t.part.c.name, t.part.c.name_zh, t.part.c.unit)
        .join(t.part, t.part.c.id == t.written_requisition_line.c.part_id)
        .where(t.written_requisition_line.c.written_id == row.id)
        .order_by(t.written_requisition_line.c.line_no)
    ).all()
    shortage = None
    if row.shortage_id is not None:
        shortage = conn.execute(select(t.shortage.c.number).where(t.shortage.c.id == row.shortage_id)).scalar_one()
    who = people(conn, [row.writer_id, row.closed_by_id])
    return WrittenRequisition(
        number=row.req_no, ro_no=ro_no, state=row.state, written_at=row.written_at, writer=who[row.writer_id],
        lines=tuple(WrittenLine(r.line_no, r.part_no, r.name, r.name_zh, r.unit, r.qty) for r in lines),
        shortage=shortage, closed_at=row.closed_at, closed_by=who.get(row.closed_by_id),
    )


@dataclass(frozen=True, slots=True)
class WrittenPage:
    """One page of the requisitions written and waiting to be issued, with how many wait in all."""

    rows: list[WrittenRequisition]
    total: int


def written_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> WrittenPage:
    """`limit` requisitions still to issue from `offset`, oldest first (list_written's order), with how many wait:
    SQL orders, counts and pages, and only the page's requisitions are read with their lines."""
    waiting = t.written_requisition.c.state == RequisitionState.WRITTEN.value
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(t.written_requisition).where(waiting)).scalar_one()
        rows = conn.execute(
            select(t.written_requisition).where(waiting)
            .order_by(t.written_requisition.c.written_at, t.written_requisition.c.id)
            .limit(max(0, limit)).offset(max(0, offset))).all()
        return WrittenPage([written_view(conn, row) for row in rows], total)
