"""Member numbers in small letters (an old import, a fix by hand in the database): the till reads
a typed number in capitals and never finds them. ``pos doctor``, ``/healthz`` and the home page
list each with what to do; saving the member on its page writes the number in capitals, which
is how every writer stores it (the form, the member file, ``pos members import``)."""
from __future__ import annotations

import json

from sqlalchemy import select

from pos.db import get_db
from pos.members.models import Member
from pos.members.service import find
from tests.factories import login


def plant(app) -> dict[str, int]:
    """Siti's number agt-0001 is free in capitals; Budi's agt-0002 is Ani's AGT-0002; Dodi's
    kop-7 and Rina's Kop-7 are the same in capitals."""
    with get_db(app).transaction() as s:
        s.add_all([Member(number="agt-0001", name="Siti"), Member(number="agt-0002", name="Budi"),
                   Member(number="AGT-0002", name="Ani"), Member(number="kop-7", name="Dodi"),
                   Member(number="Kop-7", name="Rina"), Member(number="AGT-0003", name="Wati")])
        s.flush()
        return {m.name: m.id for m in s.scalars(select(Member))}


def doctor(app, *args):
    return app.test_cli_runner().invoke(args=["doctor", *args])


def test_doctor_lists_every_number_in_small_letters_with_its_fix(healthy):
    app, _ = healthy()
    plant(app)
    result = doctor(app)
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "PERINGATAN Nomor anggota: 4 nomor huruf kecil" in text
    assert ("Masalah: 4 nomor anggota tidak dalam huruf besar, sehingga kasir tidak menemukan "
            "anggotanya dengan nomor itu:") in text
    for expected in (
            "- Nomor anggota Kop-7 (Rina) tidak dalam huruf besar: kasir membacanya KOP-7, seperti "
            "nomor anggota kop-7 (Dodi), sehingga keduanya tidak ditemukan dengan nomornya.",
            "- Nomor anggota agt-0001 (Siti) tidak dalam huruf besar: kasir membacanya AGT-0001, "
            "sehingga anggota ini tidak ditemukan dengan nomornya.",
            "- Nomor anggota agt-0002 (Budi) tidak dalam huruf besar: kasir membacanya AGT-0002, "
            "nomor anggota AGT-0002 (Ani), sehingga kasir mendapat Ani, bukan Budi.",
            "Perbaikan: Perbaiki setiap nomor:",
            "- agt-0001: Buka anggota agt-0001 di halaman Anggota lalu Simpan: nomornya disimpan "
            "sebagai AGT-0001.",
            "- agt-0002: Ubah Nomor anggota agt-0002 di halaman Anggota menjadi nomor yang belum "
            "dipakai (bukan AGT-0002).",
            "- kop-7: Ubah Nomor anggota kop-7 di halaman Anggota menjadi nomor yang belum dipakai "
            "(bukan KOP-7)."):
        assert expected in text, expected
    assert "AGT-0003" not in text
    body = json.loads(doctor(app, "--json").output)["member_numbers"]
    assert body["level"] == "warn" and "kop-7" in body["fix"]
    assert body["small_letters"] == 4
    assert [n["number"] for n in body["numbers"]] == ["Kop-7", "agt-0001", "agt-0002", "kop-7"]


def test_strangers_see_how_many_and_the_manager_which(healthy):
    app, ids = healthy()
    plant(app)
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["member_numbers"] == {"level": "warn", "small_letters": 4}
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    home = client.get("/").get_data(as_text=True)
    assert 'id="health-member_numbers"' in home and "sehingga kasir mendapat Ani, bukan Budi" in home


def test_saving_the_member_writes_the_number_in_capitals_and_the_till_finds_it(healthy):
    app, ids = healthy()
    members = plant(app)
    with get_db(app).reading() as s:
        assert find(s, "agt-0001") is None   # read as AGT-0001: nobody
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    for name, number in (("Siti", "agt-0001"), ("Rina", "Kop-7")):
        saved = client.post(f"/anggota/{members[name]}", data={
            "number": number, "name": name, "nik": "", "phone": "", "card_barcode": "",
            "joined_on": "", "address": ""})
        assert saved.status_code == 303, saved.get_data(as_text=True)
    refused = client.post(f"/anggota/{members['Budi']}", data={"number": "agt-0002", "name": "Budi"})
    assert refused.status_code == 422
    assert "Nomor anggota AGT-0002 sudah dipakai anggota AGT-0002 (Ani)." in refused.get_data(as_text=True)
    with get_db(app).reading() as s:
        assert find(s, "agt-0001").name == "Siti" and find(s, "kop-7").name == "Rina"
    text = " ".join(doctor(app).output.split())
    assert "Nomor anggota: 2 nomor huruf kecil" in text
    assert "Nomor anggota kop-7 (Dodi) tidak dalam huruf besar: kasir membacanya KOP-7, nomor " \
           "anggota KOP-7 (Rina), sehingga kasir mendapat Rina, bukan Dodi." in text


def test_the_fix_never_asks_to_change_a_number_that_reached_the_books(healthy):
    """A number with a sale, savings or kasbon cannot be changed any more (``members.history``):
    the fix changes the other member's where that one has none, and says so where both have."""
    from datetime import date

    from pos.members.accounts.models import OpeningSaving

    app, _ = healthy()
    members = plant(app)
    with get_db(app).transaction() as s:
        for name in ("Budi", "Dodi", "Rina"):   # agt-0002 and both kop-7s have savings on the books
            s.add(OpeningSaving(member_id=members[name], pokok=100_000, business_date=date(2026, 1, 2)))
    text = " ".join(doctor(app).output.split())
    assert ("- agt-0002: Nomor agt-0002 sudah tercatat di transaksi dan tidak dapat diubah, nomor "
            "AGT-0002 (Ani) belum: ubah nomor AGT-0002 menjadi nomor yang belum dipakai, lalu buka "
            "anggota agt-0002 dan Simpan (nomornya disimpan sebagai AGT-0002).") in text
    assert ("- kop-7: Kedua nomor sudah tercatat di transaksi, jadi tidak dapat diubah di sini, dan "
            "hub buku besar menghitung SHU keduanya pada satu nomor KOP-7.") in text
    assert "Ubah Nomor anggota kop-7" not in text and "Ubah Nomor anggota agt-0002" not in text
