"""A clock set a year fast (by hand, or a dead RTC battery's wrong date) made the nightly backup
delete every real backup: "Cadangan lama dihapus: 5.", only the new file left, and pos doctor
said OK. The rotation now keeps the newest 14 whatever their dates, and deletes nothing when
today is far past the newest backup, saying why."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pos.backup import cli
from tests.backup.helpers import backups, sell, sqlite_only, stock_shop

START = datetime(2026, 1, 10, 13, 0)   # UTC; 21:00 WITA


@pytest.fixture
def clock(monkeypatch):
    """Sets the moment ``pos backup`` sees."""
    def at(moment: datetime) -> None:
        monkeypatch.setattr(cli, "utcnow", lambda: moment)
    return at


@sqlite_only
def test_a_backup_with_the_clock_a_year_ahead_deletes_no_real_backup(db, backend, runner, clock, tmp_path):
    shop = stock_shop(db, 1)
    folder = tmp_path / "cadangan"
    for days in (0, 30, 61, 92, 120):                   # months of nightly backups (some kept)
        sell(db, *shop[0])
        clock(START + timedelta(days=days))
        result = runner.invoke(args=["backup", "--to", str(folder)])
        assert result.exit_code == 0, result.output
    real = backups(folder)
    assert len(real) == 5
    clock(START + timedelta(days=120 + 365))            # the clock a year fast
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Cadangan dibuat" in result.output and "Cadangan lama dihapus" not in result.output
    assert ("Cadangan lama tidak dihapus: cadangan terbaru sebelum ini bertanggal 10-05-2026, "
            "365 hari sebelum tanggal komputer (10-05-2027).") in result.output
    assert set(real) < set(backups(folder)) and len(backups(folder)) == 6


@sqlite_only
def test_cadangkan_sekarang_says_why_it_deleted_nothing(app, db, backend):
    from pathlib import Path

    from pos.backup import copy
    from tests.factories import login, make_user

    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
    folder = Path(app.instance_path) / "backup"
    folder.mkdir()
    old = folder / copy.name_for(datetime.now() - timedelta(days=60))
    old.write_bytes(b"x")
    client = app.test_client()
    login(client, manager)
    assert client.post("/cadangan").status_code == 303
    page = client.get("/perangkat").get_data(as_text=True)
    assert "Cadangan dibuat: gerai-" in page and "Cadangan lama tidak dihapus: cadangan terbaru" in page
    assert old.exists()
