"""Suppliers and carriers by code: the parties an order, a receipt and a claim name."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from core import tables as t
from core.errors import BadInput, RuleViolation
from core.i18n import _


def party_code(text: str, what: str) -> str:
    """A supplier's or carrier's code as stored: trimmed, upper case, 1 to 20 characters."""
    code = (text or "").strip().upper()
    if not code or len(code) > 20:
        raise BadInput(_("{what} code {code!r} must be 1 to 20 characters").format(what=what, code=text))
    return code


def known_supplier(conn: Connection, code: str) -> int:
    """The id of a registered supplier by code; an unknown one is refused naming `supplier add`, the only way a
    supplier is registered (never as a side effect of an order or a receipt)."""
    code = party_code(code, _("supplier"))
    found = conn.execute(select(t.supplier.c.id).where(t.supplier.c.code == code)).scalar()
    if found is None:
        raise RuleViolation(_("supplier {code} is not registered: register it first with "
                              "`partsdesk supplier add {code} --name NAME`").format(code=code))
    return found


def insert_supplier(conn: Connection, code: str, name: str) -> int:
    """Register a supplier (its name defaults to the code); `supplier add` is its only caller."""
    code = party_code(code, _("supplier"))
    return conn.execute(insert(t.supplier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]


def ensure_carrier(conn: Connection, code: str, name: str | None = None) -> int:
    """The id of a carrier by code, created on first use."""
    code = party_code(code, _("carrier"))
    found = conn.execute(select(t.carrier.c.id).where(t.carrier.c.code == code)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(t.carrier).values(code=code, name=(name or code).strip())).inserted_primary_key[0]
