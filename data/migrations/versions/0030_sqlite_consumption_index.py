"""SQLite: the ledger's consumption index, issues and returns by part and month (data.sqlite_consumption): the
draft's and the forecast's sums read it in order instead of looking up and sorting every issue. PostgreSQL:
nothing.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02
"""

from alembic import op

from data.sqlite_consumption import CREATE, DROP

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(DROP)
