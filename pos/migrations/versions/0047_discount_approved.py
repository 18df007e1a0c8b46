"""A manual discount on a cart line or on the whole sale says whether a manager approved (or
gave) it: the cashier's combined limit counts only the discounts a cashier gave alone.
Discounts on carts before keep false (counted as the cashier's, as they were).

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0047'
down_revision: str | Sequence[str] | None = '0046'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    for table in ('cart', 'cart_line'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('discount_approved', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    """Downgrade schema."""
    for table in ('cart', 'cart_line'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('discount_approved')
