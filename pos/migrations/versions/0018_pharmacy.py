"""The pharmacist role and licence number (SIPA) (issue 10).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ROLES_OLD = ('cashier', 'clerk', 'manager', 'admin')
ROLES_NEW = ('cashier', 'clerk', 'manager', 'admin', 'pharmacist')


def _roles(values) -> sa.Enum:
    return sa.Enum(*values, name='role_enum', native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    """Upgrade schema: the role CHECK of ``staff_user`` takes ``pharmacist`` (apoteker)."""
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_roles(ROLES_OLD), type_=_roles(ROLES_NEW),
                              existing_nullable=False)


def downgrade() -> None:
    """Downgrade schema (refused by the CHECK while a pharmacist account exists)."""
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_roles(ROLES_NEW), type_=_roles(ROLES_OLD),
                              existing_nullable=False)
