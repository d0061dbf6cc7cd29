"""Counter sales (销售订单): sales orders, their lines and the units brought back.

Adds the tables sales_order (the customer, who entered it, who checked it, the amount settled), sales_line (part,
quantity, unit price fixed at entry) and sales_return (units of a sale back into the lot they came from). Nothing
existing changes. Written on 0022; the merger rechains it after 0023 (price rules).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sales_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("customer", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("settled_by_id", sa.Integer(), nullable=True),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('entered', 'checked', 'settled', 'cancelled')", name="ck_sales_order_state"),
        sa.CheckConstraint("(state IN ('checked', 'settled')) = (checked_at IS NOT NULL)",
                           name="ck_sales_order_checked"),
        sa.CheckConstraint("(state = 'settled') = (settled_at IS NOT NULL)", name="ck_sales_order_settled"),
        sa.ForeignKeyConstraint(["entered_by_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["checked_by_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["settled_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_sales_order_state", "sales_order", ["state"])
    op.create_table(
        "sales_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("qty > 0", name="ck_sales_line_qty_positive"),
        sa.CheckConstraint("unit_price >= 0", name="ck_sales_line_price_not_negative"),
        sa.ForeignKeyConstraint(["sale_id"], ["sales_order.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sales_line_sale_id", "sales_line", ["sale_id"])
    op.create_index("ix_sales_line_part_id", "sales_line", ["part_id"])
    op.create_table(
        "sales_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("qty > 0", name="ck_sales_return_qty_positive"),
        sa.ForeignKeyConstraint(["sale_id"], ["sales_order.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["lot_id"], ["stock_lot.id"]),
        sa.ForeignKeyConstraint(["returned_by_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sales_return_sale_id", "sales_return", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_sales_return_sale_id", table_name="sales_return")
    op.drop_table("sales_return")
    op.drop_index("ix_sales_line_part_id", table_name="sales_line")
    op.drop_index("ix_sales_line_sale_id", table_name="sales_line")
    op.drop_table("sales_line")
    op.drop_index("ix_sales_order_state", table_name="sales_order")
    op.drop_table("sales_order")
