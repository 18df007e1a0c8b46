"""The catalog's change log holds every field a manager edits, not only prices.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-10 09:00:00.000000

``price_change`` kept a price, cost or HET as Rupiah in ``old`` and ``new``, and a field name of
at most 10 letters. The LPG kind, fertiliser type, drug class, flags, barcodes and the other
product fields are logged as text (``old_text``, ``new_text``: the value as people read it), and
their names (``batch_tracked``, ``reorder_point``) need 20 letters. Rows already there keep
their Rupiah values.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0027'
down_revision: str | Sequence[str] | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('price_change') as batch:
        batch.alter_column('field', existing_type=sa.String(length=10), type_=sa.String(length=20),
                           existing_nullable=False)
        batch.add_column(sa.Column('old_text', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('new_text', sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Downgrade schema: the rows of fields other than price, cost and HET go."""
    op.execute("DELETE FROM price_change WHERE field NOT IN ('price', 'cost', 'het')")
    with op.batch_alter_table('price_change') as batch:
        batch.drop_column('new_text')
        batch.drop_column('old_text')
        batch.alter_column('field', existing_type=sa.String(length=20), type_=sa.String(length=10),
                           existing_nullable=False)
