"""Column types that keep Decimal exact and time in UTC on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator


class _Scaled(TypeDecorator):
    """A Decimal stored as a scaled integer, so SQLite never turns it into a float and SUM stays exact."""

    impl = BigInteger
    cache_ok = True
    scale = 0

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not stored as quantities or money")
        scaled = Decimal(value).scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    @property
    def python_type(self):
        return Decimal


class Qty(_Scaled):
    """A quantity, 3 decimal places (stored in thousandths)."""

    scale = 3
    cache_ok = True


class Money(_Scaled):
    """Money, 2 decimal places (stored in cents)."""

    scale = 2
    cache_ok = True


class UTCDateTime(TypeDecorator):
    """An instant stored as naive UTC and read back timezone-aware, the same on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; use core.clock")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)

    @property
    def python_type(self):
        return datetime
