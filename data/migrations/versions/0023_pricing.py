"""Prices and settlement: the station's price rules, a repair-order line's payer, the amounts settled.

Adds the tables price_rule (a markup and a floor, percent on cost, by model series or part group, and the
station-wide minimum margin), repair_order_payer (who pays for a part on a repair order, where it is not the
default) and repair_order_charge (each part as the order was settled: quantity, payer, unit price, amount and
cost), and the column part.part_group that a rule may name. Nothing existing changes.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (batch mode would rebuild "part", which the ledger references): no part has a group yet.
    op.add_column("part", sa.Column("part_group", sa.String(length=40), nullable=True))
    op.create_table(
        "price_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("markup", sa.BigInteger(), nullable=True),
        sa.Column("floor", sa.BigInteger(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('series', 'group', 'station')", name="ck_price_rule_scope"),
        sa.CheckConstraint("markup IS NULL OR markup >= 0", name="ck_price_rule_markup_not_negative"),
        sa.CheckConstraint("floor IS NULL OR floor >= 0", name="ck_price_rule_floor_not_negative"),
        sa.ForeignKeyConstraint(["set_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope", "key", name="uq_price_rule_scope_key"),
    )
    op.create_table(
        "repair_order_payer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_order_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("payer", sa.String(length=16), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("payer IN ('customer', 'warranty', 'internal')", name="ck_repair_order_payer_payer"),
        sa.ForeignKeyConstraint(["repair_order_id"], ["repair_order.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["set_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("repair_order_id", "part_id", name="uq_repair_order_payer_part"),
    )
    op.create_index("ix_repair_order_payer_repair_order_id", "repair_order_payer", ["repair_order_id"])
    op.create_table(
        "repair_order_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("payer", sa.String(length=16), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("payer IN ('customer', 'warranty', 'internal')", name="ck_repair_order_charge_payer"),
        sa.CheckConstraint("qty > 0", name="ck_repair_order_charge_qty_positive"),
        sa.ForeignKeyConstraint(["repair_order_id"], ["repair_order.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("repair_order_id", "part_id", name="uq_repair_order_charge_part"),
    )
    op.create_index("ix_repair_order_charge_repair_order_id", "repair_order_charge", ["repair_order_id"])


def downgrade() -> None:
    op.drop_index("ix_repair_order_charge_repair_order_id", table_name="repair_order_charge")
    op.drop_table("repair_order_charge")
    op.drop_index("ix_repair_order_payer_repair_order_id", table_name="repair_order_payer")
    op.drop_table("repair_order_payer")
    op.drop_table("price_rule")
    with op.batch_alter_table("part", schema=None) as batch_op:
        batch_op.drop_column("part_group")
