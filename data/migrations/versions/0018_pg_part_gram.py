"""The pieces of the Chinese names in a table on PostgreSQL (data.pg_search.GRAM_TABLE), as SQLite's part_gram:
a one- or two-character search reads its parts from the table's key in id order, whatever the piece. The GIN
index over the pieces left the planner guessing how common a piece is, and a rare piece walked the whole parts
table (0.3-0.8 s at 1M parts). SQLite: nothing (part_gram is there since its first search migration).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

from alembic import op

from data.pg_search import GRAM_TABLE_DROP, build_gram_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        build_gram_table(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in GRAM_TABLE_DROP:
            op.execute(statement)
