"""The stock ledger's use cases: receive into a lot, issue oldest first, return to a lot, adjust, and read.

Hot paths use SQLAlchemy Core on the unit of work's connection: the ORM cost about 25 times more
per issue (tests/bench). Every write checks the role, runs in one transaction and appends
one ledger row per lot it touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Connection,
    bindparam,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from core import clock
from core import tables as t
from core.codes import normalise_part_no
from core.decimals import fmt_qty, money, parse_money, parse_qty
from core.documents import DocumentRef, next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.fifo import pick_fifo
from core.i18n import _
from core.models import MoveKind
from core.roles import Actor, Permission, require
from core.services.catalog import ensure_location, location_id, part_id
from core.units import ReadUnit, WriteUnit

_INSERT_MOVE = insert(t.stock_move)

ADJUSTMENT = "ADJ"
# Damaged parts taken back at the counter wait here, on the books at their cost, for a claim or a
# write-off; the zone follows the location scheme, and FIFO issues never take from it.
QUARANTINE_ZONE = "QRN"
QUARANTINE_LOCATION = "QRN-01-01-01"


@dataclass(frozen=True, slots=True)
class Take:
    """What an issue took from one lot."""

    lot: int
    location: str
    qty: Decimal
    unit_cost: Decimal
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Issued:
    """The result of issue_fifo: the lots taken oldest first and the cost of the whole."""

    part_no: str
    qty: Decimal
    takes: tuple[Take, ...]

    @property
    def cost(self) -> Decimal:
        """The cost of the issue: each lot's quantity at that lot's cost."""
        return money(sum((t.qty * t.unit_cost for t in self.takes), Decimal(0)))


@dataclass(frozen=True, slots=True)
class LotInfo:
    """A lot as the part screen and `part show` list it."""

    lot: int
    part_no: str
    location: str
    received_at: datetime
    qty_received: Decimal
    qty: Decimal
    unit_cost: Decimal
    document: str


@dataclass(frozen=True, slots=True)
class PartStock:
    """A part's stock: on hand and its lots with stock, oldest first."""

    part_no: str
    name: str
    name_zh: str | None
    unit: str
    on_hand: Decimal
    lots: tuple[LotInfo, ...]


@dataclass(frozen=True, slots=True)
class MoveInfo:
    """One ledger row as `partsdesk ledger` prints it."""

    id: int
    at: datetime
    kind: str
    part_no: str
    qty: Decimal
    lot: int
    location: str
    unit_cost: Decimal
    document: str
    doc_type: str
    operator: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Adjusted:
    """The result of an adjustment: its document number and the moves it wrote."""

    document: str
    part_no: str
    qty: Decimal
    lots: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StockLine:
    """On hand of one part at one location."""

    part_no: str
    name: str
    location: str
    on_hand: Decimal
    value: Decimal


def _positive_qty(value: str | Decimal) -> Decimal:
    amount = parse_qty(value)
    if amount <= 0:
        raise BadInput(_("quantity must be more than zero, not {qty}").format(qty=fmt_qty(amount)))
    return amount


def _document(document: DocumentRef) -> DocumentRef:
    if not document.doc_type or not document.doc_no:
        raise BadInput(_("a stock movement needs a document"))
    return document


def _new_lot(
    conn: Connection, pid: int, loc_id: int, qty: Decimal, unit_cost: Decimal, document: DocumentRef,
    actor: Actor, kind: MoveKind, at: datetime, note: str | None,
) -> int:
    lot_id = conn.execute(
        insert(t.stock_lot).values(
            part_id=pid, location_id=loc_id, received_at=at, qty_received=qty, qty_remaining=qty,
            unit_cost=unit_cost, doc_type=document.doc_type, doc_no=document.doc_no,
        )
    ).inserted_primary_key[0]
    conn.execute(
        insert(t.stock_move).values(
            at=at, kind=kind.value, part_id=pid, lot_id=lot_id, location_id=loc_id, qty=qty, unit_cost=unit_cost,
            doc_type=document.doc_type, doc_no=document.doc_no, operator_id=actor.id, note=note,
        )
    )
    return lot_id


def receive_lot(
    part_no: str, qty: str | Decimal, *, location: str, unit_cost: str | Decimal, document: DocumentRef,
    actor: Actor, uow: WriteUnit, note: str | None = None,
) -> LotInfo:
    """Receive a quantity into a new lot at a location, with its cost and the document it came on."""
    require(actor, Permission.RECEIVE_STOCK)
    amount = _positive_qty(qty)
    cost = _cost(unit_cost)
    document = _document(document)
    at = clock.now()
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        loc_id = location_id(conn, location)
        lot_id = _new_lot(conn, pid, loc_id, amount, cost, document, actor, MoveKind.RECEIPT, at, note)
    return LotInfo(lot_id, normalise_part_no(part_no), location.strip().upper(), at, amount, amount, cost,
                   document.doc_no)


@dataclass(frozen=True, slots=True)
class NewLot:
    """A lot to create in bulk: part and location ids, quantity, cost and the document it comes on."""

    part_id: int
    location_id: int
    qty: Decimal
    unit_cost: Decimal
    document: DocumentRef


_INSERT_LOTS = insert(t.stock_lot).returning(t.stock_lot.c.id, sort_by_parameter_order=True)


def receive_lots(conn: Connection, lots: list[NewLot], *, actor: Actor, at: datetime) -> list[int]:
    """Create many lots and their receipt moves inside the caller's transaction; the new lot ids, in order.

    Two bulk statements whatever the count: a 5,000-line receipt posts in well under a second.
    The caller has checked the role, the quantities (positive) and the costs (not negative).
    """
    if not lots:
        return []
    ids = list(conn.execute(_INSERT_LOTS, [
        {"part_id": lot.part_id, "location_id": lot.location_id, "received_at": at, "qty_received": lot.qty,
         "qty_remaining": lot.qty, "unit_cost": lot.unit_cost, "doc_type": lot.document.doc_type,
         "doc_no": lot.document.doc_no}
        for lot in lots
    ]).scalars())
    conn.execute(_INSERT_MOVE, [
        {"at": at, "kind": MoveKind.RECEIPT.value, "part_id": lot.part_id, "lot_id": lot_id,
         "location_id": lot.location_id, "qty": lot.qty, "unit_cost": lot.unit_cost,
         "doc_type": lot.document.doc_type, "doc_no": lot.document.doc_no, "operator_id": actor.id, "note": None}
        for lot, lot_id in zip(lots, ids, strict=True)
    ])
    return ids


def _cost(unit_cost: str | Decimal) -> Decimal:
    cost = parse_money(unit_cost, _("unit cost"))
    if cost < 0:
        raise BadInput(_("unit cost {cost} is negative").format(cost=unit_cost))
    return cost


# Lots with stock, oldest first, found by part number in the same statement (one round trip less
# on the hot path). FOR UPDATE locks them on PostgreSQL so that a second terminal waits and then
# sees what the first one left; SQLite ignores it and relies on BEGIN IMMEDIATE.
_LOTS_WITH_STOCK = (
    select(
        t.stock_lot.c.id, t.stock_lot.c.part_id, t.stock_lot.c.location_id, t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost, t.stock_lot.c.received_at,
        t.location.c.code,
    )
    .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
    .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
    .where(t.part.c.part_no == bindparam("part_no"), t.stock_lot.c.qty_remaining > 0)
    .order_by(t.stock_lot.c.received_at, t.stock_lot.c.id)
    .with_for_update(of=t.stock_lot)
)
# An issue never takes from quarantine (damaged parts taken back); an adjustment at a named
# location may (a damaged part written off).
_FIFO_LOTS = _LOTS_WITH_STOCK.where(t.location.c.zone != QUARANTINE_ZONE)
_FIFO_LOTS_AT = _LOTS_WITH_STOCK.where(t.stock_lot.c.location_id == bindparam("location_id"))
_TAKE = (
    update(t.stock_lot)
    .where(t.stock_lot.c.id == bindparam("lot_id"), t.stock_lot.c.qty_remaining >= bindparam("take"))
    .values(qty_remaining=t.stock_lot.c.qty_remaining - bindparam("take"))
)


def _take_fifo(
    conn: Connection, part_no: str, amount: Decimal, *, kind: MoveKind, document: DocumentRef,
    actor: Actor, at: datetime, note: str | None, loc_id: int | None = None,
) -> tuple[Take, ...]:
    """Take `amount` of a (normalised) part number oldest lot first, writing one ledger row per lot."""
    if loc_id is None:
        lots = conn.execute(_FIFO_LOTS, {"part_no": part_no}).all()
    else:
        lots = conn.execute(_FIFO_LOTS_AT, {"part_no": part_no, "location_id": loc_id}).all()
    picks = pick_fifo([(lot, lot.qty_remaining) for lot in lots], amount)
    if picks is None:
        if not lots:
            part_id(conn, part_no)  # an unknown part is NotFound, not "no stock"
        on_hand = sum((lot.qty_remaining for lot in lots), Decimal(0))
        where = _(" at that location") if loc_id is not None else ""
        raise RuleViolation(
            _("not enough stock of {part_no}: asked {asked}, on hand{where} {on_hand}").format(
                part_no=part_no, asked=fmt_qty(amount), where=where, on_hand=fmt_qty(on_hand)
            )
        )
    # The guard in the UPDATE's WHERE clause makes a lost race fail loudly instead of going negative
    # (the lots' CHECK constraint would refuse it too).
    taken = conn.execute(_TAKE, [{"lot_id": pick.lot.id, "take": pick.qty} for pick in picks]).rowcount
    if conn.dialect.supports_sane_multi_rowcount and taken != len(picks):
        raise RuleViolation(_("stock of {part_no} changed meanwhile; try again").format(part_no=part_no))
    conn.execute(
        _INSERT_MOVE,
        [
            {
                "at": at, "kind": kind.value, "part_id": pick.lot.part_id, "lot_id": pick.lot.id,
                "location_id": pick.lot.location_id, "qty": -pick.qty, "unit_cost": pick.lot.unit_cost,
                "doc_type": document.doc_type, "doc_no": document.doc_no, "operator_id": actor.id, "note": note,
            }
            for pick in picks
        ],
    )
    return tuple(Take(p.lot.id, p.lot.code, p.qty, p.lot.unit_cost, p.lot.received_at) for p in picks)


def issue_fifo(
    part_no: str, qty: str | Decimal, *, document: DocumentRef, actor: Actor, uow: WriteUnit,
    location: str | None = None, note: str | None = None,
) -> Issued:
    """Take a quantity oldest lot first across the part's lots (or one location's); all of it or nothing."""
    require(actor, Permission.ISSUE_STOCK)
    amount = _positive_qty(qty)
    document = _document(document)
    at = clock.now()
    normalised = normalise_part_no(part_no)
    with uow.write() as conn:
        loc_id = location_id(conn, location) if location else None
        takes = _take_fifo(
            conn, normalised, amount, kind=MoveKind.ISSUE, document=document, actor=actor, at=at, note=note,
            loc_id=loc_id,
        )
    return Issued(normalised, amount, takes)


def return_to_lot(
    lot: int, qty: str | Decimal, *, document: DocumentRef, actor: Actor, uow: WriteUnit, note: str | None = None,
) -> LotInfo:
    """Put a quantity back into the lot it was issued from, at that lot's cost, so FIFO order stays true.

    Refused when more would come back than was issued from the lot and not yet returned.
    """
    require(actor, Permission.RETURN_STOCK)
    amount = _positive_qty(qty)
    document = _document(document)
    at = clock.now()
    with uow.write() as conn:
        row = conn.execute(
            select(t.stock_lot.c.part_id, t.stock_lot.c.location_id, t.stock_lot.c.unit_cost, t.part.c.part_no)
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .where(t.stock_lot.c.id == lot)
            .with_for_update(of=t.stock_lot)
        ).first()
        if row is None:
            raise NotFound(_("unknown lot {lot}").format(lot=lot))
        # Issued and not yet returned: minus the sum of this lot's issue and return moves.
        outstanding = -(
            conn.execute(
                select(func.coalesce(func.sum(t.stock_move.c.qty), 0)).where(
                    t.stock_move.c.lot_id == lot, t.stock_move.c.kind.in_([MoveKind.ISSUE.value, MoveKind.RETURN.value])
                )
            ).scalar_one()
        )
        if amount > outstanding:
            raise RuleViolation(
                _("lot {lot} of {part_no} has {outstanding} issued and not returned; {qty} cannot come back").format(
                    lot=lot, part_no=row.part_no, outstanding=fmt_qty(Decimal(outstanding)), qty=fmt_qty(amount)
                )
            )
        _put_back(conn, lot, row.part_id, row.location_id, row.unit_cost, amount, document=document, actor=actor,
                  at=at, note=note)
    return _lot_info(uow, lot)


def _put_back(
    conn: Connection, lot: int, pid: int, loc_id: int, unit_cost: Decimal, amount: Decimal, *,
    document: DocumentRef, actor: Actor, at: datetime, note: str | None,
) -> None:
    conn.execute(
        update(t.stock_lot).where(t.stock_lot.c.id == lot).values(qty_remaining=t.stock_lot.c.qty_remaining + amount)
    )
    conn.execute(
        insert(t.stock_move).values(
            at=at, kind=MoveKind.RETURN.value, part_id=pid, lot_id=lot, location_id=loc_id,
            qty=amount, unit_cost=unit_cost, doc_type=document.doc_type, doc_no=document.doc_no,
            operator_id=actor.id, note=note,
        )
    )


# -- the counter: several lines in the caller's one transaction ---------------------------------
# A requisition or a return with several lines completes entirely or not at all, so these work on
# the caller's Connection inside its unit of work; the caller has checked the role, the document
# and that every quantity is positive.


def take_fifo(
    conn: Connection, part_no: str, qty: Decimal, *, document: DocumentRef, actor: Actor, at: datetime,
    note: str | None = None,
) -> tuple[Take, ...]:
    """Issue a quantity oldest lot first (quarantine excepted), one ledger row per lot taken."""
    return _take_fifo(conn, normalise_part_no(part_no), qty, kind=MoveKind.ISSUE, document=document, actor=actor,
                      at=at, note=note)


def put_back(
    conn: Connection, lot: int, qty: Decimal, *, document: DocumentRef, actor: Actor, at: datetime,
    note: str | None = None,
) -> Take:
    """Return a quantity into the lot it was issued from, at that lot's cost, so FIFO order stays true.

    The caller has checked that this much was issued from the lot and not yet returned.
    """
    row = conn.execute(
        select(t.stock_lot.c.part_id, t.stock_lot.c.location_id, t.stock_lot.c.unit_cost, t.stock_lot.c.received_at, t.location.c.code)
        .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
        .where(t.stock_lot.c.id == lot)
        .with_for_update(of=t.stock_lot)
    ).first()
    if row is None:
        raise NotFound(_("unknown lot {lot}").format(lot=lot))
    _put_back(conn, lot, row.part_id, row.location_id, row.unit_cost, qty, document=document, actor=actor, at=at,
              note=note)
    return Take(lot, row.code, qty, row.unit_cost, row.received_at)


def quarantine(
    conn: Connection, pid: int, qty: Decimal, unit_cost: Decimal, *, document: DocumentRef, actor: Actor,
    at: datetime, note: str,
) -> Take:
    """Take a damaged part back onto the books, not into stock: a new lot at the quarantine location.

    It keeps the cost of the lot it was issued from, and its ledger row (a return) carries the note
    saying what is wrong; FIFO issues never take from quarantine.
    """
    loc_id = ensure_location(conn, QUARANTINE_LOCATION, None)
    lot = _new_lot(conn, pid, loc_id, qty, unit_cost, document, actor, MoveKind.RETURN, at, note)
    return Take(lot, QUARANTINE_LOCATION, qty, unit_cost, at)


def adjust(
    part_no: str, qty: str | Decimal, *, location: str, reason: str, actor: Actor, uow: WriteUnit,
    unit_cost: str | Decimal | None = None,
) -> Adjusted:
    """Correct stock with a reason: a positive quantity is a new lot (opening balance), a negative one
    takes oldest first at that location. The adjustment gets its own document number."""
    require(actor, Permission.ADJUST_STOCK)
    amount = parse_qty(qty)
    if amount == 0:
        raise BadInput(_("an adjustment of zero changes nothing"))
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("an adjustment needs a reason"))
    cost = _cost(unit_cost) if unit_cost is not None else None
    at = clock.now()
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        loc_id = location_id(conn, location)
        document = DocumentRef(ADJUSTMENT, next_number(conn, ADJUSTMENT, at))
        normalised = normalise_part_no(part_no)
        if amount > 0:
            if cost is None:
                cost = conn.execute(select(t.part.c.list_price).where(t.part.c.id == pid)).scalar_one()
            lots: tuple[int, ...] = (
                _new_lot(conn, pid, loc_id, amount, cost, document, actor, MoveKind.ADJUST, at, reason),
            )
        else:
            takes = _take_fifo(
                conn, normalised, -amount, kind=MoveKind.ADJUST, document=document, actor=actor, at=at,
                note=reason, loc_id=loc_id,
            )
            lots = tuple(t.lot for t in takes)
    return Adjusted(document.doc_no, normalised, amount, lots)


# -- reading -----------------------------------------------------------------------------------

_LOT_COLUMNS = (
    t.stock_lot.c.id, t.part.c.part_no, t.location.c.code, t.stock_lot.c.received_at, t.stock_lot.c.qty_received, t.stock_lot.c.qty_remaining,
    t.stock_lot.c.unit_cost, t.stock_lot.c.doc_no,
)


def _lot_row(row) -> LotInfo:
    return LotInfo(row.id, row.part_no, row.code, row.received_at, row.qty_received, row.qty_remaining,
                   row.unit_cost, row.doc_no)


def _lot_info(uow: ReadUnit, lot: int) -> LotInfo:
    with uow.read() as conn:
        row = conn.execute(
            select(*_LOT_COLUMNS)
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.stock_lot.c.id == lot)
        ).one()
    return _lot_row(row)


def part_stock(part_no: str, *, uow: ReadUnit) -> PartStock:
    """A part's on-hand quantity and its lots with stock, oldest first (the order FIFO takes them)."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        part = conn.execute(
            select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.unit).where(
                t.part.c.part_no == normalised
            )
        ).first()
        if part is None:
            raise NotFound(_("unknown part number {part_no}").format(part_no=normalised or repr(part_no)))
        rows = conn.execute(
            select(*_LOT_COLUMNS)
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.stock_lot.c.part_id == part.id, t.stock_lot.c.qty_remaining > 0)
            .order_by(t.stock_lot.c.received_at, t.stock_lot.c.id)
        ).all()
    lots = tuple(_lot_row(r) for r in rows)
    on_hand = sum((lot.qty for lot in lots), Decimal("0.000"))
    return PartStock(part.part_no, part.name, part.name_zh, part.unit, on_hand, lots)


def stock_list(*, uow: ReadUnit, series: str | None = None, location: str | None = None) -> list[StockLine]:
    """On hand and value per part and location, for every place that holds stock, by location then part."""
    on_hand = func.sum(t.stock_lot.c.qty_remaining)
    statement = (
        select(t.part.c.part_no, t.part.c.name, t.location.c.code, on_hand.label("on_hand"),
               func.sum(type_coerce(t.stock_lot.c.qty_remaining, BigInteger) * type_coerce(t.stock_lot.c.unit_cost, BigInteger))
               .label("value_raw"))
        .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
        .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
        .where(t.stock_lot.c.qty_remaining > 0)
        .group_by(t.part.c.part_no, t.part.c.name, t.location.c.code)
        .order_by(t.location.c.code, t.part.c.part_no)
    )
    if series:
        statement = statement.where(t.part.c.model_series == series.strip().upper())
    if location:
        statement = statement.where(t.location.c.code == location.strip().upper())
    with uow.read() as conn:
        rows = conn.execute(statement).all()
    # qty is stored in thousandths and cost in cents, so the raw product is in 1/100000 of money.
    return [StockLine(r.part_no, r.name, r.code, r.on_hand, money(Decimal(r.value_raw).scaleb(-5))) for r in rows]


def ledger(part_no: str, *, uow: ReadUnit) -> list[MoveInfo]:
    """Every ledger row of a part, oldest first."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        pid = part_id(conn, normalised)
        rows = conn.execute(
            select(
                t.stock_move.c.id, t.stock_move.c.at, t.stock_move.c.kind, t.stock_move.c.qty, t.stock_move.c.lot_id, t.location.c.code,
                t.stock_move.c.unit_cost, t.stock_move.c.doc_type, t.stock_move.c.doc_no, t.operator.c.code.label("operator"), t.stock_move.c.note,
            )
            .join(t.location, t.location.c.id == t.stock_move.c.location_id)
            .join(t.operator, t.operator.c.id == t.stock_move.c.operator_id)
            .where(t.stock_move.c.part_id == pid)
            .order_by(t.stock_move.c.id)
        ).all()
    return [
        MoveInfo(r.id, r.at, r.kind, normalised, r.qty, r.lot_id, r.code, r.unit_cost, r.doc_no, r.doc_type,
                 r.operator, r.note)
        for r in rows
    ]


def invariant_violations(*, uow: ReadUnit) -> list[str]:
    """Every place where the books disagree: ledger vs lots per lot, negative or over-full lots.

    Empty on a healthy station; tests run it after every operation, `partsdesk stock check` on demand.
    """
    problems: list[str] = []
    with uow.read() as conn:
        ledger_by_lot = dict(
            conn.execute(select(t.stock_move.c.lot_id, func.sum(t.stock_move.c.qty)).group_by(t.stock_move.c.lot_id)).all()
        )
        lots = conn.execute(
            select(t.stock_lot.c.id, t.stock_lot.c.part_id, t.stock_lot.c.location_id, t.stock_lot.c.qty_received, t.stock_lot.c.qty_remaining)
        ).all()
        move_places = conn.execute(
            select(t.stock_move.c.lot_id, t.stock_move.c.part_id, t.stock_move.c.location_id).distinct()
        ).all()
    place_of_lot = {lot.id: (lot.part_id, lot.location_id) for lot in lots}
    for lot in lots:
        booked = ledger_by_lot.get(lot.id, Decimal(0))
        if booked != lot.qty_remaining:
            problems.append(f"lot {lot.id}: ledger {fmt_qty(booked)} != remaining {fmt_qty(lot.qty_remaining)}")
        if lot.qty_remaining < 0:
            problems.append(f"lot {lot.id}: negative remaining {fmt_qty(lot.qty_remaining)}")
        if lot.qty_remaining > lot.qty_received:
            problems.append(f"lot {lot.id}: remaining above received")
    for lot_id, pid, loc_id in move_places:
        if place_of_lot.get(lot_id) != (pid, loc_id):
            problems.append(f"lot {lot_id}: a ledger row names another part or location")
    return problems
