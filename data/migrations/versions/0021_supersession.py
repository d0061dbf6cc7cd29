"""Superseded part numbers and parts taken off new vehicles (拆新车). part_supersession: each link old -> new
(a kit: several from one old number) with its date and whether the old stock may still be issued; part_newest:
each superseded part's newest number(s), the chain followed when a link is set; vehicle_take: parts taken off
(+) and put back on (-) a new vehicle, against its VIN.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "part_supersession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_part_id", sa.Integer(), nullable=False),
        sa.Column("new_part_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("interchangeable", sa.Boolean(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("old_part_id <> new_part_id", name="ck_part_supersession_not_itself"),
        sa.ForeignKeyConstraint(["new_part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["old_part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("old_part_id", "new_part_id", name="uq_part_supersession"),
    )
    op.create_index("ix_part_supersession_new_part_id", "part_supersession", ["new_part_id"])
    op.create_table(
        "part_newest",
        sa.Column("part_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("newest_part_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("interchangeable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["newest_part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("part_id", "newest_part_id"),
    )
    op.create_index("ix_part_newest_newest", "part_newest", ["newest_part_id"])
    op.create_table(
        "vehicle_take",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("doc_type", sa.String(length=8), nullable=False),
        sa.Column("doc_no", sa.String(length=32), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("qty <> 0", name="ck_vehicle_take_qty_not_zero"),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vehicle_take_vin", "vehicle_take", ["vin", "part_id"])
    op.create_index("ix_vehicle_take_document", "vehicle_take", ["doc_no"])


def downgrade() -> None:
    op.drop_index("ix_vehicle_take_document", table_name="vehicle_take")
    op.drop_index("ix_vehicle_take_vin", table_name="vehicle_take")
    op.drop_table("vehicle_take")
    op.drop_index("ix_part_newest_newest", table_name="part_newest")
    op.drop_table("part_newest")
    op.drop_index("ix_part_supersession_new_part_id", table_name="part_supersession")
    op.drop_table("part_supersession")
