"""Returns (退料单): parts a mechanic brings back on a requisition, into the lot they came from.

Only what that requisition issued and has not had back may return, and only intact (维修工退料，库房管理员
要先确认备件完好无损…方可电脑退料): the storekeeper confirms each part intact, and a part found damaged is
refused as a return, stays consumed on the repair order and may be reported on it instead
(core.services.repair_orders.report_damage). An intact part goes back into its lot of origin at that
lot's cost; when the issue took from several lots, the newest take comes back first, so the lots stand
as if the issue had been smaller and oldest-first stays true. Before the repair order is settled the
return shows as negative lines on the requisition; after, it is a return slip of its own. Slips taken
before this rule may hold damaged lines booked into quarantine; they are still shown as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, insert, select

from core import clock, ledger
from core import tables as t
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.decimals import fmt_qty, money, positive_qty
from core.documents import RETURN, DocumentRef, next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.intake import optional_text
from core.records.batches import rows_in_batches
from core.records.catalog import check_whole
from core.records.repair_orders import Person, RoHeader, header_of, people
from core.records.requisitions import normalise_document, requisition_row
from core.repair_states import RepairState
from core.roles import Actor, Permission, require
from core.services.operators import confirm_mechanic
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """A part to take back: how many, and whether the storekeeper found it damaged (then it is refused)."""

    part_no: str
    qty: str | Decimal
    damaged: bool = False


@dataclass(frozen=True, slots=True)
class ReturnLineView:
    """A line of a return slip: the part, the lot it was issued from and where it went now."""

    line_no: int
    part_no: str
    name: str
    name_zh: str | None
    unit: str
    qty: Decimal
    lot: int  # the lot of origin
    location: str  # where it went: the lot of origin's location, or quarantine
    unit_cost: Decimal
    damaged: bool
    quarantine_lot: int | None
    note: str | None

    @property
    def cost(self) -> Decimal:
        """The quantity at the cost of the lot it was issued from."""
        return money(self.qty * self.unit_cost)


@dataclass(frozen=True, slots=True)
class ReturnView:
    """A return slip: its requisition and repair order, both signatures and its lines."""

    number: str
    requisition: str
    ro: RoHeader
    returned_at: datetime
    storekeeper: Person
    mechanic: Person
    reason: str | None
    on_requisition: bool
    lines: tuple[ReturnLineView, ...]

    @property
    def value(self) -> Decimal:
        """What came back, at the cost of the lots it was issued from."""
        return money(sum((line.cost for line in self.lines), Decimal(0)))


def _requests(lines: Iterable[ReturnRequest | tuple]) -> list[tuple[str, Decimal]]:
    """(part number, quantity), one per part in the order first named; a part the storekeeper found damaged
    is refused (RuleViolation) before anything is read or signed."""
    merged: dict[str, Decimal] = {}
    for line in lines:
        request = line if isinstance(line, ReturnRequest) else ReturnRequest(*line)
        part_no = normalise_part_no(request.part_no)
        if not part_no:
            raise BadInput(_("a line has no part number"))
        qty = positive_qty(request.qty, part_no)
        if request.damaged:
            raise RuleViolation(refused_damaged(part_no))
        merged[part_no] = merged.get(part_no, Decimal(0)) + qty
    if not merged:
        raise BadInput(_("a return needs at least one line"))
    return list(merged.items())


def refused_damaged(part_no: str, ro: str | None = None) -> str:
    """The one line that refuses a damaged part as a return (naming its repair order where known)."""
    if ro is None:
        return _("{part_no} is damaged: only a part confirmed intact comes back; it stays consumed on the repair "
                 "order (record a damage report on the order instead)").format(part_no=part_no)
    return _("{part_no} is damaged: only a part confirmed intact comes back; it stays consumed on {ro} (record a "
             "damage report on {ro} instead)").format(part_no=part_no, ro=ro)


def first_damaged(lines: Iterable[ReturnRequest | tuple]) -> str | None:
    """The part number of the first line the storekeeper found damaged, or None when all are intact."""
    for line in lines:
        request = line if isinstance(line, ReturnRequest) else ReturnRequest(*line)
        if request.damaged:
            return normalise_part_no(request.part_no)
    return None


@retried
def take_back(
    req_no: str, lines: Iterable[ReturnRequest | tuple], *, mechanic: str, mechanic_pin: str, actor: Actor,
    uow: WriteUnit, reason: str | None = None,
) -> ReturnView:
    """Take parts back on a requisition, signed by the storekeeper (the actor) and the mechanic (his PIN),
    each into its lot of origin; a line the storekeeper found damaged refuses the whole return (all or
    nothing)."""
    require(actor, Permission.RETURN_STOCK)
    requests = _requests(lines)
    reason = optional_text(reason, _("the reason"), 500)
    receiver = confirm_mechanic(mechanic, mechanic_pin, actor=actor, doing=_("take a return from"), uow=uow)
    at = clock.now()
    with uow.write() as conn:
        req = requisition_row(conn, req_no, lock=True)
        ro = conn.execute(
            select(t.repair_order).where(t.repair_order.c.id == req.repair_order_id).with_for_update()
        ).one()
        open_lots, issued = _outstanding_by_lot(conn, req)
        numbers = select(t.part.c.part_no, t.part.c.id)
        ids = dict(rows_in_batches(conn, lambda batch: numbers.where(byte_order(t.part.c.part_no).in_(batch)),
                                   [p for p, _q in requests]))
        check_whole(conn, requests)
        plan = []
        for part_no, qty in requests:
            pid = ids.get(part_no)
            lots = open_lots.get(pid) if pid is not None else None
            if not lots:
                if pid is None:
                    raise NotFound(_("unknown part number {part_no}").format(part_no=part_no))
                if pid in issued:
                    raise RuleViolation(_("{part_no} on {req} was already returned: all {qty} issued came back").format(
                        part_no=part_no, req=req.req_no, qty=fmt_qty(issued[pid])))
                raise RuleViolation(_("{part_no} was not issued on {req}").format(part_no=part_no, req=req.req_no))
            left = sum((open_qty for _take, open_qty in lots), Decimal(0))
            if qty > left:
                raise RuleViolation(
                    _("{req} has {left} of {part_no} issued and not returned; {qty} cannot come back").format(
                        req=req.req_no, left=fmt_qty(left), part_no=part_no, qty=fmt_qty(qty)))
            plan.extend((pid, take, amount) for take, amount in _newest_first(lots, qty))
        # The lots of origin locked by part id then lot id before any is touched (core.ledger).
        ledger.lock_lots(conn, [take.lot for _pid, take, _amount in plan])
        number = next_number(conn, RETURN.prefix, at)
        document = DocumentRef(RETURN.prefix, number)
        ret_id = conn.execute(insert(t.return_slip).values(
            ret_no=number, requisition_id=req.id, returned_at=at, storekeeper_id=actor.id, mechanic_id=receiver.id,
            reason=reason, on_requisition=ro.state != RepairState.SETTLED.value,
        )).inserted_primary_key[0]
        ledger_note = "; ".join(filter(None, [req.req_no, reason]))
        for line_no, (pid, take, amount) in enumerate(plan, start=1):
            ledger.put_back(conn, take.lot, amount, document=document, actor=actor, at=at, note=ledger_note)
            conn.execute(insert(t.return_line).values(
                return_id=ret_id, line_no=line_no, part_id=pid, lot_id=take.lot, qty=amount, unit_cost=take.unit_cost,
                damaged=False, quarantine_lot_id=None, note=None,
            ))
        return return_view(conn, conn.execute(select(t.return_slip).where(t.return_slip.c.id == ret_id)).one())


def _outstanding_by_lot(conn: Connection, req) -> tuple[dict[int, list[list]], dict[int, Decimal]]:
    """Per part id, the requisition's takes oldest first, each with what of it has not come back yet; and per
    part id, how much the requisition issued."""
    returned = dict(conn.execute(
        select(t.return_line.c.lot_id, func.sum(t.return_line.c.qty))
        .join(t.return_slip, t.return_slip.c.id == t.return_line.c.return_id)
        .where(t.return_slip.c.requisition_id == req.id)
        .group_by(t.return_line.c.lot_id)
    ).all())
    by_part: dict[int, list[list]] = {}
    issued: dict[int, Decimal] = {}
    for pid, takes in ledger.issued_takes(conn, req.req_no).items():
        issued[pid] = sum((take.qty for take in takes), Decimal(0))
        entries = []
        for take in takes:
            back = min(returned.get(take.lot, Decimal(0)), take.qty)
            returned[take.lot] = returned.get(take.lot, Decimal(0)) - back
            entries.append([take, take.qty - back])
        by_part[pid] = [entry for entry in entries if entry[1] > 0]
    return by_part, issued


def _newest_first(lots: list[list], qty: Decimal):
    """Share a quantity over the open takes, newest first, and count it off them."""
    left = qty
    for entry in reversed(lots):
        take, open_qty = entry
        if left == 0:
            break
        amount = min(open_qty, left)
        if amount <= 0:
            continue
        entry[1] = open_qty - amount
        left -= amount
        yield take, amount


def get_return(ret_no: str, *, uow: ReadUnit) -> ReturnView:
    """A return slip with its lines; NotFound for an unknown number."""
    number = normalise_document(ret_no, _("return"))
    with uow.read() as conn:
        row = conn.execute(select(t.return_slip).where(t.return_slip.c.ret_no == number)).first()
        if row is None:
            raise NotFound(_("unknown return {number}").format(number=number))
        return return_view(conn, row)


def return_view(conn: Connection, row) -> ReturnView:
    """The view of a return_slip row (inside the caller's transaction)."""
    origin = t.location.alias("origin")
    quarantine_lot = t.stock_lot.alias("quarantine_lot")
    quarantine_at = t.location.alias("quarantine_at")
    requisition = conn.execute(
        select(t.requisition.c.req_no, t.requisition.c.repair_order_id).where(t.requisition.c.id == row.requisition_id)
    ).one()
    ro = conn.execute(select(t.repair_order).where(t.repair_order.c.id == requisition.repair_order_id)).one()
    lines = conn.execute(
        select(
            t.return_line.c.line_no,
            t.part.c.part_no,
            t.part.c.name,
            t.part.c.name_zh,
            t.part.c.unit,
            t.return_line.c.qty,
            t.return_line.c.lot_id,
            t.return_line.c.unit_cost,
            t.return_line.c.damaged,
            t.return_line.c.quarantine_lot_id,
            t.return_line.c.note,
            origin.c.code.label("origin"),
            quarantine_at.c.code.label("quarantine"),
        )
        .select_from(t.return_line)
        .join(t.part, t.part.c.id == t.return_line.c.part_id)
        .join(t.stock_lot, t.stock_lot.c.id == t.return_line.c.lot_id)
        .join(origin, origin.c.id == t.stock_lot.c.location_id)
        .outerjoin(quarantine_lot, quarantine_lot.c.id == t.return_line.c.quarantine_lot_id)
        .outerjoin(quarantine_at, quarantine_at.c.id == quarantine_lot.c.location_id)
        .where(t.return_line.c.return_id == row.id)
        .order_by(t.return_line.c.line_no)
    ).all()
    who = people(conn, [row.storekeeper_id, row.mechanic_id])
    return ReturnView(
        number=row.ret_no, requisition=requisition.req_no, ro=header_of(ro), returned_at=row.returned_at,
        storekeeper=who[row.storekeeper_id], mechanic=who[row.mechanic_id], reason=row.reason,
        on_requisition=bool(row.on_requisition),
        lines=tuple(
            ReturnLineView(r.line_no, r.part_no, r.name, r.name_zh, r.unit, r.qty, r.lot_id,
                           r.quarantine if r.damaged else r.origin, r.unit_cost, bool(r.damaged),
                           r.quarantine_lot_id, r.note)
            for r in lines
        ),
    )
