"""A return of subsidised fertiliser keeps what was left of the farmer's allocation of each type
after it, with the season, so its slip and every reprint print the figure of that return.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 10:00:00.000000

Returns made before this revision have none; their slips print no remaining quota.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0031'
down_revision: str | Sequence[str] | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
FERTILIZER = ('urea', 'npk', 'npk_kakao', 'za', 'organik')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'return_quota',
        sa.Column('return_id', BIG_ID, nullable=False),
        sa.Column('fertilizer', sa.Enum(*FERTILIZER, name='fertilizertype_enum', native_enum=False,
                                        create_constraint=True, length=12), nullable=False),
        sa.Column('season', sa.String(length=40), nullable=False),
        sa.Column('remaining_grams', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('remaining_grams >= 0', name=op.f('ck_return_quota_remaining_nonneg')),
        sa.ForeignKeyConstraint(['return_id'], ['sale_return.id'],
                                name=op.f('fk_return_quota_return_id_sale_return')),
        sa.PrimaryKeyConstraint('return_id', 'fertilizer', name=op.f('pk_return_quota')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('return_quota')
