"""LPG 3 kg sales with the buyer NIK and category (issue 10).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'lpg_sale',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('sale_line_id', BIG_ID, nullable=False),
        sa.Column('receipt_no', sa.String(length=32), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.Enum('refill', 'new', name='lpgkind_enum', native_enum=False,
                                  create_constraint=True, length=8), nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_lpg_sale_sale_id_sale')),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'],
                                name=op.f('fk_lpg_sale_sale_line_id_sale_line')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lpg_sale')),
        sa.UniqueConstraint('sale_line_id', name=op.f('uq_lpg_sale_sale_line_id')),
    )
    op.create_index(op.f('ix_lpg_sale_business_date'), 'lpg_sale', ['business_date'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_lpg_sale_business_date'), table_name='lpg_sale')
    op.drop_table('lpg_sale')
