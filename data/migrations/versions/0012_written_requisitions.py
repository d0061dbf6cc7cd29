"""Requisitions written, then issued (先单后料): the parts clerk's written requisition (written_requisition) and its
lines, which reserve the stock for the repair order until the storekeeper issues it or it is cancelled.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: the issued requisition (table requisition) keeps its shape, so nothing existing is rebuilt.
    op.create_table(
        "written_requisition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("req_no", sa.String(length=32), nullable=False),
        sa.Column("repair_order_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("writer_id", sa.Integer(), nullable=False),
        sa.Column("shortage_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('written', 'issued', 'cancelled')", name="ck_written_requisition_state"),
        sa.CheckConstraint("(state = 'written') = (closed_at IS NULL)", name="ck_written_requisition_closed"),
        sa.ForeignKeyConstraint(["repair_order_id"], ["repair_order.id"]),
        sa.ForeignKeyConstraint(["writer_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["shortage_id"], ["shortage.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("req_no"),
    )
    op.create_index("ix_written_requisition_repair_order_id", "written_requisition", ["repair_order_id"])
    op.create_index("ix_written_requisition_state", "written_requisition", ["state"])
    op.create_table(
        "written_requisition_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("written_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("qty > 0", name="ck_written_requisition_line_qty_positive"),
        sa.ForeignKeyConstraint(["written_id"], ["written_requisition.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("written_id", "part_id", name="uq_written_requisition_line_part"),
    )
    op.create_index("ix_written_requisition_line_written_id", "written_requisition_line", ["written_id"])
    op.create_index("ix_written_requisition_line_part_id", "written_requisition_line", ["part_id"])


def downgrade() -> None:
    op.drop_index("ix_written_requisition_line_part_id", table_name="written_requisition_line")
    op.drop_index("ix_written_requisition_line_written_id", table_name="written_requisition_line")
    op.drop_table("written_requisition_line")
    op.drop_index("ix_written_requisition_state", table_name="written_requisition")
    op.drop_index("ix_written_requisition_repair_order_id", table_name="written_requisition")
    op.drop_table("written_requisition")
