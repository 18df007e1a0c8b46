"""Members: register fields, cards (issue 9).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SQLite: plain ALTER TABLE (3.35 or later) rather than Alembic's batch rebuild, because dropping
# the old table would count every cart and sale of a member as a broken foreign key, and the
# rebuilt table never takes that count back (the commit then fails on any register in use).


def upgrade() -> None:
    """Upgrade schema: the join date becomes a business date (``joined_on``, from the old
    timestamp's date), an optional address, and the counter of in-store card numbers."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE member ADD COLUMN joined_on DATE NOT NULL DEFAULT '1970-01-01'")
        op.execute("ALTER TABLE member ADD COLUMN address VARCHAR(200)")
        op.execute("UPDATE member SET joined_on = date(joined_at)")
        op.execute("ALTER TABLE member DROP COLUMN joined_at")
    else:
        op.add_column('member', sa.Column('joined_on', sa.Date(), nullable=True))
        op.add_column('member', sa.Column('address', sa.String(length=200), nullable=True))
        op.execute("UPDATE member SET joined_on = CAST(joined_at AS DATE)")
        op.alter_column('member', 'joined_on', existing_type=sa.Date(), nullable=False)
        op.drop_column('member', 'joined_at')
    op.create_table('member_card_sequence',
    sa.Column('prefix', sa.String(length=2), nullable=False),
    sa.Column('last_no', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', name=op.f('pk_member_card_sequence'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('member_card_sequence')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE member ADD COLUMN joined_at DATETIME NOT NULL "
                   "DEFAULT '1970-01-01 00:00:00.000000'")
        op.execute("UPDATE member SET joined_at = joined_on || ' 00:00:00.000000'")
        op.execute("ALTER TABLE member DROP COLUMN address")
        op.execute("ALTER TABLE member DROP COLUMN joined_on")
    else:
        op.add_column('member', sa.Column('joined_at', sa.DateTime(), nullable=True))
        op.execute("UPDATE member SET joined_at = CAST(joined_on AS TIMESTAMP)")
        op.alter_column('member', 'joined_at', existing_type=sa.DateTime(), nullable=False)
        op.drop_column('member', 'address')
        op.drop_column('member', 'joined_on')
