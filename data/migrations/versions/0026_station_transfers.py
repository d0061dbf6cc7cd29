"""Transfers between two stations of a dealer group (PostgreSQL schemas of one database).

stock_transfer gains to_station (the receiving station's schema; NULL for a transfer inside this station) and
to_location_code (the destination bin there, by code: its id is the other station's); to_location_id becomes
NULL for such a transfer. stock_transfer_lot.to_lot_id becomes NULL where the lot made is the other station's,
whose id is kept in to_station_lot_id. Checks hold each row to one kind or the other. Nothing existing changes.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("to_station", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("to_location_code", sa.String(length=20), nullable=True))
        batch_op.alter_column("to_location_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            "ck_stock_transfer_destination",
            "(to_station IS NULL) = (to_location_id IS NOT NULL) AND (to_station IS NULL) = (to_location_code IS NULL)")
    with op.batch_alter_table("stock_transfer_lot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("to_station_lot_id", sa.Integer(), nullable=True))
        batch_op.alter_column("to_lot_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("ck_stock_transfer_lot_one_lot",
                                         "(to_lot_id IS NULL) <> (to_station_lot_id IS NULL)")


def downgrade() -> None:
    op.execute("DELETE FROM stock_transfer_lot WHERE to_lot_id IS NULL")
    op.execute("DELETE FROM stock_transfer WHERE to_station IS NOT NULL")
    with op.batch_alter_table("stock_transfer_lot", schema=None) as batch_op:
        batch_op.drop_constraint("ck_stock_transfer_lot_one_lot", type_="check")
        batch_op.alter_column("to_lot_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("to_station_lot_id")
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.drop_constraint("ck_stock_transfer_destination", type_="check")
        batch_op.alter_column("to_location_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("to_location_code")
        batch_op.drop_column("to_station")
