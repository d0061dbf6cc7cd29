"""Stocktake (盘点): the stocktake document, its count lines (the count as made, who counted, the book at that
moment, the variance's value at close) and each part's last-counted date, which the cycle count reads.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stocktake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("scope_kind", sa.String(length=12), nullable=False),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("variance_value", sa.BigInteger(), nullable=True),
        sa.Column("variance_abs", sa.BigInteger(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("accountant_at", sa.DateTime(), nullable=True),
        sa.Column("accountant_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["opened_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["closed_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["approved_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["accountant_by"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_stocktake_state", "stocktake", ["state"], unique=False)
    op.create_table(
        "stocktake_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=True),
        sa.Column("book", sa.BigInteger(), nullable=True),
        sa.Column("counted_at", sa.DateTime(), nullable=True),
        sa.Column("counted_by", sa.Integer(), nullable=True),
        sa.Column("counted_by_second", sa.Integer(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("recounts", sa.Integer(), nullable=False),
        sa.CheckConstraint("counted IS NULL OR counted >= 0", name="ck_stocktake_line_counted"),
        sa.ForeignKeyConstraint(["stocktake_id"], ["stocktake.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"]),
        sa.ForeignKeyConstraint(["counted_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["counted_by_second"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stocktake_id", "part_id", "location_id", name="uq_stocktake_line"),
    )
    op.create_table(
        "part_count",
        sa.Column("part_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("counted_at", sa.DateTime(), nullable=False),
        sa.Column("stocktake_no", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("part_id"),
    )
    op.create_index("ix_part_count_at", "part_count", ["counted_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_part_count_at", table_name="part_count")
    op.drop_table("part_count")
    op.drop_table("stocktake_line")
    op.drop_index("ix_stocktake_state", table_name="stocktake")
    op.drop_table("stocktake")
