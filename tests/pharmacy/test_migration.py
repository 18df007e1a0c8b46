"""Revision 0018 widens the role CHECK of ``staff_user``: an apoteker can be stored, on both
databases, and only after the upgrade."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pos import db as pos_db
from tests.test_migrations import empty_engine  # noqa: F401  (fixture: SQLite and PostgreSQL)

INSERT = text("INSERT INTO staff_user (username, full_name, role, pin_hash, active, licence_no,"
              " failed_pins, created_at) VALUES (:name, 'Apoteker', :role, 'x', :yes, 'SIPA-1', 0,"
              " '2026-11-30 08:00:00')")


def test_the_pharmacist_role_is_refused_before_0018_and_stored_after(empty_engine):  # noqa: F811
    pos_db.upgrade(empty_engine, "0017")
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(INSERT, {"name": "apoteker1", "role": "pharmacist", "yes": True})
    with empty_engine.begin() as conn:
        conn.execute(INSERT, {"name": "manajer1", "role": "manager", "yes": True})
    pos_db.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(INSERT, {"name": "apoteker1", "role": "pharmacist", "yes": True})
        roles = conn.execute(text("SELECT username, role FROM staff_user ORDER BY username")).all()
    assert roles == [("apoteker1", "pharmacist"), ("manajer1", "manager")]
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(INSERT, {"name": "x", "role": "dokter", "yes": True})
