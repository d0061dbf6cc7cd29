"""Shortage registrations inside a transaction: what is still short, and met by a receipt oldest first."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select, update

from core import tables as t
from core.models import ShortageState, Solution
from core.records.batches import rows_in_batches


def fulfil_shortages(conn: Connection, received: dict[int, Decimal], document: str, at: datetime) -> list[str]:
    """Mark fulfilled, oldest first, the shortages a receipt's accepted quantities cover (by part id);
    inside the caller's transaction. Returns the shortage numbers fulfilled."""
    if not received:
        return []
    statement = (select(t.shortage.c.id, t.shortage.c.number, t.shortage.c.part_id, t.shortage.c.qty,
                        t.shortage.c.logged_at)
                 .where(t.shortage.c.state.in_([ShortageState.OPEN.value, ShortageState.ANSWERED.value])))
    # Oldest first across the batches: each part's shortages come whole from one batch.
    rows = sorted(rows_in_batches(conn, lambda batch: statement.where(t.shortage.c.part_id.in_(batch)), received),
                  key=lambda row: (row.logged_at, row.id))
    left = defaultdict(Decimal, received)
    done = []
    for row in rows:
        if left[row.part_id] >= row.qty:
            left[row.part_id] -= row.qty
            done.append(row)
    for row in done:
        conn.execute(update(t.shortage).where(t.shortage.c.id == row.id).values(
            state=ShortageState.FULFILLED.value, fulfilled_at=at, fulfilled_by_doc=document))
    return [row.number for row in done]


def open_shortage_qty(conn: Connection) -> dict[int, Decimal]:
    """Quantity still short per part id (open or answered, not yet fulfilled), less the shortages answered with a
    line on the cycle's draft or an urgent order: those are on order already."""

    return dict(conn.execute(
        select(t.shortage.c.part_id, func.sum(t.shortage.c.qty))
        .where(t.shortage.c.state.in_([ShortageState.OPEN.value, ShortageState.ANSWERED.value]),
               t.shortage.c.solution.is_(None) | t.shortage.c.solution.not_in(
                   [Solution.ORDER.value, Solution.URGENT_PURCHASE.value]))
        .group_by(t.shortage.c.part_id)).all())
