"""Limit rules made or changed on /batas are logged (``limit_rule_change``) and shown in the
audit log with the field's value before and after, who and when.

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-07 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0054'
down_revision: str | Sequence[str] | None = '0053'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'limit_rule_change',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('rule_id', BIG_ID, nullable=False),
        sa.Column('field', sa.String(length=20), nullable=False),
        sa.Column('old_text', sa.String(length=200), nullable=True),
        sa.Column('new_text', sa.String(length=200), nullable=True),
        sa.Column('changed_by', BIG_ID, nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by'], ['staff_user.id'],
                                name=op.f('fk_limit_rule_change_changed_by_staff_user')),
        sa.ForeignKeyConstraint(['rule_id'], ['limit_rule.id'],
                                name=op.f('fk_limit_rule_change_rule_id_limit_rule')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_rule_change')),
    )
    with op.batch_alter_table('limit_rule_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_limit_rule_change_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_limit_rule_change_rule_id'), ['rule_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('limit_rule_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_limit_rule_change_rule_id'))
        batch_op.drop_index(batch_op.f('ix_limit_rule_change_changed_at'))
    op.drop_table('limit_rule_change')
