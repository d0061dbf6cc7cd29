"""Transfers (调拨单): a quantity of a part from one bin to another, entered by the storekeeper (一审) and moved only
when a second, different person checks it (二审: the dispatch checker 发货检验员 or the parts manager).

The check takes from the source bin's lots oldest first and splits each: the part taken becomes a lot at the
destination with the same received date and unit cost, linked to its origin (stock_transfer_lot), so the part's
total quantity, value and FIFO order never change. Both sides are ledger rows on the transfer's number. Quarantine is
never a source, except through a release (`stock release`), which the parts manager enters and a checker checks.
Between two stations' warehouses of a dealer group (PostgreSQL: each station a schema of one database, core.stations):
the note names the receiving station and its bin by code, and the check moves the stock in ONE transaction over
both schemas, so it completes at both stations or changes neither. The sending station's ledger books the lots
taken on the transfer's number; the receiving station's books the lots made (same received date and cost) on a
document naming the sending station and the number (TRF "station:TRF-…"), with the checker as its operator: an
operator of the same code must exist there, because that ledger names who booked each of its moves and a system
operator would hide the person. The two ledgers' heads are locked in the stations' name order, so two transfers
going opposite ways never wait on each other. In the same transaction the receiving station gets a note of its own
(incoming, 调入): numbered as its ledger's document ("station:TRF-…"), received, with the sending station, the source
bin and who entered it there by code, the checker as its operator, and the lots made with their dates and costs. It
is a record, not a task: nobody checks, refuses or cancels it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, insert, select, update

from core import clock, labels, ledger, ledger_chain, stations
from core import tables as t
from core.codes import QUARANTINE_ZONE, normalise_location, normalise_part_no, validate_location
from core.decimals import parse_qty
from core.documents import TRANSFER, DocumentRef, next_number, normalise_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.models import MoveKind
from core.models.enums import TransferDirection, TransferState
from core.records.catalog import check_whole, location_id, part_id
from core.records.zones import check_part_bin
from core.roles import Actor, Permission, allows, require
from core.units import ReadUnit, WriteUnit, retried

NOTE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class TransferLotInfo:
    """What a checked transfer took from one lot and the lot it made at the destination (on an incoming note the
    lot taken is the sending station's, the lot made this station's)."""

    from_lot: int
    to_lot: int
    qty: Decimal
    unit_cost: Decimal
    received_at: datetime


@dataclass(frozen=True, slots=True)
class TransferInfo:
    """A transfer note as `transfer show` and the review screen show it."""

    number: str
    part_no: str
    name: str
    from_location: str
    to_location: str
    qty: Decimal
    state: str
    release: bool
    entered_by: str
    entered_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    entered_by_id: int | None  # None on an incoming note: who entered it is the sending station's (entered_by)
    lots: tuple[TransferLotInfo, ...] = ()
    to_station: str | None = None  # the receiving station of a transfer between stations; None inside this one
    from_station: str | None = None  # the sending station of an incoming note; None for one of this station

    @property
    def direction(self) -> str:
        """Which way it goes (core.labels.TRANSFER_DIRECTION): within this station, to another, from another."""
        if self.from_station is not None:
            return TransferDirection.INCOMING.value
        if self.to_station is not None:
            return TransferDirection.OUTGOING.value
        return TransferDirection.WITHIN.value

    @property
    def destination(self) -> str:
        """Where it goes as a line says it: the bin, and the station when it is another one."""
        if self.to_station is None:
            return self.to_location
        return _("{location} at station {station}").format(location=self.to_location, station=self.to_station)

    @property
    def source(self) -> str:
        """Where it comes from as a line says it: the bin, and the station when it is another one."""
        if self.from_station is None:
            return self.from_location
        return _("{location} at station {station}").format(location=self.from_location, station=self.from_station)


def _zone(conn: Connection, loc_id: int) -> str:
    return conn.execute(select(t.location.c.zone).where(t.location.c.id == loc_id)).scalar_one()


def _on_hand_at(conn: Connection, pid: int, loc_id: int) -> Decimal:
    held = conn.execute(select(func.sum(t.stock_lot.c.qty_remaining)).where(
        t.stock_lot.c.part_id == pid, t.stock_lot.c.location_id == loc_id, t.stock_lot.c.qty_remaining > 0)).scalar()
    return held if held is not None else Decimal("0.000")


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise BadInput(_("a note is at most {limit} characters").format(limit=NOTE_LENGTH))
    return note or None


def _destination(conn: Connection, station: str, part_no: str, location: str) -> tuple[int, int, str]:
    """The part's id, the bin's id and its code at the other station (inside at_station): the part in its parts
    master, the bin known there, outside its quarantine and of the part's model series."""
    code = validate_location(location)
    try:
        pid = part_id(conn, part_no)
    except NotFound:
        raise NotFound(_("{part_no} is not in the parts master of station {station}").format(
            part_no=normalise_part_no(part_no), station=station)) from None
    try:
        loc_id = location_id(conn, code)
    except NotFound:
        raise NotFound(_("unknown location {code} at station {station}").format(code=code, station=station)) from None
    if _zone(conn, loc_id) == QUARANTINE_ZONE:
        raise RuleViolation(_("a transfer to another station goes to a bin there, not to its quarantine"))
    check_part_bin(conn, pid, code, founding=False)
    return pid, loc_id, code


@retried
def create_transfer(
    part_no: str, qty: str | Decimal, *, from_location: str, to_location: str, actor: Actor, uow: WriteUnit,
    note: str | None = None, release: bool = False, to_station: str | None = None,
) -> TransferInfo:
    """Enter a transfer note (一审): nothing moves until another person checks it. Refused: the same bin, an
    unknown one, more than the source bin holds, quarantine as a source (only a release, `release=True`, moves out
    of quarantine), a destination of another model series. With `to_station` the destination bin is that
    station's (PostgreSQL only, core.stations): refused unless the station is at this one's revision, knows the
    part and the bin."""
    require(actor, Permission.RELEASE_QUARANTINE if release else Permission.TRANSFER_STOCK)
    amount = parse_qty(qty, signed=False)
    if amount <= 0:
        raise BadInput(_("a transfer moves a positive quantity"))
    if to_station is not None:
        if release:
            raise RuleViolation(_("a release returns quarantined units to a bin of this station"))
        return _create_between(part_no, amount, from_location=from_location, to_location=to_location,
                               to_station=to_station, actor=actor, uow=uow, note=_clean_note(note))
    if normalise_location(from_location) == normalise_location(to_location):
        raise BadInput(_("a transfer needs two different bins: {code} is both").format(
            code=normalise_location(from_location)))
    note = _clean_note(note)
    at = clock.now()
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        normalised = normalise_part_no(part_no)
        check_whole(conn, [(normalised, amount)])
        from_id, to_id = location_id(conn, from_location), location_id(conn, to_location)
        from_quarantine, to_quarantine = (_zone(conn, from_id) == QUARANTINE_ZONE,
                                          _zone(conn, to_id) == QUARANTINE_ZONE)
        if release and (not from_quarantine or to_quarantine):
            raise RuleViolation(_("a release moves quarantined units back to a bin: from {quarantine} to a bin "
                                  "outside it").format(quarantine=ledger.QUARANTINE_LOCATION))
        if from_quarantine and not release:
            raise _only_by_release()
        if not to_quarantine:
            # Stock lies by model series (入库必须按车型入库): never moved into another series' zone.
            check_part_bin(conn, pid, to_location, founding=False)
        _check_held(conn, pid, from_id, normalised, amount)
        number = next_number(conn, TRANSFER.prefix, at)
        conn.execute(insert(t.stock_transfer).values(
            number=number, part_id=pid, from_location_id=from_id, to_location_id=to_id, qty=amount,
            state=TransferState.ENTERED.value, release=release, entered_by_id=actor.id, entered_at=at, note=note))
        return _read(conn, number)


def _only_by_release() -> RuleViolation:
    """The refusal of a transfer out of quarantine that is not a release."""
    return RuleViolation(_("quarantined units leave quarantine only by a write-off (stock adjust at "
                           "{quarantine}) or a release (stock release)").format(quarantine=ledger.QUARANTINE_LOCATION))


def _check_held(conn: Connection, pid: int, from_id: int, part_no: str, amount: Decimal) -> None:
    """OutOfStock unless the source bin holds `amount` of the part."""
    held = _on_hand_at(conn, pid, from_id)
    if held < amount:
        raise ledger.OutOfStock(part_no, amount, held, at_location=True)


def _create_between(part_no: str, amount: Decimal, *, from_location: str, to_location: str, to_station: str,
                    actor: Actor, uow: WriteUnit, note: str | None) -> TransferInfo:
    at = clock.now()
    with uow.write() as conn:
        station = stations.check_station(conn, to_station)
        pid = part_id(conn, part_no)
        normalised = normalise_part_no(part_no)
        check_whole(conn, [(normalised, amount)])
        from_id = location_id(conn, from_location)
        if _zone(conn, from_id) == QUARANTINE_ZONE:
            raise _only_by_release()
        with stations.at_station(conn, station):
            _pid, _loc, code = _destination(conn, station, normalised, to_location)
        _check_held(conn, pid, from_id, normalised, amount)
        number = next_number(conn, TRANSFER.prefix, at)
        conn.execute(insert(t.stock_transfer).values(
            number=number, part_id=pid, from_location_id=from_id, to_location_id=None, to_station=station,
            to_location_code=code, qty=amount, state=TransferState.ENTERED.value, release=False,
            entered_by_id=actor.id, entered_at=at, note=note))
        return _read(conn, number)


def check_rule(actor: Actor, entered_by: int, state: str) -> None:
    """RuleViolation (or PermissionDenied) unless the operator may check a transfer in this state: a checker or the
    parts manager, never the person who entered it (一审、二审), only while it waits."""
    require(actor, Permission.CHECK_TRANSFER)
    if state != TransferState.ENTERED.value:
        raise RuleViolation(_("the transfer is {state}: nothing to check").format(
            state=labels.label(labels.TRANSFER_STATE, state)))
    if actor.id == entered_by:
        raise RuleViolation(_("{code} entered this transfer: a second, different person checks it (一审、二审)").format(
            code=actor.code))


def may_check(actor: Actor | None, entered_by: int, state: str) -> bool:
    """Whether the operator may check (or refuse) a transfer in this state: the review screen's keys ask it."""
    return actor is not None and allows(check_rule, actor, entered_by, state)


def transfer_number(text: str) -> str:
    """A transfer's number as typed: TRF-2026-000001, or an incoming note's home:TRF-2026-000001 (the sending
    station's name, lower case as its schema's, before its number), spaces and case ignored."""
    number = normalise_number(text)
    station, colon, rest = number.rpartition(":")
    return f"{station.lower()}{colon}{rest}" if colon else number


def _row(conn: Connection, number: str):
    row = conn.execute(
        select(t.stock_transfer, t.part.c.part_no)
        .join(t.part, t.part.c.id == t.stock_transfer.c.part_id)
        .where(t.stock_transfer.c.number == transfer_number(number))
        .with_for_update(of=t.stock_transfer)
    ).first()
    if row is None:
        raise NotFound(_("unknown transfer {number}").format(number=transfer_number(number)))
    return row


def _not_incoming(row) -> None:
    """RuleViolation for an incoming note: the sending station entered and checked it, and the stock has moved."""
    if row.from_station is not None:
        raise RuleViolation(_("{number} is a transfer received from station {station}: it was entered and checked "
                              "there, and is not checked, refused or cancelled here").format(
            number=row.number, station=row.from_station))


@retried
def check_transfer(number: str, *, actor: Actor, uow: WriteUnit) -> TransferInfo:
    """Check a transfer (二审) and move it: the source bin's lots oldest first, each split into a lot at the
    destination with its received date and cost; all of it or nothing (OutOfStock when the bin holds less now)."""
    at = clock.now()
    with uow.write() as conn:
        row = _row(conn, number)
        _not_incoming(row)
        check_rule(actor, row.entered_by_id, row.state)
        if row.to_station is not None:
            _move_between(conn, row, actor, at)
            return _read(conn, row.number)
        ledger.lock_parts(conn, [row.part_id])  # in the one order every service locks lots (core.ledger)
        taken = ledger.take_oldest(conn, row.part_no, row.qty, location=row.from_location_id)
        document = DocumentRef(TRANSFER.prefix, row.number)
        ledger_chain.append(conn, taken.moves(kind=MoveKind.TRANSFER, document=document, actor=actor, at=at,
                                              note=row.note))
        new_lots = ledger.receive_lots(conn, [
            ledger.NewLot(row.part_id, row.to_location_id, pick.qty, pick.lot.unit_cost, document,
                          received_at=pick.lot.received_at)
            for pick in taken.picks
        ], actor=actor, at=at, kind=MoveKind.TRANSFER, note=row.note)
        conn.execute(insert(t.stock_transfer_lot), [
            {"transfer_id": row.id, "from_lot_id": pick.lot.id, "to_lot_id": lot, "qty": pick.qty}
            for pick, lot in zip(taken.picks, new_lots, strict=True)
        ])
        conn.execute(update(t.stock_transfer).where(t.stock_transfer.c.id == row.id).values(
            state=TransferState.CHECKED.value, decided_by_id=actor.id, decided_at=at))
        return _read(conn, row.number)


def _operator_there(conn: Connection, actor: Actor, station: str) -> Actor:
    """The checker as the other station knows him (inside at_station): its ledger rows name its own operators."""
    row = conn.execute(select(t.operator.c.id, t.operator.c.name)
                       .where(t.operator.c.code == actor.code, t.operator.c.active)).first()
    if row is None:
        raise RuleViolation(_("{code} is not an operator at station {station}: its ledger names who booked each "
                              "move, so the one who checks a transfer to it is an operator there too").format(
            code=actor.code, station=station))
    return Actor(row.id, actor.code, row.name, actor.roles, actor.language)


def _move_between(conn: Connection, row, actor: Actor, at: datetime) -> None:
    """The check of a transfer to another station, in the caller's one transaction: taken here oldest first, made
    there with each lot's received date and cost; both ledgers through the core's own functions; and there the
    incoming note of it (_note_incoming)."""
    station = stations.check_station(conn, row.to_station)
    home = stations.this_station(conn)
    source = conn.execute(select(t.location.c.code).where(t.location.c.id == row.from_location_id)).scalar_one()
    entered_by = conn.execute(select(t.operator.c.code).where(t.operator.c.id == row.entered_by_id)).scalar_one()
    ledger.lock_parts(conn, [row.part_id])
    for name in sorted((home, station)):  # the two heads in one order (see the module's docstring)
        if name == home:
            ledger_chain.lock_head(conn)
        else:
            with stations.at_station(conn, station):
                ledger_chain.lock_head(conn)
    taken = ledger.take_oldest(conn, row.part_no, row.qty, location=row.from_location_id)
    ledger_chain.append(conn, taken.moves(kind=MoveKind.TRANSFER, document=DocumentRef(TRANSFER.prefix, row.number),
                                          actor=actor, at=at, note=row.note))
    with stations.at_station(conn, station):
        pid, loc_id, _code = _destination(conn, station, row.part_no, row.to_location_code)
        there = _operator_there(conn, actor, station)
        document = DocumentRef(TRANSFER.prefix, f"{home}:{row.number}")
        new_lots = ledger.receive_lots(conn, [
            ledger.NewLot(pid, loc_id, pick.qty, pick.lot.unit_cost, document, received_at=pick.lot.received_at)
            for pick in taken.picks
        ], actor=there, at=at, kind=MoveKind.TRANSFER, note=row.note)
        _note_incoming(conn, IncomingNote(
            number=document.doc_no, sender=home, part_id=pid, source=source, location_id=loc_id, qty=row.qty,
            entered_by=entered_by, entered_at=row.entered_at, checker_id=there.id, checked_at=at, note=row.note,
            lots=tuple((pick.lot.id, lot, pick.qty) for pick, lot in zip(taken.picks, new_lots, strict=True))))
    conn.execute(insert(t.stock_transfer_lot), [
        {"transfer_id": row.id, "from_lot_id": pick.lot.id, "to_lot_id": None, "to_station_lot_id": lot,
         "qty": pick.qty}
        for pick, lot in zip(taken.picks, new_lots, strict=True)
    ])
    conn.execute(update(t.stock_transfer).where(t.stock_transfer.c.id == row.id).values(
        state=TransferState.CHECKED.value, decided_by_id=actor.id, decided_at=at))


@dataclass(frozen=True, slots=True)
class IncomingNote:
    """The receiving station's note of a transfer checked at the sending one, in the receiving station's ids."""

    number: str  # "sender:TRF-…", the document its ledger rows name
    sender: str
    part_id: int
    source: str  # the bin at the sending station, by code
    location_id: int  # the bin here
    qty: Decimal
    entered_by: str  # the sending station's operator, by code
    entered_at: datetime
    checker_id: int  # the checker as this station's operator (_operator_there)
    checked_at: datetime
    note: str | None
    lots: tuple[tuple[int, int, Decimal], ...]  # (the sender's lot taken, the lot made here, quantity)


def _note_incoming(conn: Connection, note: IncomingNote) -> None:
    """Write the incoming note at the receiving station (inside at_station, in the check's transaction): received,
    with its lots."""
    transfer_id = conn.execute(insert(t.stock_transfer).values(
        number=note.number, part_id=note.part_id, from_location_id=None, from_station=note.sender,
        from_location_code=note.source, to_location_id=note.location_id, qty=note.qty,
        state=TransferState.RECEIVED.value, release=False, entered_by_id=None, entered_by_code=note.entered_by,
        entered_at=note.entered_at, decided_by_id=note.checker_id, decided_at=note.checked_at, note=note.note,
    ).returning(t.stock_transfer.c.id)).scalar_one()
    conn.execute(insert(t.stock_transfer_lot), [
        {"transfer_id": transfer_id, "from_lot_id": None, "from_station_lot_id": taken, "to_lot_id": made,
         "to_station_lot_id": None, "qty": qty}
        for taken, made, qty in note.lots
    ])


@retried
def refuse_transfer(number: str, *, actor: Actor, uow: WriteUnit, note: str | None = None) -> TransferInfo:
    """The checker refuses a transfer waiting for the check: nothing moves; his note says why."""
    note = _clean_note(note)
    at = clock.now()
    with uow.write() as conn:
        row = _row(conn, number)
        _not_incoming(row)
        check_rule(actor, row.entered_by_id, row.state)
        values = {"state": TransferState.REFUSED.value, "decided_by_id": actor.id, "decided_at": at}
        if note:
            values["note"] = note
        conn.execute(update(t.stock_transfer).where(t.stock_transfer.c.id == row.id).values(**values))
        return _read(conn, row.number)


@retried
def cancel_transfer(number: str, *, actor: Actor, uow: WriteUnit) -> TransferInfo:
    """The person who entered a transfer withdraws it before the check: nothing moves."""
    at = clock.now()
    with uow.write() as conn:
        row = _row(conn, number)
        _not_incoming(row)
        if row.state != TransferState.ENTERED.value:
            raise RuleViolation(_("the transfer is {state}: it can no longer be cancelled").format(
                state=labels.label(labels.TRANSFER_STATE, row.state)))
        if actor.id != row.entered_by_id:
            raise RuleViolation(_("only the person who entered a transfer cancels it; a checker refuses it"))
        conn.execute(update(t.stock_transfer).where(t.stock_transfer.c.id == row.id).values(
            state=TransferState.CANCELLED.value, decided_by_id=actor.id, decided_at=at))
        return _read(conn, row.number)


# -- reading -----------------------------------------------------------------------------------


def _statement():
    tr = t.stock_transfer
    source, target = t.location.alias("source"), t.location.alias("target")
    entered, decided = t.operator.alias("entered"), t.operator.alias("decided")
    # A bin or an operator of another station is named by code on the note itself (to_location_code,
    # from_location_code, entered_by_code): its id is that station's.
    return (
        select(tr.c.id, tr.c.number, t.part.c.part_no, t.part.c.name,
               func.coalesce(source.c.code, tr.c.from_location_code).label("source"),
               func.coalesce(target.c.code, tr.c.to_location_code).label("target"), tr.c.qty, tr.c.state,
               tr.c.release, func.coalesce(entered.c.code, tr.c.entered_by_code).label("entered_by"), tr.c.entered_at,
               decided.c.code.label("decided_by"), tr.c.decided_at, tr.c.note, tr.c.entered_by_id, tr.c.to_station,
               tr.c.from_station)
        .join(t.part, t.part.c.id == tr.c.part_id)
        .outerjoin(source, source.c.id == tr.c.from_location_id)
        .outerjoin(target, target.c.id == tr.c.to_location_id)
        .outerjoin(entered, entered.c.id == tr.c.entered_by_id)
        .outerjoin(decided, decided.c.id == tr.c.decided_by_id)
    )


def _info(row, lots: tuple[TransferLotInfo, ...] = ()) -> TransferInfo:
    return TransferInfo(row.number, row.part_no, row.name, row.source, row.target, row.qty, row.state, row.release,
                        row.entered_by, row.entered_at, row.decided_by, row.decided_at, row.note, row.entered_by_id,
                        lots, row.to_station, row.from_station)


def _read(conn: Connection, number: str) -> TransferInfo:
    row = conn.execute(_statement().where(t.stock_transfer.c.number == transfer_number(number))).first()
    if row is None:
        raise NotFound(_("unknown transfer {number}").format(number=transfer_number(number)))
    link, origin = t.stock_transfer_lot, t.stock_lot
    # The date and cost of this station's side: the lot taken, or on an incoming note the lot made (the same).
    lots = conn.execute(
        select(func.coalesce(link.c.from_lot_id, link.c.from_station_lot_id),
               func.coalesce(link.c.to_lot_id, link.c.to_station_lot_id), link.c.qty,
               origin.c.unit_cost, origin.c.received_at)
        .join(origin, origin.c.id == func.coalesce(link.c.from_lot_id, link.c.to_lot_id))
        .where(link.c.transfer_id == row.id)
        .order_by(link.c.id)
    ).all()
    return _info(row, tuple(TransferLotInfo(*lot) for lot in lots))


def between_stations(*, uow: ReadUnit) -> bool:
    """Whether a transfer here may go to another station of the group: the database is PostgreSQL (core.stations)."""
    with uow.read_once() as conn:
        return stations.supported(conn)


def show_transfer(number: str, *, uow: ReadUnit) -> TransferInfo:
    """A transfer note with the lots it split once checked."""
    with uow.read() as conn:
        return _read(conn, number)


def list_transfers(*, uow: ReadUnit, state: str | None = None, limit: int = 500) -> list[TransferInfo]:
    """Transfer notes, newest first (at most `limit`), all or in one state; incoming notes among them."""
    statement = _statement().order_by(t.stock_transfer.c.id.desc()).limit(limit)
    if state:
        if state not in labels.codes(labels.TRANSFER_STATE):
            raise BadInput(_("unknown transfer state {state!r}; the states are {states}").format(
                state=state, states=", ".join(labels.codes(labels.TRANSFER_STATE))))
        statement = statement.where(t.stock_transfer.c.state == state)
    with uow.read() as conn:
        return [_info(row) for row in conn.execute(statement).all()]


@dataclass(frozen=True, slots=True)
class TransferPage:
    """A page of transfer notes, newest first, and how many there are."""

    rows: list[TransferInfo]
    total: int


def transfers_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> TransferPage:
    """`limit` transfer notes from `offset`, newest first, every state and direction (without their lots:
    show_transfer reads one's), and the count of all."""
    statement = _statement().order_by(t.stock_transfer.c.id.desc()).limit(max(0, limit)).offset(max(0, offset))
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(t.stock_transfer)).scalar_one()
        return TransferPage([_info(row) for row in conn.execute(statement).all()], total)


def transfers_awaiting(conn: Connection, actor: Actor) -> list[TransferInfo]:
    """The transfers waiting for this operator's check, oldest first (inside the caller's read)."""
    if not actor.can(Permission.CHECK_TRANSFER):
        return []
    rows = conn.execute(_statement().where(t.stock_transfer.c.state == TransferState.ENTERED.value,
                                           t.stock_transfer.c.entered_by_id != actor.id)
                        .order_by(t.stock_transfer.c.entered_at, t.stock_transfer.c.id)).all()
    return [_info(row) for row in rows]


def my_transfers_waiting(part_no: str, *, actor: Actor, uow: ReadUnit) -> list[TransferInfo]:
    """The transfers of this part the operator entered that still wait for the check, oldest first: the ones he
    may withdraw (cancel_transfer)."""
    with uow.read() as conn:
        pid = part_id(conn, normalise_part_no(part_no))
        rows = conn.execute(_statement().where(t.stock_transfer.c.state == TransferState.ENTERED.value,
                                               t.stock_transfer.c.entered_by_id == actor.id,
                                               t.stock_transfer.c.part_id == pid)
                            .order_by(t.stock_transfer.c.entered_at, t.stock_transfer.c.id)).all()
    return [_info(row) for row in rows]


def release(part_no: str, qty: str | Decimal, *, to_location: str, actor: Actor, uow: WriteUnit,
            note: str | None = None) -> TransferInfo:
    """Enter the return of quarantined units to a bin (the parts manager: found fit after all); like any transfer it
    moves only when a second person checks it."""
    return create_transfer(part_no, qty, from_location=ledger.QUARANTINE_LOCATION, to_location=to_location,
                           actor=actor, uow=uow, note=note, release=True)
