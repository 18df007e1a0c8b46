"""A goods receipt's number is its id (GR-000004); on SQLite a deleted draft's or a cancelled
correction's id was given to the next receipt, so a number written on a delivery note came back
on another receipt. The table is rebuilt with AUTOINCREMENT (SQLite only: a PostgreSQL sequence
never gives a number twice).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-05 07:10:00.000000
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0040'
down_revision: str | Sequence[str] | None = '0039'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    _rebuild(autoincrement=True)


def downgrade() -> None:
    """Downgrade schema."""
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('goods_receipt', recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
