"""The manager's home page says when the last backup failed, is older than a day, or was
never made (``pos backup`` covers SQLite and PostgreSQL), with what to do; a fresh backup shows
nothing, and the clerk never sees it.  It is the ``backup`` health check (pos.health_checks)."""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta

from pos.backup import record
from pos.clock import to_local, utcnow
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


def test_a_backup_dated_after_now_warns_until_a_backup_is_made(app, db, backend, tmp_path):
    """A clock run a year fast, then corrected: backup-status.json kept last_ok a year ahead,
    "now - last_ok > a day" was never true, and the home page and pos doctor said nothing for
    a year while no backup was made."""
    with db.transaction() as s:
        make_till(s)
        manager = make_user(s, "manajer1", "manager").id
    instance = app.instance_path
    ahead = utcnow() + timedelta(days=365)
    shown = f"{to_local(ahead, app.config['TIMEZONE']):%d-%m-%Y}"
    record.succeeded(instance, ahead, tmp_path / "gerai-x.db.gz")
    said = (f"Tanggal cadangan terakhir ({shown}) lebih baru dari jam komputer. Periksa jam komputer, "
            "lalu tekan Cadangkan sekarang di Perangkat (atau jalankan pos backup di mini-PC).")
    assert warning_on_home(app, manager) == said
    doctor = app.test_cli_runner().invoke(args=["doctor"]).output
    assert f"Tanggal cadangan terakhir ({shown}) lebih baru dari jam komputer." in doctor
    assert "kurang dari 1 menit yang lalu" not in doctor
    record.failed(instance, utcnow(), "Disk penuh.")         # the future good one still shows
    assert warning_on_home(app, manager) == said
    record.succeeded(instance, utcnow() + timedelta(minutes=2), tmp_path / "gerai-y.db.gz")
    assert warning_on_home(app, manager) is None             # minutes ahead: the clock's own steps
    record.succeeded(instance, utcnow() - timedelta(hours=2), tmp_path / "gerai-z.db.gz")
    record.failed(instance, ahead, "Disk penuh.")           # a failure dated ahead, too
    assert warning_on_home(app, manager) == said


def test_status_times_are_written_with_their_offset_and_old_naive_ones_read_as_utc(tmp_path):
    at = datetime(2026, 3, 1, 14, 0, 49)
    record.succeeded(tmp_path, at, tmp_path / "gerai-x.db.gz")
    written = json.loads((tmp_path / record.FILE_NAME).read_text())
    assert written["last_ok"] == "2026-03-01T14:00:49+00:00" and written["failed_at"] is None
    assert record.read(tmp_path).last_ok == at                     # naive UTC, as the app holds it
    (tmp_path / record.FILE_NAME).write_text(json.dumps(          # an older version's file
        {"last_ok": "2026-03-01T14:00:49", "failed_at": "2026-03-02T22:30:00+08:00", "message": "x"}))
    assert record.read(tmp_path) == record.Status(at, datetime(2026, 3, 2, 14, 30), "x")
