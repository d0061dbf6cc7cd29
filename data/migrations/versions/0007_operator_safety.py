"""Operator safety: wrong PINs counted per operator in the database (failed_pins, lockouts, locked_until), so
the CLI, the TUI and every terminal share one count; and the audit trail (audit_entry), append-only like the
stock ledger: triggers refuse UPDATE and DELETE on both backends, and TRUNCATE on PostgreSQL; and the role each
reviewer or approver of a purchase request acted as (purchase_request_event.as_role), for separation of duties.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SQLITE = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only');
    END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only');
    END""",
]

_POSTGRESQL = [
    """CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entry is append-only';
    END $$""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
]


def upgrade() -> None:
    # Plain ADD COLUMN with a server default: batch mode would rebuild "operator" for nothing.
    op.add_column("operator", sa.Column("failed_pins", sa.Integer(), server_default="0", nullable=False))
    op.add_column("operator", sa.Column("lockouts", sa.Integer(), server_default="0", nullable=False))
    op.add_column("operator", sa.Column("locked_until", sa.DateTime(), nullable=True))
    # The role a reviewer or approver acted as: separation of duties reads it (one person, one role of a chain).
    op.add_column("purchase_request_event", sa.Column("as_role", sa.String(length=24), nullable=True))
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    op.drop_index("ix_audit_entry_at", table_name="audit_entry")
    op.drop_table("audit_entry")
    with op.batch_alter_table("purchase_request_event", schema=None) as batch_op:
        batch_op.drop_column("as_role")
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("lockouts")
        batch_op.drop_column("failed_pins")
