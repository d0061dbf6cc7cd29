"""The purchase request line's index on request_id alone dropped: uq_request_line_part (request_id, part_id,
shortage_id) begins with request_id and serves every look-up by request, so the second index only cost the draft's
insert of its lines (79,246 at 200,000 parts, under the write lock) a quarter of its index work.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_request_line_request", table_name="purchase_request_line")


def downgrade() -> None:
    op.create_index("ix_request_line_request", "purchase_request_line", ["request_id"])
