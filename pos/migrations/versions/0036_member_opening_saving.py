"""Members' savings from before the gerai's first day (saldo awal simpanan): one row per
member, imported from a file.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-04 08:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0036'
down_revision: str | Sequence[str] | None = '0035'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'member_opening_saving',
        sa.Column('member_id', BIG_ID, nullable=False),
        sa.Column('pokok', sa.BigInteger(), nullable=False),
        sa.Column('wajib', sa.BigInteger(), nullable=False),
        sa.Column('wajib_through', sa.Date(), nullable=True),
        sa.Column('sukarela', sa.BigInteger(), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', BIG_ID, nullable=True),
        sa.CheckConstraint('pokok >= 0 AND wajib >= 0 AND sukarela >= 0',
                           name=op.f('ck_member_opening_saving_amounts_nonneg')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'],
                                name=op.f('fk_member_opening_saving_member_id_member')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_member_opening_saving_user_id_staff_user')),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_opening_saving')),
    )
    op.create_index(op.f('ix_member_opening_saving_business_date'), 'member_opening_saving',
                    ['business_date'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_member_opening_saving_business_date'), table_name='member_opening_saving')
    op.drop_table('member_opening_saving')
