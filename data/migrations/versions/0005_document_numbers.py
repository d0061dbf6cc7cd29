"""Document numbers kept on a receipt (its discrepancy record's and its surplus receipt's) are indexed, so a
scanned number is found with one indexed SELECT, as every other document number is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX: no table rebuild on SQLite. NULLs (no record yet) never collide.
    op.create_index("ix_receipt_discrepancy_no", "receipt", ["discrepancy_no"], unique=True)
    op.create_index("ix_receipt_surplus_no", "receipt", ["surplus_no"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_receipt_surplus_no", table_name="receipt")
    op.drop_index("ix_receipt_discrepancy_no", table_name="receipt")
