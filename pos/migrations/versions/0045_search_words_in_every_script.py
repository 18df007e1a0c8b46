"""Search words in every script: a product whose name or SKU has letters of a script other than
Latin (``Беляш``, ``ข้าวหอม``, ``田中``) had only its ASCII words in ``product_word`` and was not
found by those letters; its words are indexed again by today's rule (``search_words``).

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 12:00:00.000000

Names in Latin letters only have the same words by the old and the new rule and are not touched.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pos.inventory.catalog.search_words import has_other_script, product_words

# revision identifiers, used by Alembic.
revision: str = '0045'
down_revision: str | Sequence[str] | None = '0044'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_product = sa.table('product', sa.column('id'), sa.column('sku'), sa.column('name'))
_word = sa.table('product_word', sa.column('word'), sa.column('name'), sa.column('product_id'))


def upgrade() -> None:
    """Upgrade: the words of every name or SKU with another script, again."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(_product.c.id, _product.c.sku, _product.c.name)).all()
    affected = [r for r in rows if has_other_script(r.name) or has_other_script(r.sku)]
    for start in range(0, len(affected), 500):
        part = affected[start:start + 500]
        conn.execute(sa.delete(_word).where(_word.c.product_id.in_([r.id for r in part])))
        new = [{"word": w, "name": r.name, "product_id": r.id}
               for r in part for w in product_words(r.name, r.sku)]
        if new:
            conn.execute(sa.insert(_word), new)


def downgrade() -> None:
    """Downgrade: nothing to undo (the schema is unchanged; more words find more, never less)."""
