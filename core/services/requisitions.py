"""Requisitions (领料单): parts issued oldest lot first against an open repair order, signed by both.

出库凭单，先单后料，依单发料，验料签单: no open repair order, no issue; every line or none; the
storekeeper never issues to himself, and the receiving mechanic confirms with his PIN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, func, insert, select

from core import clock, ledger, ledger_chain
from core import tables as t
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.counter_rules import ShortOfStock, check_issue, check_one_step, short_lines
from core.decimals import money, positive_qty
from core.direct import Direct
from core.documents import REQUISITION, DocumentRef, next_number
from core.errors import BadInput
from core.i18n import _
from core.ledger import QUARANTINE_ZONE, Issued, Take, issued_takes
from core.models import MoveKind
from core.records import supersession
from core.records.batches import rows_in_batches
from core.records.catalog import check_whole, part_id
from core.records.repair_orders import Person, RoHeader, header_of, people, ro_row
from core.records.requisitions import requisition_row
from core.records.reservations import reserved, reserved_by_part_no
from core.records.settings import separate_issue
from core.roles import Actor, Permission, require
from core.services.operators import confirm_mechanic
from core.units import ReadUnit, WriteUnit, retried


@dataclass(frozen=True, slots=True)
class CounterStock:
    """A part as the counter shows it while the storekeeper types: names, what can be issued and where."""

    part_no: str
    name: str
    name_zh: str | None
    unit: str
    on_hand: Decimal  # what an issue of it may take: in a supersession chain, every number the issue takes from
    # (a kit: the old numbers' and as many kits as the scarcest kit part has free, its reservations taken off)
    location: str | None  # where the oldest lot lies (the one an issue takes first), else the part's bin
    reserved: Decimal = Decimal("0.000")  # kept by written requisitions (of other orders, when one is named)
    newest: tuple[str, ...] = ()  # a superseded part's newest number(s): the counter flags the old number
    issued_from: tuple[str, ...] = ()  # in an interchangeable chain: the numbers an issue takes, the oldest first
    # (a kit's old number: its old numbers, then the kit parts, one of each for every unit the old ones lack)
    left: Decimal = Decimal("0.000")  # on hand of this number itself (an old number's "left")

    @property
    def available(self) -> Decimal:
        """What may be issued or written now: on hand less what is reserved."""
        return max(self.on_hand - self.reserved, Decimal("0.000"))


@dataclass(frozen=True, slots=True)
class IssuedRequisition:
    """The result of an issue: the requisition's number and its lines."""

    number: str
    ro_no: str
    issued_at: datetime
    storekeeper: Person
    mechanic: Person
    lines: tuple[Issued, ...]  # each line: the part, the quantity and the lots taken, oldest first


@dataclass(frozen=True, slots=True)
class RequisitionLineView:
    """A line of a requisition with the lots it came from."""

    line_no: int
    part_no: str
    name: str
    name_zh: str | None
    unit: str
    qty: Decimal
    cost: Decimal
    takes: tuple[Take, ...]


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    """A part taken back on a requisition: before settlement it prints as a negative line on it."""

    ret_no: str
    returned_at: datetime
    part_no: str
    name: str
    name_zh: str | None
    unit: str
    qty: Decimal
    lot: int
    location: str  # where it went: the lot of origin's location, or quarantine
    unit_cost: Decimal
    damaged: bool
    note: str | None

    @property
    def cost(self) -> Decimal:
        """The quantity at the cost of the lot it was issued from."""
        return money(self.qty * self.unit_cost)


@dataclass(frozen=True, slots=True)
class RequisitionView:
    """A requisition as its slip shows it: repair order, vehicle, lines, negative lines, both signatures."""

    number: str
    ro: RoHeader
    issued_at: datetime
    storekeeper: Person
    mechanic: Person
    lines: tuple[RequisitionLineView, ...]
    returns: tuple[ReturnedLine, ...]  # returns before settlement: negative lines on this slip
    return_slips: tuple[str, ...]  # returns after settlement: slips of their own

    @property
    def cost(self) -> Decimal:
        """What was issued cost."""
        return money(sum((line.cost for line in self.lines), Decimal(0)))

    @property
    def net_cost(self) -> Decimal:
        """What was issued less what came back on this slip."""
        return money(self.cost - sum((r.cost for r in self.returns), Decimal(0)))


@dataclass(frozen=True, slots=True)
class OutstandingLine:
    """A part of a requisition and how much of it may still come back."""

    part_no: str
    name: str
    name_zh: str | None
    unit: str
    issued: Decimal
    returned: Decimal

    @property
    def outstanding(self) -> Decimal:
        """Issued and not yet returned."""
        return self.issued - self.returned


# -- input -------------------------------------------------------------------------------------


def parse_line(text: str) -> tuple[str, Decimal]:
    """A line as typed on the command line, PART_NO:QTY; the quantity must be more than zero."""
    raw = (text or "").strip()
    part_no, sep, qty = raw.rpartition(":")
    if not sep or not part_no.strip() or not qty.strip():
        raise BadInput(_("line {line!r} must be PART_NO:QTY").format(line=raw))
    normalised = normalise_part_no(part_no)
    return normalised, positive_qty(qty, normalised)


def merge_lines(lines: Iterable[tuple[str, str | Decimal]]) -> list[tuple[str, Decimal]]:
    """Lines with the part numbers normalised and one line per part (a part named twice is added up)."""
    merged: dict[str, Decimal] = {}
    for part_no, qty in lines:
        normalised = normalise_part_no(part_no)
        if not normalised:
            raise BadInput(_("a line has no part number"))
        merged[normalised] = merged.get(normalised, Decimal(0)) + positive_qty(qty, normalised)
    if not merged:
        raise BadInput(_("a requisition needs at least one line"))
    return list(merged.items())


# -- issuing -----------------------------------------------------------------------------------


@retried
def issue_requisition(
    ro_no: str, lines: Iterable[tuple[str, str | Decimal]], *, mechanic: str, mechanic_pin: str, actor: Actor,
    uow: WriteUnit,
) -> IssuedRequisition:
    """Issue parts in one step against an open repair order, oldest lot first, every line or none, signed by the
    storekeeper (the actor) and the receiving mechanic (his PIN); the requisition gets its number. Only where the
    station lets one person write and issue (setting separate_issue off); units reserved for another repair order
    are not taken."""
    require(actor, Permission.ISSUE_STOCK)
    wanted = merge_lines(lines)
    receiver = confirm_mechanic(mechanic, mechanic_pin, actor=actor, doing=_("issue to"), uow=uow)
    at = clock.now()
    with uow.write() as conn:
        check_one_step(separate_issue(conn))
        ro = ro_row(conn, ro_no, lock=True)
        check_issue(actor, ro)
        ids = {part_no: part_id(conn, part_no) for part_no, _qty in wanted}
        check_whole(conn, wanted)
        wanted, ids = spread_over_chains(conn, wanted, ids, lambda of: reserved_by_part_no(conn, of,
                                                                                          except_order=ro.id))
        # Units reserved for this order are its own to take; those of other orders are not.
        lock_and_check(conn, ro.ro_no, wanted, ids, lambda: reserved_by_part_no(conn, ids, except_order=ro.id))
        taken = take_lines(conn, wanted)
        # The number after the check and the takes: a refused issue burns no number, and the numbering row (like
        # the ledger's head after it) is locked until the commit for the fewest statements possible.
        number = next_number(conn, REQUISITION.prefix, at)
        issued = book_lines(conn, number, ro, taken, ids, actor=actor, mechanic_id=receiver.id, at=at)
    return IssuedRequisition(number, ro.ro_no, at, Person(actor.code, actor.name),
                             Person(receiver.code, receiver.name), issued)


def spread_over_chains(conn: Connection, wanted: list[tuple[str, Decimal]], ids: dict[str, int],
                       reserved: Callable[[dict[str, int]], dict[str, Decimal]],
                       ) -> tuple[list[tuple[str, Decimal]], dict[str, int]]:
    """The lines with each part in an interchangeable supersession chain spread over its numbers, the old stock
    first and the newest number last, a kit's old number's rest as a line of each kit part
    (core.records.supersession), and their ids; unchanged (one look-up) when no line is in a chain. `reserved(ids)`
    is what other repair orders hold of those numbers."""
    groups = supersession.issue_groups(conn, ids)
    if not groups:
        return wanted, ids
    members = {m: part_id(conn, m) for m in sorted({m for group in groups.values() for m in group.numbers})}
    ledger.lock_parts(conn, list(members.values()))  # counted under the locks, as lock_and_check does
    held = reserved(members)
    on_hand = ledger.issuable(conn, list(members))
    available = {m: on_hand.get(m, Decimal(0)) - held.get(m, Decimal(0)) for m in members}
    spread = supersession.split_lines(wanted, groups, available)
    return spread, {part_no: ids.get(part_no) or members[part_no] for part_no, _qty in spread}


def lock_and_check(conn: Connection, ro_no: str, wanted: list[tuple[str, Decimal]], ids: dict[str, int],
                   reserved: Callable[[], dict[str, Decimal]]) -> None:
    """Lock the lots of these parts (by part id then lot id, the order every service locks them in), then refuse
    with ShortOfStock, naming every short line at once, unless on hand less `reserved()` (read under the locks, so
    that two terminals reserving or issuing the last unit wait in turn) fills every line."""
    # Every lot these parts may be taken from, locked before anything is counted: an issue and a return naming
    # the same parts in another order wait in turn, never on each other; a second write sees the first's lines.
    ledger.lock_parts(conn, list(ids.values()))
    short = short_lines(wanted, ledger.issuable(conn, list(ids)), reserved=reserved())
    if short:
        names = dict(conn.execute(select(t.part.c.part_no, t.part.c.name).where(
            byte_order(t.part.c.part_no).in_([s.part_no for s in short]))).all())
        raise ShortOfStock(ro_no, [replace(s, name=names[s.part_no]) for s in short])


# Built once and sent straight to the driver (core.direct): the issue's hot path sends them every time.
_INSERT_REQUISITION = Direct(insert(t.requisition).values(
    {key: bindparam(key) for key in ("req_no", "repair_order_id", "issued_at", "storekeeper_id", "mechanic_id")}
).returning(t.requisition.c.id))
_INSERT_LINE = Direct(insert(t.requisition_line).values(
    {key: bindparam(key) for key in ("requisition_id", "line_no", "part_id", "qty", "cost")}))


def issue_lines(
    conn: Connection, number: str, ro, wanted: list[tuple[str, Decimal]], ids: dict[str, int], *, actor: Actor,
    mechanic_id: int, at: datetime,
) -> tuple[Issued, ...]:
    """Write the requisition `number` and take its lines oldest lot first (the lots already locked and checked)."""
    return book_lines(conn, number, ro, take_lines(conn, wanted), ids, actor=actor, mechanic_id=mechanic_id, at=at)


def take_lines(conn: Connection, wanted: list[tuple[str, Decimal]]) -> list[ledger.Taken]:
    """Take each line oldest lot first (the lots already locked and checked), its ledger rows not yet written."""
    return [ledger.take_oldest(conn, part_no, qty) for part_no, qty in wanted]


def book_lines(
    conn: Connection, number: str, ro, taken: list[ledger.Taken], ids: dict[str, int], *, actor: Actor,
    mechanic_id: int, at: datetime,
) -> tuple[Issued, ...]:
    """Write the requisition `number`, the ledger rows of what was taken (line after line, oldest lot first, one
    append) and its lines."""
    document = DocumentRef(REQUISITION.prefix, number)
    req_id = _INSERT_REQUISITION.execute(conn, {
        "req_no": number, "repair_order_id": ro.id, "issued_at": at, "storekeeper_id": actor.id,
        "mechanic_id": mechanic_id,
    }).scalar_one()
    # The repair order's number goes on each ledger row: the ledger alone tells where parts went.
    ledger_chain.append(conn, [move for line in taken for move in line.moves(
        kind=MoveKind.ISSUE, document=document, actor=actor, at=at, note=ro.ro_no)])
    issued = tuple(Issued(line.part_no, line.qty, line.takes) for line in taken)
    _INSERT_LINE.execute(conn, [{"requisition_id": req_id, "line_no": line_no, "part_id": ids[line.part_no],
                                 "qty": line.qty, "cost": line.cost}
                                for line_no, line in enumerate(issued, start=1)])
    return issued


# -- reading -----------------------------------------------------------------------------------


def get_requisition(req_no: str, *, uow: ReadUnit) -> RequisitionView:
    """A requisition with its lines, the lots they came from, and the returns shown on it."""
    with uow.read() as conn:
        return requisition_view(conn, requisition_row(conn, req_no))


def requisition_view(conn: Connection, req) -> RequisitionView:
    """The view of a requisition row (inside the caller's transaction)."""
    ro = conn.execute(select(t.repair_order).where(t.repair_order.c.id == req.repair_order_id)).one()
    takes = issued_takes(conn, req.req_no)
    lines = conn.execute(
        select(
            t.requisition_line.c.line_no,
            t.requisition_line.c.part_id,
            t.requisition_line.c.qty,
            t.requisition_line.c.cost,
            t.part.c.part_no,
            t.part.c.name,
            t.part.c.name_zh,
            t.part.c.unit,
        )
        .join(t.part, t.part.c.id == t.requisition_line.c.part_id)
        .where(t.requisition_line.c.requisition_id == req.id)
        .order_by(t.requisition_line.c.line_no)
    ).all()
    returned = returned_lines(conn, req.id)
    later = (
        conn.execute(
            select(t.return_slip.c.ret_no)
            .where(t.return_slip.c.requisition_id == req.id, t.return_slip.c.on_requisition.is_(False))
            .order_by(t.return_slip.c.id)
        )
        .scalars()
        .all()
    )
    who = people(conn, [req.storekeeper_id, req.mechanic_id])
    return RequisitionView(
        number=req.req_no, ro=header_of(ro), issued_at=req.issued_at, storekeeper=who[req.storekeeper_id],
        mechanic=who[req.mechanic_id],
        lines=tuple(RequisitionLineView(r.line_no, r.part_no, r.name, r.name_zh, r.unit, r.qty, r.cost,
                                        tuple(takes.get(r.part_id, ()))) for r in lines),
        returns=tuple(line for line, on_requisition in returned if on_requisition),
        return_slips=tuple(later),
    )


def returned_lines(conn: Connection, req_id: int) -> list[tuple[ReturnedLine, bool]]:
    """Every line taken back on a requisition, oldest first, with whether its return shows on the requisition."""
    origin = t.location.alias("origin")
    quarantine = t.stock_lot.alias("quarantine_lot")
    quarantine_at = t.location.alias("quarantine_at")
    rows = conn.execute(
        select(
            t.return_slip.c.ret_no,
            t.return_slip.c.returned_at,
            t.return_slip.c.on_requisition,
            t.part.c.part_no,
            t.part.c.name,
            t.part.c.name_zh,
            t.part.c.unit,
            t.return_line.c.qty,
            t.return_line.c.lot_id,
            t.return_line.c.unit_cost,
            t.return_line.c.damaged,
            t.return_line.c.note,
            origin.c.code.label("origin"),
            quarantine_at.c.code.label("quarantine"),
        )
        .select_from(t.return_line)
        .join(t.return_slip, t.return_slip.c.id == t.return_line.c.return_id)
        .join(t.part, t.part.c.id == t.return_line.c.part_id)
        .join(t.stock_lot, t.stock_lot.c.id == t.return_line.c.lot_id)
        .join(origin, origin.c.id == t.stock_lot.c.location_id)
        .outerjoin(quarantine, quarantine.c.id == t.return_line.c.quarantine_lot_id)
        .outerjoin(quarantine_at, quarantine_at.c.id == quarantine.c.location_id)
        .where(t.return_slip.c.requisition_id == req_id)
        .order_by(t.return_slip.c.id, t.return_line.c.line_no)
    ).all()
    return [
        (ReturnedLine(r.ret_no, r.returned_at, r.part_no, r.name, r.name_zh, r.unit, r.qty, r.lot_id,
                      r.quarantine if r.damaged else r.origin, r.unit_cost, bool(r.damaged), r.note),
         bool(r.on_requisition))
        for r in rows
    ]


def outstanding(req_no: str, *, uow: ReadUnit) -> list[OutstandingLine]:
    """Per line of a requisition: issued, returned so far, and so what may still come back."""
    with uow.read() as conn:
        req = requisition_row(conn, req_no)
        returned = dict(conn.execute(
            select(t.return_line.c.part_id, func.sum(t.return_line.c.qty))
            .join(t.return_slip, t.return_slip.c.id == t.return_line.c.return_id)
            .where(t.return_slip.c.requisition_id == req.id)
            .group_by(t.return_line.c.part_id)
        ).all())
        lines = conn.execute(
            select(
                t.requisition_line.c.part_id,
                t.requisition_line.c.qty,
                t.part.c.part_no,
                t.part.c.name,
                t.part.c.name_zh,
                t.part.c.unit,
            )
            .join(t.part, t.part.c.id == t.requisition_line.c.part_id)
            .where(t.requisition_line.c.requisition_id == req.id)
            .order_by(t.requisition_line.c.line_no)
        ).all()
    return [OutstandingLine(r.part_no, r.name, r.name_zh, r.unit, r.qty, returned.get(r.part_id, Decimal("0.000")))
            for r in lines]


def counter_stock(part_nos: Sequence[str], *, uow: ReadUnit, ro_no: str | None = None) -> dict[str, CounterStock]:
    """For the counter as the storekeeper types: each known part's names, issuable on hand, what written
    requisitions reserve of it (those of other orders than `ro_no`, where given) and where to pick it. A part in an
    interchangeable supersession chain counts what the issue takes for it (core.records.supersession.issue_groups:
    the old numbers' stock first, then the newest's, or as many kits as the scarcest kit part has free), so that the
    counter acts on the current number as the issue does; a superseded part names its newest number(s) to flag it."""
    normalised = list(dict.fromkeys(normalise_part_no(p) for p in part_nos if p))
    if not normalised:
        return {}
    bin_ = t.location.alias("bin")
    with uow.read() as conn:
        known = (select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.unit,
                        bin_.c.code.label("bin"))
                 .select_from(t.part.outerjoin(bin_, bin_.c.id == t.part.c.default_location_id)))
        parts = list(rows_in_batches(conn, lambda batch: known.where(byte_order(t.part.c.part_no).in_(batch)),
                                     normalised))
        ids = {p.part_no: p.id for p in parts}
        groups = supersession.issue_groups(conn, ids)  # one look-up, and nothing more, when no part is in a chain
        for member in sorted({m for group in groups.values() for m in group.numbers} - set(ids)):
            ids[member] = part_id(conn, member)
        available = ledger.issuable(conn, list(ids))
        ro_id = conn.execute(select(t.repair_order.c.id).where(
            t.repair_order.c.ro_no == ro_no)).scalar_one_or_none() if ro_no else None
        held = reserved(conn, list(ids.values()), except_order=ro_id)
        newest = supersession.newest_numbers(conn, [p.part_no for p in parts])
        lots = (select(t.stock_lot.c.part_id, t.location.c.code)
                .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
                .where(t.stock_lot.c.qty_remaining > 0, t.location.c.zone != QUARANTINE_ZONE)
                .order_by(t.stock_lot.c.part_id, t.stock_lot.c.received_at, t.stock_lot.c.id))
        # Each part's lots come whole, oldest first, from the one batch holding the part.
        first_lots = list(rows_in_batches(conn, lambda batch: lots.where(t.stock_lot.c.part_id.in_(batch)),
                                          list(ids.values())))
    oldest: dict[int, str] = {}
    for part, code in first_lots:
        oldest.setdefault(part, code)
    zero = Decimal("0.000")
    found = {}
    for p in parts:
        group = groups.get(p.part_no)
        takes = group.numbers if group is not None else (p.part_no,)
        # The issue takes the first number of the chain that has stock: the counter sends the storekeeper there.
        first = next((ids[m] for m in takes if available.get(m, zero) > 0 and ids[m] in oldest), p.id)
        if group is None:
            on_hand, kept = available.get(p.part_no, zero), held.get(p.id, zero)
        else:
            on_hand, kept = supersession.group_stock(group, available, {m: held.get(ids[m], zero) for m in takes})
        found[p.part_no] = CounterStock(
            p.part_no, p.name, p.name_zh, p.unit, on_hand, oldest.get(first, p.bin), kept,
            newest.get(p.part_no, ()), takes if group is not None else (), available.get(p.part_no, zero))
    return found
