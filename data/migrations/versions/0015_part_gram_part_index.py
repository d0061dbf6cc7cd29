"""An index on part_gram(part_id) (SQLite): the triggers that keep a part's Chinese-name grams delete them by part
when a name changes or a part goes; without it each such delete scanned the whole gram table (1.5M rows at 200,000
parts), and re-importing 2,000 known parts held the write lock for over a minute. PostgreSQL has no gram table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE INDEX IF NOT EXISTS ix_part_gram_part ON part_gram (part_id)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_part_gram_part")
