"""Transfers (调拨单) with their split lots, and stock adjustments that wait for approval above a value.

Adds the tables stock_transfer (a transfer note: part, from and to bins, quantity, state, who entered and who
decided), stock_transfer_lot (each lot a checked transfer took from and the lot it made at the destination, with
the quantity) and stock_adjustment (an adjustment above the setting adjust_value_limit, pending until the parts
manager and the accountant approve it). Nothing existing changes. Written on 0019; chained after 0021 (supersession, itself after 0020) when main brought them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("release", sa.Boolean(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint("state IN ('entered', 'checked', 'refused', 'cancelled')", name="ck_stock_transfer_state"),
        sa.CheckConstraint("qty > 0", name="ck_stock_transfer_qty_positive"),
        sa.CheckConstraint("from_location_id <> to_location_id", name="ck_stock_transfer_two_bins"),
        sa.CheckConstraint("(state = 'entered') = (decided_at IS NULL)", name="ck_stock_transfer_decided"),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["from_location_id"], ["location.id"]),
        sa.ForeignKeyConstraint(["to_location_id"], ["location.id"]),
        sa.ForeignKeyConstraint(["entered_by_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_stock_transfer_part_id", "stock_transfer", ["part_id"])
    op.create_index("ix_stock_transfer_state", "stock_transfer", ["state"])
    op.create_table(
        "stock_transfer_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("from_lot_id", sa.Integer(), nullable=False),
        sa.Column("to_lot_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("qty > 0", name="ck_stock_transfer_lot_qty_positive"),
        sa.ForeignKeyConstraint(["transfer_id"], ["stock_transfer.id"]),
        sa.ForeignKeyConstraint(["from_lot_id"], ["stock_lot.id"]),
        sa.ForeignKeyConstraint(["to_lot_id"], ["stock_lot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stock_transfer_lot_transfer_id", "stock_transfer_lot", ["transfer_id"])
    op.create_index("ix_stock_transfer_lot_from_lot_id", "stock_transfer_lot", ["from_lot_id"])
    op.create_index("ix_stock_transfer_lot_to_lot_id", "stock_transfer_lot", ["to_lot_id"])
    op.create_table(
        "stock_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("unit_cost", sa.BigInteger(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("manager_at", sa.DateTime(), nullable=True),
        sa.Column("accountant_id", sa.Integer(), nullable=True),
        sa.Column("accountant_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'posted', 'refused')", name="ck_stock_adjustment_state"),
        sa.CheckConstraint("qty <> 0", name="ck_stock_adjustment_qty_not_zero"),
        sa.CheckConstraint("(state = 'pending') = (closed_at IS NULL)", name="ck_stock_adjustment_closed"),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"]),
        sa.ForeignKeyConstraint(["entered_by_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["manager_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["accountant_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_stock_adjustment_part_id", "stock_adjustment", ["part_id"])
    op.create_index("ix_stock_adjustment_state", "stock_adjustment", ["state"])


def downgrade() -> None:
    op.drop_index("ix_stock_adjustment_state", table_name="stock_adjustment")
    op.drop_index("ix_stock_adjustment_part_id", table_name="stock_adjustment")
    op.drop_table("stock_adjustment")
    op.drop_index("ix_stock_transfer_lot_to_lot_id", table_name="stock_transfer_lot")
    op.drop_index("ix_stock_transfer_lot_from_lot_id", table_name="stock_transfer_lot")
    op.drop_index("ix_stock_transfer_lot_transfer_id", table_name="stock_transfer_lot")
    op.drop_table("stock_transfer_lot")
    op.drop_index("ix_stock_transfer_state", table_name="stock_transfer")
    op.drop_index("ix_stock_transfer_part_id", table_name="stock_transfer")
    op.drop_table("stock_transfer")
