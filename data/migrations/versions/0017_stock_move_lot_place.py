"""The ledger's lot index widened to (lot, part, location, quantity): `stock check` reads its books from the index
alone. Its sum per lot and the part and location each ledger row names were a look-up of the row for every
ledger row (935,584 at 200,000 parts); the index replaces the lot index (lot_id alone), which every look-up
by lot still uses as its prefix, so a booking still writes one lot index entry.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_stock_move_lot_place", "stock_move", ["lot_id", "part_id", "location_id", "qty"])
    op.drop_index("ix_stock_move_lot", table_name="stock_move")


def downgrade() -> None:
    op.create_index("ix_stock_move_lot", "stock_move", ["lot_id"])
    op.drop_index("ix_stock_move_lot_place", table_name="stock_move")
