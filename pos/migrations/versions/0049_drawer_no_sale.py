"""A drawer opened without a sale at the till (Buka laci): the drawer's log says so
(``no_sale``), in which shift it was opened and which manager approved it.  Openings logged
before keep false and NULL (a sale's, a return's, a cash movement's, a manager's on Perangkat).

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 17:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0049'
down_revision: str | Sequence[str] | None = '0048'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('drawer_event') as batch:
        batch.add_column(sa.Column('no_sale', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('shift_id', BIG_ID, nullable=True))
        batch.add_column(sa.Column('approved_by', BIG_ID, nullable=True))
        batch.create_foreign_key(op.f('fk_drawer_event_shift_id_shift'), 'shift', ['shift_id'], ['id'])
        batch.create_foreign_key(op.f('fk_drawer_event_approved_by_staff_user'), 'staff_user',
                                 ['approved_by'], ['id'])
        batch.create_index(op.f('ix_drawer_event_shift_id'), ['shift_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('drawer_event') as batch:
        batch.drop_index(op.f('ix_drawer_event_shift_id'))
        batch.drop_constraint(op.f('fk_drawer_event_approved_by_staff_user'), type_='foreignkey')
        batch.drop_constraint(op.f('fk_drawer_event_shift_id_shift'), type_='foreignkey')
        batch.drop_column('approved_by')
        batch.drop_column('shift_id')
        batch.drop_column('no_sale')
