"""A discount a manager approved (or gave) keeps the Rupiah it took off when they saw it: a
percentage grown past that (lines added, a quantity raised, the member taken off) is the
manager's no more, and past the cashier's limit the sale waits for a new approval.
Approvals on carts before keep 0: a discount on them asks again if it is past the limit.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 17:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0048'
down_revision: str | Sequence[str] | None = '0047'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    for table in ('cart', 'cart_line'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('discount_approved_off', sa.BigInteger(), nullable=False,
                                       server_default='0'))


def downgrade() -> None:
    """Downgrade schema."""
    for table in ('cart', 'cart_line'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('discount_approved_off')
