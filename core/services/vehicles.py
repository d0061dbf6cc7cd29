"""Parts taken off a new vehicle (拆新车): received against its VIN into lots of their own, never a negative issue;
putting them back on the vehicle is a negative receipt (负入库) against the same VIN, its own lots first.

The lot's cost is the part's last cost (its newest lot's unit cost), else its list price: the part goes back onto
the books at the value it is carried at, and the negative receipt takes the lots' own costs back out.
Both are receipts on the ledger (kind receipt, + in and - out) on their own documents, VTK and VRS, with the VIN
as the note: never an issue, so a forecast does not count them as consumption.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, insert, select

from core import clock, ledger, ledger_chain
from core import tables as t
from core.decimals import fmt_qty, positive_qty
from core.documents import VEHICLE_RESTORE, VEHICLE_TAKE, DocumentRef, next_number
from core.errors import BadInput, RuleViolation
from core.i18n import _
from core.intake import validate_vin
from core.models import MoveKind
from core.records.catalog import check_whole, location_id, part_id
from core.records.zones import check_part_bin
from core.roles import Actor, Permission, require
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class VehicleMove:
    """A take or a restore booked: its document, the VIN and each part's quantity."""

    document: str
    vin: str
    lines: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class TakenOff:
    """A part still (partly) off a vehicle: taken, put back, outstanding, and when it was first taken."""

    vin: str
    part_no: str
    taken: Decimal
    restored: Decimal
    outstanding: Decimal
    taken_at: datetime


def parse_lines(lines: Iterable[str | tuple[str, str | Decimal]]) -> list[tuple[str, Decimal]]:
    """Lines typed as PART_NO:QTY (or pairs), one per part (a part named twice is added up); BadInput when none."""
    from core.codes import normalise_part_no

    merged: dict[str, Decimal] = {}
    for line in lines:
        if isinstance(line, str):
            part_no, sep, qty = line.strip().rpartition(":")
            if not sep or not part_no.strip() or not qty.strip():
                raise BadInput(_("line {line!r} must be PART_NO:QTY").format(line=line.strip()))
        else:
            part_no, qty = line
        normalised = normalise_part_no(part_no)
        if not normalised:
            raise BadInput(_("a line has no part number"))
        merged[normalised] = merged.get(normalised, Decimal(0)) + positive_qty(qty, normalised)
    if not merged:
        raise BadInput(_("name at least one line, PART_NO:QTY"))
    return list(merged.items())


def _cost(conn, pid: int) -> Decimal:
    """The part's last cost (its newest lot's), else its list price."""
    last = conn.execute(select(t.stock_lot.c.unit_cost).where(t.stock_lot.c.part_id == pid)
                        .order_by(t.stock_lot.c.received_at.desc(), t.stock_lot.c.id.desc()).limit(1)).scalar()
    if last is not None:
        return last
    return conn.execute(select(t.part.c.list_price).where(t.part.c.id == pid)).scalar_one()


def _record(conn, vin: str, document: DocumentRef, rows: list[tuple[int, Decimal]], actor: Actor,
            at: datetime) -> None:
    conn.execute(insert(t.vehicle_take), [
        {"vin": vin, "part_id": pid, "qty": qty, "doc_type": document.doc_type, "doc_no": document.doc_no,
         "operator_id": actor.id, "at": at} for pid, qty in rows])


def _checked(vin: str, lines: Iterable, actor: Actor) -> tuple[str, list[tuple[str, Decimal]]]:
    """What a take and a restore both check before opening a write: the right, the VIN and the lines."""
    require(actor, Permission.TAKE_FROM_VEHICLE)
    return validate_vin(vin), parse_lines(lines)


def _part_ids(conn, wanted: list[tuple[str, Decimal]]) -> dict[str, int]:
    """Each line's part id, once the quantities are checked as whole where the part's unit is whole."""
    ids = {part_no: part_id(conn, part_no) for part_no, _qty in wanted}
    check_whole(conn, wanted)
    return ids


@retried
def take(vin: str, lines: Iterable, *, location: str, actor: Actor, uow: WriteUnit) -> VehicleMove:
    """Receive parts taken off a new vehicle against its VIN, each into a lot of its own at `location` (a bin of
    the part's series or a general one), at the part's last cost (storekeeper, parts manager)."""
    vin, wanted = _checked(vin, lines, actor)
    at = clock.now()
    with uow.write() as conn:
        ids = _part_ids(conn, wanted)
        loc = location_id(conn, location)
        for pid in ids.values():
            check_part_bin(conn, pid, location, founding=False)  # 入库必须按车型入库
        document = DocumentRef(VEHICLE_TAKE.prefix, next_number(conn, VEHICLE_TAKE.prefix, at))
        ledger.receive_lots(conn, [ledger.NewLot(ids[p], loc, qty, _cost(conn, ids[p]), document)
                                   for p, qty in wanted], actor=actor, at=at, kind=MoveKind.RECEIPT, note=vin)
        _record(conn, vin, document, [(ids[p], qty) for p, qty in wanted], actor, at)
    return VehicleMove(document.doc_no, vin, tuple(wanted))


def _outstanding(conn, vin: str, pid: int) -> Decimal:
    return conn.execute(select(func.coalesce(func.sum(t.vehicle_take.c.qty), 0)).where(
        t.vehicle_take.c.vin == vin, t.vehicle_take.c.part_id == pid)).scalar_one()


def _vin_lots(conn, vin: str, pid: int) -> list:
    """The lots this VIN's takes made of the part that still hold stock, oldest first."""
    takes = select(t.vehicle_take.c.doc_no).where(
        t.vehicle_take.c.vin == vin, t.vehicle_take.c.part_id == pid, t.vehicle_take.c.doc_type == VEHICLE_TAKE.prefix)
    lot = t.stock_lot
    return conn.execute(select(lot.c.id, lot.c.qty_remaining).where(
        lot.c.part_id == pid, lot.c.doc_type == VEHICLE_TAKE.prefix, lot.c.doc_no.in_(takes), lot.c.qty_remaining > 0)
        .order_by(lot.c.received_at, lot.c.id)).all()


@retried
def restore(vin: str, lines: Iterable, *, actor: Actor, uow: WriteUnit) -> VehicleMove:
    """Put parts back on a new vehicle: a negative receipt against its VIN, from the VIN's own lots first, then
    oldest first; refused beyond what was taken and not yet put back, and never below zero stock."""
    vin, wanted = _checked(vin, lines, actor)
    at = clock.now()
    with uow.write() as conn:
        ids = _part_ids(conn, wanted)
        for part_no, qty in wanted:
            open_qty = Decimal(_outstanding(conn, vin, ids[part_no]))
            if qty > open_qty:
                raise RuleViolation(_("{vin} has {outstanding} of {part_no} taken off and not put back; "
                                      "{qty} cannot be put back").format(
                    vin=vin, outstanding=fmt_qty(open_qty), part_no=part_no, qty=fmt_qty(qty)))
        ledger.lock_parts(conn, sorted(ids.values()))  # the one order every service locks lots in (core.ledger)
        document = DocumentRef(VEHICLE_RESTORE.prefix, next_number(conn, VEHICLE_RESTORE.prefix, at))
        for part_no, qty in wanted:
            rest = qty
            for lot_id, remaining in _vin_lots(conn, vin, ids[part_no]):
                give = min(rest, remaining)
                ledger.take_from_lot(conn, lot_id, give, document=document, actor=actor, at=at,
                                     kind=MoveKind.RECEIPT, note=vin)
                rest -= give
                if not rest:
                    break
            if rest:
                # The VIN's own lots went out meanwhile: the rest oldest first, never below zero (OutOfStock).
                taken = ledger.take_oldest(conn, part_no, rest)
                ledger_chain.append(conn, taken.moves(kind=MoveKind.RECEIPT, document=document, actor=actor, at=at,
                                                      note=vin))
        _record(conn, vin, document, [(ids[p], -qty) for p, qty in wanted], actor, at)
    return VehicleMove(document.doc_no, vin, tuple(wanted))


@dataclass(frozen=True, slots=True)
class SlipLine:
    """A ledger row of a take or a restore as its slip prints it: the bin, the part, the units and their cost."""

    location: str
    part_no: str
    name: str
    name_zh: str | None
    qty: Decimal  # units moved: positive on both slips (the restore's are taken back out)
    unit_cost: Decimal


@dataclass(frozen=True, slots=True)
class Slip:
    """A take (VTK) or restore (VRS) as printed: its number, the VIN, who booked it and when, its lines."""

    number: str
    restore: bool
    vin: str
    operator: str
    at: datetime
    lines: tuple[SlipLine, ...]

    @property
    def value(self) -> Decimal:
        """The lines' value at their lots' costs."""
        return sum((x.qty * x.unit_cost for x in self.lines), Decimal("0.00"))


def slip(number: str, *, uow: ReadUnit) -> Slip:
    """A take or a restore by its number (VTK-… or VRS-…), read from its ledger rows; NotFound when unknown."""
    from core.documents import kind_of, require_number

    kind = kind_of(number) if kind_of(number) in (VEHICLE_TAKE, VEHICLE_RESTORE) else VEHICLE_TAKE
    move, part, loc = t.stock_move, t.part, t.location
    with uow.read() as conn:
        number = require_number(conn, kind, number)
        head = conn.execute(select(t.vehicle_take.c.vin, t.operator.c.code, t.vehicle_take.c.at)
                            .join(t.operator, t.operator.c.id == t.vehicle_take.c.operator_id)
                            .where(t.vehicle_take.c.doc_no == number).limit(1)).one()
        rows = conn.execute(select(loc.c.code, part.c.part_no, part.c.name, part.c.name_zh, move.c.qty,
                                   move.c.unit_cost)
                            .join(part, part.c.id == move.c.part_id).join(loc, loc.c.id == move.c.location_id)
                            .where(move.c.doc_type == kind.prefix, move.c.doc_no == number)
                            .order_by(move.c.id)).all()
    lines = tuple(SlipLine(r.code, r.part_no, r.name, r.name_zh, abs(Decimal(r.qty)), Decimal(r.unit_cost))
                  for r in rows)
    return Slip(number, kind is VEHICLE_RESTORE, head.vin, head.code, head.at, lines)


def taken_off(*, uow: ReadUnit, vin: str | None = None) -> list[TakenOff]:
    """The vehicles with parts still taken off: per VIN and part, taken, put back, outstanding and the first
    take's time, oldest first."""
    vt = t.vehicle_take
    taken = func.sum(case((vt.c.qty > 0, vt.c.qty), else_=0))
    restored = func.sum(case((vt.c.qty < 0, -vt.c.qty), else_=0))
    statement = (select(vt.c.vin, t.part.c.part_no, taken.label("taken"), restored.label("restored"),
                        func.min(vt.c.at).label("at"))
                 .join(t.part, t.part.c.id == vt.c.part_id)
                 .group_by(vt.c.vin, t.part.c.part_no)
                 .having(func.sum(vt.c.qty) > 0)
                 .order_by(func.min(vt.c.at), vt.c.vin, t.part.c.part_no))
    if vin:
        statement = statement.where(vt.c.vin == validate_vin(vin))
    with uow.read() as conn:
        rows = conn.execute(statement).all()
    out = []
    for r in rows:
        got, back = Decimal(r.taken or 0), Decimal(r.restored or 0)  # the Qty type read them
        out.append(TakenOff(r.vin, r.part_no, got, back, got - back, r.at))
    return out
