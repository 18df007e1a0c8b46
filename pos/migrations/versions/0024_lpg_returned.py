"""LPG 3 kg lines remember what was returned (the pangkalan's list shows what buyers kept).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 09:20:00.000000

Returns made before this revision are counted in from their return lines.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: str | Sequence[str] | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
UPDATE lpg_sale SET returned_qty = (
    SELECT coalesce(sum(r.qty), 0) FROM sale_return_line r WHERE r.sale_line_id = lpg_sale.sale_line_id)
WHERE EXISTS (SELECT 1 FROM sale_return_line r WHERE r.sale_line_id = lpg_sale.sale_line_id)
"""


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lpg_sale') as batch:
        batch.add_column(sa.Column('returned_qty', sa.BigInteger(), server_default='0', nullable=False))
        batch.create_check_constraint('returned_within', 'returned_qty >= 0 AND returned_qty <= qty')
    op.execute(BACKFILL)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('lpg_sale') as batch:
        batch.drop_constraint('returned_within', type_='check')
        batch.drop_column('returned_qty')
