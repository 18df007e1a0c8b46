"""A printer, display and manual weight per till; who holds a till and its cart; till events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_KINDS = ('take', 'leave', 'release', 'continue', 'empty', 'devices')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('till') as batch:
        batch.add_column(sa.Column('printer', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('display', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('manual_weight', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('held_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.add_column(sa.Column('held_since', sa.DateTime(), nullable=True))
        batch.create_foreign_key(op.f('fk_till_held_by_staff_user'), 'staff_user', ['held_by'], ['id'])
    op.create_table(
        'till_event',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('till_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('kind', sa.Enum(*_EVENT_KINDS, name='tilleventkind_enum', native_enum=False,
                                  create_constraint=True, length=16), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_till_event_till_id_till')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_till_event_user_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_till_event')),
    )
    op.create_index(op.f('ix_till_event_till_id'), 'till_event', ['till_id'], unique=False)
    with op.batch_alter_table('cart') as batch:
        batch.add_column(sa.Column('cashier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                   nullable=True))
        batch.create_foreign_key(op.f('fk_cart_cashier_id_staff_user'), 'staff_user', ['cashier_id'],
                                 ['id'])
    with op.batch_alter_table('cart_line') as batch:
        batch.add_column(sa.Column('manual', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('sale_line') as batch:
        batch.add_column(sa.Column('manual_weight', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table('print_job') as batch:
        batch.add_column(sa.Column('till_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.create_foreign_key(op.f('fk_print_job_till_id_till'), 'till', ['till_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('print_job') as batch:
        batch.drop_constraint(op.f('fk_print_job_till_id_till'), type_='foreignkey')
        batch.drop_column('till_id')
    with op.batch_alter_table('sale_line') as batch:
        batch.drop_column('manual_weight')
    with op.batch_alter_table('cart_line') as batch:
        batch.drop_column('manual')
    with op.batch_alter_table('cart') as batch:
        batch.drop_constraint(op.f('fk_cart_cashier_id_staff_user'), type_='foreignkey')
        batch.drop_column('cashier_id')
    op.drop_index(op.f('ix_till_event_till_id'), table_name='till_event')
    op.drop_table('till_event')
    with op.batch_alter_table('till') as batch:
        batch.drop_constraint(op.f('fk_till_held_by_staff_user'), type_='foreignkey')
        batch.drop_column('held_since')
        batch.drop_column('held_by')
        batch.drop_column('manual_weight')
        batch.drop_column('display')
        batch.drop_column('printer')
