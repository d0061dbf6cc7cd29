"""Initial schema: parts, locations, operators, lots, the append-only ledger, numbering, settings.

Quantities are BIGINT thousandths and money BIGINT cents (core.sqltypes), times naive UTC.
On SQLite the parts get an FTS5 trigram index for substring search and a table of the one- and
two-character pieces of their Chinese names for shorter queries; on both databases
triggers refuse UPDATE and DELETE on stock_move, so the ledger stays append-only.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_sequence',
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_no', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('doc_type', 'year')
    )
    op.create_table('location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('zone', sa.String(length=4), nullable=False),
    sa.Column('series', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_location_zone'), ['zone'], unique=False)

    op.create_table('operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_no', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=True),
    sa.Column('model_series', sa.String(length=40), nullable=True),
    sa.Column('unit', sa.String(length=12), nullable=False),
    sa.Column('list_price', sa.BigInteger(), nullable=False),
    sa.Column('fragile', sa.Boolean(), nullable=False),
    sa.Column('pack_qty', sa.BigInteger(), nullable=False),
    sa.Column('default_location_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('list_price >= 0', name='ck_part_price_not_negative'),
    sa.CheckConstraint('pack_qty > 0', name='ck_part_pack_qty_positive'),
    sa.ForeignKeyConstraint(['default_location_id'], ['location.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('part_no')
    )
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_model_series'), ['model_series'], unique=False)

    op.create_table('stock_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('qty_received', sa.BigInteger(), nullable=False),
    sa.Column('qty_remaining', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('doc_no', sa.String(length=32), nullable=False),
    sa.CheckConstraint('qty_received > 0', name='ck_lot_received_positive'),
    sa.CheckConstraint('qty_remaining <= qty_received', name='ck_lot_remaining_within_received'),
    sa.CheckConstraint('qty_remaining >= 0', name='ck_lot_remaining_not_negative'),
    sa.CheckConstraint('unit_cost >= 0', name='ck_lot_cost_not_negative'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], ),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_lot', schema=None) as batch_op:
        batch_op.create_index('ix_stock_lot_fifo', ['part_id', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_stock_lot_location', ['location_id', 'part_id'], unique=False)

    op.create_table('stock_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('doc_no', sa.String(length=32), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.CheckConstraint('qty <> 0', name='ck_move_qty_not_zero'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['stock_lot.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['part_id'], ['part.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.create_index('ix_stock_move_document', ['doc_type', 'doc_no'], unique=False)
        batch_op.create_index('ix_stock_move_lot', ['lot_id'], unique=False)
        batch_op.create_index('ix_stock_move_part', ['part_id', 'id'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


_SQLITE = [
    # Substring search over part number and names: a trigram index answers in well under a
    # millisecond where a LIKE scan of 200,000 parts takes 10-20 ms.
    """CREATE VIRTUAL TABLE part_fts USING fts5(
        part_no, name, name_zh, content='part', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER part_fts_insert AFTER INSERT ON part BEGIN
        INSERT INTO part_fts(rowid, part_no, name, name_zh) VALUES (new.id, new.part_no, new.name, new.name_zh);
    END""",
    """CREATE TRIGGER part_fts_delete AFTER DELETE ON part BEGIN
        INSERT INTO part_fts(part_fts, rowid, part_no, name, name_zh)
        VALUES ('delete', old.id, old.part_no, old.name, old.name_zh);
    END""",
    """CREATE TRIGGER part_fts_update AFTER UPDATE OF part_no, name, name_zh ON part BEGIN
        INSERT INTO part_fts(part_fts, rowid, part_no, name, name_zh)
        VALUES ('delete', old.id, old.part_no, old.name, old.name_zh);
        INSERT INTO part_fts(rowid, part_no, name, name_zh) VALUES (new.id, new.part_no, new.name, new.name_zh);
    END""",
    # Chinese names are searched by one or two characters (滤清, 大灯) below the trigram index's
    # reach: every one- and two-character piece of name_zh, kept by triggers. SQLite forbids CTEs
    # inside triggers, so a table of positions does the splitting.
    "CREATE TABLE gram_position (i INTEGER PRIMARY KEY)",
    """INSERT INTO gram_position (i)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n""",
    """CREATE TABLE part_gram (
        gram TEXT NOT NULL, part_id INTEGER NOT NULL, PRIMARY KEY (gram, part_id)) WITHOUT ROWID""",
    """CREATE TRIGGER part_gram_insert AFTER INSERT ON part WHEN new.name_zh IS NOT NULL BEGIN
        INSERT OR IGNORE INTO part_gram (gram, part_id)
        SELECT substr(lower(new.name_zh), i, 2), new.id FROM gram_position WHERE i <= length(new.name_zh);
    END""",
    """CREATE TRIGGER part_gram_update AFTER UPDATE OF name_zh ON part BEGIN
        DELETE FROM part_gram WHERE part_id = old.id;
        INSERT OR IGNORE INTO part_gram (gram, part_id)
        SELECT substr(lower(new.name_zh), i, 2), new.id FROM gram_position
        WHERE new.name_zh IS NOT NULL AND i <= length(new.name_zh);
    END""",
    """CREATE TRIGGER part_gram_delete AFTER DELETE ON part BEGIN
        DELETE FROM part_gram WHERE part_id = old.id;
    END""",
    """CREATE TRIGGER stock_move_no_update BEFORE UPDATE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
    """CREATE TRIGGER stock_move_no_delete BEFORE DELETE ON stock_move BEGIN
        SELECT RAISE(ABORT, 'stock_move is append-only: correct with a reversing move');
    END""",
]

_POSTGRESQL = [
    """CREATE FUNCTION stock_move_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'stock_move is append-only: correct with a reversing move';
    END $$""",
    """CREATE TRIGGER stock_move_no_change BEFORE UPDATE OR DELETE ON stock_move
        FOR EACH ROW EXECUTE FUNCTION stock_move_append_only()""",
]


def _sqlite_upgrade() -> None:
    for statement in _SQLITE:
        op.execute(statement)


def _postgresql_upgrade() -> None:
    for statement in _POSTGRESQL:
        op.execute(statement)



def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("stock_move_no_delete", "stock_move_no_update", "part_gram_delete", "part_gram_update",
                     "part_gram_insert", "part_fts_update", "part_fts_delete", "part_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in ("part_gram", "gram_position", "part_fts"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    else:
        op.execute("DROP TRIGGER IF EXISTS stock_move_no_change ON stock_move")
        op.execute("DROP FUNCTION IF EXISTS stock_move_append_only()")
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_move_part')
        batch_op.drop_index('ix_stock_move_lot')
        batch_op.drop_index('ix_stock_move_document')

    op.drop_table('stock_move')
    with op.batch_alter_table('stock_lot', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_lot_location')
        batch_op.drop_index('ix_stock_lot_fifo')

    op.drop_table('stock_lot')
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_model_series'))

    op.drop_table('part')
    op.drop_table('setting')
    op.drop_table('operator')
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_location_zone'))

    op.drop_table('location')
    op.drop_table('document_sequence')
