"""Part search indexes on PostgreSQL (data.pg_search): pg_trgm GIN indexes over the number and both names, a
byte-order index on the number for prefixes, and the pieces of the Chinese names for one- and two-character
queries. Where pg_trgm cannot be created (no privilege, not installed on the server), the upgrade goes on, says
so in one line naming `CREATE EXTENSION pg_trgm` for the DBA, and search works by scanning (slower); a later
`partsdesk db upgrade` builds the trigram indexes once the extension is there. SQLite: nothing (FTS5 and
part_gram already answer).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from alembic import op

from data.pg_search import build_search_indexes

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        build_search_indexes(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ix_part_name_zh_trgm", "ix_part_name_trgm", "ix_part_no_trgm", "ix_part_name_grams",
                     "ix_part_no_bytes"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP FUNCTION IF EXISTS part_name_grams(text)")
