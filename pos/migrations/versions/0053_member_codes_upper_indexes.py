"""Member numbers and cards, and barcodes, typed in any letters are found through indexes on their
capitals: the member register's checks of a new number or card (``register``,
``members.code_clashes``, ``catalog.codes.products_holding``), a saldo awal file's member numbers
and an opening stock file's barcodes compare ``upper(...)``, which scanned the whole member or
barcode table; and ``pos doctor``'s (and the home page's) search for two cards alike but for
their letters compared every card with every other.

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-06 21:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0053'
down_revision: str | Sequence[str] | None = '0052'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (('ix_member_number_upper', 'member', 'upper(number)'),
           ('ix_member_card_barcode_upper', 'member', 'upper(card_barcode)'),
           ('ix_product_barcode_code_upper', 'product_barcode', 'upper(code)'))


def upgrade() -> None:
    """Upgrade schema."""
    for name, table, expression in INDEXES:
        op.create_index(name, table, [sa.text(expression)], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
