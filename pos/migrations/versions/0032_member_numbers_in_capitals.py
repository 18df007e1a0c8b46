"""Member numbers in capitals: the till reads a typed number in capitals, so a number stored in
small letters (an old import, a fix by hand in the database) was never found there.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 09:00:00.000000

Every number whose capitals no other member has is written in capitals. One whose capitals
another member has (``agt-0001`` beside ``AGT-0001``, or beside ``Agt-0001``) is left as it is:
two members cannot share a number, and which of them gets another is the manager's choice;
``pos doctor`` lists those (the ``member_numbers`` check, ``members.number_case``) with what to
do. Nothing else refers to a member by number (sales, documents and limits keep its id).
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0032'
down_revision: str | Sequence[str] | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# upper() is the database's own, as in every check of member codes (ASCII letters on SQLite)
CAPITALS = """
UPDATE member SET number = upper(number)
WHERE number <> upper(number)
  AND NOT EXISTS (SELECT 1 FROM member AS other
                  WHERE other.id <> member.id AND upper(other.number) = upper(member.number))
"""


def upgrade() -> None:
    """Upgrade: the numbers that can be, in capitals."""
    op.execute(CAPITALS)


def downgrade() -> None:
    """Downgrade: nothing to undo (the small letters were never meant; the schema is unchanged)."""
