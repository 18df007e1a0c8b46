"""A name and PIN refused in an approval dialog at the till is logged (who asked, at which
till, the name typed, for what), and shows in the audit log.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 03:15:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0033'
down_revision: str | Sequence[str] | None = '0032'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'refused_approval',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('asked_by', BIG_ID, nullable=False),
        sa.Column('till_id', BIG_ID, nullable=True),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('address', sa.String(length=45), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['asked_by'], ['staff_user.id'],
                                name=op.f('fk_refused_approval_asked_by_staff_user')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'],
                                name=op.f('fk_refused_approval_till_id_till')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refused_approval')),
    )
    op.create_index(op.f('ix_refused_approval_created_at'), 'refused_approval', ['created_at'],
                    unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_refused_approval_created_at'), table_name='refused_approval')
    op.drop_table('refused_approval')
