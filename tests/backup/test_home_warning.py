"""The manager's home page says when the last backup failed, is older than a day, or was
never made (``pos backup`` covers SQLite and PostgreSQL), with what to do; a fresh backup shows
nothing, and the clerk never sees it.  It is the ``backup`` health check (pos.health_checks)."""
from __future__ import annotations

import re
from datetime import timedelta

from pos.backup import record
from pos.clock import utcnow
from tests.factories import login, make_till, make_user


def warning_on_home(app, user_id) -> str | None:
    client = app.test_client()
    login(client, user_id)
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<p id="health-backup"[^>]*>(.*?)</p>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_home_page_warns_of_a_failed_old_or_missing_backup(app, db, backend, tmp_path):
    with db.transaction() as s:
        make_till(s)
        manager = make_user(s, "manajer1", "manager").id
    instance = app.instance_path
    assert warning_on_home(app, manager) == \
        "Basis data belum pernah dicadangkan. Jalankan perintah pos backup."
    record.succeeded(instance, utcnow() - timedelta(hours=2), tmp_path / "gerai-x.db.gz")
    assert warning_on_home(app, manager) is None
    record.succeeded(instance, utcnow() - timedelta(days=2, hours=3), tmp_path / "gerai-x.db.gz")
    assert "Cadangan terakhir sudah 2 hari 3 jam yang lalu" in warning_on_home(app, manager)
    record.failed(instance, utcnow(), "Flashdisk berlabel GERAI tidak ditemukan.")
    text = warning_on_home(app, manager)
    assert "Pencadangan terakhir gagal: Flashdisk berlabel GERAI tidak ditemukan." in text
    assert record.read(instance).last_ok is not None   # the last good one is still known
    record.succeeded(instance, utcnow(), tmp_path / "gerai-y.db.gz")
    assert warning_on_home(app, manager) is None


def test_a_clerk_does_not_see_the_backup_warning(app, db, backend):
    with db.transaction() as s:
        make_till(s)
        clerk = make_user(s, "gudang1", "clerk").id
    assert warning_on_home(app, clerk) is None
