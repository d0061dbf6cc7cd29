"""Stock reserved inside a transaction: the lines of written requisitions (先单后料) keep units for their repair
order until issued or cancelled; what another order may take is on hand less those."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection, bindparam, func, select

from core import tables as t
from core.counter_rules import RequisitionState
from core.direct import Direct
from core.records.batches import batched
from core.repair_states import OPEN_STATES


def reserved(
    conn: Connection, part_ids: Sequence[int], *, except_order: int | None = None, except_written: int | None = None,
) -> dict[int, Decimal]:
    """Quantity reserved per part id by written requisitions of open repair orders (a delivered, settled or
    cancelled order keeps nothing: no issue against it), leaving out those of repair order `except_order` (its own
    reservation is no bar to it) or the written requisition `except_written` (the one being issued)."""
    if not part_ids:
        return {}
    statement = _reserved_statement(except_order is not None, except_written is not None)
    excepted = {"except_order": except_order, "except_written": except_written}
    found: dict[int, Decimal] = {}
    # Grouped by part, so each part's sum comes whole from the one batch holding it.
    for batch in batched(dict.fromkeys(part_ids)):
        found.update(statement.execute(conn, {"part_ids": batch, **{k: v for k, v in excepted.items()
                                                                     if v is not None}}).all())
    return found


# The four forms (with or without each exception), built once each and sent straight to the driver
# (core.direct): every issue reads what other orders reserve.
_RESERVED: dict[tuple[bool, bool], Direct] = {}


def _reserved_statement(except_order: bool, except_written: bool) -> Direct:
    found = _RESERVED.get((except_order, except_written))
    if found is None:
        line, written = t.written_requisition_line, t.written_requisition
        statement = (
            select(line.c.part_id, func.sum(line.c.qty))
            .join(written, written.c.id == line.c.written_id)
            .join(t.repair_order, t.repair_order.c.id == written.c.repair_order_id)
            .where(line.c.part_id.in_(bindparam("part_ids", expanding=True)),
                   written.c.state == RequisitionState.WRITTEN.value,
                   t.repair_order.c.state.in_([s.value for s in OPEN_STATES]))
            .group_by(line.c.part_id)
        )
        if except_order:
            statement = statement.where(written.c.repair_order_id != bindparam("except_order"))
        if except_written:
            statement = statement.where(written.c.id != bindparam("except_written"))
        found = _RESERVED[(except_order, except_written)] = Direct(statement, lists=["part_ids"])
    return found


def reserved_by_part_no(conn: Connection, ids: dict[str, int], **kwargs) -> dict[str, Decimal]:
    """`reserved` keyed by part number (`ids`: part number → part id)."""
    by_id = reserved(conn, list(ids.values()), **kwargs)
    return {part_no: by_id[pid] for part_no, pid in ids.items() if pid in by_id}
