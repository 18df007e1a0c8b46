"""Outlet settings kept in the database: the static QRIS (issue 9).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'outlet_setting',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'],
                                name=op.f('fk_outlet_setting_updated_by_staff_user')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_outlet_setting')),
    )
    op.create_table(
        'outlet_setting_change',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'],
                                name=op.f('fk_outlet_setting_change_user_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_setting_change')),
    )
    op.create_index(op.f('ix_outlet_setting_change_key'), 'outlet_setting_change', ['key'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_outlet_setting_change_key'), table_name='outlet_setting_change')
    op.drop_table('outlet_setting_change')
    op.drop_table('outlet_setting')
