"""A sale remembers whether its PPN was added on top of the lines (a PKP outlet's prices before
tax, POS_TAX_INCLUSIVE=false) or is inside them: a return refunds a unit's PPN with it and the
journal books the revenue net of it either way.  Sales before it: added when their total is
the lines plus the tax (plus the cash rounding).

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 17:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0050'
down_revision: str | Sequence[str] | None = '0049'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale') as batch:
        batch.add_column(sa.Column('tax_added', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute("UPDATE sale SET tax_added = (tax > 0 AND total - rounding = gross - discount + tax)")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('sale') as batch:
        batch.drop_column('tax_added')
