"""A member document keeps the cash rounding of its money (``member_document.rounding``): cash
at the savings counter is taken and paid out in whole coins (``POS_CASH_ROUNDING``), as a sale's
and a refund's are, so the money moved is ``total + rounding`` while the savings and the kasbon
move by the lines' ``total``.

Documents taken before this revision moved their total unrounded: their rounding is 0.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 04:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0038'
down_revision: str | Sequence[str] | None = '0037'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('member_document') as batch:
        batch.add_column(sa.Column('rounding', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('member_document') as batch:
        batch.drop_column('rounding')
