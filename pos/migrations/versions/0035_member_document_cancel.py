"""A member document taken by mistake can be cancelled by another document (``reverses_id``);
a month of wajib is paid once among the lines that still pay it (``paid_month``, NULL once
cancelled), so a cancelled month can be paid again.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-04 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0035'
down_revision: str | Sequence[str] | None = '0034'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('member_document') as batch:
        batch.add_column(sa.Column('reverses_id', BIG_ID, nullable=True))
        batch.create_foreign_key(op.f('fk_member_document_reverses_id_member_document'), 'member_document',
                                 ['reverses_id'], ['id'])
        batch.create_unique_constraint(op.f('uq_member_document_reverses_id'), ['reverses_id'])
    with op.batch_alter_table('member_document_line') as batch:
        batch.add_column(sa.Column('paid_month', sa.Date(), nullable=True))
        batch.drop_constraint('uq_member_document_line_member_month', type_='unique')
    op.execute("UPDATE member_document_line SET paid_month = period")
    with op.batch_alter_table('member_document_line') as batch:
        batch.create_unique_constraint('uq_member_document_line_paid_month',
                                       ['member_id', 'saving', 'paid_month'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('member_document_line') as batch:
        batch.drop_constraint('uq_member_document_line_paid_month', type_='unique')
        batch.create_unique_constraint('uq_member_document_line_member_month', ['member_id', 'saving', 'period'])
        batch.drop_column('paid_month')
    with op.batch_alter_table('member_document') as batch:
        batch.drop_constraint(op.f('uq_member_document_reverses_id'), type_='unique')
        batch.drop_constraint(op.f('fk_member_document_reverses_id_member_document'), type_='foreignkey')
        batch.drop_column('reverses_id')
