"""SQLite: a part's Chinese-name grams deleted by the gram table's key, (gram, part_id), cut from the old name; the
index on part_gram(part_id) of migration 0015 dropped (data.sqlite_grams). PostgreSQL: nothing.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-02
"""

from alembic import op

from data.sqlite_grams import BY_KEY, BY_PART, CREATE_INDEX, DROP_INDEX, replace_triggers

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        replace_triggers(op.execute, BY_KEY)  # first: no trigger deletes by part once the index is gone
        op.execute(DROP_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(CREATE_INDEX)
        replace_triggers(op.execute, BY_PART)
