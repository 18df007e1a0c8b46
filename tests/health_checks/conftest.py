"""A gerai whose every health check is OK, and the ways tests spoil it one check at a time."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from pos.backup import record
from pos.clock import utcnow
from pos.db import get_db, migrations_config
from pos.ledger import outbox
from pos.ledger.models import LedgerOutbox
from tests.factories import make_till, make_user
from tests.ledger_hub.helpers import document


def unplugged_port() -> str:
    """A printer port under /dev/ that no computer has: a file:// printer not plugged in (a
    printer's file:// address must name a device under /dev/; nothing here opens it)."""
    return f"/dev/usb/lp-gerai-uji-{uuid.uuid4().hex[:12]}"


# The test machine's own free space must not decide a test: thresholds of 0 never warn.
ROOMY = {"DISK_WARN_BYTES": 0, "DISK_WARN_PERCENT": 0, "DISK_ERROR_BYTES": 0}
# A real printer's address (dummy://, the default, is a warning: it prints nothing); the device
# itself stays the tests' recording fake, which the check finds present.
PRINTING = {"PRINTER": "usb://0x0416:0x5011"}
# Cash rounded to Rp100 (rounding off before any sale is a warning: no drawer has Rp1-Rp99 change).
ROUNDED = {"CASH_ROUNDING": 100}


@pytest.fixture
def healthy(app_factory, tmp_path):
    """``make(**config)``: an app on a stamped schema with a fresh backup, a till, a manager
    and a cashier; yields (app, ids).  The stamp is dropped afterwards (PostgreSQL keeps
    its database between tests)."""
    made = []

    def make(**overrides):
        app = app_factory(**{**ROOMY, **PRINTING, **ROUNDED, **overrides})
        database = get_db(app)
        from alembic import command

        command.stamp(migrations_config(database.engine), "head")
        record.succeeded(app.instance_path, utcnow() - timedelta(hours=1), tmp_path / "gerai-x.db.gz")
        with database.transaction() as s:
            ids = {"till": make_till(s).id, "manager": make_user(s, "manajer1", "manager").id,
                   "cashier": make_user(s, "kasir1").id}
        made.append(database)
        return app, ids

    yield make
    for database in made:
        with database.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def stuck_ledger(app, hours: int = 30, day: str = "2026-11-01") -> None:
    """The day document of ``day`` waiting for the hub since ``hours`` ago."""
    with get_db(app).transaction() as s:
        doc = document("TST01", day)
        doc.pop("hash")
        row = outbox.enqueue(s, doc)
        s.execute(update(LedgerOutbox).where(LedgerOutbox.id == row.id)
                  .values(created_at=utcnow() - timedelta(hours=hours)))
