"""Returns against a receipt and voids before payment (issue 11).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 16:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
METHODS = sa.Enum('cash', 'qris', 'transfer', 'member_credit', name='paymentmethod_enum',
                  native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_qty', sa.BigInteger(), server_default='0',
                                      nullable=False))
    op.create_table(
        'return_sequence',
        sa.Column('outlet_code', sa.String(length=16), nullable=False),
        sa.Column('last_no', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('outlet_code', name=op.f('pk_return_sequence')),
    )
    op.create_table(
        'sale_return',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('return_no', sa.String(length=40), nullable=False),
        sa.Column('seq_no', sa.BigInteger(), nullable=False),
        sa.Column('outlet_code', sa.String(length=16), nullable=False),
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('till_id', BIG_ID, nullable=True),
        sa.Column('cashier_id', BIG_ID, nullable=False),
        sa.Column('approved_by', BIG_ID, nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('refund_total', sa.BigInteger(), nullable=False),
        sa.Column('tax_total', sa.BigInteger(), server_default='0', nullable=False),
        sa.CheckConstraint('refund_total >= 0', name=op.f('ck_sale_return_refund_nonneg')),
        sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'],
                                name=op.f('fk_sale_return_approved_by_staff_user')),
        sa.ForeignKeyConstraint(['cashier_id'], ['staff_user.id'],
                                name=op.f('fk_sale_return_cashier_id_staff_user')),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_sale_return_sale_id_sale')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_sale_return_till_id_till')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_return')),
        sa.UniqueConstraint('return_no', name=op.f('uq_sale_return_return_no')),
    )
    op.create_index('ix_sale_return_business_date', 'sale_return', ['business_date'])
    op.create_index(op.f('ix_sale_return_sale_id'), 'sale_return', ['sale_id'])
    op.create_table(
        'sale_return_line',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('return_id', BIG_ID, nullable=False),
        sa.Column('sale_line_id', BIG_ID, nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('tax', sa.BigInteger(), nullable=False),
        sa.Column('restock', sa.Boolean(), nullable=False),
        sa.CheckConstraint('qty > 0', name=op.f('ck_sale_return_line_qty_positive')),
        sa.ForeignKeyConstraint(['return_id'], ['sale_return.id'],
                                name=op.f('fk_sale_return_line_return_id_sale_return')),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'],
                                name=op.f('fk_sale_return_line_sale_line_id_sale_line')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_return_line')),
    )
    op.create_index(op.f('ix_sale_return_line_return_id'), 'sale_return_line', ['return_id'])
    op.create_index(op.f('ix_sale_return_line_sale_line_id'), 'sale_return_line',
                    ['sale_line_id'])
    op.create_table(
        'sale_return_batch',
        sa.Column('return_line_id', BIG_ID, nullable=False),
        sa.Column('batch_id', BIG_ID, nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['batch.id'],
                                name=op.f('fk_sale_return_batch_batch_id_batch')),
        sa.ForeignKeyConstraint(['return_line_id'], ['sale_return_line.id'],
                                name=op.f('fk_sale_return_batch_return_line_id_sale_return_line')),
        sa.PrimaryKeyConstraint('return_line_id', 'batch_id', name=op.f('pk_sale_return_batch')),
    )
    op.create_table(
        'return_refund',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('return_id', BIG_ID, nullable=False),
        sa.Column('method', METHODS, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_return_refund_amount_positive')),
        sa.ForeignKeyConstraint(['return_id'], ['sale_return.id'],
                                name=op.f('fk_return_refund_return_id_sale_return')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_refund')),
    )
    op.create_index(op.f('ix_return_refund_return_id'), 'return_refund', ['return_id'])
    op.create_table(
        'cart_void',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('till_id', BIG_ID, nullable=True),
        sa.Column('cashier_id', BIG_ID, nullable=True),
        sa.Column('cart_id', sa.BigInteger(), nullable=False),
        sa.Column('product_id', BIG_ID, nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('whole_cart', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cashier_id'], ['staff_user.id'],
                                name=op.f('fk_cart_void_cashier_id_staff_user')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'],
                                name=op.f('fk_cart_void_product_id_product')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_cart_void_till_id_till')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_void')),
    )
    op.create_index('ix_cart_void_created_at', 'cart_void', ['created_at'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_cart_void_created_at', table_name='cart_void')
    op.drop_table('cart_void')
    op.drop_index(op.f('ix_return_refund_return_id'), table_name='return_refund')
    op.drop_table('return_refund')
    op.drop_table('sale_return_batch')
    op.drop_index(op.f('ix_sale_return_line_sale_line_id'), table_name='sale_return_line')
    op.drop_index(op.f('ix_sale_return_line_return_id'), table_name='sale_return_line')
    op.drop_table('sale_return_line')
    op.drop_index(op.f('ix_sale_return_sale_id'), table_name='sale_return')
    op.drop_index('ix_sale_return_business_date', table_name='sale_return')
    op.drop_table('sale_return')
    op.drop_table('return_sequence')
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.drop_column('returned_qty')
