"""Member credit (kasbon) and savings documents (issue 9).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('member_document_sequence',
    sa.Column('outlet_code', sa.String(length=16), nullable=False),
    sa.Column('last_no', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('outlet_code', name=op.f('pk_member_document_sequence'))
    )
    op.create_table('member_credit',
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('credit_limit', sa.BigInteger(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_member_credit_balance_nonneg')),
    sa.CheckConstraint('credit_limit >= 0', name=op.f('ck_member_credit_limit_nonneg')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_credit_member_id_member')),
    sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'], name=op.f('fk_member_credit_updated_by_staff_user')),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_credit'))
    )
    op.create_table('member_document',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('doc_no', sa.String(length=32), nullable=False),
    sa.Column('seq_no', sa.BigInteger(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=36), nullable=False),
    sa.Column('outlet_code', sa.String(length=16), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('till_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('cashier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tender', sa.Enum('cash', 'qris', 'transfer', name='doctender_enum', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('tendered', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=True),
    sa.Column('print_error', sa.String(length=200), nullable=True),
    sa.CheckConstraint('total > 0', name=op.f('ck_member_document_total_positive')),
    sa.ForeignKeyConstraint(['cashier_id'], ['staff_user.id'], name=op.f('fk_member_document_cashier_id_staff_user')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_document_member_id_member')),
    sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_member_document_till_id_till')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_document')),
    sa.UniqueConstraint('doc_no', name=op.f('uq_member_document_doc_no')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_member_document_idempotency_key'))
    )
    with op.batch_alter_table('member_document', schema=None) as batch_op:
        batch_op.create_index('ix_member_document_business_date', ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_document_member_id'), ['member_id'], unique=False)
    op.create_table('credit_entry',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('charge', 'repayment', 'adjustment', name='entrykind_enum', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('sale_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['member_document.id'], name=op.f('fk_credit_entry_document_id_member_document')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_credit_entry_member_id_member')),
    sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_credit_entry_sale_id_sale')),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_credit_entry_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_entry'))
    )
    with op.batch_alter_table('credit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_credit_entry_member_id_id', ['member_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_entry_sale_id'), ['sale_id'], unique=False)
    op.create_table('member_document_line',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('saving', sa.Enum('pokok', 'wajib', 'sukarela', name='savingkind_enum', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('period', sa.Date(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_member_document_line_amount_positive')),
    sa.ForeignKeyConstraint(['document_id'], ['member_document.id'], name=op.f('fk_member_document_line_document_id_member_document')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_document_line_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_document_line')),
    sa.UniqueConstraint('member_id', 'saving', 'period', name='uq_member_document_line_member_month')
    )
    with op.batch_alter_table('member_document_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_document_line_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('member_document_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_document_line_document_id'))
    op.drop_table('member_document_line')
    with op.batch_alter_table('credit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_entry_sale_id'))
        batch_op.drop_index('ix_credit_entry_member_id_id')
    op.drop_table('credit_entry')
    with op.batch_alter_table('member_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_document_member_id'))
        batch_op.drop_index('ix_member_document_business_date')
    op.drop_table('member_document')
    op.drop_table('member_credit')
    op.drop_table('member_document_sequence')
