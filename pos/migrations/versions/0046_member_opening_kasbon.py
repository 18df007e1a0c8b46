"""What members owed the gerai on the paper books before its first day (saldo awal kasbon): one
row per member, imported from a file, held on the balance by one kasbon entry.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-07 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0046'
down_revision: str | Sequence[str] | None = '0045'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'member_opening_kasbon',
        sa.Column('member_id', BIG_ID, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('entry_id', BIG_ID, nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', BIG_ID, nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_member_opening_kasbon_amount_positive')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'],
                                name=op.f('fk_member_opening_kasbon_member_id_member')),
        sa.ForeignKeyConstraint(['entry_id'], ['credit_entry.id'],
                                name=op.f('fk_member_opening_kasbon_entry_id_credit_entry')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_member_opening_kasbon_user_id_staff_user')),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_opening_kasbon')),
        sa.UniqueConstraint('entry_id', name=op.f('uq_member_opening_kasbon_entry_id')),
    )
    op.create_index(op.f('ix_member_opening_kasbon_business_date'), 'member_opening_kasbon',
                    ['business_date'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_member_opening_kasbon_business_date'), table_name='member_opening_kasbon')
    op.drop_table('member_opening_kasbon')
