"""Approval records and receiving checks (issue 8).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    for table in ('stock_adjustment', 'count_session', 'goods_receipt'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('self_approved', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('goods_receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_note_reused', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('goods_receipt', schema=None) as batch_op:
        batch_op.drop_column('delivery_note_reused')
    for table in ('goods_receipt', 'count_session', 'stock_adjustment'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('self_approved')
