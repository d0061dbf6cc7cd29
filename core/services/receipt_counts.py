"""The count of a receipt as it is scanned: every scan stored at once, per receipt, per counter, per part.

At least two people open the boxes and count (须两人以上开箱清点); each counts at their own terminal
and the receipt's count is the sum of theirs. Every scan or typed quantity is one short write, so a
count survives a quit, a sign-out, a crash and a move to another terminal. Signing (receiving.
count_receipt) freezes it; a scan after signing is refused until the count is reopened on purpose,
which clears both signatures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select, update

from core import clock
from core import tables as t
from core.byte_order import byte_order
from core.codes import validate_part_no
from core.decimals import fmt_qty, parse_qty
from core.errors import BadInput
from core.i18n import _
from core.models import ReceiptState
from core.receiving_rules import MAX_LINE_QTY, ReceiptStep, check_receipt_step
from core.records.batches import rows_in_batches
from core.records.catalog import check_whole
from core.records.supersession import newest_numbers
from core.roles import Actor
from core.services.receiving import ReceiptInfo, _receipt_row, get_receipt
from core.services.supersession import received_note
from core.units import ReadUnit, WriteUnit, retried

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class CountedPart:
    """One part as counted so far: by everyone, and by the operator who asks."""

    part_no: str
    counted: Decimal
    damaged: Decimal
    mine: Decimal
    mine_damaged: Decimal
    name: str | None = None  # from the parts master (for a part not on the packing list)
    location: str | None = None
    superseded_by: tuple[str, ...] = ()  # an old number's newest number(s): counted as scanned, but flagged

    @property
    def superseded_note(self) -> str | None:
        """The flag of an old number counted, on the packing list or not (core.services.supersession.received_note),
        else None."""
        return received_note(self.part_no, self.superseded_by, shipped=False) if self.superseded_by else None


@dataclass(frozen=True, slots=True)
class StoredCount:
    """A receipt's count as the database holds it: each part's total, and how much each counter counted."""

    number: str
    state: str
    parts: dict[str, CountedPart] = field(default_factory=dict)
    by_counter: tuple[tuple[str, Decimal], ...] = ()  # (operator code, units counted), in code order

    @property
    def signed(self) -> bool:
        """Whether the count is signed (frozen until reopened)."""
        return self.state in (ReceiptState.COUNTED, ReceiptState.POSTED)


def count_of(number: str, *, actor: Actor, uow: ReadUnit) -> StoredCount:
    """The stored count of receipt `number`, with `actor`'s own share of each part."""
    with uow.read() as conn:
        return _stored(conn, _receipt_row(conn, number), actor)


def scan_part(number: str, text: str, *, actor: Actor, uow: WriteUnit) -> StoredCount:
    """One more of a part, scanned or typed, on the operator's count (a part not on the list is a wrong part)."""
    part_no = validate_part_no(text)
    return _change(number, part_no, actor, uow, lambda counted, damaged: (counted + ONE, damaged))


def set_counted(number: str, part_no: str, text: str | Decimal, *, actor: Actor, uow: WriteUnit) -> StoredCount:
    """Set how many of a part the operator counted (their own count; the other counters' stay)."""
    part_no = validate_part_no(part_no)
    qty = _quantity(text)

    def change(counted: Decimal, damaged: Decimal) -> tuple[Decimal, Decimal]:
        if qty < damaged:
            raise BadInput(_("{part_no}: {damaged} of them are damaged; lower the damaged first").format(
                part_no=part_no, damaged=fmt_qty(damaged)))
        return qty, damaged

    return _change(number, part_no, actor, uow, change)


def set_damaged(number: str, part_no: str, text: str | Decimal, *, actor: Actor, uow: WriteUnit) -> StoredCount:
    """Set how many of the units of a part the operator counted are damaged."""
    part_no = validate_part_no(part_no)
    qty = _quantity(text)

    def change(counted: Decimal, damaged: Decimal) -> tuple[Decimal, Decimal]:
        if qty > counted:
            raise BadInput(_("{part_no}: {damaged} damaged of {counted} counted is impossible").format(
                part_no=part_no, damaged=fmt_qty(qty), counted=fmt_qty(counted)))
        return counted, qty

    return _change(number, part_no, actor, uow, change)


@retried
def reopen_count(number: str, *, actor: Actor, uow: WriteUnit) -> ReceiptInfo:
    """Open a signed count again, on purpose: both signatures are cleared and the stored count may change again.

    The stored scans stay; the count is signed again, by two people, before posting.
    """
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(actor, receipt.number, receipt.state, ReceiptStep.REOPEN_COUNT)
        # Extra lines come back from the stored count at the next signing.
        conn.execute(delete(t.receipt_line).where(t.receipt_line.c.receipt_id == receipt.id,
                                                  t.receipt_line.c.expected == 0))
        conn.execute(update(t.receipt_line).where(t.receipt_line.c.receipt_id == receipt.id)
                     .values(counted=None, damaged=ZERO))
        conn.execute(update(t.receipt).where(t.receipt.c.id == receipt.id).values(
            state=ReceiptState.BOXES_CHECKED.value, counted_at=None, counted_by=None, counted_by_second=None))
    return get_receipt(number, uow=uow)


# -- inside ----------------------------------------------------------------------------------------


def _quantity(text: str | Decimal) -> Decimal:
    if isinstance(text, str) and not text.strip():
        raise BadInput(_("type the quantity first"))
    value = parse_qty(text)
    if value < 0:
        raise BadInput(_("a count cannot be negative"))
    return value


def _change(number: str, part_no: str, actor: Actor, uow: WriteUnit, change) -> StoredCount:
    """One short write: the receipt locked (a signature cannot slip in between), the operator's row changed."""
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(actor, receipt.number, receipt.state, ReceiptStep.COUNT)
        mine = t.receipt_count.c
        row = conn.execute(select(t.receipt_count).where(
            mine.receipt_id == receipt.id, mine.counter_id == actor.id, mine.part_no == part_no)).first()
        counted, damaged = change(row.counted, row.damaged) if row else change(ZERO, ZERO)
        check_whole(conn, [(part_no, counted), (part_no, damaged)])  # no 1.5 wiper blades, stored or not
        others = conn.execute(select(mine.counted).where(
            mine.receipt_id == receipt.id, mine.counter_id != actor.id, mine.part_no == part_no)).scalars().all()
        if counted + sum(others, ZERO) > MAX_LINE_QTY:
            raise BadInput(_("{part_no}: {qty} is not a count a shipment holds").format(
                part_no=part_no, qty=fmt_qty(counted + sum(others, ZERO))))
        at = clock.now()
        if row is None:
            if counted or damaged:
                conn.execute(insert(t.receipt_count).values(receipt_id=receipt.id, counter_id=actor.id,
                                                            part_no=part_no, counted=counted, damaged=damaged,
                                                            changed_at=at))
        elif counted or damaged:
            conn.execute(update(t.receipt_count).where(mine.id == row.id).values(counted=counted, damaged=damaged,
                                                                                 changed_at=at))
        else:  # set back to nothing: the row goes (an extra part scanned by mistake leaves the count)
            conn.execute(delete(t.receipt_count).where(mine.id == row.id))
        # Read back in the same transaction: what the screen shows next is what is stored.
        return _stored(conn, receipt, actor)


def _stored(conn: Connection, receipt, actor: Actor) -> StoredCount:
    rows = conn.execute(
        select(t.receipt_count.c.part_no, t.receipt_count.c.counter_id, t.receipt_count.c.counted,
               t.receipt_count.c.damaged, t.operator.c.code)
        .join(t.operator, t.operator.c.id == t.receipt_count.c.counter_id)
        .where(t.receipt_count.c.receipt_id == receipt.id)
    ).all()
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    by_counter: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        total = totals[r.part_no]
        total[0] += r.counted
        total[1] += r.damaged
        if r.counter_id == actor.id:
            total[2] += r.counted
            total[3] += r.damaged
        by_counter[r.code] += r.counted
    masters = {}
    if totals:
        statement = (select(t.part.c.part_no, t.part.c.name, t.location.c.code.label("location"))
                     .select_from(t.part.outerjoin(t.location, t.location.c.id == t.part.c.default_location_id)))
        masters = {r.part_no: r for r in rows_in_batches(
            conn, lambda batch: statement.where(byte_order(t.part.c.part_no).in_(batch)), totals)}
    newest = newest_numbers(conn, list(totals))
    parts = {}
    for part_no, (counted, damaged, mine, mine_damaged) in totals.items():
        master = masters.get(part_no)
        parts[part_no] = CountedPart(part_no, counted, damaged, mine, mine_damaged,
                                     master.name if master else None, master.location if master else None,
                                     newest.get(part_no, ()))
    return StoredCount(receipt.number, receipt.state, parts, tuple(sorted(by_counter.items())))
