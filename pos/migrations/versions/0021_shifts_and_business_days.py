"""Shifts, the cash drawer's movements and closed business days (issue 11).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 19:20:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: str | Sequence[str] | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
OPEN = sa.text('closed_at IS NULL')
DIRECTIONS = sa.Enum('in', 'out', name='cashdirection_enum', native_enum=False,
                     create_constraint=True, length=8)
WITH_SHIFT = ('sale', 'member_document', 'sale_return')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'business_day',
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=False),
        sa.Column('closed_by', BIG_ID, nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('summary_hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['closed_by'], ['staff_user.id'],
                                name=op.f('fk_business_day_closed_by_staff_user')),
        sa.PrimaryKeyConstraint('business_date', name=op.f('pk_business_day')),
    )
    op.create_table(
        'shift',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('till_id', BIG_ID, nullable=False),
        sa.Column('cashier_id', BIG_ID, nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('opening_float', sa.BigInteger(), nullable=False),
        sa.Column('opening_counts', sa.JSON(), nullable=True),
        sa.Column('previous_counted', sa.BigInteger(), nullable=True),
        sa.Column('opening_note', sa.String(length=200), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by', BIG_ID, nullable=True),
        sa.Column('approved_by', BIG_ID, nullable=True),
        sa.Column('closing_counts', sa.JSON(), nullable=True),
        sa.Column('expected_cash', sa.BigInteger(), nullable=True),
        sa.Column('counted_cash', sa.BigInteger(), nullable=True),
        sa.Column('difference', sa.BigInteger(), nullable=True),
        sa.Column('close_reason', sa.String(length=200), nullable=True),
        sa.CheckConstraint('opening_float >= 0', name=op.f('ck_shift_float_nonneg')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_shift_till_id_till')),
        sa.ForeignKeyConstraint(['cashier_id'], ['staff_user.id'],
                                name=op.f('fk_shift_cashier_id_staff_user')),
        sa.ForeignKeyConstraint(['closed_by'], ['staff_user.id'],
                                name=op.f('fk_shift_closed_by_staff_user')),
        sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'],
                                name=op.f('fk_shift_approved_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shift')),
    )
    op.create_index('uq_shift_open_till', 'shift', ['till_id'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_shift_business_date', 'shift', ['business_date'])
    op.create_table(
        'shift_tender',
        sa.Column('shift_id', BIG_ID, nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('expected', sa.BigInteger(), nullable=False),
        sa.Column('counted', sa.BigInteger(), nullable=False),
        sa.Column('difference', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['shift_id'], ['shift.id'],
                                name=op.f('fk_shift_tender_shift_id_shift')),
        sa.PrimaryKeyConstraint('shift_id', 'method', name=op.f('pk_shift_tender')),
    )
    op.create_table(
        'cash_movement',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('shift_id', BIG_ID, nullable=False),
        sa.Column('till_id', BIG_ID, nullable=False),
        sa.Column('user_id', BIG_ID, nullable=False),
        sa.Column('direction', DIRECTIONS, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('approved_by', BIG_ID, nullable=True),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_cash_movement_amount_positive')),
        sa.ForeignKeyConstraint(['shift_id'], ['shift.id'],
                                name=op.f('fk_cash_movement_shift_id_shift')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_cash_movement_till_id_till')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_cash_movement_user_id_staff_user')),
        sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'],
                                name=op.f('fk_cash_movement_approved_by_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_movement')),
    )
    op.create_index(op.f('ix_cash_movement_shift_id'), 'cash_movement', ['shift_id'])
    for name in WITH_SHIFT:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('shift_id', BIG_ID, nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{name}_shift_id'), ['shift_id'])
            batch_op.create_foreign_key(batch_op.f(f'fk_{name}_shift_id_shift'), 'shift',
                                        ['shift_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    for name in WITH_SHIFT:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{name}_shift_id_shift'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{name}_shift_id'))
            batch_op.drop_column('shift_id')
    op.drop_index(op.f('ix_cash_movement_shift_id'), table_name='cash_movement')
    op.drop_table('cash_movement')
    op.drop_table('shift_tender')
    op.drop_index('ix_shift_business_date', table_name='shift')
    op.drop_index('uq_shift_open_till', table_name='shift')
    op.drop_table('shift')
    op.drop_table('business_day')
