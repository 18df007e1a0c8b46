"""The Anggota screens through the web: create, edit, deactivate; faults beside their fields and
nothing saved; the NIK in full on the member page only; the till's F7 live list."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from pos.members.models import Member
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
NIK = "6471011705850001"
GOOD = {"number": "agt-0100", "name": "  Daeng   Baso ", "nik": "6471 0117 0585 0001",
        "phone": "+62 812-3456-7890", "card_barcode": "", "joined_on": "21-07-2025",
        "address": "Jl. Poros Samarinda"}


@pytest.fixture
def staff(db, client):
    with db.transaction() as s:
        till = make_till(s).id
        manager = make_user(s, "manajer1", "manager", "9999").id
        cashier = make_user(s, "kasir1", "cashier", "1111").id
        make_product(s, name="Indomie", barcodes_=["8998866200301"])
        s.add(Member(number="AGT-0001", name="Budi Santoso", nik="3201014101990001",
                     phone="081211110001", card_barcode="2900000000018", joined_on=date(2025, 7, 21)))
        s.add(Member(number="AGT-0002", name="Siti Rahmah", active=False, joined_on=date(2025, 8, 1)))
    login(client, manager)
    return {"till": till, "manager": manager, "cashier": cashier}


def members(db) -> dict[str, Member]:
    with db.reading() as s:
        return {m.number: m for m in s.scalars(select(Member))}


def snapshot(db) -> list[tuple]:
    with db.reading() as s:
        return [(m.number, m.name, m.nik, m.phone, m.card_barcode, m.joined_on, m.address, m.active)
                for m in s.scalars(select(Member).order_by(Member.number))]


def test_a_manager_adds_a_member_and_sees_the_full_nik_only_on_their_page(db, client, staff):
    response = client.post("/anggota/baru", data=GOOD)
    assert response.status_code == 303
    added = members(db)["AGT-0100"]
    assert (added.name, added.nik, added.phone, added.joined_on, added.active, added.address) == (
        "Daeng Baso", NIK, "081234567890", date(2025, 7, 21), True, "Jl. Poros Samarinda")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NIK in page and "Daeng Baso" in page and "21-07-2025" in page
    listing = client.get("/anggota").get_data(as_text=True)
    assert "6471********0001" in listing and NIK not in listing
    assert "3201********0001" in listing and "3201014101990001" not in listing


def test_a_join_date_pasted_with_spaces_fits_its_box_and_is_read(db, client, staff):
    """maxlength 10 cut "  21-07-2025  " to "  21-07-20", refused as no date."""
    box = re.search(r'<input[^>]*name="joined_on"[^>]*>', client.get("/anggota/baru").get_data(as_text=True))
    pasted = "  21-07-2025  "
    maxlength = int(re.search(r'maxlength="(\d+)"', box.group(0)).group(1))
    assert maxlength >= len(pasted)
    response = client.post("/anggota/baru", data={**GOOD, "joined_on": pasted[:maxlength]})
    assert response.status_code == 303
    assert members(db)["AGT-0100"].joined_on == date(2025, 7, 21)


@pytest.mark.parametrize("field, value, fault", [
    ("nik", "647101170585000", "NIK harus 16 angka (tertulis 15)"),
    ("nik", "6471013002850001", "tanggal lahir"),
    ("nik", "6400011705850001", "kode kabupaten/kota"),
    ("nik", "3201014101990001", "sudah dipakai anggota AGT-0001"),
    ("phone", "0212345678", "Nomor HP tidak dikenali"),
    ("name", "   ", "Nama wajib diisi"),
    ("number", "AGT-0001", "sudah dipakai anggota AGT-0001"),
    ("number", "AGT 01", "Nomor anggota 1-32 huruf"),
    ("number", "<script>", "Nomor anggota 1-32 huruf"),
    ("card_barcode", "8998866200301", "sudah dipakai sebagai barcode"),
    ("card_barcode", "2900000000011", "angka periksa salah). Periksa kode kartunya."),
    ("card_barcode", "2900000000018", "sudah dipakai anggota AGT-0001"),
    ("joined_on", "31-02-2025", "tidak ada di kalender"),
    ("joined_on", "01-01-2999", "hari ini"),
    ("joined_on", "kemarin", "tidak dikenali"),
    ("address", "x" * 201, "Alamat paling panjang 200"),
])
def test_a_bad_field_is_named_beside_it_and_nothing_is_saved(db, client, staff, field, value, fault):
    before = snapshot(db)
    response = client.post("/anggota/baru", data={**GOOD, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    beside = re.search(rf'<small id="e-{field}" class="field-error">([^<]*)</small>', page)
    assert beside and fault in beside.group(1).replace("&#39;", "'"), page[:2000]
    assert f'value="{GOOD["name"]}"' in page or field == "name"   # what was typed comes back
    assert snapshot(db) == before


def test_several_faults_are_shown_at_once(db, client, staff):
    response = client.post("/anggota/baru", data={**GOOD, "nik": "1", "phone": "1", "name": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(f'id="e-{f}"' in page for f in ("nik", "phone", "name"))


def test_a_new_member_needs_a_number_and_a_name(db, client, staff):
    before = snapshot(db)
    response = client.post("/anggota/baru", data={"phone": "081234567890"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="e-number"' in page and 'id="e-name"' in page
    assert snapshot(db) == before


def test_editing_changes_only_what_was_typed_and_a_blank_join_date_keeps_it(db, client, staff):
    budi = members(db)["AGT-0001"]
    response = client.post(f"/anggota/{budi.id}", data={
        "number": "AGT-0001", "name": "Budi Santoso", "nik": "3201014101990001",
        "phone": "0813 9999 0000", "card_barcode": "2900000000018", "joined_on": "", "address": ""})
    assert response.status_code == 303
    after = members(db)["AGT-0001"]
    assert after.phone == "081399990000" and after.joined_on == date(2025, 7, 21)


def test_a_refused_edit_comes_back_with_its_faults_and_changes_nothing(db, client, staff):
    budi = members(db)["AGT-0001"]
    before = snapshot(db)
    response = client.post(f"/anggota/{budi.id}", data={"name": "Budi", "nik": "１２３"})
    assert response.status_code == 422 and 'id="e-nik"' in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_deactivate_and_reactivate(db, client, staff):
    budi = members(db)["AGT-0001"]
    assert client.post(f"/anggota/{budi.id}/status", data={"status": "nonaktif"}).status_code == 303
    assert members(db)["AGT-0001"].active is False
    page = client.get("/anggota").get_data(as_text=True)
    assert page.count(">nonaktif<") == 2
    assert client.post(f"/anggota/{budi.id}/status", data={"status": "aktif"}).status_code == 303
    assert members(db)["AGT-0001"].active is True


@pytest.mark.parametrize("url, data, status", [
    ("/anggota/{id}/status", {"status": "hapus"}, 400),
    ("/anggota/{id}/status", {}, 400),
    ("/anggota/999999/status", {"status": "nonaktif"}, 404),
    ("/anggota/999999", {"name": "X"}, 404),
    ("/anggota/kartu", {"format": "a4", "member_id": "1x"}, 422),
    ("/anggota/kartu", {"format": "laser", "member_id": "1"}, 400),
    ("/anggota/kartu", {"format": "a4", "member_id": "{id}", "copies": "-1"}, 422),
    ("/anggota/kartu", {"format": "a4", "member_id": "{id}", "copies": "999"}, 422),
])
def test_tampered_forms_change_nothing(db, client, staff, url, data, status):
    budi = members(db)["AGT-0001"]
    before = snapshot(db)
    data = {k: v.replace("{id}", str(budi.id)) for k, v in data.items()}
    assert client.post(url.replace("{id}", str(budi.id)), data=data, headers=HX).status_code == status
    assert snapshot(db) == before


def test_the_list_pages_fifty_at_a_time_and_searches(db, client, staff):
    with db.transaction() as s:
        s.add_all([Member(number=f"B-{i:03d}", name=f"Warga {i}") for i in range(60)])
    first = client.get("/anggota").get_data(as_text=True)
    assert "Halaman 1 dari 2 (62 anggota)" in first and "B-047" in first and "B-048" not in first
    assert "B-059" in client.get("/anggota?hal=2").get_data(as_text=True)
    assert client.get("/anggota?hal=0").status_code == 400
    found = client.get("/anggota?q=budi", headers=HX).get_data(as_text=True)
    assert found.startswith('<div id="members">') and "Budi Santoso" in found and "Warga" not in found
    assert 'id="more-members"' not in found
    # 60 match a search: its first 50, and a word that more match (they were silently left out)
    many = client.get("/anggota?q=warga", headers=HX).get_data(as_text=True)
    assert many.count('<td class="name">') == 50
    assert 'id="more-members"' in many and "Lebih dari 50 anggota cocok" in many
    few = client.get("/anggota?q=warga 59", headers=HX).get_data(as_text=True)
    assert "Warga 59" in few and 'id="more-members"' not in few


def test_cashiers_may_search_members_but_not_open_the_register(db, client, staff):
    login(client, staff["cashier"], staff["till"])
    assert client.get("/anggota").status_code == 403
    assert client.get("/anggota/cari?member=bu").status_code == 200


def test_the_till_list_shows_number_name_status_and_masked_nik(db, client, staff):
    login(client, staff["cashier"], staff["till"])
    html = client.get("/anggota/cari?member=AGT-000", headers=HX).get_data(as_text=True)
    assert html.index("AGT-0001") < html.index("AGT-0002")       # active first
    assert "Budi Santoso" in html and "3201********0001" in html and "3201014101990001" not in html
    assert "aktif" in html and ">nonaktif<" in html
    assert 'hx-post="/kasir/anggota"' in html and 'hx-target="#cart"' in html
    assert '{"by": "nomor", "member": "AGT-0001"}' in html   # picked by number alone
    assert "Tidak ada anggota" in client.get("/anggota/cari?q=zzz").get_data(as_text=True)
    assert "<li>" not in client.get("/anggota/cari?q=b").get_data(as_text=True)


def test_choosing_from_the_list_attaches_the_member_to_the_cart(db, client, staff):
    login(client, staff["cashier"], staff["till"])
    client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=HX)
    response = client.post("/kasir/anggota", data={"member": "AGT-0001"}, headers=HX)
    assert response.status_code == 200 and "Budi Santoso" in response.get_data(as_text=True)
