"""A ledger that shows tampering: every stock_move row is chained to the one before it by a hash (chain), and
ledger_head keeps the last row's id and chain; the rows already there are chained in id order. On PostgreSQL
TRUNCATE of the ledger is refused by a trigger, as UPDATE and DELETE already are; the head row cannot be
deleted on either database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from core.ledger_chain import SEED, chain_rows

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 10_000

_MOVES = sa.table(
    "stock_move",
    sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("kind", sa.String),
    sa.column("part_id", sa.Integer), sa.column("lot_id", sa.Integer), sa.column("location_id", sa.Integer),
    sa.column("qty", sa.BigInteger), sa.column("unit_cost", sa.BigInteger), sa.column("doc_type", sa.String),
    sa.column("doc_no", sa.String), sa.column("operator_id", sa.Integer), sa.column("note", sa.String),
    sa.column("chain", sa.String),
)

_SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER stock_move_no_update BEFORE UPDATE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
    """CREATE TRIGGER stock_move_no_delete BEFORE DELETE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
]
_SQLITE_HEAD = [
    """CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head BEGIN
        SELECT RAISE(ABORT, 'ledger_head is kept: the ledger chains from it');
    END""",
]
_POSTGRESQL = [
    """CREATE FUNCTION ledger_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% cannot be truncated: the ledger is append-only', TG_TABLE_NAME;
    END $$""",
    """CREATE TRIGGER stock_move_no_truncate BEFORE TRUNCATE ON stock_move
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_no_truncate()""",
    """CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_no_truncate()""",
    """CREATE FUNCTION ledger_head_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger_head is kept: the ledger chains from it';
    END $$""",
    """CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head
        FOR EACH ROW EXECUTE FUNCTION ledger_head_kept()""",
]


def _fill_chains(bind) -> tuple[int, str]:
    """Chain the rows already in the ledger, in id order, a batch at a time; the last id and chain."""
    last_id, chain = 0, SEED
    while True:
        rows = bind.execute(
            sa.select(*[c for c in _MOVES.c if c.name != "chain"]).where(_MOVES.c.id > last_id)
            .order_by(_MOVES.c.id).limit(BATCH)
        ).all()
        if not rows:
            return last_id, chain
        linked = list(chain_rows(rows, chain))
        bind.execute(
            _MOVES.update().where(_MOVES.c.id == sa.bindparam("move_id")).values(chain=sa.bindparam("move_chain")),
            [{"move_id": move_id, "move_chain": move_chain} for move_id, move_chain in linked],
        )
        last_id, chain = linked[-1]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_ledger_head_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    # The append-only triggers step aside while the existing rows get their chain, within this transaction.
    if sqlite:
        op.execute("DROP TRIGGER stock_move_no_update")
        op.execute("DROP TRIGGER stock_move_no_delete")
    else:
        op.execute("ALTER TABLE stock_move DISABLE TRIGGER stock_move_no_change")
    op.add_column("stock_move", sa.Column("chain", sa.String(length=64), nullable=True))
    last_id, chain = _fill_chains(bind)
    with op.batch_alter_table("stock_move", schema=None) as batch_op:
        batch_op.alter_column("chain", existing_type=sa.String(length=64), nullable=False)
    bind.execute(sa.text("INSERT INTO ledger_head (id, last_id, chain) VALUES (1, :last_id, :chain)"),
                 {"last_id": last_id, "chain": chain})
    if sqlite:
        for statement in _SQLITE_APPEND_ONLY + _SQLITE_HEAD:
            op.execute(statement)
    else:
        op.execute("ALTER TABLE stock_move ENABLE TRIGGER stock_move_no_change")
        for statement in _POSTGRESQL:
            op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in ("stock_move_no_update", "stock_move_no_delete", "ledger_head_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS ledger_head_no_delete ON ledger_head")
        op.execute("DROP TRIGGER IF EXISTS ledger_head_no_truncate ON ledger_head")
        op.execute("DROP TRIGGER IF EXISTS stock_move_no_truncate ON stock_move")
        op.execute("DROP FUNCTION IF EXISTS ledger_head_kept()")
        op.execute("DROP FUNCTION IF EXISTS ledger_no_truncate()")
        op.execute("ALTER TABLE stock_move DISABLE TRIGGER stock_move_no_change")
    with op.batch_alter_table("stock_move", schema=None) as batch_op:
        batch_op.drop_column("chain")
    op.drop_table("ledger_head")
    if sqlite:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)
    else:
        op.execute("ALTER TABLE stock_move ENABLE TRIGGER stock_move_no_change")
