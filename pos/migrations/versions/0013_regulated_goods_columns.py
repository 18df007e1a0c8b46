"""Regulated goods (issue 10): product drug class, most per sale, subsidised fertiliser type,
LPG kind and limit rule; the buyer on the cart; prescriptions on cart lines; the sale's buyer
and its lines' prescriptions; a pharmacist's licence number (SIPA).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _enum(name: str, values: tuple[str, ...], length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'limit_rule',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('max_qty', sa.BigInteger(), nullable=False),
        sa.Column('period', _enum('limitperiod_enum', ('day', 'week'), 8), nullable=False),
        sa.Column('buyer', _enum('buyerkind_enum', ('any', 'nik', 'member'), 8), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('created_by', BIG_ID, nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('max_qty > 0', name=op.f('ck_limit_rule_max_qty_positive')),
        sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'],
                                name=op.f('fk_limit_rule_created_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_rule')),
        sa.UniqueConstraint('name', name=op.f('uq_limit_rule_name')),
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('drug_class', _enum(
            'drugclass_enum', ('bebas', 'bebas_terbatas', 'keras', 'psikotropika', 'narkotika'), 16),
            nullable=True))
        batch_op.add_column(sa.Column('max_per_sale', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('subsidy', _enum(
            'fertilizertype_enum', ('urea', 'npk', 'npk_kakao', 'za', 'organik'), 12), nullable=True))
        batch_op.add_column(sa.Column('lpg', _enum('lpgkind_enum', ('refill', 'new'), 8), nullable=True))
        batch_op.add_column(sa.Column('limit_rule_id', BIG_ID, nullable=True))
        batch_op.create_check_constraint('max_per_sale_positive',
                                         'max_per_sale IS NULL OR max_per_sale > 0')
        batch_op.create_index(batch_op.f('ix_product_limit_rule_id'), ['limit_rule_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_product_limit_rule_id_limit_rule'), 'limit_rule',
                                    ['limit_rule_id'], ['id'])
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licence_no', sa.String(length=60), nullable=True))
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buyer_nik', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('buyer_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('buyer_category', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('proxy_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('proxy_nik', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('proxy_relation', sa.String(length=40), nullable=True))
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rx_doctor', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('rx_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('rx_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('pharmacist_id', BIG_ID, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cart_line_pharmacist_id_staff_user'), 'staff_user',
                                    ['pharmacist_id'], ['id'])
    op.create_table(
        'sale_buyer',
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=True),
        sa.Column('member_id', BIG_ID, nullable=True),
        sa.Column('name', sa.String(length=100), nullable=True),
        sa.Column('category', sa.String(length=16), nullable=True),
        sa.Column('proxy_name', sa.String(length=100), nullable=True),
        sa.Column('proxy_nik', sa.String(length=16), nullable=True),
        sa.Column('proxy_relation', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_sale_buyer_sale_id_sale')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_sale_buyer_member_id_member')),
        sa.PrimaryKeyConstraint('sale_id', name=op.f('pk_sale_buyer')),
    )
    op.create_index(op.f('ix_sale_buyer_nik'), 'sale_buyer', ['nik'], unique=False)
    op.create_table(
        'sale_line_rx',
        sa.Column('sale_line_id', BIG_ID, nullable=False),
        sa.Column('doctor', sa.String(length=100), nullable=False),
        sa.Column('rx_date', sa.Date(), nullable=False),
        sa.Column('rx_number', sa.String(length=40), nullable=False),
        sa.Column('pharmacist_id', BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'],
                                name=op.f('fk_sale_line_rx_sale_line_id_sale_line')),
        sa.ForeignKeyConstraint(['pharmacist_id'], ['staff_user.id'],
                                name=op.f('fk_sale_line_rx_pharmacist_id_staff_user')),
        sa.PrimaryKeyConstraint('sale_line_id', name=op.f('pk_sale_line_rx')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('sale_line_rx')
    op.drop_index(op.f('ix_sale_buyer_nik'), table_name='sale_buyer')
    op.drop_table('sale_buyer')
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cart_line_pharmacist_id_staff_user'), type_='foreignkey')
        for column in ('pharmacist_id', 'rx_number', 'rx_date', 'rx_doctor'):
            batch_op.drop_column(column)
    with op.batch_alter_table('cart', schema=None) as batch_op:
        for column in ('proxy_relation', 'proxy_nik', 'proxy_name', 'buyer_category', 'buyer_name',
                       'buyer_nik'):
            batch_op.drop_column(column)
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_product_limit_rule_id_limit_rule'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_limit_rule_id'))
        batch_op.drop_constraint('max_per_sale_positive', type_='check')
        for column in ('limit_rule_id', 'lpg', 'subsidy', 'max_per_sale', 'drug_class'):
            batch_op.drop_column(column)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('licence_no')
    op.drop_table('limit_rule')
