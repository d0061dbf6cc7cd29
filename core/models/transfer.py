"""Transfers (调拨单) between bins and the stock adjustments (库存调整) that wait for approval above a value."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from core.models.enums import AdjustmentState, TransferState
from core.sqltypes import Money, Qty, UTCDateTime

_TRANSFER_STATES = ", ".join(f"'{s.value}'" for s in TransferState)
# A note from another station (from_station) names its source bin and who entered it by code, goes to a bin here,
# and is received, never anything else: it was checked at the sending station, where it moved.
INCOMING_CHECK = ("(from_station IS NULL) = (from_location_id IS NOT NULL) "
                  "AND (from_station IS NULL) = (from_location_code IS NULL) "
                  "AND (from_station IS NULL) = (entered_by_id IS NOT NULL) "
                  "AND (from_station IS NULL) = (entered_by_code IS NULL) "
                  "AND (from_station IS NULL) = (state <> 'received') "
                  "AND (from_station IS NULL OR (to_station IS NULL AND NOT release))")
_ADJUSTMENT_STATES = ", ".join(f"'{s.value}'" for s in AdjustmentState)


class StockTransfer(SQLModel, table=True):
    """A transfer note: a quantity of a part from one bin to another, entered by one person and moved only when a
    second, different person checks it (保管员录入调拨单一审，发货检验员二审)."""

    __tablename__ = "stock_transfer"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    # NULL for a transfer from another station (from_station): its source bin is that station's, named by code.
    from_location_id: int | None = Field(default=None, foreign_key="location.id", nullable=True)
    from_station: str | None = Field(default=None, sa_type=String(16), nullable=True)  # the sending station's schema
    from_location_code: str | None = Field(default=None, sa_type=String(20), nullable=True)
    # NULL for a transfer to another station (to_station): its bin is that station's, named by code.
    to_location_id: int | None = Field(default=None, foreign_key="location.id", nullable=True)
    to_station: str | None = Field(default=None, sa_type=String(16), nullable=True)  # the receiving station's schema
    to_location_code: str | None = Field(default=None, sa_type=String(20), nullable=True)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    # Out of quarantine (stock release): damaged-suspected units found fit go back to a bin, checked like any move.
    release: bool = Field(default=False, nullable=False)
    # NULL on an incoming note: who entered it is the sending station's operator, named by code (entered_by_code).
    entered_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    entered_by_code: str | None = Field(default=None, sa_type=String(16), nullable=True)
    entered_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    decided_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_TRANSFER_STATES})", name="ck_stock_transfer_state"),
        CheckConstraint("qty > 0", name="ck_stock_transfer_qty_positive"),
        CheckConstraint("from_location_id <> to_location_id", name="ck_stock_transfer_two_bins"),
        CheckConstraint("(state = 'entered') = (decided_at IS NULL)", name="ck_stock_transfer_decided"),
        CheckConstraint("(to_station IS NULL) = (to_location_id IS NOT NULL) AND "
                        "(to_station IS NULL) = (to_location_code IS NULL)", name="ck_stock_transfer_destination"),
        CheckConstraint(INCOMING_CHECK, name="ck_stock_transfer_source"),
    )


class TransferLot(SQLModel, table=True):
    """What a checked transfer took from one lot and the lot it made at the destination: same received date, same
    cost, so that the part's FIFO order and value do not change (the lot is split, never adjusted)."""

    __tablename__ = "stock_transfer_lot"

    id: int | None = Field(default=None, primary_key=True)
    transfer_id: int = Field(foreign_key="stock_transfer.id", nullable=False, index=True)
    # NULL on an incoming note: the lot taken is the sending station's (from_station_lot_id, its stock_lot id).
    from_lot_id: int | None = Field(default=None, foreign_key="stock_lot.id", nullable=True, index=True)
    from_station_lot_id: int | None = Field(default=None, nullable=True)
    to_lot_id: int | None = Field(default=None, foreign_key="stock_lot.id", nullable=True, index=True)
    # The lot made at the other station of a transfer between stations (that station's stock_lot id).
    to_station_lot_id: int | None = Field(default=None, nullable=True)
    qty: Decimal = Field(sa_type=Qty, nullable=False)

    __table_args__ = (
        CheckConstraint("qty > 0", name="ck_stock_transfer_lot_qty_positive"),
        CheckConstraint("(to_lot_id IS NULL) <> (to_station_lot_id IS NULL)", name="ck_stock_transfer_lot_one_lot"),
        CheckConstraint("(from_lot_id IS NULL) <> (from_station_lot_id IS NULL)",
                        name="ck_stock_transfer_lot_one_origin"),
    )


class StockAdjustment(SQLModel, table=True):
    """An adjustment whose value is above the station's `adjust_value_limit`: it waits, pending, for the parts
    manager's and the accountant's approval (each once, neither the person who entered it) before it posts."""

    __tablename__ = "stock_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    location_id: int = Field(foreign_key="location.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)  # signed: + a gain (new lot), - taken oldest first
    unit_cost: Decimal | None = Field(default=None, sa_type=Money, nullable=True)  # of a gain's new lot
    value: Decimal = Field(sa_type=Money, nullable=False)  # as entered: what put it above the limit
    reason: str = Field(sa_type=String(16), nullable=False)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    entered_by_id: int = Field(foreign_key="operator.id", nullable=False)
    entered_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    manager_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    manager_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    accountant_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    accountant_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_ADJUSTMENT_STATES})", name="ck_stock_adjustment_state"),
        CheckConstraint("qty <> 0", name="ck_stock_adjustment_qty_not_zero"),
        CheckConstraint("(state = 'pending') = (closed_at IS NULL)", name="ck_stock_adjustment_closed"),
    )
