"""A shift's number is its id (its X and Z reports, #12), as a stock count's is (SO-000012):
both tables are rebuilt with AUTOINCREMENT, so SQLite's sequence for them can be raised after
a restore (``pos.backup.numbers``) and an id is never given twice (SQLite only: a PostgreSQL
sequence never gives a number twice, and a restore raises it).

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06 00:30:00.000000
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0042'
down_revision: str | Sequence[str] | None = '0041'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('shift', 'count_session')


def upgrade() -> None:
    """Upgrade schema."""
    _rebuild(autoincrement=True)


def downgrade() -> None:
    """Downgrade schema."""
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TABLES:
        with op.batch_alter_table(name, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
