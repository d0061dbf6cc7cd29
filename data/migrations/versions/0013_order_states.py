"""Orders only through the approved draft (备件工作流程及制度, item 2): a purchase order is drafted, approved, sent to
the maker, then received. Orders already on the books were sent (the only way they came to be), so "open" becomes
"sent", stamped with their creator and creation time. An urgent order names the shortages or repair order it
serves. A draft's line may answer a shortage (a special order for that customer): the part's cycle line stays one
per draft, each shortage's line of it is one more. The station's manufacturer (the setting `manufacturer`, SGM by
default) is registered as a supplier, since orders and receipts no longer register one on the way.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ORDER = sa.table("purchase_order", sa.column("state", sa.String), sa.column("created_at", sa.DateTime),
                  sa.column("created_by", sa.Integer), sa.column("approved_at", sa.DateTime),
                  sa.column("approved_by", sa.Integer), sa.column("sent_at", sa.DateTime),
                  sa.column("sent_by", sa.Integer))
_SETTING = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.String))
_SUPPLIER = sa.table("supplier", sa.column("code", sa.String), sa.column("name", sa.String))
_WHERE = sa.text("shortage_id IS NULL")


def _add_operator_column(table: str, column: str) -> None:
    """A nullable column naming an operator; SQLite takes the reference inline in ADD COLUMN (Alembic cannot
    add it afterwards there without rebuilding the table)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES operator (id)"))
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), sa.ForeignKey("operator.id"), nullable=True))


def upgrade() -> None:
    # Plain ADD COLUMN: batch mode would rebuild purchase_order, which receipts and chases reference.
    op.add_column("purchase_order", sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("purchase_order", sa.Column("serves", sa.String(length=500), nullable=True))
    op.add_column("purchase_order", sa.Column("approved_at", sa.DateTime(), nullable=True))
    op.add_column("purchase_order", sa.Column("sent_at", sa.DateTime(), nullable=True))
    for column in ("approved_by", "sent_by"):
        _add_operator_column("purchase_order", column)
    op.execute(_ORDER.update().where(_ORDER.c.state == "open").values(
        state="sent", approved_at=_ORDER.c.created_at, approved_by=_ORDER.c.created_by,
        sent_at=_ORDER.c.created_at, sent_by=_ORDER.c.created_by))
    with op.batch_alter_table("purchase_request_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shortage_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_request_line_shortage", "shortage", ["shortage_id"], ["id"])
        batch_op.drop_constraint("uq_request_line_part", type_="unique")
        batch_op.create_unique_constraint("uq_request_line_part", ["request_id", "part_id", "shortage_id"])
        batch_op.create_index("uq_request_line_stock_part", ["request_id", "part_id"], unique=True,
                              sqlite_where=_WHERE, postgresql_where=_WHERE)
    conn = op.get_bind()
    manufacturer = conn.execute(sa.select(_SETTING.c.value).where(_SETTING.c.key == "manufacturer")).scalar()
    manufacturer = (manufacturer or "SGM").strip().upper()
    if conn.execute(sa.select(sa.func.count()).select_from(_SUPPLIER)
                    .where(_SUPPLIER.c.code == manufacturer)).scalar() == 0:
        conn.execute(_SUPPLIER.insert().values(code=manufacturer, name=manufacturer))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM purchase_request_line WHERE shortage_id IS NOT NULL"))
    with op.batch_alter_table("purchase_request_line", schema=None) as batch_op:
        batch_op.drop_index("uq_request_line_stock_part")
        batch_op.drop_constraint("uq_request_line_part", type_="unique")
        batch_op.drop_constraint("fk_request_line_shortage", type_="foreignkey")
        batch_op.drop_column("shortage_id")
        batch_op.create_unique_constraint("uq_request_line_part", ["request_id", "part_id"])
    op.execute(_ORDER.update().where(_ORDER.c.state.in_(("draft", "approved", "sent"))).values(state="open"))
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        for column in ("sent_by", "sent_at", "approved_by", "approved_at", "serves", "urgent"):
            batch_op.drop_column(column)
