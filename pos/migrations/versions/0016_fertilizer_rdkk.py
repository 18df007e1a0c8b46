"""e-RDKK seasons, farmers, allocations and redemptions of subsidised fertiliser (issue 10).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
FERTILIZER = ('urea', 'npk', 'npk_kakao', 'za', 'organik')


def _fertilizer() -> sa.Enum:
    return sa.Enum(*FERTILIZER, name='fertilizertype_enum', native_enum=False, create_constraint=True,
                   length=12)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'rdkk_season',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.Column('imported_by', BIG_ID, nullable=True),
        sa.Column('source_file', sa.String(length=200), nullable=True),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_rdkk_season_dates_in_order')),
        sa.ForeignKeyConstraint(['imported_by'], ['staff_user.id'],
                                name=op.f('fk_rdkk_season_imported_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rdkk_season')),
        sa.UniqueConstraint('name', name=op.f('uq_rdkk_season_name')),
    )
    op.create_table(
        'rdkk_farmer',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('season_id', BIG_ID, nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=False),
        sa.Column('kartu_tani', sa.String(length=20), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('farmer_group', sa.String(length=100), nullable=True),
        sa.Column('village', sa.String(length=100), nullable=True),
        sa.Column('commodity', sa.String(length=20), nullable=True),
        sa.Column('listed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['season_id'], ['rdkk_season.id'],
                                name=op.f('fk_rdkk_farmer_season_id_rdkk_season')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rdkk_farmer')),
        sa.UniqueConstraint('season_id', 'nik', name='uq_rdkk_farmer_season_nik'),
        sa.UniqueConstraint('season_id', 'kartu_tani', name='uq_rdkk_farmer_season_kartu_tani'),
    )
    op.create_index(op.f('ix_rdkk_farmer_nik'), 'rdkk_farmer', ['nik'], unique=False)
    op.create_table(
        'rdkk_allocation',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('farmer_id', BIG_ID, nullable=False),
        sa.Column('fertilizer', _fertilizer(), nullable=False),
        sa.Column('allocated_grams', sa.BigInteger(), nullable=False),
        sa.Column('taken_grams', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('taken_grams >= 0', name=op.f('ck_rdkk_allocation_taken_nonneg')),
        sa.CheckConstraint('taken_grams <= allocated_grams',
                           name=op.f('ck_rdkk_allocation_taken_within_allocation')),
        sa.ForeignKeyConstraint(['farmer_id'], ['rdkk_farmer.id'],
                                name=op.f('fk_rdkk_allocation_farmer_id_rdkk_farmer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rdkk_allocation')),
        sa.UniqueConstraint('farmer_id', 'fertilizer', name='uq_rdkk_allocation_farmer_type'),
    )
    op.create_table(
        'fertilizer_redemption',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('sale_line_id', BIG_ID, nullable=False),
        sa.Column('receipt_no', sa.String(length=40), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('season_id', BIG_ID, nullable=False),
        sa.Column('farmer_id', BIG_ID, nullable=False),
        sa.Column('allocation_id', BIG_ID, nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=False),
        sa.Column('fertilizer', _fertilizer(), nullable=False),
        sa.Column('grams', sa.BigInteger(), nullable=False),
        sa.Column('returned_grams', sa.BigInteger(), nullable=False),
        sa.Column('proxy_name', sa.String(length=100), nullable=True),
        sa.Column('proxy_nik', sa.String(length=16), nullable=True),
        sa.Column('proxy_relation', sa.String(length=40), nullable=True),
        sa.Column('cashier_id', BIG_ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('grams > 0', name=op.f('ck_fertilizer_redemption_grams_positive')),
        sa.CheckConstraint('returned_grams >= 0 AND returned_grams <= grams',
                           name=op.f('ck_fertilizer_redemption_returned_within')),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'],
                                name=op.f('fk_fertilizer_redemption_sale_id_sale')),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'],
                                name=op.f('fk_fertilizer_redemption_sale_line_id_sale_line')),
        sa.ForeignKeyConstraint(['season_id'], ['rdkk_season.id'],
                                name=op.f('fk_fertilizer_redemption_season_id_rdkk_season')),
        sa.ForeignKeyConstraint(['farmer_id'], ['rdkk_farmer.id'],
                                name=op.f('fk_fertilizer_redemption_farmer_id_rdkk_farmer')),
        sa.ForeignKeyConstraint(['allocation_id'], ['rdkk_allocation.id'],
                                name=op.f('fk_fertilizer_redemption_allocation_id_rdkk_allocation')),
        sa.ForeignKeyConstraint(['cashier_id'], ['staff_user.id'],
                                name=op.f('fk_fertilizer_redemption_cashier_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fertilizer_redemption')),
        sa.UniqueConstraint('sale_line_id', name=op.f('uq_fertilizer_redemption_sale_line_id')),
    )
    op.create_index('ix_fertilizer_redemption_day', 'fertilizer_redemption', ['business_date'],
                    unique=False)
    op.create_index(op.f('ix_fertilizer_redemption_sale_id'), 'fertilizer_redemption', ['sale_id'],
                    unique=False)
    op.create_index(op.f('ix_fertilizer_redemption_farmer_id'), 'fertilizer_redemption',
                    ['farmer_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_fertilizer_redemption_farmer_id'), table_name='fertilizer_redemption')
    op.drop_index(op.f('ix_fertilizer_redemption_sale_id'), table_name='fertilizer_redemption')
    op.drop_index('ix_fertilizer_redemption_day', table_name='fertilizer_redemption')
    op.drop_table('fertilizer_redemption')
    op.drop_table('rdkk_allocation')
    op.drop_index(op.f('ix_rdkk_farmer_nik'), table_name='rdkk_farmer')
    op.drop_table('rdkk_farmer')
    op.drop_table('rdkk_season')
