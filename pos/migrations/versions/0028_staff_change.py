"""Changes to staff accounts are logged: who made an account, gave a new PIN, changed a name
or SIPA, deactivated or activated one (the Staf screen and ``pos user``).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03 15:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0028'
down_revision: str | Sequence[str] | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'staff_change',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('user_id', BIG_ID, nullable=False),
        sa.Column('changed_by', BIG_ID, nullable=True),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_staff_change_user_id_staff_user')),
        sa.ForeignKeyConstraint(['changed_by'], ['staff_user.id'],
                                name=op.f('fk_staff_change_changed_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_change')),
    )
    op.create_index(op.f('ix_staff_change_user_id'), 'staff_change', ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_staff_change_user_id'), table_name='staff_change')
    op.drop_table('staff_change')
