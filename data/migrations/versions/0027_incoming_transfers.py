"""Incoming transfer notes: the receiving station's own note of a transfer another station of the group checked.

stock_transfer gains from_station (the sending station's schema; NULL for a note of this station), from_location_code
(the source bin there, by code: its id is the other station's) and entered_by_code (who entered it there, by code);
from_location_id and entered_by_id become NULL for such a note, and its state is the new 'received'.
stock_transfer_lot.from_lot_id becomes NULL where the lot taken is the other station's, whose id is kept in
from_station_lot_id. Checks hold each row to one kind or the other. Nothing existing changes.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

# Written out, not imported from the models: a migration keeps the schema it made when the models move on.
_STATES_BEFORE = "state IN ('entered', 'checked', 'refused', 'cancelled')"
_STATES = "state IN ('entered', 'checked', 'refused', 'cancelled', 'received')"
_SOURCE = ("(from_station IS NULL) = (from_location_id IS NOT NULL) "
           "AND (from_station IS NULL) = (from_location_code IS NULL) "
           "AND (from_station IS NULL) = (entered_by_id IS NOT NULL) "
           "AND (from_station IS NULL) = (entered_by_code IS NULL) "
           "AND (from_station IS NULL) = (state <> 'received') "
           "AND (from_station IS NULL OR (to_station IS NULL AND NOT release))")


def upgrade() -> None:
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_station", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("from_location_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("entered_by_code", sa.String(length=16), nullable=True))
        batch_op.alter_column("from_location_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("entered_by_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("ck_stock_transfer_state", type_="check")
        batch_op.create_check_constraint("ck_stock_transfer_state", _STATES)
        batch_op.create_check_constraint("ck_stock_transfer_source", _SOURCE)
    with op.batch_alter_table("stock_transfer_lot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_station_lot_id", sa.Integer(), nullable=True))
        batch_op.alter_column("from_lot_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("ck_stock_transfer_lot_one_origin",
                                         "(from_lot_id IS NULL) <> (from_station_lot_id IS NULL)")


def downgrade() -> None:
    op.execute("DELETE FROM stock_transfer_lot WHERE from_lot_id IS NULL")
    op.execute("DELETE FROM stock_transfer WHERE from_station IS NOT NULL")
    with op.batch_alter_table("stock_transfer_lot", schema=None) as batch_op:
        batch_op.drop_constraint("ck_stock_transfer_lot_one_origin", type_="check")
        batch_op.alter_column("from_lot_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("from_station_lot_id")
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.drop_constraint("ck_stock_transfer_source", type_="check")
        batch_op.drop_constraint("ck_stock_transfer_state", type_="check")
        batch_op.create_check_constraint("ck_stock_transfer_state", _STATES_BEFORE)
        batch_op.alter_column("entered_by_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("from_location_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("entered_by_code")
        batch_op.drop_column("from_location_code")
        batch_op.drop_column("from_station")
