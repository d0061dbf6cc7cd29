"""Receiving: suppliers, carriers, purchase orders, packing lists, receipts, discrepancy records, claims.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('carrier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('supplier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('purchase_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('source_doc', sa.String(length=32), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('purchase_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('qty_ordered', sa.BigInteger(), nullable=False),
    sa.Column('qty_received', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('qty_ordered > 0', name='ck_po_line_ordered_positive'),
    sa.CheckConstraint('qty_received >= 0', name='ck_po_line_received_not_negative'),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], ),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'part_id', name='uq_po_line_part')
    )
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_line_order_id'), ['order_id'], unique=False)

    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('shipment_no', sa.String(length=64), nullable=True),
    sa.Column('packing_list', sa.String(length=255), nullable=False),
    sa.Column('boxes_expected', sa.Integer(), nullable=False),
    sa.Column('boxes_received', sa.Integer(), nullable=True),
    sa.Column('arrived_at', sa.DateTime(), nullable=False),
    sa.Column('arrived_by', sa.Integer(), nullable=False),
    sa.Column('boxes_checked_at', sa.DateTime(), nullable=True),
    sa.Column('boxes_checked_by', sa.Integer(), nullable=True),
    sa.Column('counted_at', sa.DateTime(), nullable=True),
    sa.Column('counted_by', sa.Integer(), nullable=True),
    sa.Column('counted_by_second', sa.Integer(), nullable=True),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.Column('posted_by', sa.Integer(), nullable=True),
    sa.Column('discrepancy_no', sa.String(length=32), nullable=True),
    sa.Column('surplus_no', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['arrived_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['boxes_checked_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], ),
    sa.ForeignKeyConstraint(['counted_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['counted_by_second'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], ),
    sa.ForeignKeyConstraint(['posted_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_state'), ['state'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=12), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('settled_amount', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], ),
    sa.ForeignKeyConstraint(['changed_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('packing_list_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('box_no', sa.String(length=20), nullable=False),
    sa.Column('part_no', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('packing_list_row', schema=None) as batch_op:
        batch_op.create_index('ix_packing_list_row_receipt', ['receipt_id', 'row_no'], unique=False)

    op.create_table('receipt_box',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('box_no', sa.String(length=20), nullable=False),
    sa.Column('seal_broken', sa.Boolean(), nullable=False),
    sa.Column('damaged', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_id', 'box_no', name='uq_receipt_box')
    )
    op.create_table('receipt_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_no', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('boxes', sa.String(length=200), nullable=False),
    sa.Column('expected', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('counted', sa.BigInteger(), nullable=True),
    sa.Column('damaged', sa.BigInteger(), nullable=False),
    sa.Column('fragile_damaged', sa.Boolean(), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('refusal_note', sa.String(length=500), nullable=True),
    sa.CheckConstraint('damaged >= 0', name='ck_receipt_line_damaged'),
    sa.CheckConstraint('expected >= 0', name='ck_receipt_line_expected'),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_id', 'part_no', name='uq_receipt_line_part')
    )
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_line_receipt', ['receipt_id', 'line_no'], unique=False)

    op.create_table('claim_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('part_no', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('claim_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_line_claim_id'), ['claim_id'], unique=False)


def downgrade() -> None:
    op.drop_table('claim_line')
    op.drop_table('receipt_line')
    op.drop_table('receipt_box')
    op.drop_table('packing_list_row')
    op.drop_table('claim')
    op.drop_table('receipt')
    op.drop_table('purchase_order_line')
    op.drop_table('purchase_order')
    op.drop_table('supplier')
    op.drop_table('carrier')
