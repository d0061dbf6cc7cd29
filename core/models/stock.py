"""Foundation tables: parts, locations, operators, stock lots and the append-only stock ledger."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from core.sqltypes import Money, Qty, UTCDateTime


class Location(SQLModel, table=True):
    """A bin in the warehouse, coded ZONE-ROW-SHELF-BIN; the zone belongs to a vehicle model series."""

    __tablename__ = "location"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20), unique=True, nullable=False)
    zone: str = Field(sa_type=String(4), nullable=False, index=True)
    series: str | None = Field(default=None, sa_type=String(40), nullable=True)


class Part(SQLModel, table=True):
    """A part number of the parts master; part_no is stored normalised (upper-case, no spaces)."""

    __tablename__ = "part"

    id: int | None = Field(default=None, primary_key=True)
    part_no: str = Field(sa_type=String(40), unique=True, nullable=False)
    name: str = Field(sa_type=String(200), nullable=False)
    name_zh: str | None = Field(default=None, sa_type=String(200), nullable=True)
    model_series: str | None = Field(default=None, sa_type=String(40), nullable=True, index=True)
    unit: str = Field(default="pc", sa_type=String(12), nullable=False)
    list_price: Decimal = Field(default=Decimal("0.00"), sa_type=Money, nullable=False)
    fragile: bool = Field(default=False, nullable=False)
    pack_qty: Decimal = Field(default=Decimal("1.000"), sa_type=Qty, nullable=False)
    # General (通用件) or common to several series: it may lie in any series' zone (core.codes.series_misfit).
    general: bool = Field(default=False, nullable=False, sa_column_kwargs={"server_default": sa_false()})
    default_location_id: int | None = Field(default=None, foreign_key="location.id", nullable=True)
    # The part group a price rule may name (brakes, filters, ...): set by `part set-general --group`.
    part_group: str | None = Field(default=None, sa_type=String(40), nullable=True)
    # Ordered from the station's manufacturer (a setting) unless the part names another supplier.
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", nullable=True)

    __table_args__ = (
        CheckConstraint("list_price >= 0", name="ck_part_price_not_negative"),
        CheckConstraint("pack_qty > 0", name="ck_part_pack_qty_positive"),
    )


class Operator(SQLModel, table=True):
    """A person who works at the desk; the PIN is kept only as a salted scrypt hash."""

    __tablename__ = "operator"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(16), unique=True, nullable=False)
    name: str = Field(sa_type=String(100), nullable=False)
    roles: str = Field(sa_type=String(200), nullable=False)  # comma-separated Role values
    pin_hash: str = Field(sa_type=String(200), nullable=False)
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Wrong PINs in a row, counted here so that every terminal shares the count (core.pins: the lockout rule).
    failed_pins: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    lockouts: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    # The language the desk speaks to this operator in (core.i18n.LANGUAGES); the TUI switches at sign-in.
    language: str = Field(default="en", sa_type=String(8), nullable=False)


class StockLot(SQLModel, table=True):
    """Stock received together at one location, one cost and one time; FIFO takes the oldest first."""

    __tablename__ = "stock_lot"

    id: int | None = Field(default=None, primary_key=True)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    location_id: int = Field(foreign_key="location.id", nullable=False)
    received_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    qty_received: Decimal = Field(sa_type=Qty, nullable=False)
    qty_remaining: Decimal = Field(sa_type=Qty, nullable=False)
    unit_cost: Decimal = Field(sa_type=Money, nullable=False)
    doc_type: str = Field(sa_type=String(8), nullable=False)
    doc_no: str = Field(sa_type=String(32), nullable=False)

    __table_args__ = (
        # The database itself refuses negative stock, whatever code path writes.
        CheckConstraint("qty_remaining >= 0", name="ck_lot_remaining_not_negative"),
        CheckConstraint("qty_remaining <= qty_received", name="ck_lot_remaining_within_received"),
        CheckConstraint("qty_received > 0", name="ck_lot_received_positive"),
        CheckConstraint("unit_cost >= 0", name="ck_lot_cost_not_negative"),
        Index("ix_stock_lot_fifo", "part_id", "received_at", "id"),
        Index("ix_stock_lot_location", "location_id", "part_id"),
    )


class StockMove(SQLModel, table=True):
    """One row of the append-only stock ledger: never updated, never deleted (triggers enforce it).

    Each row is chained to the one before it by a hash (core.ledger_chain), so a row changed, removed or
    inserted behind the triggers' back shows in `stock check` / `stock verify`. Its id is given by the
    ledger, one more than the last (ledger_head), so that ids have no gaps and a gap means a removal.
    """

    __tablename__ = "stock_move"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    lot_id: int = Field(foreign_key="stock_lot.id", nullable=False)
    location_id: int = Field(foreign_key="location.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)  # signed: + into stock, - out of it
    unit_cost: Decimal = Field(sa_type=Money, nullable=False)
    doc_type: str = Field(sa_type=String(8), nullable=False)
    doc_no: str = Field(sa_type=String(32), nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    # sha256 (hex) of the previous row's chain and this row's fields: see core.ledger_chain.
    chain: str = Field(sa_type=String(64), nullable=False)

    __table_args__ = (
        CheckConstraint("qty <> 0", name="ck_move_qty_not_zero"),
        Index("ix_stock_move_part", "part_id", "id"),
        Index("ix_stock_move_lot_place", "lot_id", "part_id", "location_id", "qty"),
        Index("ix_stock_move_document", "doc_type", "doc_no"),
    )


class LedgerHead(SQLModel, table=True):
    """The ledger's last row, one row only: its id and chain. Read and locked under the write lock before a
    ledger row is appended, so two terminals cannot fork the chain, and it shows rows removed from the end."""

    __tablename__ = "ledger_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})  # always 1
    last_id: int = Field(nullable=False)
    chain: str = Field(sa_type=String(64), nullable=False)

    __table_args__ = (CheckConstraint("id = 1", name="ck_ledger_head_one_row"),)


class DocumentSequence(SQLModel, table=True):
    """The last number handed out per document type and year (ADJ-2026-000001, ...)."""

    __tablename__ = "document_sequence"

    doc_type: str = Field(sa_type=String(8), primary_key=True)
    year: int = Field(primary_key=True)
    last_no: int = Field(default=0, nullable=False)


class WorkInProgress(SQLModel, table=True):
    """Work an operator has started on a screen and not committed yet (the counter's lines for a repair order),
    kept so that it survives a sign-out, a quit or a crash; gone once the work is committed or dropped."""

    __tablename__ = "work_in_progress"

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    screen: str = Field(sa_type=String(40), nullable=False)
    document: str = Field(sa_type=String(64), nullable=False)
    payload: str = Field(sa_type=Text, nullable=False)  # JSON
    # When the screen made the change (ns): a save overtaken by a later one never overwrites it.
    version: int = Field(sa_type=BigInteger, nullable=False)
    saved_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("operator_id", "screen", "document", name="uq_work_in_progress"),)


class Setting(SQLModel, table=True):
    """A station-wide setting as text (cycle length, manufacturer, demo marker, ...)."""

    __tablename__ = "setting"

    key: str = Field(sa_type=String(64), primary_key=True)
    value: str = Field(sa_type=String(500), nullable=False)
