"""The ledger outbox (issue 12).

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 19:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: str | Sequence[str] | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
STATUS = sa.Enum('pending', 'sent', 'rejected', name='outboxstatus_enum', native_enum=False,
                 create_constraint=True, length=16)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'ledger_outbox',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('document_id', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('status', STATUS, nullable=False),
        sa.Column('attempts', sa.BigInteger(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_outbox')),
        sa.UniqueConstraint('document_id', name=op.f('uq_ledger_outbox_document_id')),
    )
    op.create_index('ix_ledger_outbox_status_id', 'ledger_outbox', ['status', 'id'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_ledger_outbox_status_id', table_name='ledger_outbox')
    op.drop_table('ledger_outbox')
