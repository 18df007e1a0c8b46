"""A sale of subsidised fertiliser keeps what was left of the farmer's allocation of each type
after it, with the season, so its receipt and every reprint print the figure of that sale.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03 15:00:00.000000

Sales made before this revision have none; their receipts print no remaining quota.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0030'
down_revision: str | Sequence[str] | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
FERTILIZER = ('urea', 'npk', 'npk_kakao', 'za', 'organik')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'sale_quota',
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('fertilizer', sa.Enum(*FERTILIZER, name='fertilizertype_enum', native_enum=False,
                                        create_constraint=True, length=12), nullable=False),
        sa.Column('season', sa.String(length=40), nullable=False),
        sa.Column('remaining_grams', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('remaining_grams >= 0', name=op.f('ck_sale_quota_remaining_nonneg')),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_sale_quota_sale_id_sale')),
        sa.PrimaryKeyConstraint('sale_id', 'fertilizer', name=op.f('pk_sale_quota')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('sale_quota')
