"""The repair-order board's search (core.records.ro_search): indexes for each way an order is found.

Adds to repair_order: twelve expression indexes on the VIN's six-character windows (substr(vin, i, 6), i = 1..12;
any six or more consecutive characters of a 17-character VIN begin at one of them), one on the plate without its
province character (substr(plate, 2)), one on the customer's phone and one on the customer's name in lower case.
Nothing else changes; the same statements on SQLite and PostgreSQL.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

VIN_WINDOWS = range(1, 13)


def upgrade() -> None:
    for start in VIN_WINDOWS:
        op.create_index(f"ix_repair_order_vin_{start}", "repair_order", [sa.text(f"substr(vin, {start}, 6)")])
    op.create_index("ix_repair_order_plate_tail", "repair_order", [sa.text("substr(plate, 2)")])
    op.create_index("ix_repair_order_customer_phone", "repair_order", ["customer_phone"])
    op.create_index("ix_repair_order_customer_name", "repair_order", [sa.text("lower(customer_name)")])


def downgrade() -> None:
    op.drop_index("ix_repair_order_customer_name", table_name="repair_order")
    op.drop_index("ix_repair_order_customer_phone", table_name="repair_order")
    op.drop_index("ix_repair_order_plate_tail", table_name="repair_order")
    for start in VIN_WINDOWS:
        op.drop_index(f"ix_repair_order_vin_{start}", table_name="repair_order")
