"""Superseded part numbers (the maker replaces one number by another, or by a kit) and parts taken off new
vehicles (拆新车) against the VIN."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sqltypes import Qty, UTCDateTime


class PartSupersession(SQLModel, table=True):
    """One link of a supersession: the old number is replaced by the new one from a date (a kit: several links
    from the same old number). Interchangeable: the old stock may still be issued for the new number."""

    __tablename__ = "part_supersession"

    id: int | None = Field(default=None, primary_key=True)
    old_part_id: int = Field(foreign_key="part.id", nullable=False)
    new_part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    effective_on: date = Field(sa_type=Date, nullable=False)
    interchangeable: bool = Field(nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("old_part_id", "new_part_id", name="uq_part_supersession"),
        CheckConstraint("old_part_id <> new_part_id", name="ck_part_supersession_not_itself"),
    )


class PartNewest(SQLModel, table=True):
    """Each superseded part's newest number(s), the chain A->B->C followed once when a link is set (C for A and
    for B), so that forecasts and drafts follow it by one join instead of walking it per statement.
    Interchangeable: every link on the way is."""

    __tablename__ = "part_newest"

    part_id: int = Field(foreign_key="part.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    newest_part_id: int = Field(foreign_key="part.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    interchangeable: bool = Field(nullable=False)

    __table_args__ = (Index("ix_part_newest_newest", "newest_part_id"),)


class VehicleTake(SQLModel, table=True):
    """Parts taken off a new vehicle (positive, received into a lot of their own) or put back on it (negative,
    the 负入库), against its VIN; what a VIN still lacks is the sum per part."""

    __tablename__ = "vehicle_take"

    id: int | None = Field(default=None, primary_key=True)
    vin: str = Field(sa_type=String(17), nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)  # signed: + taken off, - put back
    doc_type: str = Field(sa_type=String(8), nullable=False)
    doc_no: str = Field(sa_type=String(32), nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (
        CheckConstraint("qty <> 0", name="ck_vehicle_take_qty_not_zero"),
        Index("ix_vehicle_take_vin", "vin", "part_id"),
        Index("ix_vehicle_take_document", "doc_no"),
    )
