"""Simpanan sukarela can be withdrawn at the counter: a member document marked ``withdrawal``
is money paid out to the member (its total and lines stay positive).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-04 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0034'
down_revision: str | Sequence[str] | None = '0033'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('member_document', sa.Column('withdrawal', sa.Boolean(), nullable=False,
                                               server_default=sa.false()))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('member_document') as batch:
        batch.drop_column('withdrawal')
