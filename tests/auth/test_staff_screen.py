"""The Staf screen: a manager adds counter staff, gives a new PIN, changes a name or SIPA,
deactivates and activates; manager and admin accounts are an admin's; every change is logged
with who made it and shows in the audit log; bad input changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from pos.auth import service
from pos.auth.models import StaffChange, StaffSession, User
from pos.clock import business_date, utcnow
from pos.reports.audit import audit_log
from tests.factories import login, make_user, start_pending_sessions

NEW = {"full_name": "Sari Dewi", "username": "sari", "role": "cashier", "licence_no": "",
       "pin": "4821", "pin2": "4821"}


@pytest.fixture
def people(db, shop):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        admin = make_user(s, "admin", "admin", "0000").id
        boss = make_user(s, "manajer2", "manager", "8888").id
    return dict(shop, manager=manager, admin=admin, boss=boss)


def as_user(client, db, user_id, till=None):
    login(client, user_id, till, shift=till is not None)
    start_pending_sessions(client)
    return client


def user(db, username):
    with db.reading() as s:
        return s.execute(select(User.id, User.full_name, User.role, User.active, User.pin_hash,
                                User.licence_no).where(User.username == username)).first()


def changes(db, user_id):
    with db.reading() as s:
        return s.execute(select(StaffChange.changed_by, StaffChange.detail)
                         .where(StaffChange.user_id == user_id).order_by(StaffChange.id)).all()


def test_a_manager_adds_a_cashier_who_can_then_log_in(client, db, people):
    as_user(client, db, people["manager"])
    page = client.get("/staf")
    assert page.status_code == 200 and "kasir1" in page.text
    assert '<option value="manager"' not in page.text and '<option value="cashier"' in page.text
    answer = client.post("/staf/baru", data=NEW)
    assert answer.status_code == 303
    sari = user(db, "sari")
    assert sari.full_name == "Sari Dewi" and sari.role == "cashier" and sari.active
    assert check_password_hash(sari.pin_hash, "4821")
    assert changes(db, sari.id) == [(people["manager"], "Akun dibuat: sari (Kasir)")]
    shown = client.get(answer.headers["Location"]).text
    assert "Akun Sari Dewi (Kasir) dibuat" in shown and "Akun dibuat: sari (Kasir)" in shown
    client.post("/keluar")
    entered = client.post("/masuk", data={"username": "sari", "pin": "4821", "till_id": str(people["till"])})
    assert entered.status_code == 303


@pytest.mark.parametrize("change, reason", [
    ({"pin2": "4822"}, "Kedua PIN tidak sama"),
    ({"pin": "12", "pin2": "12"}, "PIN harus 4 sampai 8 angka"),
    ({"pin": "１２３４", "pin2": "１２３４"}, "PIN harus 4 sampai 8 angka"),
    ({"username": "Sari Dewi!"}, "Nama pengguna 2-32 huruf kecil"),
    ({"username": "kasir1"}, "Nama pengguna kasir1 sudah ada"),
    ({"full_name": "   "}, "Nama lengkap wajib diisi"),
    ({"full_name": "x" * 101}, "Nama lengkap terlalu panjang"),
    ({"role": "superuser"}, "Pilih peran staf dari daftar"),
    ({"licence_no": "9" * 61}, "Nomor SIPA terlalu panjang"),
    ({"licence_no": "SIPA 123"}, "Nomor SIPA hanya untuk apoteker, bukan Kasir"),   # a cashier's
])
def test_a_refused_account_changes_nothing_and_keeps_what_was_typed(client, db, people, change, reason):
    as_user(client, db, people["manager"])
    with db.reading() as s:
        before = s.scalar(select(func.count()).select_from(User))
    answer = client.post("/staf/baru", data={**NEW, **change})
    assert answer.status_code in (400, 409, 422) and reason in answer.text
    assert 'value="Sari Dewi"' in answer.text or change.get("full_name")
    assert "4821" not in answer.text                       # a PIN is never sent back
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(User)) == before


def test_manager_and_admin_accounts_are_an_admins(client, db, people):
    as_user(client, db, people["manager"])
    admin = people["admin"]
    listed = client.get("/staf").text
    assert f'href="/staf/{admin}"' not in listed                                    # no link to a 403
    assert "(hanya admin yang dapat mengubah)" in listed
    assert f'href="/staf/{people["manager"]}"' in listed                            # their own page
    refused = client.post("/staf/baru", data={**NEW, "role": "manager"})
    assert refused.status_code == 403 and "hanya dapat diubah oleh admin" in refused.text
    assert user(db, "sari") is None
    boss = people["boss"]
    for url, form in ((f"/staf/{boss}/pin", {"pin": "7391", "pin2": "7391"}),
                      (f"/staf/{boss}/aktif", {"aktif": "0"}),
                      (f"/staf/{boss}/ubah", {"full_name": "Bos", "licence_no": ""})):
        refused = client.post(url, data=form)       # a refused form: its message on the page before
        assert refused.status_code == 303 and "hanya dapat diubah oleh admin" in client.get("/").text
    assert client.get(f"/staf/{boss}").status_code == 403
    after = user(db, "manajer2")
    assert after.active and check_password_hash(after.pin_hash, "8888") and after.full_name != "Bos"
    client.post("/keluar")
    as_user(client, db, people["admin"])
    assert client.post("/staf/baru", data={**NEW, "role": "manager"}).status_code == 303
    assert user(db, "sari").role == "manager"
    assert client.post(f"/staf/{boss}/pin", data={"pin": "7391", "pin2": "7391"}).status_code == 303


def test_a_new_pin_ends_the_staff_members_sessions(client, app, db, people):
    cashier = people["cashier"]
    other = app.test_client()
    as_user(other, db, cashier, people["till"])
    assert other.get("/kasir").status_code == 200
    as_user(client, db, people["manager"])
    answer = client.post(f"/staf/{cashier}/pin", data={"pin": "7531", "pin2": "7531"})
    assert answer.status_code == 303
    assert "1 sesi diakhiri" in client.get(answer.headers["Location"]).text
    assert check_password_hash(user(db, "kasir1").pin_hash, "7531")
    assert other.get("/kasir").status_code == 302                    # the old session is over
    assert changes(db, cashier)[-1] == (people["manager"], "PIN baru; 1 sesi diakhiri")


def test_ones_own_new_pin_ends_at_the_login_page_which_says_why(client, db, people):
    as_user(client, db, people["manager"])
    answer = client.post(f"/staf/{people['manager']}/pin", data={"pin": "7531", "pin2": "7531"})
    assert answer.status_code == 303 and "/masuk?pesan=pin" in answer.headers["Location"]
    assert "PIN Anda sudah diganti" in client.get(answer.headers["Location"]).text


def test_a_new_pin_lifts_the_lock_the_wrong_ones_made(client, app, db, people):
    """A cashier locked out by wrong PINs shows as locked on her page; the PIN a manager gives
    her lifts the lock at once (she was refused with the new PIN until the lock ran out), and
    the lock from other addresses goes too."""
    from tests.auth.test_auth import post_login

    other = app.test_client()
    for address in ("10.0.0.5",) * 5 + ("10.0.0.6",) * 5:
        assert post_login(other, pin="0000", address=address).status_code == 422
    as_user(client, db, people["manager"])
    assert f'<tr id="staff-{people["cashier"]}"' in client.get("/staf").text
    assert 'class="tag">terkunci</b>' in client.get("/staf").text          # the list says so too
    page = client.get(f"/staf/{people['cashier']}").text
    assert 'id="staff-locked"' in page and "bisa masuk lagi dalam 5 menit" in page   # LOGIN_LOCK_SECONDS
    assert post_login(other, pin="1111", till_id=people["till"], address="10.0.0.5").status_code == 422
    answer = client.post(f"/staf/{people['cashier']}/pin", data={"pin": "7531", "pin2": "7531"})
    shown = client.get(answer.headers["Location"]).text
    assert "Kunci karena PIN salah dibuka" in shown and 'id="staff-locked"' not in shown
    assert "terkunci</b>" not in client.get("/staf").text
    assert "Nomor SIPA" not in shown            # a cashier's page asks for no SIPA
    till = people["till"]
    assert post_login(other, pin="7531", till_id=till, address="10.0.0.5").status_code == 303
    assert post_login(app.test_client(), pin="7531", till_id=till, address="10.0.0.6").status_code == 303
    again = client.post(f"/staf/{people['cashier']}/pin", data={"pin": "7532", "pin2": "7532"})
    assert "Kunci karena" not in client.get(again.headers["Location"]).text   # none stood


def test_a_pin_given_at_the_mini_pc_lifts_the_lock_in_the_server_too(app, db, people, runner):
    """``pos user pin`` runs in another process, away from the server's count of wrong PINs:
    the lock those wrong PINs made stands against the old PIN only."""
    from tests.auth.test_auth import post_login

    for _ in range(5):
        assert post_login(app.test_client(), pin="0000", address="10.0.0.7").status_code == 422
    till = people["till"]
    assert post_login(app.test_client(), pin="1111", till_id=till, address="10.0.0.7").status_code == 422
    with db.transaction() as s:   # what `pos user pin kasir1 --pin 7531` writes, guard untouched
        service.set_pin(s, service.find_user(s, "kasir1"), "7531")
    assert post_login(app.test_client(), pin="7531", till_id=till, address="10.0.0.7").status_code == 303
    for _ in range(5):            # and wrong tries against the new PIN lock it as before
        assert post_login(app.test_client(), pin="0000", address="10.0.0.8").status_code == 422
    assert post_login(app.test_client(), pin="7531", till_id=till, address="10.0.0.8").status_code == 422


def test_deactivate_and_activate_again_and_never_ones_own(client, app, db, people):
    cashier = people["cashier"]
    other = app.test_client()
    as_user(other, db, cashier, people["till"])
    as_user(client, db, people["manager"])
    assert client.post(f"/staf/{cashier}/aktif", data={"aktif": "0"}).status_code == 303
    assert not user(db, "kasir1").active and other.get("/kasir").status_code == 302
    refused = app.test_client().post("/masuk", data={"username": "kasir1", "pin": "1111",
                                                      "till_id": str(people["till"])})
    assert refused.status_code != 303
    assert client.post(f"/staf/{cashier}/aktif", data={"aktif": "1"}).status_code == 303
    assert user(db, "kasir1").active
    assert [d for _, d in changes(db, cashier)][-2:] == ["Dinonaktifkan; 1 sesi diakhiri", "Diaktifkan lagi"]
    own = client.post(f"/staf/{people['manager']}/aktif", data={"aktif": "0"})
    assert own.status_code == 422 and "Akun sendiri" in own.text and user(db, "manajer1").active
    tampered = client.post(f"/staf/{cashier}/aktif", data={"aktif": "ya"})
    assert tampered.status_code == 303 and "Formulir tidak lengkap" in client.get("/").text
    assert user(db, "kasir1").active
    assert client.get("/staf/99999").status_code == 404


def test_a_sipa_is_refused_for_an_account_that_is_not_an_apoteker(client, db, people):
    """The edit form shows no SIPA field to a clerk's account; a form sent with one anyway."""
    as_user(client, db, people["manager"])
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk", "2222").id
    refused = client.post(f"/staf/{clerk}/ubah", data={"full_name": "Gudang1", "licence_no": "SIPA 999"})
    assert refused.status_code in (400, 422) and "Nomor SIPA hanya untuk apoteker" in refused.text
    assert user(db, "gudang1").licence_no is None


def test_name_and_sipa_are_changed_and_logged(client, db, people):
    with db.transaction() as s:
        apoteker = make_user(s, "apoteker1", "pharmacist", "7777").id
    as_user(client, db, people["manager"])
    form = {"full_name": "  Rina  Apt. ", "licence_no": "SIPA: 503/12/2026"}
    assert client.post(f"/staf/{apoteker}/ubah", data=form).status_code == 303
    row = user(db, "apoteker1")
    assert row.full_name == "Rina Apt." and row.licence_no == "503/12/2026"
    assert [d for _, d in changes(db, apoteker)][-2:] == ["Nama Apoteker1 -> Rina Apt.",
                                                         "SIPA (kosong) -> 503/12/2026"]
    again = client.post(f"/staf/{apoteker}/ubah", data=form)
    assert "Tidak ada yang berubah" in client.get(again.headers["Location"]).text


def test_staff_changes_reach_the_audit_log_and_the_command_line_is_named(client, db, app, people):
    with db.transaction() as s:
        service.set_pin(s, s.get(User, people["cashier"]), "2468")       # as `pos user pin` does
    as_user(client, db, people["manager"])
    client.post("/staf/baru", data=NEW)
    with db.reading() as s:
        today = business_date(utcnow(), app.config["TIMEZONE"])   # the outlet's day, not UTC's
        report = audit_log(s, today, today, zone=app.config["TIMEZONE"], kind="staff")
    details = {row["detail"]: row["user"] for row in report.rows}
    assert "sari: Akun dibuat: sari (Kasir)" in details and "kasir1: PIN baru; 0 sesi diakhiri" in details
    # the log names the command line as the staff page does (its Oleh was empty)
    assert details["kasir1: PIN baru; 0 sesi diakhiri"] == "perintah pos (mini-PC)"
    assert details["sari: Akun dibuat: sari (Kasir)"] != "perintah pos (mini-PC)"
    page = client.get(f"/staf/{people['cashier']}").text
    assert "perintah pos (mini-PC)" in page


@pytest.mark.parametrize("role", ["cashier", "clerk", "pharmacist"])
def test_counter_staff_cannot_open_the_staff_screen(client, db, people, role):
    with db.transaction() as s:
        someone = make_user(s, f"u-{role}", role, "1357").id
    as_user(client, db, someone)
    assert client.get("/staf").status_code == 403
    assert client.post("/staf/baru", data=NEW).status_code == 303     # refused, said on the page
    assert user(db, "sari") is None
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(StaffSession)) >= 1


def test_an_apoteker_without_a_sipa_is_named_on_staf_and_on_the_managers_home(app, client, db, people):
    """An apoteker may be made without a SIPA (README: such one cannot approve obat keras, and
    ``pos user licence NAME ""`` removes it), but nobody was told; Staf and the manager's home
    page now say so until the SIPA is given."""
    as_user(client, db, people["manager"])
    answer = client.post("/staf/baru", data={**NEW, "full_name": "Rina Marlina", "username": "rina",
                                             "role": "pharmacist"})
    assert answer.status_code == 303 and user(db, "rina").licence_no is None
    warning = "Apoteker Rina Marlina belum punya nomor SIPA"
    assert warning in client.get("/staf").text
    assert warning in client.get("/").text
    rina = user(db, "rina").id
    clerk = app.test_client()
    with db.transaction() as s:
        clerk_id = make_user(s, "gudang1", "clerk", "2222").id
    as_user(clerk, db, clerk_id)
    assert warning not in clerk.get("/").text     # a manager's to fix, not the clerk's
    client.post(f"/staf/{rina}/ubah", data={"full_name": "Rina Marlina",
                                          "licence_no": "19900412/SIPA_64.72/2025/0031"})
    assert user(db, "rina").licence_no == "19900412/SIPA_64.72/2025/0031"
    assert "belum punya nomor SIPA" not in client.get("/staf").text
    assert "belum punya nomor SIPA" not in client.get("/").text
    with db.transaction() as s:    # an apoteker who left is no one's concern
        s.get(User, rina).licence_no = None
        s.get(User, rina).active = False
    assert "belum punya nomor SIPA" not in client.get("/").text
