"""The stock ledger's operations inside a unit's transaction: lots in, oldest lot first out, put back, quarantine.

Every workflow that moves stock (receiving, the counter, returns, adjustments) comes here, so that
each movement is one append-only ledger row per lot it touches, naming its document, operator and
time, and a lot's remaining quantity always equals the sum of its ledger rows. The caller has
checked the role, the document and that every quantity is positive; these run on the caller's
Connection inside its write block, so several lines complete together or not at all.

Every ledger row is written by core.ledger_chain.append, which chains it to the row before (tamper
evidence). On PostgreSQL the rows a transaction changes are locked in one order everywhere: a service
locks every stock lot it will touch first, by part id then lot id (lock_parts, lock_lots), and the
ledger's head last, at its first append; so two writers never wait on each other (a deadlock).

Hot paths use SQLAlchemy Core: the ORM cost about 25 times more per issue (tests/bench).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Select, bindparam, func, insert, select, update
from sqlalchemy.sql import ColumnElement

from core import ledger_chain
from core import tables as t
from core.byte_order import byte_order
from core.codes import QUARANTINE_ZONE, normalise_part_no
from core.decimals import check_value, fmt_qty, money
from core.direct import DIRECT_LIST_MAX, Direct
from core.documents import REQUISITION, DocumentRef
from core.errors import NotFound, RuleViolation
from core.fifo import pick_fifo
from core.i18n import _
from core.models import MoveKind
from core.records.batches import batched, one_of
from core.records.catalog import ensure_location, part_id
from core.roles import Actor

# Damaged parts taken back at the counter wait in the quarantine zone (core.codes), on the books at
# their cost, for a claim or a write-off; oldest-first issues never take from it.
QUARANTINE_LOCATION = "QRN-01-01-01"

_INSERT_LOTS = insert(t.stock_lot).returning(t.stock_lot.c.id, sort_by_parameter_order=True)


class OutOfStock(RuleViolation):
    """Not enough stock of a part to take what was asked; nothing was taken."""

    def __init__(self, part_no: str, asked: Decimal, on_hand: Decimal, *, at_location: bool = False) -> None:
        where = _(" at that location") if at_location else ""
        super().__init__(_("not enough stock of {part_no}: asked {asked}, on hand{where} {on_hand}").format(
            part_no=part_no, asked=fmt_qty(asked), where=where, on_hand=fmt_qty(on_hand)))
        self.part_no, self.asked, self.on_hand = part_no, asked, on_hand


class StockChanged(RuleViolation):
    """Another terminal took from the same lots meanwhile; nothing was taken, the command may be tried again."""

    def __init__(self, part_no: str) -> None:
        super().__init__(_("stock of {part_no} changed meanwhile; try again").format(part_no=part_no))
        self.part_no = part_no


@dataclass(frozen=True, slots=True)
class Take:
    """What an issue took from one lot (or what came back into one)."""

    lot: int
    location: str
    qty: Decimal
    unit_cost: Decimal
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Issued:
    """One part issued: the lots taken oldest first and the cost of the whole."""

    part_no: str
    qty: Decimal
    takes: tuple[Take, ...]

    @property
    def cost(self) -> Decimal:
        """The cost of the issue: each lot's quantity at that lot's cost."""
        return money(sum((take.qty * take.unit_cost for take in self.takes), Decimal(0)))


@dataclass(frozen=True, slots=True)
class NewLot:
    """A lot to create: part and location ids, quantity, cost and the document it comes on."""

    part_id: int
    location_id: int
    qty: Decimal
    unit_cost: Decimal
    document: DocumentRef
    # A lot split off another (a transfer) keeps that lot's received date, so oldest-first stays true; else now.
    received_at: datetime | None = None


def _move_row(*, kind: MoveKind, part: int, lot: int, location: int, qty: Decimal, unit_cost: Decimal,
              document: DocumentRef, actor: Actor, at: datetime, note: str | None) -> dict:
    return {"at": at, "kind": kind.value, "part_id": part, "lot_id": lot, "location_id": location, "qty": qty,
            "unit_cost": unit_cost, "doc_type": document.doc_type, "doc_no": document.doc_no,
            "operator_id": actor.id, "note": note}


# -- lots in -----------------------------------------------------------------------------------


def receive_lots(conn: Connection, lots: Sequence[NewLot], *, actor: Actor, at: datetime,
                 kind: MoveKind = MoveKind.RECEIPT, note: str | None = None) -> list[int]:
    """Create lots and their ledger rows (a receipt unless `kind` says otherwise); the new lot ids, in order.

    Two bulk statements whatever the count: a 5,000-line receipt posts in well under a second.
    """
    if not lots:
        return []
    for lot in lots:
        # The one place lots are made: past this limit a sum of lot values could leave BIGINT (core.decimals).
        check_value(lot.qty, lot.unit_cost, _("the value of a new lot"))
    ids = list(conn.execute(_INSERT_LOTS, [
        {"part_id": lot.part_id, "location_id": lot.location_id, "received_at": lot.received_at or at,
         "qty_received": lot.qty,
         "qty_remaining": lot.qty, "unit_cost": lot.unit_cost, "doc_type": lot.document.doc_type,
         "doc_no": lot.document.doc_no}
        for lot in lots
    ]).scalars())
    ledger_chain.append(conn, [
        _move_row(kind=kind, part=lot.part_id, lot=lot_id, location=lot.location_id, qty=lot.qty,
                  unit_cost=lot.unit_cost, document=lot.document, actor=actor, at=at, note=note)
        for lot, lot_id in zip(lots, ids, strict=True)
    ])
    return ids


def quarantine(
    conn: Connection, part: int, qty: Decimal, unit_cost: Decimal, *, document: DocumentRef, actor: Actor,
    at: datetime, note: str,
) -> Take:
    """Take a damaged part back onto the books, not into stock: a new lot at the quarantine location.

    It keeps the cost of the lot it was issued from, and its ledger row (a return) carries the note
    saying what is wrong; oldest-first issues never take from quarantine.
    """
    location = ensure_location(conn, QUARANTINE_LOCATION, None)
    (lot,) = receive_lots(conn, [NewLot(part, location, qty, unit_cost, document)], actor=actor, at=at,
                          kind=MoveKind.RETURN, note=note)
    return Take(lot, QUARANTINE_LOCATION, qty, unit_cost, at)


# -- locking in one order ----------------------------------------------------------------------

# PostgreSQL only: SQLite's BEGIN IMMEDIATE already gives a writer the whole database, and the issue's
# hot path there stays one statement shorter.
def _lots_to_lock(of_parts: ColumnElement[bool]) -> Select:
    """The lots with stock of the parts `of_parts` picks, locked in the one order every terminal takes."""
    return (select(t.stock_lot.c.id).where(of_parts, t.stock_lot.c.qty_remaining > 0)
            .order_by(t.stock_lot.c.part_id, t.stock_lot.c.id).with_for_update())


# Sent straight to the driver (core.direct): the issue's hot path, a few parts.
_LOCK_PARTS_DIRECT = Direct(_lots_to_lock(t.stock_lot.c.part_id.in_(bindparam("part_ids", expanding=True))),
                            lists=["part_ids"])
_LOCK_LOTS = (
    select(t.stock_lot.c.id)
    .where(t.stock_lot.c.id.in_(bindparam("lot_ids", expanding=True)))
    .order_by(t.stock_lot.c.part_id, t.stock_lot.c.id)
    .with_for_update()
)


def _locks_rows(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def lock_parts(conn: Connection, part_ids: Sequence[int]) -> None:
    """Lock the lots with stock of these parts, by part id then lot id, before taking from any of them.

    An issue naming [B, A] and a return naming [A, B] at the same moment then wait for each other in
    turn instead of each holding what the other needs.
    """
    if part_ids and _locks_rows(conn):
        # In batches of ascending ids (a count sheet of a zone names 68,834 lines at 1M parts, past PostgreSQL's
        # 65,535 parameters): the locks are still taken in the one order every terminal takes them.
        for batch in batched(sorted(set(part_ids))):
            if len(batch) <= DIRECT_LIST_MAX:
                _LOCK_PARTS_DIRECT.execute(conn, {"part_ids": batch}).all()
            else:  # a sheet's or a document's thousands: one array parameter on PostgreSQL (core.records.batches)
                conn.execute(_lots_to_lock(one_of(conn, t.stock_lot.c.part_id, batch))).all()


def lock_lots(conn: Connection, lot_ids: Sequence[int]) -> None:
    """Lock these lots, by part id then lot id, before putting anything back into them."""
    if lot_ids and _locks_rows(conn):
        conn.execute(_LOCK_LOTS, {"lot_ids": sorted(set(lot_ids))}).all()


# -- oldest lot first out ----------------------------------------------------------------------

# Lots with stock, oldest first, found by part number in the same statement (one round trip less
# on the hot path). FOR UPDATE locks them on PostgreSQL so that a second terminal waits and then
# sees what the first one left; SQLite ignores it and relies on BEGIN IMMEDIATE.
_LOTS_WITH_STOCK = (
    select(
        t.stock_lot.c.id,
        t.stock_lot.c.part_id,
        t.stock_lot.c.location_id,
        t.stock_lot.c.qty_remaining,
        t.stock_lot.c.unit_cost,
        t.stock_lot.c.received_at,
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
# The issue's hot path, sent straight to the driver (core.direct).
_FIFO_LOTS_DIRECT, _FIFO_LOTS_AT_DIRECT, _TAKE_DIRECT = Direct(_FIFO_LOTS), Direct(_FIFO_LOTS_AT), Direct(_TAKE)


@dataclass(frozen=True, slots=True)
class Taken:
    """What take_oldest took of one part, not yet on the ledger: the lots' rows (oldest first) and the quantities."""

    part_no: str
    qty: Decimal  # as asked (the picks add up to it)
    picks: tuple  # core.fifo.Pick of each lot's row (id, part_id, location_id, qty_remaining, unit_cost, ...)

    @property
    def takes(self) -> tuple[Take, ...]:
        """Each lot taken from, as the slips show it."""
        return tuple(Take(p.lot.id, p.lot.code, p.qty, p.lot.unit_cost, p.lot.received_at) for p in self.picks)

    def moves(self, *, kind: MoveKind, document: DocumentRef, actor: Actor, at: datetime,
              note: str | None) -> list[dict]:
        """Its ledger rows, one per lot, for ledger_chain.append."""
        return [_move_row(kind=kind, part=p.lot.part_id, lot=p.lot.id, location=p.lot.location_id, qty=-p.qty,
                          unit_cost=p.lot.unit_cost, document=document, actor=actor, at=at, note=note)
                for p in self.picks]


def take_oldest(conn: Connection, part_no: str, qty: Decimal, *, location: int | None = None) -> Taken:
    """Take a quantity of a part from its lots oldest first, all of it or OutOfStock, without its ledger rows:
    the caller books them (Taken.moves) with ledger_chain.append before its transaction ends.

    Across the part's lots outside quarantine, or only those at one location (by id) when given. An issue takes
    its lines first and only then its document number and the ledger's head: those two rows serialise every
    terminal, and are held for as short a time as possible.
    """
    part_no = normalise_part_no(part_no)
    if location is None:
        lots = _FIFO_LOTS_DIRECT.execute(conn, {"part_no": part_no}).all()
    else:
        lots = _FIFO_LOTS_AT_DIRECT.execute(conn, {"part_no": part_no, "location_id": location}).all()
    picks = pick_fifo([(lot, lot.qty_remaining) for lot in lots], qty)
    if picks is None:
        if not lots:
            part_id(conn, part_no)  # an unknown part is NotFound, not "no stock"
        on_hand = sum((lot.qty_remaining for lot in lots), Decimal("0.000"))
        raise OutOfStock(part_no, qty, on_hand, at_location=location is not None)
    # The guard in the UPDATE's WHERE clause makes a lost race fail loudly instead of going negative
    # (the lots' CHECK constraint would refuse it too).
    taken = _TAKE_DIRECT.execute(conn, [{"lot_id": pick.lot.id, "take": pick.qty} for pick in picks]).rowcount
    if conn.dialect.supports_sane_multi_rowcount and taken != len(picks):
        raise StockChanged(part_no)
    return Taken(part_no, qty, tuple(picks))


def take_oldest_first(
    conn: Connection, part_no: str, qty: Decimal, *, document: DocumentRef, actor: Actor, at: datetime,
    kind: MoveKind = MoveKind.ISSUE, note: str | None = None, location: int | None = None,
) -> tuple[Take, ...]:
    """Take a quantity of a part oldest lot first, one ledger row per lot; all of it or OutOfStock.

    Across the part's lots outside quarantine, or only those at one location (by id) when given.
    """
    taken = take_oldest(conn, part_no, qty, location=location)
    ledger_chain.append(conn, taken.moves(kind=kind, document=document, actor=actor, at=at, note=note))
    return taken.takes


# Built once: an issue checks on hand through it, and building a select() per call cost more than running it.
_ISSUABLE = (
    select(t.part.c.part_no, func.sum(t.stock_lot.c.qty_remaining))
    .join(t.stock_lot, t.stock_lot.c.part_id == t.part.c.id)
    .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
    .where(
        byte_order(t.part.c.part_no).in_(bindparam("part_nos", expanding=True)), t.stock_lot.c.qty_remaining > 0,
        t.location.c.zone != QUARANTINE_ZONE,
    )
    .group_by(t.part.c.part_no)
)
_ISSUABLE_DIRECT = Direct(_ISSUABLE, lists=["part_nos"])


def issuable(conn: Connection, part_nos: Sequence[str]) -> dict[str, Decimal]:
    """On hand that an issue may take (quarantine excepted), per (normalised) part number."""
    if not part_nos:
        return {}
    # Grouped by part, so each part's sum comes whole from the one batch holding it (core.records.batches).
    on_hand: dict[str, Decimal] = {}
    for batch in batched(dict.fromkeys(part_nos)):
        on_hand.update(_ISSUABLE_DIRECT.execute(conn, {"part_nos": batch}).all())
    return on_hand


def take_from_lot(
    conn: Connection, lot: int, qty: Decimal, *, document: DocumentRef, actor: Actor, at: datetime,
    kind: MoveKind = MoveKind.ADJUST, note: str | None = None,
) -> Take:
    """Take a quantity out of one named lot (a claim's damaged units leaving quarantine), one ledger row; never
    below zero (StockChanged when the lot holds less). The caller has locked the lot (lock_lots)."""
    row = conn.execute(
        select(t.stock_lot.c.part_id, t.stock_lot.c.location_id, t.stock_lot.c.unit_cost, t.stock_lot.c.received_at,
               t.location.c.code, t.part.c.part_no)
        .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
        .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
        .where(t.stock_lot.c.id == lot)
    ).first()
    if row is None:
        raise NotFound(_("unknown lot {lot}").format(lot=lot))
    taken = conn.execute(_TAKE, {"lot_id": lot, "take": qty}).rowcount
    if taken != 1:
        raise StockChanged(row.part_no)
    ledger_chain.append(conn, [_move_row(kind=kind, part=row.part_id, lot=lot, location=row.location_id, qty=-qty,
                                         unit_cost=row.unit_cost, document=document, actor=actor, at=at,
                                         note=note)])
    return Take(lot, row.code, qty, row.unit_cost, row.received_at)


# -- back into the lot of origin ---------------------------------------------------------------


def put_back(
    conn: Connection, lot: int, qty: Decimal, *, document: DocumentRef, actor: Actor, at: datetime,
    note: str | None = None,
) -> Take:
    """Return a quantity into the lot it was issued from, at that lot's cost, so oldest-first stays true.

    The caller has checked that this much was issued from the lot and not yet returned.
    """
    row = conn.execute(
        select(
            t.stock_lot.c.part_id,
            t.stock_lot.c.location_id,
            t.stock_lot.c.unit_cost,
            t.stock_lot.c.received_at,
            t.location.c.code,
        )
        .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
        .where(t.stock_lot.c.id == lot)
        .with_for_update(of=t.stock_lot)
    ).first()
    if row is None:
        raise NotFound(_("unknown lot {lot}").format(lot=lot))
    conn.execute(
        update(t.stock_lot).where(t.stock_lot.c.id == lot).values(qty_remaining=t.stock_lot.c.qty_remaining + qty)
    )
    ledger_chain.append(conn, [_move_row(kind=MoveKind.RETURN, part=row.part_id, lot=lot, location=row.location_id,
                                         qty=qty, unit_cost=row.unit_cost, document=document, actor=actor, at=at,
                                         note=note)])
    return Take(lot, row.code, qty, row.unit_cost, row.received_at)


def issued_takes(conn: Connection, req_no: str) -> dict[int, list[Take]]:
    """What a requisition took, per part id, in the order it took it (oldest lot first): from the ledger."""
    rows = conn.execute(
        select(
            t.stock_move.c.part_id,
            t.stock_move.c.lot_id,
            t.location.c.code,
            t.stock_move.c.qty,
            t.stock_move.c.unit_cost,
            t.stock_lot.c.received_at,
        )
        .join(t.location, t.location.c.id == t.stock_move.c.location_id)
        .join(t.stock_lot, t.stock_lot.c.id == t.stock_move.c.lot_id)
        .where(
            t.stock_move.c.doc_type == REQUISITION.prefix,
            t.stock_move.c.doc_no == req_no,
            t.stock_move.c.kind == MoveKind.ISSUE.value,
        )
        .order_by(t.stock_move.c.id)
    ).all()
    takes: dict[int, list[Take]] = {}
    for r in rows:
        takes.setdefault(r.part_id, []).append(Take(r.lot_id, r.code, -r.qty, r.unit_cost, r.received_at))
    return takes
