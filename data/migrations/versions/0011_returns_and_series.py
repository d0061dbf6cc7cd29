"""Only intact parts come back, and stock by model series. damage_report: a part found damaged when the mechanic
brought it back, refused as a return and reported on its repair order (note, who, when); part.general: a part
that may lie in any series' zone (通用件, or common to several series). A zone belongs to one model series, its
oldest bin's: the bins already there whose series differs from it are given the zone's.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_LOCATION = sa.table("location", sa.column("id", sa.Integer), sa.column("zone", sa.String),
                     sa.column("series", sa.String))


def upgrade() -> None:
    op.create_table(
        "damage_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_order_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["repair_order_id"], ["repair_order.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("damage_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_damage_report_repair_order_id"), ["repair_order_id"], unique=False)
    # Plain ADD COLUMN (batch mode would rebuild "part", which the ledger references): every part there is not
    # general until someone marks it.
    op.add_column("part", sa.Column("general", sa.Boolean(), server_default=sa.false(), nullable=False))
    conn = op.get_bind()
    founded: dict[str, str | None] = {}
    for row in conn.execute(sa.select(_LOCATION.c.zone, _LOCATION.c.series).order_by(_LOCATION.c.id)):
        founded.setdefault(row.zone, row.series)
    for zone, series in founded.items():
        clash = _LOCATION.c.series.is_not(None) if series is None else sa.or_(
            _LOCATION.c.series.is_(None), _LOCATION.c.series != series)
        conn.execute(sa.update(_LOCATION).where(_LOCATION.c.zone == zone, clash).values(series=series))


def downgrade() -> None:
    with op.batch_alter_table("part", schema=None) as batch_op:
        batch_op.drop_column("general")
    with op.batch_alter_table("damage_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_damage_report_repair_order_id"))
    op.drop_table("damage_report")
