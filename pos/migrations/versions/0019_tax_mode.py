"""Tax modes (issue 10): whether each sale was made while the outlet was PKP, and the outlet's
PKP setting for a database that already has data.

``POS_PKP`` now defaults to false (most village cooperatives are not PKP).  A database that
already holds products or sales keeps the old behaviour: it gets the stored setting
``pkp = "true"`` (logged as a change by the system), and its sales are marked PKP, unless its
own sales tell otherwise: PPN-class lines that were all sold at a 0% rate mean the outlet ran
with ``POS_PKP=false``, so it gets ``pkp = "false"``.  A new, empty database gets no row.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 15:40:00.000000

"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pkp', sa.Boolean(), server_default=sa.false(), nullable=False))
    conn = op.get_bind()
    if not _has_data(conn) or conn.execute(sa.text(
            "SELECT 1 FROM outlet_setting WHERE key = 'pkp'")).first() is not None:
        return
    taxable = conn.execute(sa.text(
        "SELECT MAX(tax_rate_bp) FROM sale_line WHERE tax_class = 'ppn'")).scalar()
    was_pkp = taxable is None or taxable > 0
    value = 'true' if was_pkp else 'false'
    now = datetime.now(UTC).replace(tzinfo=None)
    conn.execute(sa.text("INSERT INTO outlet_setting (key, value, updated_by, updated_at)"
                         " VALUES ('pkp', :value, NULL, :now)"), {"value": value, "now": now})
    conn.execute(sa.text("INSERT INTO outlet_setting_change (key, old_value, new_value, user_id,"
                         " changed_at) VALUES ('pkp', NULL, :value, NULL, :now)"),
                 {"value": value, "now": now})
    if was_pkp:
        conn.execute(sa.text("UPDATE sale SET pkp = :yes"), {"yes": True})


def _has_data(conn) -> bool:
    return any(conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None
               for table in ('product', 'sale'))


def downgrade() -> None:
    """Downgrade schema."""
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM outlet_setting WHERE key = 'pkp'"))
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.drop_column('pkp')
