"""A kasbon entry a cashier made with a manager's approval (a return refunded to kasbon, a
repayment's cancellation) names both: ``user_id`` the cashier, ``approved_by`` the manager.
Entries made before keep NULL (their ``user_id`` is the approving manager, as it was recorded).

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0044'
down_revision: str | Sequence[str] | None = '0043'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('credit_entry') as batch:
        batch.add_column(sa.Column('approved_by', BIG_ID, nullable=True))
        batch.create_foreign_key(op.f('fk_credit_entry_approved_by_staff_user'), 'staff_user',
                                 ['approved_by'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('credit_entry') as batch:
        batch.drop_constraint(op.f('fk_credit_entry_approved_by_staff_user'), type_='foreignkey')
        batch.drop_column('approved_by')
