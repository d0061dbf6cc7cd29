"""Receiving as the procedure says it: the late reason of a receipt posted after the day it arrived (当日报财务…
最多不超过3天), the two who checked the boxes together (库房管理员和计划员一起验收箱数), the accountant's invoice
check (与发票相一致), and what became of a settled claim's damaged units (claim.outcome).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no constraint): batch mode would rebuild "receipt" and "claim" for nothing.
    op.add_column("receipt", sa.Column("late_reason", sa.String(length=500), nullable=True))
    op.add_column("claim", sa.Column("outcome", sa.String(length=16), nullable=True))
    op.create_table(
        "receipt_box_signer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipt.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_id", "role", name="uq_receipt_box_signer"),
    )
    with op.batch_alter_table("receipt_box_signer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_box_signer_receipt_id"), ["receipt_id"], unique=False)
    op.create_table(
        "receipt_invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entered_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipt.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_id"),
    )


def downgrade() -> None:
    op.drop_table("receipt_invoice")
    with op.batch_alter_table("receipt_box_signer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_box_signer_receipt_id"))
    op.drop_table("receipt_box_signer")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_column("late_reason")
