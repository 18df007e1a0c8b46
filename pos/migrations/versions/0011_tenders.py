"""Tenders (QRIS, transfer, member credit, split, cash rounding), sale-line prices and
discounts, cart discounts and parked carts (issue 9).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


METHODS_OLD = ('cash', 'qris', 'member_credit')
METHODS_NEW = ('cash', 'qris', 'transfer', 'member_credit')


def _methods(values) -> sa.Enum:
    return sa.Enum(*values, name='paymentmethod_enum', native_enum=False, create_constraint=True,
                   length=16)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.alter_column('till_id', existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                              nullable=True)
        batch_op.add_column(sa.Column('discount_bp', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount_amount', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('parked_from', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('parked_note', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('parked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('parked_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cart_parked_from_till'), 'till', ['parked_from'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cart_parked_by_staff_user'), 'staff_user', ['parked_by'], ['id'])
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_override', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('discount_bp', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount_amount', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('below_cost_ok', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('adjust_reason', sa.String(length=200), nullable=True))
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_sale', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('member_saving', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('rounding', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_price', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('member_saving', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount_reason', sa.String(length=100), nullable=True))
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.alter_column('method', existing_type=_methods(METHODS_OLD), type_=_methods(METHODS_NEW),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('confirmed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payment_confirmed_by_staff_user'), 'staff_user', ['confirmed_by'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_confirmed_by_staff_user'), type_='foreignkey')
        batch_op.drop_column('confirmed_by')
        batch_op.alter_column('method', existing_type=_methods(METHODS_NEW), type_=_methods(METHODS_OLD),
                              existing_nullable=False)
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        for column in ('discount_reason', 'member_saving', 'discount', 'list_price'):
            batch_op.drop_column(column)
    with op.batch_alter_table('sale', schema=None) as batch_op:
        for column in ('rounding', 'member_saving', 'member_sale'):
            batch_op.drop_column(column)
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        for column in ('adjust_reason', 'below_cost_ok', 'discount_amount', 'discount_bp', 'price_override'):
            batch_op.drop_column(column)
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cart_parked_by_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cart_parked_from_till'), type_='foreignkey')
        for column in ('parked_by', 'parked_at', 'parked_note', 'parked_from', 'discount_reason',
                       'discount_amount', 'discount_bp'):
            batch_op.drop_column(column)
        batch_op.alter_column('till_id', existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                              nullable=False)
