"""After ``pos restore`` the running database was never backed up: the walk-through's "Cadangan
baik terakhir" still named the backup file the restore had moved aside (into
``backup/sebelum-pulih-…/``), and the home page and ``pos doctor`` said all was well. The restore
is now recorded (``record.restored``): a backup is asked for until one is made."""
from __future__ import annotations

import time
from pathlib import Path

from pos.backup import record
from pos.clock import utcnow
from tests.backup.helpers import backups, sell, sqlite_only, stock_shop
from tests.backup.test_home_warning import warning_on_home
from tests.factories import login, make_user

SAID = "dipulihkan dari cadangan gerai-"


@sqlite_only
def test_a_restore_asks_for_a_backup_until_one_is_made(app, db, backend, runner):
    [shop] = stock_shop(db, 1)
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
    sell(db, *shop)
    folder = Path(app.instance_path) / "backup"
    assert runner.invoke(args=["backup"]).exit_code == 0
    older = backups(folder)[-1]
    sell(db, *shop)
    time.sleep(1.1)                                           # a name of its own (to the second)
    assert runner.invoke(args=["backup"]).exit_code == 0     # a newer one, set aside by the restore
    newer = backups(folder)[-1]
    assert newer != older and warning_on_home(app, manager) is None
    result = runner.invoke(args=["restore", "--yes", str(older)])
    assert result.exit_code == 0, result.output
    assert not newer.exists()                                 # moved into sebelum-pulih-…/
    home = warning_on_home(app, manager)
    assert home is not None and f"Basis data {SAID}" in home and "belum dicadangkan sejak itu" in home
    assert "jalankan pos backup" in home
    doctor = runner.invoke(args=["doctor"]).output
    assert "belum dicadangkan sejak itu" in doctor
    client = app.test_client()
    login(client, manager)
    page = client.get("/perangkat").get_data(as_text=True)
    assert newer.name not in page and "Basis data dipulihkan dari cadangan" in page and older.name in page
    assert "belum dicadangkan sejak itu" in page
    record.failed(app.instance_path, utcnow(), "Disk penuh.")   # a failure after it: both said
    home = warning_on_home(app, manager)
    assert "Pencadangan terakhir gagal: Disk penuh." in home and "belum dicadangkan sejak itu" in home
    assert "Cadangan baik terakhir" not in home
    assert runner.invoke(args=["backup"]).exit_code == 0
    assert warning_on_home(app, manager) is None
    assert "Basis data dipulihkan" not in client.get("/perangkat").get_data(as_text=True)
