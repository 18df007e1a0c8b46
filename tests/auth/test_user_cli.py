"""``pos user`` at the mini-PC: ``list`` shows every account, ``activate`` undoes ``deactivate``
(it was "Perintah 'activate' tidak dikenal"), and the last active manager or admin cannot be
deactivated (two commands locked every manager out, with no warning and no way back but SQL)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pos.auth import service
from pos.auth.models import StaffChange, User

LAST = ("Galat: {name} adalah manajer atau admin aktif terakhir: tanpa akun itu tidak ada yang dapat "
        "mengelola gerai. Aktifkan atau buat akun manajer lain dulu (pos user activate NAMA, pos user add "
        "NAMA --role manager).\n")


@pytest.fixture
def backend():
    return "sqlite"


def pos_user(app, *args):
    return app.test_cli_runner().invoke(args=["user", *args])


def active(db, username) -> bool:
    with db.reading() as s:
        return s.scalar(select(User.active).where(User.username == username))


def logged(db, username) -> list[str]:
    with db.reading() as s:
        return s.scalars(select(StaffChange.detail).join(User, User.id == StaffChange.user_id)
                         .where(User.username == username).order_by(StaffChange.id)).all()


@pytest.fixture
def staff(db):
    with db.transaction() as s:
        for username, role, name in (("admin", "admin", "Admin Gerai"),
                                     ("manajer1", "manager", "Budi Santoso"), ("kasir1", "cashier", "Siti")):
            service.create_user(s, username, name, role, "7391")


def test_the_last_active_manager_or_admin_cannot_be_deactivated(app, db, staff):
    first = pos_user(app, "deactivate", "admin")
    assert first.exit_code == 0 and first.output == "Staf admin dinonaktifkan; 0 sesi diakhiri.\n"
    last = pos_user(app, "deactivate", "manajer1")
    assert last.exit_code == 1 and last.output == LAST.format(name="manajer1")
    assert active(db, "manajer1") and logged(db, "manajer1") == ["Akun dibuat: manajer1 (Manajer)"]
    assert pos_user(app, "deactivate", "kasir1").exit_code == 0   # counter staff: no such rule
    assert pos_user(app, "activate", "admin").exit_code == 0
    assert pos_user(app, "deactivate", "manajer1").exit_code == 0   # the admin is there again
    again = pos_user(app, "deactivate", "admin")
    assert again.exit_code == 1 and again.output == LAST.format(name="admin") and active(db, "admin")


def test_the_rule_is_the_staff_services_own(db, staff):
    """The Staf screen deactivates through the same service: it refuses there too."""
    with db.transaction() as s:
        service.deactivate_user(s, service.find_user(s, "manajer1"))
    with db.transaction() as s, pytest.raises(service.UserError, match="aktif terakhir"):
        service.deactivate_user(s, service.find_user(s, "admin"))
    assert active(db, "admin")


def test_activate_undoes_deactivate_and_is_logged(app, db, staff):
    assert pos_user(app, "deactivate", "kasir1").exit_code == 0
    done = pos_user(app, "activate", "kasir1")
    assert done.exit_code == 0, done.output
    assert done.output == ("Staf kasir1 diaktifkan lagi; masuk dengan PIN lamanya (pos user pin untuk PIN "
                           "baru).\n")
    assert active(db, "kasir1") and logged(db, "kasir1")[-1] == "Diaktifkan lagi"
    again = pos_user(app, "activate", "kasir1")
    assert again.exit_code == 0 and again.output == "Staf kasir1 sudah aktif; tidak ada yang berubah.\n"
    assert logged(db, "kasir1").count("Diaktifkan lagi") == 1
    unknown = pos_user(app, "activate", "siapa")
    assert unknown.exit_code == 1 and unknown.output == "Galat: Staf siapa tidak ada.\n"


def test_list_shows_every_account_with_its_role_and_status(app, db, staff):
    assert pos_user(app, "deactivate", "kasir1").exit_code == 0
    shown = pos_user(app, "list")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "NAMA PENGGUNA  NAMA          PERAN    STATUS",
        "admin          Admin Gerai   Admin    aktif",
        "manajer1       Budi Santoso  Manajer  aktif",
        "kasir1         Siti          Kasir    nonaktif"]
    as_json = pos_user(app, "list", "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.output) == [
        {"username": "admin", "name": "Admin Gerai", "role": "admin", "active": True},
        {"username": "manajer1", "name": "Budi Santoso", "role": "manager", "active": True},
        {"username": "kasir1", "name": "Siti", "role": "cashier", "active": False}]


def test_list_of_no_accounts_says_how_to_make_one(app):
    shown = pos_user(app, "list")
    assert shown.exit_code == 0
    assert shown.output == "Belum ada akun staf; buat dengan pos user add NAMA --role manager.\n"


def test_an_apoteker_added_without_a_sipa_is_told_it_cannot_approve_yet(app, db, staff):
    made = pos_user(app, "add", "rina", "--name", "Rina Marlina", "--role", "pharmacist", "--pin", "4821")
    assert made.exit_code == 0, made.output
    assert made.output == ("Staf rina (Apoteker) dibuat.\nPerhatian: Apoteker Rina Marlina belum punya nomor "
                           "SIPA: ia belum dapat menyetujui obat keras. Isi dengan: pos user licence rina "
                           "NOMOR-SIPA\n")
    given = pos_user(app, "add", "dewi", "--name", "Dewi", "--role", "pharmacist", "--pin", "4821",
                     "--licence", "19900412/SIPA_64.72/2025/0031")
    assert given.output == "Staf dewi (Apoteker) dibuat.\n"
