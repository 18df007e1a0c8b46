"""A sale line's discount reason holds the whole of a cashier's reason for a discount on the
whole sale (``sale_line.discount_reason`` 100 -> 300 characters): it was cut at 40, mid-word, on
the lines, the receipt and the discounts report.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-05 04:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0039'
down_revision: str | Sequence[str] | None = '0038'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale_line') as batch:
        batch.alter_column('discount_reason', existing_type=sa.String(length=100), type_=sa.String(length=300),
                           existing_nullable=True)


def downgrade() -> None:
    """Downgrade schema (reasons longer than 100 characters are cut)."""
    op.execute("UPDATE sale_line SET discount_reason = substr(discount_reason, 1, 100) "
               "WHERE length(discount_reason) > 100")
    with op.batch_alter_table('sale_line') as batch:
        batch.alter_column('discount_reason', existing_type=sa.String(length=300), type_=sa.String(length=100),
                           existing_nullable=True)
