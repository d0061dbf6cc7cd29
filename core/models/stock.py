"""Foundation tables: parts, locations, operators, stock lots and the append-only stock ledger."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false

from core.models import metadata
from core.sqltypes import Money, Qty, UTCDateTime


class MoveKind(StrEnum):
    """Why stock moved: every ledger row has one."""

    RECEIPT = "receipt"
    ISSUE = "issue"
    RETURN = "return"
    ADJUST = "adjust"


# A bin in the warehouse, coded ZONE-ROW-SHELF-BIN; the zone belongs to a vehicle model series.
location = Table(
    "location",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), unique=True, nullable=False),
    Column("zone", String(4), index=True, nullable=False),
    Column("series", String(40), nullable=True),
)


# A part number of the parts master; part_no is stored normalised (upper-case, no spaces).
part = Table(
    "part",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("part_no", String(40), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_zh", String(200), nullable=True),
    Column("model_series", String(40), index=True, nullable=True),
    Column("unit", String(12), default="pc", nullable=False),
    Column("list_price", Money, default=Decimal("0.00"), nullable=False),
    Column("fragile", Boolean, default=False, nullable=False),
    Column("pack_qty", Qty, default=Decimal("1.000"), nullable=False),
    # General (通用件) or common to several series: it may lie in any series' zone (core.codes.series_misfit).
    Column("general", Boolean, default=False, nullable=False, server_default=sa_false()),
    Column("default_location_id", Integer, ForeignKey("location.id"), nullable=True),
    # Ordered from the station's manufacturer (a setting) unless the part names another supplier.
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=True),
    CheckConstraint("list_price >= 0", name="ck_part_price_not_negative"),
    CheckConstraint("pack_qty > 0", name="ck_part_pack_qty_positive"),
)


# A person who works at the desk; the PIN is kept only as a salted scrypt hash.
operator = Table(
    "operator",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), unique=True, nullable=False),
    Column("name", String(100), nullable=False),
    Column("roles", String(200), nullable=False),  # comma-separated Role values
    Column("pin_hash", String(200), nullable=False),
    Column("active", Boolean, default=True, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Wrong PINs in a row, counted here so that every terminal shares the count (core.pins: the lockout rule).
    Column("failed_pins", Integer, default=0, nullable=False, server_default="0"),
    Column("lockouts", Integer, default=0, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime, nullable=True),
    # The language the desk speaks to this operator in (core.i18n.LANGUAGES); the TUI switches at sign-in.
    Column("language", String(8), default="en", nullable=False),
)


# Stock received together at one location, one cost and one time; FIFO takes the oldest first.
stock_lot = Table(
    "stock_lot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("qty_received", Qty, nullable=False),
    Column("qty_remaining", Qty, nullable=False),
    Column("unit_cost", Money, nullable=False),
    Column("doc_type", String(8), nullable=False),
    Column("doc_no", String(32), nullable=False),
    # The database itself refuses negative stock, whatever code path writes.
    CheckConstraint("qty_remaining >= 0", name="ck_lot_remaining_not_negative"),
    CheckConstraint("qty_remaining <= qty_received", name="ck_lot_remaining_within_received"),
    CheckConstraint("qty_received > 0", name="ck_lot_received_positive"),
    CheckConstraint("unit_cost >= 0", name="ck_lot_cost_not_negative"),
    Index("ix_stock_lot_fifo", "part_id", "received_at", "id"),
    Index("ix_stock_lot_location", "location_id", "part_id"),
)


# One row of the append-only stock ledger: never updated, never deleted (triggers enforce it).
#
# Each row is chained to the one before it by a hash (core.ledger_chain), so a row changed, removed or
# inserted behind the triggers' back shows in `stock check` / `stock verify`. Its id is given by the
# ledger, one more than the last (ledger_head), so that ids have no gaps and a gap means a removal.
stock_move = Table(
    "stock_move",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("lot_id", Integer, ForeignKey("stock_lot.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("qty", Qty, nullable=False),  # signed: + into stock, - out of it
    Column("unit_cost", Money, nullable=False),
    Column("doc_type", String(8), nullable=False),
    Column("doc_no", String(32), nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("note", String(500), nullable=True),
    # sha256 (hex) of the previous row's chain and this row's fields: see core.ledger_chain.
    Column("chain", String(64), nullable=False),
    CheckConstraint("qty <> 0", name="ck_move_qty_not_zero"),
    Index("ix_stock_move_part", "part_id", "id"),
    Index("ix_stock_move_lot", "lot_id"),
    Index("ix_stock_move_document", "doc_type", "doc_no"),
)


# The ledger's last row, one row only: its id and chain. Read and locked under the write lock before a
# ledger row is appended, so two terminals cannot fork the chain, and it shows rows removed from the end.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("last_id", Integer, nullable=False),
    Column("chain", String(64), nullable=False),
    CheckConstraint("id = 1", name="ck_ledger_head_one_row"),
)


# The last number handed out per document type and year (ADJ-2026-000001, ...).
document_sequence = Table(
    "document_sequence",
    metadata,
    Column("doc_type", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_no", Integer, default=0, nullable=False),
)


# Work an operator has started on a screen and not committed yet (the counter's lines for a repair order),
# kept so that it survives a sign-out, a quit or a crash; gone once the work is committed or dropped.
work_in_progress = Table(
    "work_in_progress",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("screen", String(40), nullable=False),
    Column("document", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    # When the screen made the change (ns): a save overtaken by a later one never overwrites it.
    Column("version", BigInteger, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    UniqueConstraint("operator_id", "screen", "document", name="uq_work_in_progress"),
)


# A station-wide setting as text (cycle length, manufacturer, demo marker, ...).
setting = Table(
    "setting",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(500), nullable=False),
)
