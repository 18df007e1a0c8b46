"""The manager's home page says when the last backup failed, is older than a day, or was
never made (``pos backup`` covers SQLite and PostgreSQL), with what to do; a fresh backup shows
nothing, and the clerk never sees it.  It is the ``backup`` health check (pos.health_checks)."""
from __future__ import annotations

import re
import shutil
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
    assert warning_on_home(app, manager) == ("Basis data belum pernah dicadangkan. Tekan Cadangkan "
                                             "sekarang di Perangkat (atau jalankan pos backup di mini-PC).")
    record.succeeded(instance, utcnow() - timedelta(hours=2), tmp_path / "gerai-x.db.gz")
    assert warning_on_home(app, manager) is None
    record.succeeded(instance, utcnow() - timedelta(days=2, hours=3), tmp_path / "gerai-x.db.gz")
    assert "Cadangan terakhir sudah 2 hari 3 jam yang lalu" in warning_on_home(app, manager)
    record.failed(instance, utcnow(), "Flashdisk berlabel GERAI tidak ditemukan.")
    text = warning_on_home(app, manager)
    assert "Pencadangan terakhir gagal: Flashdisk berlabel GERAI tidak ditemukan." in text
    # the good backup of two days before is not hidden behind the failure
    assert "Cadangan baik terakhir: 2 hari 3 jam yang lalu." in text
    assert record.read(instance).last_ok is not None   # the last good one is still known
    record.succeeded(instance, utcnow(), tmp_path / "gerai-y.db.gz")
    assert warning_on_home(app, manager) is None


def test_a_clerk_does_not_see_the_backup_warning(app, db, backend):
    with db.transaction() as s:
        make_till(s)
        clerk = make_user(s, "gudang1", "clerk").id
    assert warning_on_home(app, clerk) is None


def test_cadangkan_sekarang_on_perangkat_takes_a_backup_and_says_where(app, db, backend, tmp_path):
    """The warning told a manager to run a command at the mini-PC; Perangkat now has the
    button. A backup that fails says why, on the screen and on the home page."""
    from pathlib import Path

    with db.transaction() as s:
        make_till(s)
        manager = make_user(s, "manajer1", "manager").id
        clerk = make_user(s, "gudang1", "clerk").id
    client = app.test_client()
    login(client, clerk)
    refused = client.post("/cadangan")          # a clerk: sent back with the reason, nothing made
    assert refused.status_code in (303, 403) and "perangkat" not in refused.headers.get("Location", "")
    assert not (Path(app.instance_path) / "backup").exists()
    login(client, manager)
    page = client.get("/perangkat").get_data(as_text=True)
    assert 'id="backup-now"' in page and "Belum pernah dicadangkan." in page
    if backend == "postgresql" and not shutil.which("pg_dump"):
        return
    done = client.post("/cadangan")
    assert done.status_code == 303 and done.headers["Location"].endswith("/perangkat#cadangan")
    shown = client.get("/perangkat").get_data(as_text=True)
    assert "Cadangan dibuat: gerai-" in shown and "Cadangan baik terakhir:" in shown
    made = list((Path(app.instance_path) / "backup").iterdir())
    assert len(made) == 1 and made[0].name.startswith("gerai-")
    assert warning_on_home(app, manager) is None
    (Path(app.instance_path) / "backup").rename(Path(app.instance_path) / "moved")
    (Path(app.instance_path) / "backup").write_text("not a folder")   # the folder cannot be made
    client.post("/cadangan")
    failed = client.get("/perangkat").get_data(as_text=True)
    assert "Pencadangan gagal:" in failed and "gagal:</b>" in failed
    assert "Pencadangan terakhir gagal" in warning_on_home(app, manager)
