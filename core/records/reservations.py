"""Stock reserved inside a transaction: the lines of written requisitions (先单后料) keep units for their repair
order until issued or cancelled; what another order may take is on hand less those."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection, func, select

from core import tables as t
from core.counter_rules import RequisitionState
from core.records.batches import rows_in_batches
from core.repair_states import OPEN_STATES


def reserved(
    conn: Connection, part_ids: Sequence[int], *, except_order: int | None = None, except_written: int | None = None,
) -> dict[int, Decimal]:
    """Quantity reserved per part id by written requisitions of open repair orders (a delivered, settled or
    cancelled order keeps nothing: no issue against it), leaving out those of repair order `except_order` (its own
    reservation is no bar to it) or the written requisition `except_written` (the one being issued)."""
    if not part_ids:
        return {}
    line, written = t.written_requisition_line, t.written_requisition
    statement = (
        select(line.c.part_id, func.sum(line.c.qty))
        .join(written, written.c.id == line.c.written_id)
        .join(t.repair_order, t.repair_order.c.id == written.c.repair_order_id)
        .where(written.c.state == RequisitionState.WRITTEN.value,
               t.repair_order.c.state.in_([s.value for s in OPEN_STATES]))
        .group_by(line.c.part_id)
    )
    if except_order is not None:
        statement = statement.where(written.c.repair_order_id != except_order)
    if except_written is not None:
        statement = statement.where(written.c.id != except_written)
    # Grouped by part, so each part's sum comes whole from the one batch holding it.
    return dict(rows_in_batches(conn, lambda batch: statement.where(line.c.part_id.in_(batch)), part_ids))


def reserved_by_part_no(conn: Connection, ids: dict[str, int], **kwargs) -> dict[str, Decimal]:
    """`reserved` keyed by part number (`ids`: part number → part id)."""
    by_id = reserved(conn, list(ids.values()), **kwargs)
    return {part_no: by_id[pid] for part_no, pid in ids.items() if pid in by_id}
