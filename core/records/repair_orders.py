"""Repair orders inside a transaction: found by number, and the header and people every slip of one repeats."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from core import tables as t
from core.direct import Direct
from core.errors import BadInput, NotFound
from core.i18n import _


@dataclass(frozen=True, slots=True)
class Person:
    """An operator as documents name them: code and name."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RoHeader:
    """What every slip of a repair order repeats: its number, state, customer and vehicle."""

    ro_no: str
    state: str
    customer_name: str
    customer_phone: str
    vin: str
    plate: str
    series: str
    mileage: int


def normalise_ro(text: str) -> str:
    """A repair-order number as typed or scanned: trimmed and upper-cased."""
    number = "".join((text or "").split()).upper()
    if not number:
        raise BadInput(_("repair-order number is empty"))
    return number


def _not_found(number: str) -> NotFound:
    return NotFound(_("unknown repair order {ro}").format(ro=number))


# Built once and sent straight to the driver (core.direct): every issue and return reads its order.
_RO_ROW = select(t.repair_order).where(t.repair_order.c.ro_no == bindparam("ro_no"))
_RO_ROWS = {False: Direct(_RO_ROW), True: Direct(_RO_ROW.with_for_update())}


def ro_row(conn: Connection, ro_no: str, *, lock: bool = False):
    """The repair order's row by number (locked for the transaction when asked), or NotFound."""
    number = normalise_ro(ro_no)
    row = _RO_ROWS[lock].execute(conn, {"ro_no": number}).first()
    if row is None:
        raise _not_found(number)
    return row


def people(conn: Connection, ids) -> dict[int, Person]:
    """Operators by id, as documents name them."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = conn.execute(
        select(t.operator.c.id, t.operator.c.code, t.operator.c.name).where(t.operator.c.id.in_(wanted))
    )
    return {r.id: Person(r.code, r.name) for r in rows}


def header_of(row) -> RoHeader:
    """The slip header of a repair_order row."""
    return RoHeader(row.ro_no, row.state, row.customer_name, row.customer_phone, row.vin, row.plate,
                    row.model_series, row.mileage)
