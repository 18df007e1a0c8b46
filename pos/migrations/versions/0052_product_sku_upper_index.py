"""A SKU typed in any letters is found through an index on its capitals (``upper(sku)``): the
catalog's and the member register's checks of a code (``inventory.catalog.codes``) and an opening
import's SKU lookup compare ``upper(sku)``, which scanned the whole product table.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-06 20:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0052'
down_revision: str | Sequence[str] | None = '0051'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_product_sku_upper', 'product', [sa.text('upper(sku)')], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_product_sku_upper', table_name='product')
