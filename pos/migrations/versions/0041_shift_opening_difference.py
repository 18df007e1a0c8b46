"""A shift keeps the manager who approved the difference between its float and the cash
counted at its till's previous closing (``opening_approved_by``): money missing between two
shifts is recorded, shown and booked like a closing difference.  The difference itself is the
two figures every shift already keeps (``opening_float - previous_counted``,
``Shift.opening_difference``), never stored; shifts opened before this revision keep a NULL
approver.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0041'
down_revision: str | Sequence[str] | None = '0040'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('shift') as batch:
        batch.add_column(sa.Column('opening_approved_by', BIG_ID, nullable=True))
        batch.create_foreign_key(op.f('fk_shift_opening_approved_by_staff_user'), 'staff_user',
                                 ['opening_approved_by'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('shift') as batch:
        batch.drop_constraint(op.f('fk_shift_opening_approved_by_staff_user'), type_='foreignkey')
        batch.drop_column('opening_approved_by')
