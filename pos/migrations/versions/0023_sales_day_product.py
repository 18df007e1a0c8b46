"""Per closed business day and product, its sale lines summed (issue 14: the month report).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 09:00:00.000000

Days closed before this revision get their rows here, from their sale lines, as the closing
now writes them.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: str | Sequence[str] | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UNIT = sa.Enum('sembako', 'pupuk', 'apotek', 'umkm', 'lainnya', name='businessunit_enum',
               native_enum=False, create_constraint=True, length=16)
BASE_UNIT = sa.Enum('pcs', 'gram', 'ml', name='baseunit_enum', native_enum=False,
                    create_constraint=True, length=8)
BACKFILL = """
INSERT INTO sales_day_product (business_date, product_id, business_unit, category_id, sku, name,
                               base_unit, lines, qty, amount, discount, tax, cost)
SELECT s.business_date, l.product_id, l.business_unit, l.category_id, max(l.sku), max(l.name),
       max(l.base_unit), count(l.id), sum(l.qty), sum(l.amount), sum(l.discount), sum(l.tax),
       sum((l.unit_cost * l.qty * 2 + l.price_per) / (l.price_per * 2))
FROM sale_line l JOIN sale s ON s.id = l.sale_id
WHERE s.status = 'completed' AND s.business_date IN (SELECT business_date FROM business_day)
GROUP BY s.business_date, l.product_id, l.business_unit, l.category_id
"""


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'sales_day_product',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('product_id', BIG_ID, nullable=False),
        sa.Column('business_unit', UNIT, nullable=False),
        sa.Column('category_id', BIG_ID, nullable=True),
        sa.Column('sku', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('base_unit', BASE_UNIT, nullable=False),
        sa.Column('lines', sa.BigInteger(), nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('discount', sa.BigInteger(), nullable=False),
        sa.Column('tax', sa.BigInteger(), nullable=False),
        sa.Column('cost', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'],
                                name=op.f('fk_sales_day_product_category_id_category')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'],
                                name=op.f('fk_sales_day_product_product_id_product')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_day_product')),
    )
    op.create_index('ix_sales_day_product_day_product', 'sales_day_product',
                    ['business_date', 'product_id'])
    op.execute(BACKFILL)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_sales_day_product_day_product', table_name='sales_day_product')
    op.drop_table('sales_day_product')
