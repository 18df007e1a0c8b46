"""A goods receipt rejected whole (no stock, no cost) that was posted by mistake can be cancelled
by a manager: who (``cancelled_by``), when (``cancelled_at``) and why (``cancel_reason``).
Receipts posted before keep NULLs: not cancelled.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-06 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0043'
down_revision: str | Sequence[str] | None = '0042'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# SQLite rebuilds the table for the foreign key: it keeps AUTOINCREMENT (0040).
KEEP = {"sqlite_autoincrement": True}


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('goods_receipt', table_kwargs=KEEP) as batch:
        batch.add_column(sa.Column('cancelled_by', BIG_ID, nullable=True))
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))
        batch.create_foreign_key(op.f('fk_goods_receipt_cancelled_by_staff_user'), 'staff_user',
                                 ['cancelled_by'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('goods_receipt', table_kwargs=KEEP) as batch:
        batch.drop_constraint(op.f('fk_goods_receipt_cancelled_by_staff_user'), type_='foreignkey')
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
        batch.drop_column('cancelled_by')
