"""Ceiling price (HET) schedule per product and zone; product.het moves into it (issue 10).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
SINCE = date(2000, 1, 1)  # a catalog HET has no date: it has always applied


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'ceiling_price',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('product_id', BIG_ID, nullable=False),
        sa.Column('zone', sa.String(length=8), nullable=True),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=120), nullable=True),
        sa.Column('created_by', BIG_ID, nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('price > 0', name=op.f('ck_ceiling_price_price_positive')),
        sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'],
                                name=op.f('fk_ceiling_price_created_by_staff_user')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'],
                                name=op.f('fk_ceiling_price_product_id_product')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ceiling_price')),
        sa.UniqueConstraint('product_id', 'zone', 'effective_from',
                            name=op.f('uq_ceiling_price_product_id')),
    )
    op.create_index('uq_ceiling_price_every_zone', 'ceiling_price', ['product_id', 'effective_from'],
                    unique=True, sqlite_where=sa.text('zone IS NULL'),
                    postgresql_where=sa.text('zone IS NULL'))
    op.execute(sa.text(
        "INSERT INTO ceiling_price (product_id, zone, price, effective_from, note, created_at) "
        "SELECT id, NULL, het, :since, 'dari katalog', CURRENT_TIMESTAMP FROM product "
        "WHERE het IS NOT NULL").bindparams(since=SINCE))
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_product_het_positive'), type_='check')
        batch_op.drop_column('het')


def downgrade() -> None:
    """Downgrade schema: each product keeps the ceiling in force for every zone today."""
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('het', sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint('het_positive', 'het IS NULL OR het > 0')
    op.execute(sa.text(
        "UPDATE product SET het = (SELECT c.price FROM ceiling_price c "
        "WHERE c.product_id = product.id AND c.zone IS NULL "
        "AND c.effective_from <= CURRENT_DATE ORDER BY c.effective_from DESC LIMIT 1)"))
    op.drop_index('uq_ceiling_price_every_zone', table_name='ceiling_price')
    op.drop_table('ceiling_price')
