"""A closed day's summary rows keep the PPN inside their amounts (``tax_inside``): a sale priced
before tax (``sale.tax_added``) had its PPN added on top of the lines, so the reports' margin takes
out only the PPN the amounts hold.  Days closed before it: from their sale lines, as the closing
now writes it.

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-06 18:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0051'
down_revision: str | Sequence[str] | None = '0050'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same groups the closing sums (date, product, unit, category; no category matches no category).
BACKFILL = """
UPDATE sales_day_product SET tax_inside = COALESCE((
    SELECT sum(CASE WHEN s.tax_added THEN 0 ELSE l.tax END)
    FROM sale_line l JOIN sale s ON s.id = l.sale_id
    WHERE s.status = 'completed' AND s.business_date = sales_day_product.business_date
      AND l.product_id = sales_day_product.product_id
      AND l.business_unit = sales_day_product.business_unit
      AND (l.category_id = sales_day_product.category_id
           OR (l.category_id IS NULL AND sales_day_product.category_id IS NULL))), 0)
"""


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sales_day_product') as batch:
        batch.add_column(sa.Column('tax_inside', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(BACKFILL)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('sales_day_product') as batch:
        batch.drop_column('tax_inside')
