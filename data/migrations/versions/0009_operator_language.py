"""Each operator's language (operator.language: zh_CN or en), the language the desk speaks to him in from his
sign-in on. Operators already there get the station's setting `language` where one is stored, else the
setting's default (the system locale's language, English if unknown).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from core.records.settings import SETTINGS

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SETTING = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.String))


def _station_language(conn) -> str:
    stored = conn.execute(sa.select(_SETTING.c.value).where(_SETTING.c.key == "language")).scalar_one_or_none()
    spec = SETTINGS["language"]
    if stored:
        try:
            return spec.check(stored)
        except Exception:  # a value stored by hand that no longer reads: the default, as read_settings would give
            pass
    return spec.default_value()


def upgrade() -> None:
    # Plain ADD COLUMN with the station's language as its server default: existing rows get it in the same
    # statement, and batch mode would rebuild "operator" (referenced by the ledger) for nothing. New operators'
    # language is always written by the service (core.services.operators), never left to this default.
    language = _station_language(op.get_bind())
    op.add_column("operator", sa.Column("language", sa.String(length=8), server_default=language, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.drop_column("language")
