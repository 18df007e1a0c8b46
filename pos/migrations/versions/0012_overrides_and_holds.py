"""Manager overrides at the till and parked sales (issue 9).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    big_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    op.create_table(
        'manager_override',
        sa.Column('id', big_id, nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('asked_by', big_id, nullable=False),
        sa.Column('approved_by', big_id, nullable=False),
        sa.Column('self_approved', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('before', sa.String(length=100), nullable=False),
        sa.Column('after', sa.String(length=100), nullable=False),
        sa.Column('till_id', big_id, nullable=True),
        sa.Column('cart_id', sa.BigInteger(), nullable=True),
        sa.Column('sale_id', big_id, nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['asked_by'], ['staff_user.id'],
                                name=op.f('fk_manager_override_asked_by_staff_user')),
        sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'],
                                name=op.f('fk_manager_override_approved_by_staff_user')),
        sa.ForeignKeyConstraint(['till_id'], ['till.id'], name=op.f('fk_manager_override_till_id_till')),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_manager_override_sale_id_sale')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_manager_override')),
    )
    op.create_index(op.f('ix_manager_override_created_at'), 'manager_override', ['created_at'],
                    unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_manager_override_created_at'), table_name='manager_override')
    op.drop_table('manager_override')
