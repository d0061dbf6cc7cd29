"""The counter: repair orders with their checklist and history, requisitions and their lines, return slips.

Quantities are BIGINT thousandths and money BIGINT cents (core.sqltypes), times naive UTC. What a
requisition took from which lot is in stock_move under the requisition's number, not copied here.
The database itself keeps issuer and receiver apart (CHECK storekeeper_id <> mechanic_id).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_STATES = "'intake', 'diagnosing', 'in_repair', 'sent_out', 'reinspection', 'ready', 'delivered', 'settled', 'cancelled'"


def upgrade() -> None:
    op.create_table('repair_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ro_no', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('state_at', sa.DateTime(), nullable=False),
    sa.Column('customer_name', sa.String(length=100), nullable=False),
    sa.Column('customer_phone', sa.String(length=32), nullable=False),
    sa.Column('customer_address', sa.String(length=200), nullable=True),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('model_series', sa.String(length=40), nullable=False),
    sa.Column('mileage', sa.Integer(), nullable=False),
    sa.Column('complaint', sa.String(length=1000), nullable=False),
    sa.Column('inspection', sa.String(length=1000), nullable=True),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=True),
    sa.Column('warranty', sa.String(length=8), nullable=True),
    sa.Column('warranty_reason', sa.String(length=500), nullable=True),
    sa.Column('outside_repairer', sa.String(length=200), nullable=True),
    sa.Column('sent_out_at', sa.DateTime(), nullable=True),
    sa.Column('back_at', sa.DateTime(), nullable=True),
    sa.Column('reinspection', sa.String(length=500), nullable=True),
    sa.Column('reinspected_at', sa.DateTime(), nullable=True),
    sa.Column('reinspected_by_id', sa.Integer(), nullable=True),
    sa.Column('customer_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('customer_confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('settled_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(f"state IN ({_STATES})", name='ck_repair_order_state'),
    sa.CheckConstraint("warranty IS NULL OR warranty IN ('in', 'out')", name='ck_repair_order_warranty'),
    sa.CheckConstraint('mileage >= 0', name='ck_repair_order_mileage_not_negative'),
    sa.ForeignKeyConstraint(['advisor_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['customer_confirmed_by_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['reinspected_by_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['settled_by_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['technician_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ro_no')
    )
    with op.batch_alter_table('repair_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repair_order_plate'), ['plate'], unique=False)
        batch_op.create_index(batch_op.f('ix_repair_order_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_repair_order_vin'), ['vin'], unique=False)

    op.create_table('repair_order_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('repair_order_id', 'item', name='uq_repair_order_check_item')
    )
    op.create_table('repair_order_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('repair_order_event', schema=None) as batch_op:
        batch_op.create_index('ix_repair_order_event_order', ['repair_order_id', 'id'], unique=False)

    op.create_table('requisition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('req_no', sa.String(length=32), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('storekeeper_id', sa.Integer(), nullable=False),
    sa.Column('mechanic_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('storekeeper_id <> mechanic_id', name='ck_requisition_two_people'),
    sa.ForeignKeyConstraint(['mechanic_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_order.id'], ),
    sa.ForeignKeyConstraint(['storekeeper_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('req_no')
    )
    with op.batch_alter_table('requisition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requisition_repair_order_id'), ['repair_order_id'], unique=False)

    op.create_table('requisition_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('qty > 0', name='ck_requisition_line_qty_positive'),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisition.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('requisition_id', 'part_id', name='uq_requisition_line_part')
    )
    op.create_table('return_slip',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ret_no', sa.String(length=32), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('returned_at', sa.DateTime(), nullable=False),
    sa.Column('storekeeper_id', sa.Integer(), nullable=False),
    sa.Column('mechanic_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('on_requisition', sa.Boolean(), nullable=False),
    sa.CheckConstraint('storekeeper_id <> mechanic_id', name='ck_return_slip_two_people'),
    sa.ForeignKeyConstraint(['mechanic_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisition.id'], ),
    sa.ForeignKeyConstraint(['storekeeper_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ret_no')
    )
    with op.batch_alter_table('return_slip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_slip_requisition_id'), ['requisition_id'], unique=False)

    op.create_table('return_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('damaged', sa.Boolean(), nullable=False),
    sa.Column('quarantine_lot_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.CheckConstraint('damaged = (quarantine_lot_id IS NOT NULL)', name='ck_return_line_damaged_quarantined'),
    sa.CheckConstraint('qty > 0', name='ck_return_line_qty_positive'),
    sa.ForeignKeyConstraint(['lot_id'], ['stock_lot.id'], ),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.ForeignKeyConstraint(['quarantine_lot_id'], ['stock_lot.id'], ),
    sa.ForeignKeyConstraint(['return_id'], ['return_slip.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_line_return_id'), ['return_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_line_return_id'))
    op.drop_table('return_line')
    with op.batch_alter_table('return_slip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_slip_requisition_id'))
    op.drop_table('return_slip')
    op.drop_table('requisition_line')
    with op.batch_alter_table('requisition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requisition_repair_order_id'))
    op.drop_table('requisition')
    with op.batch_alter_table('repair_order_event', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_order_event_order')
    op.drop_table('repair_order_event')
    op.drop_table('repair_order_check')
    with op.batch_alter_table('repair_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repair_order_vin'))
        batch_op.drop_index(batch_op.f('ix_repair_order_state'))
        batch_op.drop_index(batch_op.f('ix_repair_order_plate'))
    op.drop_table('repair_order')
