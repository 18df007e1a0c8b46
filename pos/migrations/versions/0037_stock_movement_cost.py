"""The cost a stock adjustment, write-off or count difference was valued at when it was approved
(``stock_movement.unit_cost``, per price unit), so the day's journal books that value and not the
cost in force when the day is closed.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-04 17:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0037'
down_revision: str | Sequence[str] | None = '0036'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('stock_movement') as batch:
        batch.add_column(sa.Column('unit_cost', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('stock_movement') as batch:
        batch.drop_column('unit_cost')
