"""A part's selling price to the customer (a stand-in: the price rules' module replaces it at merge)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core import tables as t


def selling_price(session, part) -> Decimal:
    """The part's list price (`session` a Connection, `part` a part id)."""
    return session.execute(select(t.part.c.list_price).where(t.part.c.id == part)).scalar_one()
