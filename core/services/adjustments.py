"""Stock adjustments (库存调整) and write-offs (报废): a reason from the list, and above the station's value limit the
parts manager's and the accountant's approval before the ledger moves.

A positive adjustment is a new lot (an opening balance, a part found) in a bin of the part's series; a negative one
takes oldest first at the location named; quarantined units (core.ledger.QUARANTINE_LOCATION) leave the books this
way (a write-off) or go back to a bin by a checked transfer (core.services.transfers.release). An adjustment worth
more than `adjust_value_limit` is written down pending under its ADJ number and posts, on that number, once both
approvals are in: each by a different person, neither the one who entered it; stock is checked again then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from core import clock, labels, ledger
from core import tables as t
from core.codes import normalise_part_no
from core.decimals import check_value, money, parse_money, parse_qty
from core.documents import ADJUSTMENT, DocumentRef, next_number, normalise_number
from core.errors import BadInput, NotFound, RuleViolation
from core.fifo import pick_fifo
from core.i18n import _
from core.models import MoveKind
from core.models.enums import AdjustmentState
from core.records.catalog import check_whole, location_id, part_id
from core.records.settings import SETTINGS
from core.records.zones import check_part_bin
from core.roles import Actor, Permission, Role, allows, require
from core.units import ReadUnit, WriteUnit, retried

# The longest note the ledger row keeps beside the reason's code.
NOTE_LENGTH = 400


@dataclass(frozen=True, slots=True)
class Adjusted:
    """The result of an adjustment: its document number, the lots it touched (none while pending) and its state."""

    document: str
    part_no: str
    qty: Decimal
    lots: tuple[int, ...]
    state: str = AdjustmentState.POSTED.value
    value: Decimal = Decimal("0.00")
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PendingAdjustment:
    """An adjustment above the value limit, as `stock approve` and the review screen show it."""

    number: str
    part_no: str
    name: str
    location: str
    qty: Decimal
    value: Decimal
    reason: str
    note: str | None
    state: str
    entered_by: str
    entered_at: datetime
    manager: str | None
    accountant: str | None


def reasons() -> tuple[str, ...]:
    """The reason codes an adjustment may give (`stock reasons`), in the list's order."""
    return labels.codes(labels.ADJUST_REASON)


def reason_code(text: str | None) -> str:
    """The reason's code from its code or its label (English or the reader's language); BadInput listing the codes
    for anything else: free text is only a note now."""
    code = labels.parse(labels.ADJUST_REASON, text or "") if (text or "").strip() else None
    if code is None:
        if not (text or "").strip():
            raise BadInput(_("an adjustment needs a reason: one of {codes}").format(codes=", ".join(reasons())))
        raise BadInput(_("unknown reason {reason!r}; the reasons are {codes}").format(
            reason=text, codes=", ".join(reasons())))
    return code


def _note(code: str, note: str | None) -> str:
    """The ledger row's note: the reason's code, then the person's note beside it."""
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise BadInput(_("a note is at most {limit} characters").format(limit=NOTE_LENGTH))
    return f"{code}: {note}" if note else code


def _cost(unit_cost: str | Decimal) -> Decimal:
    cost = parse_money(unit_cost, _("unit cost"))
    if cost < 0:
        raise BadInput(_("unit cost {cost} is negative").format(cost=unit_cost))
    return cost


def value_limit(conn: Connection) -> Decimal:
    """The station's `adjust_value_limit`: an adjustment worth more waits for approval."""
    stored = conn.execute(select(t.setting.c.value).where(t.setting.c.key == "adjust_value_limit")).scalar()
    return Decimal(stored or SETTINGS["adjust_value_limit"].default_value())


def _taken_value(conn: Connection, pid: int, part_no: str, loc_id: int, qty: Decimal) -> Decimal:
    """What taking `qty` oldest first at the location would cost, without taking it; OutOfStock when the bin
    holds less."""
    lots = conn.execute(
        select(t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost)
        .where(t.stock_lot.c.part_id == pid, t.stock_lot.c.location_id == loc_id, t.stock_lot.c.qty_remaining > 0)
        .order_by(t.stock_lot.c.received_at, t.stock_lot.c.id)
    ).all()
    picks = pick_fifo([(lot, lot.qty_remaining) for lot in lots], qty)
    if picks is None:
        on_hand = sum((lot.qty_remaining for lot in lots), Decimal("0.000"))
        raise ledger.OutOfStock(part_no, qty, on_hand, at_location=True)
    return money(sum((pick.qty * pick.lot.unit_cost for pick in picks), Decimal(0)))


def _post(conn: Connection, pid: int, part_no: str, loc_id: int, amount: Decimal, cost: Decimal | None,
          document: DocumentRef, note: str, actor: Actor, at: datetime) -> tuple[int, ...]:
    """The adjustment's ledger rows: a new lot for a gain, oldest first at the location for a loss."""
    if amount > 0:
        return tuple(ledger.receive_lots(conn, [ledger.NewLot(pid, loc_id, amount, cost, document)], actor=actor,
                                         at=at, kind=MoveKind.ADJUST, note=note))
    ledger.lock_parts(conn, [pid])  # in the one order every service locks lots (core.ledger)
    takes = ledger.take_oldest_first(conn, part_no, -amount, kind=MoveKind.ADJUST, document=document, actor=actor,
                                     at=at, note=note, location=loc_id)
    return tuple(take.lot for take in takes)


@retried
def adjust(
    part_no: str, qty: str | Decimal, *, location: str, reason: str, actor: Actor, uow: WriteUnit,
    unit_cost: str | Decimal | None = None, note: str | None = None,
) -> Adjusted:
    """Correct stock with a reason code (`reasons()`) and an optional note: a positive quantity is a new lot in a bin
    of the part's series or a general one, a negative one takes oldest first at that location. It gets its own
    document number; worth more than `adjust_value_limit`, it waits pending for approval (approve_adjustment). A
    parts manager who enters one gives it his approval by doing so (the procedure asks the parts manager's and the
    accountant's: a station with one parts manager could not post it otherwise), so the accountant's is left."""
    require(actor, Permission.ADJUST_STOCK)
    amount = parse_qty(qty)
    if amount == 0:
        raise BadInput(_("an adjustment of zero changes nothing"))
    code = reason_code(reason)
    text = _note(code, note)
    cost = _cost(unit_cost) if unit_cost is not None else None
    at = clock.now()
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        check_whole(conn, [(part_no, amount)])
        loc_id = location_id(conn, location)
        normalised = normalise_part_no(part_no)
        if amount > 0:
            # Stock comes in by model series (入库必须按车型入库): never into another series' zone.
            check_part_bin(conn, pid, location, founding=False)
            if cost is None:
                cost = conn.execute(select(t.part.c.list_price).where(t.part.c.id == pid)).scalar_one()
            # Past the limits a lot's value could leave BIGINT: refused now, not after two approvals (core.decimals).
            value = money(check_value(amount, cost, _("the value of a new lot")))
        else:
            ledger.lock_parts(conn, [pid])
            value = _taken_value(conn, pid, normalised, loc_id, -amount)
        document = DocumentRef(ADJUSTMENT.prefix, next_number(conn, ADJUSTMENT.prefix, at))
        if value > value_limit(conn):
            conn.execute(insert(t.stock_adjustment).values(
                number=document.doc_no, part_id=pid, location_id=loc_id, qty=amount, unit_cost=cost, value=value,
                reason=code, note=(note or "").strip() or None, state=AdjustmentState.PENDING.value,
                entered_by_id=actor.id, entered_at=at,
                **({"manager_id": actor.id, "manager_at": at} if Role.PARTS_MANAGER in actor.roles else {})))
            return Adjusted(document.doc_no, normalised, amount, (), AdjustmentState.PENDING.value, value, code)
        lots = _post(conn, pid, normalised, loc_id, amount, cost, document, text, actor, at)
    return Adjusted(document.doc_no, normalised, amount, lots, AdjustmentState.POSTED.value, value, code)


def _pending_row(conn: Connection, number: str):
    row = conn.execute(
        select(t.stock_adjustment, t.part.c.part_no)
        .join(t.part, t.part.c.id == t.stock_adjustment.c.part_id)
        .where(t.stock_adjustment.c.number == normalise_number(number))
        .with_for_update(of=t.stock_adjustment)
    ).first()
    if row is None:
        raise NotFound(_("unknown adjustment waiting for approval {number}").format(number=normalise_number(number)))
    if row.state != AdjustmentState.PENDING.value:
        raise RuleViolation(_("{number} is {state}: nothing waits for approval").format(
            number=row.number, state=labels.label(labels.ADJUSTMENT_STATE, row.state)))
    return row


def approval_role(actor: Actor, entered_by: int, manager: int | None, accountant: int | None) -> Role:
    """The approval the operator gives an adjustment waiting for it (parts manager's or accountant's), or
    RuleViolation: never the person who entered it, never twice by one person, each role once."""
    require(actor, Permission.APPROVE_ADJUSTMENT)
    if actor.id == entered_by:
        raise RuleViolation(_("{code} entered this adjustment: another person approves it").format(code=actor.code))
    if actor.id in (manager, accountant):
        raise RuleViolation(_("{code} has already approved this adjustment").format(code=actor.code))
    if Role.PARTS_MANAGER in actor.roles and manager is None:
        return Role.PARTS_MANAGER
    if Role.ACCOUNTANT in actor.roles and accountant is None:
        return Role.ACCOUNTANT
    raise RuleViolation(_("this adjustment already has the approval {code} would give").format(code=actor.code))


def may_approve(actor: Actor | None, entered_by: int, manager: int | None, accountant: int | None) -> bool:
    """Whether the operator may approve an adjustment in this state (the review screen's key asks it)."""
    return actor is not None and allows(approval_role, actor, entered_by, manager, accountant)


@retried
def approve_adjustment(number: str, *, actor: Actor, uow: WriteUnit) -> Adjusted:
    """Give the parts manager's or the accountant's approval; with both in, the adjustment posts on its number
    (stock checked again: a loss needs the stock still there, else nothing changes)."""
    at = clock.now()
    with uow.write() as conn:
        row = _pending_row(conn, number)
        role = approval_role(actor, row.entered_by_id, row.manager_id, row.accountant_id)
        manager, accountant = row.manager_id, row.accountant_id
        values: dict = {}
        if role is Role.PARTS_MANAGER:
            manager, values = actor.id, {"manager_id": actor.id, "manager_at": at}
        else:
            accountant, values = actor.id, {"accountant_id": actor.id, "accountant_at": at}
        lots: tuple[int, ...] = ()
        state = AdjustmentState.PENDING.value
        if manager is not None and accountant is not None:
            document = DocumentRef(ADJUSTMENT.prefix, row.number)
            code = conn.execute(select(t.location.c.code).where(t.location.c.id == row.location_id)).scalar_one()
            if row.qty > 0:
                check_part_bin(conn, row.part_id, code, founding=False)
            # Posted as the person who entered it asked, on the last approver's word: he is the ledger row's operator.
            lots = _post(conn, row.part_id, row.part_no, row.location_id, row.qty, row.unit_cost, document,
                         _note(row.reason, row.note), actor, at)
            state = AdjustmentState.POSTED.value
            values.update(state=state, closed_at=at)
        conn.execute(update(t.stock_adjustment).where(t.stock_adjustment.c.id == row.id).values(**values))
    return Adjusted(row.number, row.part_no, row.qty, lots, state, row.value, row.reason)


@retried
def refuse_adjustment(number: str, *, actor: Actor, uow: WriteUnit) -> Adjusted:
    """Refuse an adjustment waiting for approval (one who may approve it): nothing moves, it stays on file."""
    at = clock.now()
    with uow.write() as conn:
        row = _pending_row(conn, number)
        approval_role(actor, row.entered_by_id, row.manager_id, row.accountant_id)
        conn.execute(update(t.stock_adjustment).where(t.stock_adjustment.c.id == row.id).values(
            state=AdjustmentState.REFUSED.value, closed_at=at))
    return Adjusted(row.number, row.part_no, row.qty, (), AdjustmentState.REFUSED.value, row.value, row.reason)


def _info_statement():
    adj, entered = t.stock_adjustment, t.operator.alias("entered")
    manager, accountant = t.operator.alias("manager"), t.operator.alias("accountant")
    return (
        select(adj.c.number, t.part.c.part_no, t.part.c.name, t.location.c.code, adj.c.qty, adj.c.value,
               adj.c.reason, adj.c.note, adj.c.state, entered.c.code.label("entered_by"), adj.c.entered_at,
               manager.c.code.label("manager"), accountant.c.code.label("accountant"), adj.c.entered_by_id,
               adj.c.manager_id, adj.c.accountant_id)
        .join(t.part, t.part.c.id == adj.c.part_id)
        .join(t.location, t.location.c.id == adj.c.location_id)
        .join(entered, entered.c.id == adj.c.entered_by_id)
        .outerjoin(manager, manager.c.id == adj.c.manager_id)
        .outerjoin(accountant, accountant.c.id == adj.c.accountant_id)
    )


def _info(row) -> PendingAdjustment:
    return PendingAdjustment(row.number, row.part_no, row.name, row.code, row.qty, row.value, row.reason, row.note,
                             row.state, row.entered_by, row.entered_at, row.manager, row.accountant)


def adjustments_awaiting(conn: Connection, actor: Actor) -> list[PendingAdjustment]:
    """The pending adjustments this operator may approve, oldest first (inside the caller's read)."""
    if not actor.can(Permission.APPROVE_ADJUSTMENT):
        return []
    rows = conn.execute(_info_statement().where(t.stock_adjustment.c.state == AdjustmentState.PENDING.value)
                        .order_by(t.stock_adjustment.c.entered_at, t.stock_adjustment.c.id)).all()
    return [_info(r) for r in rows if may_approve(actor, r.entered_by_id, r.manager_id, r.accountant_id)]


def pending_adjustments(*, uow: ReadUnit) -> list[PendingAdjustment]:
    """Every adjustment waiting for approval, oldest first."""
    with uow.read() as conn:
        rows = conn.execute(_info_statement().where(t.stock_adjustment.c.state == AdjustmentState.PENDING.value)
                            .order_by(t.stock_adjustment.c.entered_at, t.stock_adjustment.c.id)).all()
    return [_info(r) for r in rows]
