"""Koreksi kasbon on the kartu piutang: the manager's form says which accounts the journal moves,
a bad one changes nothing, a closed day takes none; Umur kasbon and Buku besar set the members'
kasbon beside the books."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.closing import export
from pos.members.accounts import credit
from pos.members.accounts.models import CreditEntry
from pos.reports.day_full import full_summary
from tests.factories import login
from tests.members.accounts.conftest import make_sale
from tests.members.accounts.test_opening_kasbon import today

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _shift_of_today(shop_today):
    """The correction is booked on the real day."""


@pytest.fixture
def manager(app, shop):
    client = app.test_client()
    login(client, shop["manager"], shop["till"])
    return client


def _owing(db, shop, amount=50_000):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 500_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                         total=amount, member=shop["member"], member_sale=True)
        credit.charge(s, member_id=shop["member"], amount=amount, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=today(), now=utcnow())


def _entries(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CreditEntry))


def _seen(db, shop, form: dict | None = None, **fields) -> dict:
    """The form as the kartu piutang draws it: with the kasbon the manager sees (``saldo``)."""
    with db.reading() as s:
        return {**(form or {}), **fields, "saldo": str(credit.available(s, shop["member"])[1])}


def _url(shop) -> str:
    return f"/kasbon/anggota/{shop['member']}/koreksi"


def test_the_manager_writes_kasbon_off_and_is_told_the_accounts(manager, shop, db):
    _owing(db, shop)
    page = manager.get(f"/kasbon/anggota/{shop['member']}").get_data(as_text=True)
    assert 'id="kasbon-correction"' in page
    assert ("debit 690300 Selisih dan penghapusan piutang anggota, kredit 113100 Piutang anggota (kasbon)"
            in page)
    form = _seen(db, shop, arah="kurangi", jumlah="20.000", alasan="tidak tertagih")
    done = manager.post(_url(shop), data=form, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.request.path == f"/kasbon/anggota/{shop['member']}"
    assert "Koreksi kasbon disimpan; kasbon sekarang Rp30.000" in text
    assert ("penghapusan piutang: debit 690300 Selisih dan penghapusan piutang anggota, kredit 113100 "
            "Piutang anggota (kasbon) Rp20.000") in text
    assert 'id="statement-balance">Rp30.000' in text
    # the row says it is a correction and which way, not a bare reason beside the Bayar column
    assert "Koreksi kasbon (hapus piutang): tidak tertagih" in text.split("Kartu piutang")[1]
    manager.post(_url(shop), data=_seen(db, shop, arah="tambah", jumlah="5000", alasan="kasbon lupa dicatat"))
    again = manager.get(f"/kasbon/anggota/{shop['member']}").get_data(as_text=True)
    assert "Koreksi kasbon (tambah): kasbon lupa dicatat" in again
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 35_000
        summary = full_summary(s, today(), zone="Asia/Makassar")["kasbon_corrections"]
    assert (summary["count"], summary["added"], summary["written_off"]) == (2, 5_000, 20_000)


def test_the_cooperatives_own_account_is_named(app, manager, shop, db):
    _owing(db, shop)
    app.config["LEDGER_ACCOUNTS"] = {"receivable_loss": ["113900", "Cadangan kerugian piutang"]}
    page = manager.get(f"/kasbon/anggota/{shop['member']}").get_data(as_text=True)
    assert "debit 113900 Cadangan kerugian piutang, kredit 113100" in page
    done = manager.post(_url(shop), data=_seen(db, shop, arah="kurangi", jumlah="1.000", alasan="hapus"),
                        follow_redirects=True)
    assert "debit 113900 Cadangan kerugian piutang" in done.get_data(as_text=True)


@pytest.mark.parametrize(("form", "message"), [
    ({"arah": "kurangi", "jumlah": "1.000", "alasan": ""}, "Tulis alasan koreksi kasbon."),
    ({"arah": "kurangi", "jumlah": "0", "alasan": "x"}, "Jumlah koreksi kasbon harus lebih dari Rp0."),
    ({"arah": "kurangi", "jumlah": "abc", "alasan": "x"}, "Jumlah koreksi"),
    ({"arah": "naik", "jumlah": "1.000", "alasan": "x"}, "pilih arahnya"),
    ({"arah": "kurangi", "jumlah": "60.000", "alasan": "x"}, "Koreksi membuat kasbon di bawah nol"),
    ({"arah": "kurangi", "jumlah": "1.000", "alasan": "x" * 201}, "Alasan koreksi terlalu panjang"),
])
def test_a_bad_correction_is_refused_in_indonesian_and_changes_nothing(manager, shop, db, form, message):
    _owing(db, shop)
    before = _entries(db)
    refused = manager.post(_url(shop), data=_seen(db, shop, form), headers=HX)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert _entries(db) == before


def test_a_cashier_may_not_correct_nor_sees_the_form(app, client, shop, db):
    _owing(db, shop)
    login(client, shop["cashier"], shop["till"])
    assert client.post(_url(shop), data=_seen(db, shop, arah="kurangi", jumlah="1", alasan="x"),
                       headers=HX).status_code == 403
    page = client.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert 'id="kasbon-correction"' not in page


def test_the_day_report_tutup_hari_and_its_export_list_the_days_corrections(manager, shop, db):
    _owing(db, shop)
    manager.post(_url(shop), data=_seen(db, shop, arah="kurangi", jumlah="4.000", alasan="anggota meninggal"))
    for page in (f"/laporan/harian?tanggal={today():%d-%m-%Y}", f"/tutup-hari?tanggal={today():%d-%m-%Y}"):
        text = manager.get(page).get_data(as_text=True)
        assert "-kasbon-corrections" in text and "dihapus Rp4.000" in text, page
        assert "690300 Selisih dan penghapusan piutang anggota" in text and "anggota meninggal" in text, page
    with db.reading() as s:
        summary = full_summary(s, today(), zone="Asia/Makassar")
    rows = [(r["section"], r["item"], r["amount"]) for r in export.lines(summary)
            if r["section"] == "Koreksi kasbon"]
    assert rows == [
        ("Koreksi kasbon", "Kasbon dihapus (penghapusan piutang, 690300 Selisih dan penghapusan piutang "
                           "anggota)", -4_000),
        ("Koreksi kasbon", "Kasbon ditambahkan (lawan 690300 Selisih dan penghapusan piutang anggota)", 0)]
def test_ageing_and_the_ledger_page_set_the_kasbon_beside_the_books(manager, shop, db):
    _owing(db, shop)
    manager.post(_url(shop), data=_seen(db, shop, arah="kurangi", jumlah="2.000", alasan="hapus"))
    ageing = manager.get("/kasbon/umur").get_data(as_text=True)
    assert 'hx-get="/buku-besar/kasbon"' in ageing
    panel = manager.get("/buku-besar/kasbon", headers=HX).get_data(as_text=True)
    assert 'id="kasbon-books-owed">Rp48.000' in panel and 'id="kasbon-books-total">Rp48.000' in panel
    assert "Kasbon anggota sama dengan buku (akun 113100)" in panel
    assert "<html" not in panel
    assert 'id="kasbon-books-owed">Rp48.000' in manager.get("/buku-besar").get_data(as_text=True)


def test_the_same_form_sent_twice_writes_the_kasbon_off_once(manager, shop, db):
    """A double click sends the form twice: the second finds the kasbon changed since the page
    was drawn and is refused, saying what it is now; a form without the kasbon it saw is refused."""
    _owing(db, shop)
    form = _seen(db, shop, arah="kurangi", jumlah="20.000", alasan="tidak tertagih")
    assert manager.post(_url(shop), data=form).status_code in (302, 303)
    again = manager.post(_url(shop), data=form, headers=HX)
    assert again.status_code == 422
    assert "Kasbon anggota ini berubah sejak halaman dibuka (kini Rp30.000, tadi Rp50.000)" in \
        again.get_data(as_text=True)
    unseen = manager.post(_url(shop), data={k: v for k, v in form.items() if k != "saldo"}, headers=HX)
    assert unseen.status_code == 422
    assert "Kasbon saat halaman dibuka wajib diisi" in unseen.get_data(as_text=True)
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 30_000
