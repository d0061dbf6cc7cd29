"""PostgreSQL: the once-a-statement checks of a draft's and a count sheet's lines (migrations 0028, 0029) look up
what the lines name by joins the planner sizes by the lines (data.pg_line_keys.LineKeys.sized_check). Written as
`id IN (SELECT ...)`, the planner guessed 200 distinct names and probed the key once a line: a 77,580-line
draft's COPY waited 0.41 s on locking its parts. SQLite: nothing.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-02
"""

from alembic import op

from data import pg_request_lines, pg_stocktake_lines

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

CHECKED = (pg_request_lines.KEYS, pg_stocktake_lines.KEYS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for keys in CHECKED:
            op.execute(keys.sized_check())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for keys in CHECKED:
            op.execute(keys.first_check())
