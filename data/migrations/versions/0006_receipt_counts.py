"""Each counter's count of a receipt is stored as it is scanned (receipt_count), so no count lives only on a
screen: it survives a quit, a sign-out, a crash and a move to another terminal; and work started on a screen
and not committed yet (the counter's lines) is kept per operator, screen and document (work_in_progress).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipt_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("part_no", sa.String(length=40), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("damaged", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("counted >= 0", name="ck_receipt_count_counted"),
        sa.CheckConstraint("damaged >= 0 AND damaged <= counted", name="ck_receipt_count_damaged"),
        sa.ForeignKeyConstraint(["counter_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipt.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_id", "counter_id", "part_no", name="uq_receipt_count"),
    )


    op.create_table(
        "work_in_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("screen", sa.String(length=40), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("operator_id", "screen", "document", name="uq_work_in_progress"),
    )


def downgrade() -> None:
    op.drop_table("work_in_progress")
    op.drop_table("receipt_count")
