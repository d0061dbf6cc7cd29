"""Stocktake tables (盘点): the count document over a scope, its blind count lines, and each part's last count."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sqltypes import Money, Qty, UTCDateTime


class Stocktake(SQLModel, table=True):
    """A stocktake document (盘点单): its scope, state, and who opened, closed and approved it."""

    __tablename__ = "stocktake"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    scope_kind: str = Field(sa_type=String(12), nullable=False)
    scope: str = Field(sa_type=String(100), nullable=False)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    opened_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    opened_by: int = Field(foreign_key="operator.id", nullable=False)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    closed_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    # The sum of the lines' variance values at close (signed) and of their absolute values, which the limit reads.
    variance_value: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    variance_abs: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    approved_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    accountant_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    accountant_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)


class StocktakeLine(SQLModel, table=True):
    """One part at one bin on a stocktake: the count as made, who counted it, and the book at that moment.

    `book` is read from the lots in the same transaction that stores the count, so a move before or after the
    count is on the book exactly when it is on the shelf (core.services.stocktake explains the choice).
    """

    __tablename__ = "stocktake_line"

    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="stocktake.id", nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    location_id: int = Field(foreign_key="location.id", nullable=False)
    counted: Decimal | None = Field(default=None, sa_type=Qty, nullable=True)
    book: Decimal | None = Field(default=None, sa_type=Qty, nullable=True)
    counted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    counted_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    counted_by_second: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    value: Decimal | None = Field(default=None, sa_type=Money, nullable=True)  # the variance's value at close
    recounts: int = Field(default=0, nullable=False)

    __table_args__ = (
        UniqueConstraint("stocktake_id", "part_id", "location_id", name="uq_stocktake_line"),
        CheckConstraint("counted IS NULL OR counted >= 0", name="ck_stocktake_line_counted"),
    )


class PartCount(SQLModel, table=True):
    """When a part was last counted on an approved stocktake: the cycle count asks which parts are due."""

    __tablename__ = "part_count"

    part_id: int = Field(foreign_key="part.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    counted_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    stocktake_no: str = Field(sa_type=String(32), nullable=False)

    __table_args__ = (Index("ix_part_count_at", "counted_at"),)
