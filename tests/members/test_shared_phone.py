"""A phone another active member already has: the form and the member file warn, naming the
member, and save only once the clerk confirms (families share a phone); the till asks which
member a shared phone means instead of picking one (of an active and a nonaktif member it takes
the active one; of nonaktif ones only, none, and says so)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.inventory.catalog import spreadsheets
from pos.members import register, transfer
from pos.members.fields import FieldErrors
from pos.members.models import Member
from pos.members.service import SharedInactive, SharedPhone, find, for_sale
from pos.sales.models import Cart
from tests.factories import login, make_till, make_user, poll_until_finished
from tests.members.test_transfer import HEADER, csv_rows, upload

HX = {"HX-Request": "true"}
SITI, BUDI, OLD = "081255550001", "081277770002", "081299990003"
DAY = date(2026, 11, 30)
WARNED = "Nomor HP 081255550001 sudah dipakai anggota AGT-0001 Siti Aminah."


@pytest.fixture
def village(db, client):
    """Siti (active) and Budi (active) with their own phones; Wati, nonaktif, with an old one."""
    with db.transaction() as s:
        till = make_till(s).id
        manager = make_user(s, "manajer1", "manager", "9999").id
        cashier = make_user(s, "kasir1", "cashier", "1111").id
        s.add_all([Member(number="AGT-0001", name="Siti Aminah", phone=SITI, joined_on=DAY),
                   Member(number="AGT-0002", name="Budi Santoso", phone=BUDI, joined_on=DAY),
                   Member(number="AGT-0003", name="Wati", phone=OLD, active=False, joined_on=DAY)])
    login(client, manager)
    return {"till": till, "manager": manager, "cashier": cashier}


def register_now(db) -> list[tuple]:
    with db.reading() as s:
        return [(m.number, m.name, m.phone, m.active)
                for m in s.scalars(select(Member).order_by(Member.number))]


NEW = {"number": "AGT-0010", "name": "Ahmad Aminah", "phone": "+62 812-5555-0001", "nik": "",
       "card_barcode": "", "joined_on": "30-11-2026", "address": ""}


def test_a_new_member_with_a_phone_in_use_is_warned_and_saved_once_confirmed(db, client, village):
    before = register_now(db)
    warned = client.post("/anggota/baru", data=NEW)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 422 and WARNED in page
    assert "nomor HP ini sudah dipakai anggota lain" in page
    assert 'name="phone_shared_ok"' in page and 'value="+62 812-5555-0001"' in page
    assert register_now(db) == before    # nothing saved
    saved = client.post("/anggota/baru", data={**NEW, "phone_shared_ok": "1"})
    assert saved.status_code == 303
    assert register_now(db)[-1] == ("AGT-0010", "Ahmad Aminah", SITI, True)


def test_an_edit_warns_only_when_the_phone_becomes_one_in_use(db, client, village):
    with db.reading() as s:
        budi = s.scalar(select(Member.id).where(Member.number == "AGT-0002"))
    form = {"name": "Budi Santoso", "phone": "0812 5555 0001"}
    warned = client.post(f"/anggota/{budi}", data=form)
    assert warned.status_code == 422 and WARNED in warned.get_data(as_text=True)
    assert register_now(db)[1][2] == BUDI
    assert client.post(f"/anggota/{budi}", data={**form, "phone_shared_ok": "1"}).status_code == 303
    assert register_now(db)[1][2] == SITI
    # sharing already, confirmed once: another change is not asked again
    assert client.post(f"/anggota/{budi}", data={**form, "address": "Jl. Mawar 2"}).status_code == 303


def test_a_phone_only_a_nonaktif_member_has_is_no_warning(db, village):
    with db.transaction() as s:
        register.create_member(s, {**NEW, "phone": OLD}, DAY)
    with pytest.raises(FieldErrors) as warned, db.transaction() as s:
        register.create_member(s, {**NEW, "number": "AGT-0011", "phone": OLD}, DAY)
    assert warned.value.errors == {"phone_shared": (
        f"Nomor HP {OLD} sudah dipakai anggota AGT-0010 Ahmad Aminah. Di kasir, nomor ini tidak "
        "lagi cukup untuk mencari anggota (kasir diminta memilih). Bila memang dipakai bersama "
        "(misalnya satu keluarga), centang “Nomor HP ini memang dipakai bersama” lalu simpan lagi.")}


def test_the_member_file_warns_then_saves_when_confirmed(db, village):
    rows = csv_rows("AGT-0010,Ahmad Aminah,,0812-5555-0001,,,",
                    "AGT-0011,Rina,,081288880004,,,", "AGT-0012,Dodi,,081288880004,,,",
                    "AGT-0002,Budi Santoso,,081277770002,,,")   # his own phone: no warning
    before = register_now(db)
    with pytest.raises(spreadsheets.ImportErrors) as refused, db.transaction() as s:
        transfer.import_rows(s, rows)
    assert refused.value.errors == [
        "Baris 2: nomor HP 081255550001 sudah dipakai anggota AGT-0001 Siti Aminah.",
        "Baris 4: nomor HP 081288880004 sudah dipakai anggota AGT-0011 Rina.", transfer.SHARED_HINT]
    assert register_now(db) == before
    with db.transaction() as s:
        summary = transfer.MemberFile(shared_phone_ok=True).import_rows(s, rows)
    assert summary["created"] == 3 and len(summary["shared_phones"]) == 2
    with db.transaction() as s:   # the export read back in: phones already shared are not asked
        exported = transfer.export_rows(s)
        body = spreadsheets.to_csv(exported, transfer.IMPORT_COLUMNS).encode()
        again = spreadsheets.read_file("a.csv", body, transfer.IMPORT_COLUMNS, transfer.KEY)
        assert transfer.import_rows(s, again)["unchanged"] == 6


def test_the_upload_has_the_confirmation_and_lists_the_shared_phones(db, client, village):
    data = f"{HEADER}\nAGT-0010,Ahmad Aminah,,081255550001,,,\n".encode()
    assert 'name="phone_shared_ok"' in client.get("/anggota/impor").get_data(as_text=True)
    refused = poll_until_finished(client, upload(client, data).get_data(as_text=True))
    assert "Tidak ada yang disimpan" in refused and "sudah dipakai anggota AGT-0001 Siti Aminah" in refused
    assert len(register_now(db)) == 3
    done = poll_until_finished(client, upload(client, data, phone_shared_ok="1").get_data(as_text=True))
    assert "1 anggota baru" in done and 'id="import-shared-phones"' in done
    assert len(register_now(db)) == 4


def test_the_command_line_import_asks_for_the_option(db, runner, village, tmp_path):
    path = tmp_path / "anggota.csv"
    path.write_text(f"{HEADER}\nAGT-0010,Ahmad Aminah,,081255550001,,,\n")
    refused = runner.invoke(args=["members", "import", str(path)])
    assert refused.exit_code != 0 and "--shared-phone-ok" in refused.output
    assert "Galat: 1 kesalahan" in refused.output       # the hint under it is no second one
    done = runner.invoke(args=["members", "import", str(path), "--shared-phone-ok"])
    assert done.exit_code == 0 and "Nomor HP dipakai bersama: Baris 2" in done.output


def test_a_files_problems_and_shared_phones_are_listed_in_row_order(db, village):
    """A shared phone on row 2 was listed after a problem of row 3, and its hint counted."""
    rows = csv_rows("AGT-0010,Ahmad Aminah,,081255550001,,,", "AGT-0011,,,,,,")
    with pytest.raises(spreadsheets.ImportErrors) as refused, db.transaction() as s:
        transfer.import_rows(s, rows)
    said = refused.value.errors
    assert [line[:8] for line in said[:-1]] == ["Baris 2:", "Baris 3:"] and said[-1] == transfer.SHARED_HINT
    assert refused.value.problems == 2 and "2 kesalahan" in refused.value.message


def shared_by_two(db) -> None:
    with db.transaction() as s:
        s.add(Member(number="AGT-0010", name="Ahmad Aminah", phone=SITI, joined_on=DAY))


def test_the_till_asks_which_member_a_shared_phone_means(db, client, village):
    shared_by_two(db)
    login(client, village["cashier"], village["till"])
    asked = client.post("/kasir/anggota", data={"member": "0812-5555-0001"}, headers=HX)
    text = " ".join(asked.get_data(as_text=True).split())
    assert asked.status_code == 409
    assert ("Nomor HP 081255550001 dipakai 2 anggota: AGT-0001 Siti Aminah, AGT-0010 Ahmad "
            "Aminah. Pilih anggotanya") in text
    with db.reading() as s:
        assert s.scalar(select(Cart.member_id)) is None
    scanned = client.post("/kasir/pindai", data={"code": SITI}, headers=HX)
    assert scanned.status_code == 409 and "dipakai 2 anggota" in scanned.get_data(as_text=True)
    listed = client.get("/anggota/cari?q=081255550001", headers=HX).get_data(as_text=True)
    assert "AGT-0001" in listed and "AGT-0010" in listed   # F7: pick one
    picked = client.post("/kasir/anggota", data={"member": "AGT-0010"}, headers=HX)
    assert picked.status_code == 200 and "Ahmad Aminah" in picked.get_data(as_text=True)
    counter = client.get("/kasir/simpanan/cari?q=081255550001", headers=HX).get_data(as_text=True)
    assert "AGT-0001" in counter and "AGT-0010" in counter


def test_find_prefers_card_or_number_and_an_active_holder(db, village):
    shared_by_two(db)
    with db.reading() as s:
        with pytest.raises(SharedPhone) as shared:
            find(s, "+62 812 5555 0001")
        assert [m.number for m in shared.value.members] == ["AGT-0001", "AGT-0010"]
        assert find(s, "agt-0010").name == "Ahmad Aminah"
        assert find(s, BUDI).number == "AGT-0002"
        assert find(s, OLD) is None and find(s, OLD, include_inactive=True).number == "AGT-0003"
    with db.transaction() as s:   # a nonaktif member sharing an active one's phone: the active
        s.add(Member(number="AGT-0020", name="Lama", phone=BUDI, active=False, joined_on=DAY))
    with db.reading() as s:
        assert find(s, BUDI, include_inactive=True).number == "AGT-0002"
        assert find(s, "AGT-0020", include_inactive=True).name == "Lama"


def test_the_till_takes_the_active_sharer_and_refuses_nonaktif_ones_only(db, client, village):
    """Wati (nonaktif) shares Siti's phone: the till takes Siti; Wati's old phone is shared with
    another nonaktif member only: the till says both are nonaktif and attaches neither."""
    with db.transaction() as s:
        s.add_all([Member(number="AGT-0004", name="Wati", phone=SITI, active=False, joined_on=DAY),
                   Member(number="AGT-0005", name="Lama", phone=OLD, active=False, joined_on=DAY)])
    told = ("Nomor HP 081299990003 dipakai 2 anggota nonaktif: AGT-0003 Wati, AGT-0005 Lama. "
            "Anggota nonaktif belanja dengan harga bukan anggota dan tidak dapat kasbon: lanjutkan "
            "penjualan tanpa anggota.")
    with db.reading() as s:
        assert for_sale(s, "0812-5555-0001").number == "AGT-0001"
        with pytest.raises(SharedInactive) as refused:
            for_sale(s, "+62 812 9999 0003")
        assert refused.value.message == told
        with pytest.raises(SharedPhone):   # the savings counter lists them (kasbon repaid)
            find(s, OLD, include_inactive=True)
    login(client, village["cashier"], village["till"])
    answer = client.post("/kasir/anggota", data={"member": OLD}, headers=HX)
    assert answer.status_code == 422 and told in " ".join(answer.get_data(as_text=True).split())
    with db.reading() as s:
        assert s.scalar(select(Cart.member_id)) is None
    taken = client.post("/kasir/anggota", data={"member": SITI}, headers=HX)
    assert taken.status_code == 200 and "Siti Aminah" in taken.get_data(as_text=True)
    counter = client.get(f"/kasir/simpanan/cari?q={OLD}", headers=HX).get_data(as_text=True)
    assert "AGT-0003" in counter and "AGT-0005" in counter
