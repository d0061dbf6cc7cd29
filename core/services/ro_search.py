"""The repair-order board's search: an order by its number, plate, VIN (any six or more consecutive characters),
or the customer's name or phone, a page at a time.

Each way is an indexed look-up (migration 0025), never a scan of the orders: the number and the VIN by their
unique and plain indexes, six characters of a VIN by the index of the window they begin at, a plate also without
its province character (A12345 finds 沪A12345), the phone as typed and the name in any case.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, case, func, literal_column, or_, select

from core import tables as t
from core.errors import BadInput
from core.i18n import _
from core.intake import VIN_LENGTH
from core.records.repair_orders import people
from core.repair_states import STATE_ORDER
from core.services.repair_orders import RepairOrderPage, RepairOrderSummary
from core.units import ReadUnit

# A VIN is found by any run of at least this many of its characters: one index per window (migration 0025).
VIN_PIECE = 6
_VIN_WINDOWS = range(1, VIN_LENGTH - VIN_PIECE + 2)
_VIN_RUN = re.compile(r"[A-HJ-NPR-Z0-9]+")


def _fixed(number: int):
    """A number written into the statement, not bound: the expression must read as the index's does."""
    return literal_column(str(int(number)))


def search_condition(text: str) -> ColumnElement[bool]:
    """The orders `text` finds, as one SQL condition whose every branch an index answers; BadInput for nothing."""
    typed = " ".join((text or "").split())
    if not typed:
        raise BadInput(_("type an order number, plate, VIN, or the customer's name or phone"))
    key = "".join(typed.split()).upper()
    order = t.repair_order.c
    found = [order.ro_no == key, order.plate == key, func.substr(order.plate, _fixed(2)) == key,
             order.customer_phone == typed, func.lower(order.customer_name) == typed.lower()]
    if len(key) == VIN_LENGTH:
        found.append(order.vin == key)
    elif VIN_PIECE <= len(key) < VIN_LENGTH and _VIN_RUN.fullmatch(key):
        # The window the run's first six characters fall on, by its index; the whole run checked on its rows. One
        # term per window, so that each is an index look-up of its own (SQLite's OR plan, PostgreSQL's BitmapOr).
        piece = key[:VIN_PIECE]
        found.extend((func.substr(order.vin, _fixed(start), _fixed(VIN_PIECE)) == piece)
                     & order.vin.contains(key, autoescape=True) for start in _VIN_WINDOWS)
    return or_(*found)


def search_repair_orders(text: str, *, uow: ReadUnit, limit: int, offset: int = 0) -> RepairOrderPage:
    """`limit` orders `text` finds from `offset`, open and closed, by state in the workshop's order then newest
    number first, with how many it finds in all."""
    where = search_condition(text)
    order = t.repair_order
    by_state = case({s.value: index for s, index in STATE_ORDER.items()}, value=order.c.state, else_=len(STATE_ORDER))
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(order).where(where)).scalar_one()
        rows = conn.execute(select(order).where(where).order_by(by_state, order.c.ro_no.desc())
                            .limit(max(0, limit)).offset(max(0, offset))).all()
        who = people(conn, [r.advisor_id for r in rows] + [r.technician_id for r in rows])
    return RepairOrderPage([
        RepairOrderSummary(r.ro_no, r.state, r.state_at, r.opened_at, r.customer_name, r.plate, r.vin,
                           r.model_series, who[r.advisor_id].code,
                           who[r.technician_id].code if r.technician_id in who else None)
        for r in rows], total)
