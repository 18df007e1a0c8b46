"""Member discounts, member prices, quantity tiers, line discounts (issue 9).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UNITS = sa.Enum('sembako', 'pupuk', 'apotek', 'umkm', 'lainnya', name='businessunit_enum', native_enum=False,
                create_constraint=True, length=16)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'member_discount',
        sa.Column('id', ID, nullable=False),
        sa.Column('business_unit', UNITS, nullable=True),
        sa.Column('category_id', ID, nullable=True),
        sa.Column('rate_bp', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', ID, nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('rate_bp >= 0 AND rate_bp <= 10000', name=op.f('ck_member_discount_rate_range')),
        sa.CheckConstraint('(business_unit IS NULL) <> (category_id IS NULL)',
                           name=op.f('ck_member_discount_one_scope')),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_member_discount_category_id_category')),
        sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'],
                                name=op.f('fk_member_discount_updated_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_discount')),
        sa.UniqueConstraint('business_unit', name=op.f('uq_member_discount_business_unit')),
        sa.UniqueConstraint('category_id', name=op.f('uq_member_discount_category_id')),
    )
    op.create_table(
        'member_price',
        sa.Column('product_id', ID, nullable=False),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', ID, nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('price > 0', name=op.f('ck_member_price_price_positive')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_member_price_product_id_product')),
        sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'],
                                name=op.f('fk_member_price_updated_by_staff_user')),
        sa.PrimaryKeyConstraint('product_id', name=op.f('pk_member_price')),
    )
    op.create_table(
        'price_tier',
        sa.Column('id', ID, nullable=False),
        sa.Column('product_id', ID, nullable=False),
        sa.Column('min_qty', sa.BigInteger(), nullable=False),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', ID, nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('min_qty > 1', name=op.f('ck_price_tier_min_qty_above_one')),
        sa.CheckConstraint('price > 0', name=op.f('ck_price_tier_price_positive')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_price_tier_product_id_product')),
        sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'],
                                name=op.f('fk_price_tier_updated_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_price_tier')),
        sa.UniqueConstraint('product_id', 'min_qty', name=op.f('uq_price_tier_product_id')),
    )
    op.create_index(op.f('ix_price_tier_product_id'), 'price_tier', ['product_id'], unique=False)
    op.create_table(
        'price_rule_change',
        sa.Column('id', ID, nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('product_id', ID, nullable=True),
        sa.Column('category_id', ID, nullable=True),
        sa.Column('business_unit', sa.String(length=16), nullable=True),
        sa.Column('min_qty', sa.BigInteger(), nullable=True),
        sa.Column('old', sa.BigInteger(), nullable=True),
        sa.Column('new', sa.BigInteger(), nullable=True),
        sa.Column('changed_by', ID, nullable=True),
        sa.Column('below_cost', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'],
                                name=op.f('fk_price_rule_change_category_id_category')),
        sa.ForeignKeyConstraint(['changed_by'], ['staff_user.id'],
                                name=op.f('fk_price_rule_change_changed_by_staff_user')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'],
                                name=op.f('fk_price_rule_change_product_id_product')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_price_rule_change')),
    )
    op.create_index(op.f('ix_price_rule_change_product_id'), 'price_rule_change', ['product_id'], unique=False)
    op.create_index(op.f('ix_price_rule_change_changed_at'), 'price_rule_change', ['changed_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_price_rule_change_changed_at'), table_name='price_rule_change')
    op.drop_index(op.f('ix_price_rule_change_product_id'), table_name='price_rule_change')
    op.drop_table('price_rule_change')
    op.drop_index(op.f('ix_price_tier_product_id'), table_name='price_tier')
    op.drop_table('price_tier')
    op.drop_table('member_price')
    op.drop_table('member_discount')
