"""An obat keras line keeps the quantity the apoteker approved: more needs approving again.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 12:30:00.000000

Cart lines approved before this revision have none: their quantity may grow as it could
before, until the line is sold or removed.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0026'
down_revision: str | Sequence[str] | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cart_line') as batch:
        batch.add_column(sa.Column('rx_qty', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cart_line') as batch:
        batch.drop_column('rx_qty')
