"""Planning: shortage registrations, purchase-request drafts and their history, order chasing, part suppliers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('purchase_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('cycle', sa.String(length=8), nullable=False),
    sa.Column('cycle_start', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('sm_approved_at', sa.DateTime(), nullable=True),
    sa.Column('sd_approved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('purchase_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_request_state'), ['state'], unique=False)

    op.create_table('order_chase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('eta', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('order_chase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_chase_order_id'), ['order_id'], unique=False)

    op.create_table('purchase_request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('state_after', sa.String(length=24), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['purchase_request.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('purchase_request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_request_event_request_id'), ['request_id'], unique=False)

    op.create_table('purchase_request_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('forecast', sa.BigInteger(), nullable=False),
    sa.Column('suggested', sa.BigInteger(), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('changed_revision', sa.Integer(), nullable=False),
    sa.CheckConstraint('qty >= 0', name='ck_request_line_qty'),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['purchase_request.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id', 'part_id', name='uq_request_line_part')
    )
    with op.batch_alter_table('purchase_request_line', schema=None) as batch_op:
        batch_op.create_index('ix_request_line_request', ['request_id'], unique=False)

    op.create_table('shortage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('logged_by', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('solution', sa.String(length=20), nullable=True),
    sa.Column('eta', sa.DateTime(), nullable=True),
    sa.Column('answer_note', sa.String(length=500), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
    sa.Column('fulfilled_by_doc', sa.String(length=32), nullable=True),
    sa.CheckConstraint('qty > 0', name='ck_shortage_qty_positive'),
    sa.ForeignKeyConstraint(['answered_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['logged_by'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('shortage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortage_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortage_state'), ['state'], unique=False)
    # A plain ADD COLUMN: batch mode would rebuild "part" and lose the search triggers made in 0001.
    op.execute("ALTER TABLE part ADD COLUMN supplier_id INTEGER REFERENCES supplier (id)")


def downgrade() -> None:
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.drop_column('supplier_id')
    op.drop_table('shortage')
    op.drop_table('purchase_request_line')
    op.drop_table('purchase_request_event')
    op.drop_table('order_chase')
    op.drop_table('purchase_request')
