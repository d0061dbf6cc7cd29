"""What the desk itself wrote on a draft's history, kept as data (purchase_request_event.detail, JSON): the
forecast a draft was made from and its line count, the lines an edit changed, the file an import read. It is
worded in the reader's language when shown; `comment` keeps only what a person typed. Events written before
keep their worded comment.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: no table rebuild on SQLite, no rewrite on PostgreSQL.
    op.add_column("purchase_request_event", sa.Column("detail", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("purchase_request_event", schema=None) as batch_op:
        batch_op.drop_column("detail")
