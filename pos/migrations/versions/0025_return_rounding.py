"""A return keeps the cash rounding of its refund (a cash refund is paid in whole coins).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 13:40:00.000000

Returns made before this revision were refunded unrounded: their rounding is 0.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: str | Sequence[str] | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale_return') as batch:
        batch.add_column(sa.Column('rounding', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('sale_return') as batch:
        batch.drop_column('rounding')
