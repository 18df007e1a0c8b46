"""What each buyer took under a limit rule, race-safe per period (issue 10).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'limit_total',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('rule_id', BIG_ID, nullable=False),
        sa.Column('buyer_key', sa.String(length=40), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('taken', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('taken >= 0', name=op.f('ck_limit_total_taken_not_negative')),
        sa.ForeignKeyConstraint(['rule_id'], ['limit_rule.id'],
                                name=op.f('fk_limit_total_rule_id_limit_rule')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_total')),
        sa.UniqueConstraint('rule_id', 'buyer_key', 'period_start',
                            name=op.f('uq_limit_total_rule_id')),
    )
    op.create_table(
        'limit_take',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('sale_id', BIG_ID, nullable=False),
        sa.Column('sale_line_id', BIG_ID, nullable=False),
        sa.Column('rule_id', BIG_ID, nullable=False),
        sa.Column('buyer_key', sa.String(length=40), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('qty', sa.BigInteger(), nullable=False),
        sa.Column('given_back', sa.BigInteger(), nullable=False),
        sa.Column('receipt_no', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['rule_id'], ['limit_rule.id'],
                                name=op.f('fk_limit_take_rule_id_limit_rule')),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=op.f('fk_limit_take_sale_id_sale')),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'],
                                name=op.f('fk_limit_take_sale_line_id_sale_line')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_take')),
    )
    op.create_index(op.f('ix_limit_take_sale_id'), 'limit_take', ['sale_id'], unique=False)
    op.create_index(op.f('ix_limit_take_sale_line_id'), 'limit_take', ['sale_line_id'],
                    unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_limit_take_sale_line_id'), table_name='limit_take')
    op.drop_index(op.f('ix_limit_take_sale_id'), table_name='limit_take')
    op.drop_table('limit_take')
    op.drop_table('limit_total')
