"""A return carries its form's idempotency key: a post sent twice books one return.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 09:00:00.000000

Returns made before this revision have none (NULL; a unique column allows any number).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0029'
down_revision: str | Sequence[str] | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale_return') as batch:
        batch.add_column(sa.Column('idempotency_key', sa.String(length=36), nullable=True))
        batch.create_unique_constraint(op.f('uq_sale_return_idempotency_key'), ['idempotency_key'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('sale_return') as batch:
        batch.drop_constraint(op.f('uq_sale_return_idempotency_key'), type_='unique')
        batch.drop_column('idempotency_key')
