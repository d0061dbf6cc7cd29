"""PostgreSQL: a stocktake's lines name their part, bin and stocktake checked once per statement
(data.pg_stocktake_lines): the three foreign keys of stocktake_line took 2.6 of the 3.5 s that opening a count
of a zone's 64,349 lines at 1M parts took. SQLite: nothing (its foreign keys stay).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01
"""

from alembic import op

from data.pg_stocktake_lines import DOWNGRADE, UPGRADE

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
