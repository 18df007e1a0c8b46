"""The counter page, the statement, the limit form and the ageing list over HTTP."""
from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.hardware import Hardware
from pos.hardware.fakes import FailingPrinter
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.models import CreditEntry, DocTender, MemberDocument
from pos.sales.models import DrawerEvent
from tests.factories import login, sealed
from tests.members.accounts.conftest import make_sale

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _shift_of_today(shop_today):
    """These take money on the real day: the shop's shift is today's."""


@pytest.fixture
def cashier(client, shop):
    login(client, shop["cashier"], shop["till"])
    return client


@pytest.fixture
def manager(app, shop):
    other = app.test_client()
    login(other, shop["manager"], shop["till"])
    return other


def _count(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(MemberDocument))


def test_cashier_finds_a_member_and_pays_wajib_in_cash_and_the_receipt_prints(cashier, shop, db, printer):
    page = cashier.get("/kasir/simpanan")
    assert page.status_code == 200 and b'id="account-find"' in page.data
    panel = cashier.get("/kasir/simpanan/cari", query_string={"q": "0812-3456-7890"}, headers=HX)
    assert panel.status_code == 200 and b"Daeng Baso" in panel.data and b"belum dibayar" in panel.data
    key = str(uuid.uuid4())
    form = {"member_id": shop["member"], "idempotency_key": key, "wajib": ["2026-01", "2026-02"],
            "cara": "cash", "diterima": "50.000"}
    done = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
    assert done.status_code == 200, done.data
    body = done.get_data(as_text=True)
    assert "TST01-S-000001" in body and "Rp30.000" in body and "Bukti tercetak" in body
    assert "Simpanan wajib Januari 2026" in body
    assert "BUKTI SETORAN ANGGOTA" in printer.receipts[-1].text
    with db.reading() as s:   # the cash drawer opened for the money, and that is logged
        drawer = s.scalars(select(DrawerEvent)).one()
    assert (drawer.opened, drawer.reason, drawer.sale_id) == (True, "Setoran anggota TST01-S-000001", None)
    again = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)     # a double click
    assert again.status_code == 200 and "TST01-S-000001" in again.get_data(as_text=True)
    assert _count(db) == 1 and len(printer.receipts) == 1


def test_a_deposit_form_sent_again_from_another_till_is_refused(app, cashier, shop, db, printer):
    """kasir2 at KASIR-2 sending KASIR-1's form (its key) again was answered "Tersimpan" with
    KASIR-1's receipt, though nothing was recorded at KASIR-2 for the money taken there."""
    from tests.factories import make_till, make_user

    form = {"member_id": shop["member"], "sukarela": "1000", "cara": "cash",
            "idempotency_key": str(uuid.uuid4())}
    assert cashier.post("/kasir/simpanan/bayar", data=form, headers=HX).status_code == 200
    with db.transaction() as s:
        till2, kasir2 = make_till(s, "KASIR-2").id, make_user(s, "kasir2", "cashier", "3333").id
    for user, till in ((kasir2, till2), (kasir2, shop["till"]), (shop["cashier"], till2)):
        other = app.test_client()
        login(other, user, till, shift=till == till2 and user == kasir2)
        answer = other.post("/kasir/simpanan/bayar", data=form, headers=HX)
        assert answer.status_code == 409, (user, till, answer.get_data(as_text=True))
        assert "sudah dipakai untuk bukti TST01-S-000001 di kasir lain" in answer.get_data(as_text=True)
        assert "Tersimpan" not in answer.get_data(as_text=True)
    assert _count(db) == 1 and len(printer.receipts) == 1


def test_bad_payment_input_is_refused_and_changes_nothing(cashier, shop, db):
    for form in ({"wajib": ["2026-13"]}, {"sukarela": "lima"}, {"sukarela": "1000", "cara": "emas"},
                 {"sukarela": "1000", "diterima": "500"}, {}):
        form.update(member_id=shop["member"], idempotency_key=str(uuid.uuid4()))
        answer = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
        assert answer.status_code in (404, 422), form
    assert _count(db) == 0


def test_qris_is_taken_only_where_the_gerai_has_its_qris(cashier, shop, db):
    """With no static QRIS there was no QR to pay to, yet a QRIS deposit was saved; the choice
    is now off with the reason, and a form sent with it anyway saves nothing."""
    from pos.settings import service as settings
    from tests.payments.vectors import SAMPLE1

    panel = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}").get_data(as_text=True)
    assert 'value="qris" disabled' in panel and "QRIS belum diatur" in panel
    form = {"member_id": shop["member"], "sukarela": "5000", "cara": "qris"}
    refused = cashier.post("/kasir/simpanan/bayar", headers=HX,
                           data={**form, "idempotency_key": str(uuid.uuid4())})
    assert refused.status_code == 422 and "QRIS belum diatur" in refused.get_data(as_text=True)
    assert _count(db) == 0
    with db.transaction() as s:
        settings.put_qris_static(s, SAMPLE1, None)
    panel = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}").get_data(as_text=True)
    assert 'value="qris" disabled' not in panel and 'value="qris"' in panel
    taken = cashier.post("/kasir/simpanan/bayar", headers=HX,
                         data={**form, "idempotency_key": str(uuid.uuid4())})
    assert taken.status_code == 200 and _count(db) == 1


def test_a_printer_failure_keeps_the_document_and_offers_a_reprint(app, cashier, shop, db, printer):
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("kertas habis"))
    done = cashier.post("/kasir/simpanan/bayar", headers=HX, data={
        "member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "sukarela": "5000",
        "cara": "transfer", "referensi": "BRI 123"})
    assert done.status_code == 200 and "Bukti belum tercetak: kertas habis" in done.get_data(as_text=True)
    assert _count(db) == 1
    app.extensions["pos_hardware"] = Hardware(printer=printer)
    with db.reading() as s:
        doc_id = s.scalar(select(MemberDocument.id))
    again = cashier.post(f"/kasir/simpanan/{doc_id}/cetak", headers=HX)
    assert again.status_code == 200 and "Salinan tercetak" in again.get_data(as_text=True)
    assert "SALINAN" in printer.receipts[-1].text


def test_cashier_reads_a_statement_at_the_counter_without_the_limit_form(cashier, shop):
    page = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu")
    assert page.status_code == 200 and b"Kartu piutang" in page.data and b'name="batas"' not in page.data
    assert cashier.get("/kasir/simpanan/anggota/999999/kartu", headers=HX).status_code == 404


def test_cashier_cannot_open_manager_pages_or_set_limits(cashier, shop, db):
    assert cashier.get("/kasbon/umur", headers=HX).status_code == 403
    assert cashier.get(f"/kasbon/anggota/{shop['member']}", headers=HX).status_code == 403
    refused = cashier.post(f"/kasbon/anggota/{shop['member']}/batas", data={"batas": "1"}, headers=HX)
    assert refused.status_code == 403
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (0, 0)


def test_manager_sets_a_limit_and_reads_the_statement_and_ageing(manager, shop, db):
    answer = manager.post(f"/kasbon/anggota/{shop['member']}/batas", headers=HX,
                          data={"batas": "200.000", "kembali": "ringkas"})
    assert answer.status_code == 200 and b"Batas kasbon disimpan" in answer.data
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        old = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                        total=70_000, member=shop["member"], member_sale=True)
        credit.charge(s, member_id=shop["member"], amount=70_000, sale_id=old.id, user_id=shop["cashier"],
                      business_date=today - timedelta(days=100), now=datetime(2026, 1, 1))
    page = manager.get(f"/kasbon/anggota/{shop['member']}").get_data(as_text=True)
    assert "Kartu piutang" in page and page.count("Rp70.000") >= 2 and old.receipt_no in page
    ageing = manager.get("/kasbon/umur").get_data(as_text=True)
    assert "Daeng Baso" in ageing and "&gt; 90 hari" in ageing and 'id="ageing-total">Rp70.000' in ageing
    rows = list(csv.reader(io.StringIO(manager.get("/kasbon/umur.csv").data.decode("utf-8-sig"))))
    assert rows[1][:4] == [shop["member_no"], "Daeng Baso", "200000", "70000"] and rows[1][-1] == "70000"
    assert rows[-1][0] == "TOTAL"
    # from the statement page's own form: back to the statement, which says it was saved
    back = manager.post(f"/kasbon/anggota/{shop['member']}/batas", data={"batas": "200.000"},
                        follow_redirects=True)
    assert back.request.path == f"/kasbon/anggota/{shop['member']}" and b"Batas kasbon disimpan" in back.data
    bad = manager.post(f"/kasbon/anggota/{shop['member']}/batas", data={"batas": "-5"}, headers=HX)
    assert bad.status_code == 422
    summary = manager.get(f"/kasbon/anggota/{shop['member']}/ringkas", headers=HX)
    assert b'value="200.000"' in summary.data
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CreditEntry).where(CreditEntry.amount == 0)) == 1


def test_member_lookup_by_name_lists_choices_and_finds_a_nonaktif_member_by_number(cashier, shop, db):
    from tests.members.accounts.conftest import make_member

    with db.transaction() as s:
        make_member(s, name="Ibu Anita")
        gone = make_member(s, name="Pak Lama", active=False)
    several = cashier.get("/kasir/simpanan/cari", query_string={"q": "ani"}, headers=HX)
    assert several.status_code == 200 and b"Ibu Ani" in several.data and b"Ibu Anita" in several.data
    assert b"account-choice" in several.data
    found = cashier.get("/kasir/simpanan/cari", query_string={"q": gone.number.lower()}, headers=HX)
    assert found.status_code == 200 and b"Pak Lama" in found.data and b"nonaktif" in found.data
    for nothing in ("%", "_", "zzz", ""):
        missing = cashier.get("/kasir/simpanan/cari", query_string={"q": nothing}, headers=HX)
        assert missing.status_code == 404 and "tidak ditemukan" in missing.get_data(as_text=True)


def test_without_a_till_the_outlet_printer_prints_and_no_drawer_opens(app, shop, db, printer):
    manager = app.test_client()
    login(manager, shop["manager"], None)
    done = manager.post("/kasir/simpanan/bayar", headers=HX, data={
        "member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "sukarela": "5000"})
    assert done.status_code == 200 and "Bukti tercetak" in done.get_data(as_text=True)
    assert printer.receipts[-1].open_drawer is False
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(DrawerEvent)) == 0
        assert s.scalar(select(MemberDocument.till_id)) is None
        day = s.scalar(select(MemberDocument.business_date))
    # cash in no drawer: the day's screens say where it is (the day's Simpanan Tunai and the
    # journal's Kas had differed from every drawer's count, unsaid)
    page = " ".join(manager.get(f"/laporan/harian?tanggal={day:%d-%m-%Y}").get_data(as_text=True).split())
    assert ('id="day-member-money-outside">Tunai anggota di luar laci kasir: Rp5.000 (diterima atau '
            'dibayar tanpa shift terbuka)') in page
    closing = " ".join(manager.get(f"/tutup-hari?tanggal={day:%d-%m-%Y}").get_data(as_text=True).split())
    assert 'id="closing-member-money-outside">Tunai anggota di luar laci kasir: Rp5.000' in closing


def _save_sukarela(client, shop, amount="300.000"):
    form = {"member_id": shop["member"], "sukarela": amount, "cara": "cash",
            "idempotency_key": str(uuid.uuid4())}
    client.post("/kasir/simpanan/bayar", headers=HX, data=form)


TARIK = "/kasir/simpanan/tarik"


def _withdrawal_form(shop, key, amount="120.000", **more):
    return {"member_id": shop["member"], "idempotency_key": key, "jumlah_tarik": amount, "cara_tarik": "cash",
            **more}


def test_a_withdrawal_at_the_counter_asks_a_manager_then_pays_out_prints_and_opens_the_drawer(
        cashier, shop, db, printer):
    _save_sukarela(cashier, shop)
    panel = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert 'id="account-withdraw"' in panel and "paling banyak Rp300.000" in panel
    key = str(uuid.uuid4())
    asked = cashier.post("/kasir/simpanan/tarik", headers={**HX, "HX-Target": "account-panel"},
                         data=_withdrawal_form(shop, key))
    body = asked.get_data(as_text=True)
    assert asked.headers["HX-Retarget"] == "#approval-dialog" and "Perlu persetujuan manajer" in body
    assert 'hx-swap="outerHTML"' in body and 'value="Diminta anggota"' in body and "sisa Rp180.000" in body
    assert _count(db) == 1
    refused = cashier.post(TARIK, headers=HX, data=sealed(cashier, TARIK, _withdrawal_form(
        shop, key, approval_user="manajer1", approval_pin="0000", approval_reason="x")))
    assert refused.status_code == 403 and _count(db) == 1
    done = cashier.post(TARIK, headers=HX, data=sealed(cashier, TARIK, _withdrawal_form(
        shop, key, approval_user="manajer1", approval_pin="2222", approval_reason="Diminta anggota")))
    text = done.get_data(as_text=True)
    assert done.status_code == 200, text
    assert "bukti penarikan" in text and "Bayarkan ke anggota" in text
    assert 'id="account-paid-out">Rp120.000' in text
    assert 'id="approval-dialog" hx-swap-oob' in text
    assert "BUKTI PENARIKAN SIMPANAN" in printer.receipts[-1].text and printer.receipts[-1].open_drawer
    with db.reading() as s:
        drawer = s.scalars(select(DrawerEvent).order_by(DrawerEvent.id.desc())).first()
    assert (drawer.opened, drawer.reason) == (True, "Penarikan simpanan TST01-S-000002")
    again = cashier.post(TARIK, headers=HX, data=sealed(cashier, TARIK, _withdrawal_form(
        shop, key, approval_user="manajer1", approval_pin="2222", approval_reason="Diminta anggota")))
    assert again.status_code == 200 and _count(db) == 2 and len(printer.receipts) == 2   # no second payout
    statement = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert 'id="saving-sukarela">Rp180.000' in statement
    assert "penarikan" in statement and "−Rp120.000" in statement


@pytest.mark.parametrize("form, message", [
    ({"jumlah_tarik": "-5.000"}, "Jumlah penarikan"),
    ({"jumlah_tarik": "abc"}, "Jumlah penarikan"),
    ({"cara_tarik": "emas"}, "Cara bayar tidak dikenal"),
    ({"jumlah_tarik": "999.000"}, "kurang dari penarikan Rp999.000"),
    ({"cara_tarik": "qris"}, "bukan QRIS"),
])
def test_a_bad_withdrawal_is_refused_in_indonesian_and_changes_nothing(manager, shop, db, form, message):
    _save_sukarela(manager, shop)
    answer = manager.post("/kasir/simpanan/tarik", headers=HX,
                          data={**_withdrawal_form(shop, str(uuid.uuid4()), "10.000"), **form})
    assert answer.status_code in (400, 409, 422) and message in answer.get_data(as_text=True)
    assert _count(db) == 1


def test_a_member_without_sukarela_gets_no_withdrawal_form(cashier, shop):
    panel = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert 'id="account-pay"' in panel and 'id="account-withdraw"' not in panel


def test_a_document_taken_by_mistake_is_cancelled_from_its_page_with_a_manager(cashier, shop, db, printer):
    _save_sukarela(cashier, shop, "50.000")
    with db.reading() as s:
        first = s.scalars(select(MemberDocument)).one().id
    page = cashier.get(f"/kasir/simpanan/{first}").get_data(as_text=True)
    assert 'id="account-cancel"' in page and "Batalkan bukti ini" in page
    form = {"idempotency_key": str(uuid.uuid4()), "alasan": "Salah anggota", "cara_tarik": "cash"}
    empty = cashier.post(f"/kasir/simpanan/{first}/batal", headers=HX, data={**form, "alasan": ""})
    assert empty.status_code == 422 and "Tulis alasan pembatalan" in empty.get_data(as_text=True)
    asked = cashier.post(f"/kasir/simpanan/{first}/batal", headers={**HX, "HX-Target": "account-panel"},
                         data=form)
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    assert 'value="Salah anggota"' in asked.get_data(as_text=True)
    cancel = f"/kasir/simpanan/{first}/batal"
    done = cashier.post(cancel, headers=HX, data=sealed(cashier, cancel, {
        **form, "approval_user": "manajer1", "approval_pin": "2222", "approval_reason": "Salah anggota"}))
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "bukti pembatalan" in text and "TST01-S-000002" in text
    assert "BUKTI PEMBATALAN SETORAN" in printer.receipts[-1].text and printer.receipts[-1].open_drawer
    assert _count(db) == 2
    page = cashier.get(f"/kasir/simpanan/{first}").get_data(as_text=True)
    assert 'id="doc-cancelled"' in page and "TST01-S-000002" in page and 'id="account-cancel"' not in page
    statement = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert "pembatalan" in statement and "dibatalkan" in statement and 'id="saving-sukarela">Rp0' in statement


def test_a_withdrawal_taken_by_mistake_is_cancelled_from_its_page_the_money_coming_back(
        manager, shop, db, printer):
    _save_sukarela(manager, shop)
    manager.post("/kasir/simpanan/tarik", headers=HX, data=_withdrawal_form(shop, str(uuid.uuid4())))
    with db.reading() as s:
        first = s.scalar(select(MemberDocument.id).where(MemberDocument.withdrawal.is_(True)))
    page = manager.get(f"/kasir/simpanan/{first}").get_data(as_text=True)
    assert 'id="account-cancel"' in page and "Anggota mengembalikan Rp120.000" in page
    assert "Tunai ke laci" in page and "Transfer dari rekening" in page
    done = manager.post(f"/kasir/simpanan/{first}/batal", headers=HX, data={
        "idempotency_key": str(uuid.uuid4()), "alasan": "Salah anggota", "cara_tarik": "cash"})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "bukti pembatalan" in text and "TST01-S-000003" in text
    assert "Terima dari anggota" in text and 'id="account-taken-back">Rp120.000' in text
    assert "BUKTI PEMBATALAN PENARIKAN" in printer.receipts[-1].text and printer.receipts[-1].open_drawer
    with db.reading() as s:
        assert s.scalars(select(DrawerEvent.reason)).all()[-1] == "Pembatalan penarikan TST01-S-000003"
    page = manager.get(f"/kasir/simpanan/{first}").get_data(as_text=True)
    assert 'id="doc-cancelled"' in page and 'id="account-cancel"' not in page
    statement = manager.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert 'id="saving-sukarela">Rp300.000' in statement


def test_the_day_report_and_the_closing_preview_show_members_money_in_and_out(manager, shop, db):
    _save_sukarela(manager, shop, "300.000")
    key = str(uuid.uuid4())
    manager.post("/kasir/simpanan/tarik", headers=HX, data=_withdrawal_form(shop, key, "70.000"))
    manager.post("/kasir/simpanan/tarik", headers=HX, data=_withdrawal_form(
        shop, str(uuid.uuid4()), "30.000", cara_tarik="transfer", referensi_tarik="BNI-77"))
    with db.reading() as s:
        day = s.scalars(select(MemberDocument.business_date)).first()
    for url in (f"/laporan/harian?tanggal={day:%d-%m-%Y}", f"/tutup-hari/{day.isoformat()}/tutup"):
        page = " ".join(manager.get(url).get_data(as_text=True).split())
        assert "member-money" in page and "Simpanan &amp; angsuran anggota" in page, url
        for shown in ("Rp300.000", "Rp70.000 (1)", "Rp30.000 (1)", "Rp230.000"):
            assert shown in page, (url, shown)
    statement = manager.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert "Transfer ke rekening BNI-77" in statement and "Transfer/Debit" not in statement


def test_a_member_who_left_is_paid_every_saving_back_from_the_panel(manager, shop, db, printer):
    _save_sukarela(manager, shop, "60.000")
    panel = manager.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert 'id="account-leaver"' not in panel                      # still a member
    from pos.members.models import Member
    with db.transaction() as s:
        s.get(Member, shop["member"]).active = False
    panel = manager.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert 'id="account-leaver"' in panel and "<b>Rp60.000</b>" in panel
    key = re.search(r'id="account-leaver".*?name="idempotency_key" value="([^"]+)"', panel, re.S).group(1)
    done = manager.post("/kasir/simpanan/keluar", headers=HX, data={
        "member_id": shop["member"], "idempotency_key": key, "cara_tarik": "cash"})
    assert done.status_code == 200 and "bukti penarikan" in done.get_data(as_text=True)
    assert "BUKTI PENARIKAN SIMPANAN" in printer.receipts[-1].text and _count(db) == 2
    after = manager.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert 'id="account-leaver"' not in after                      # nothing left to give back


def test_the_leaver_form_asks_for_the_kasbon_first(manager, shop, db):
    _save_sukarela(manager, shop, "60.000")
    from pos.members.models import Member
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 100_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=20_000)
        credit.charge(s, member_id=shop["member"], amount=20_000, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=sale.business_date, now=utcnow())
        s.get(Member, shop["member"]).active = False
    panel = manager.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    leaver = panel[panel.index('id="account-leaver"'):]
    assert 'id="leaver-owes"' in leaver and "Kembalikan &amp; cetak" not in leaver


def test_the_counter_takes_cash_in_the_outlets_coins(app, cashier, shop, db, printer):
    app.config["CASH_ROUNDING"] = 100        # POS_CASH_ROUNDING=100, as make run sets it
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 500_000, shop["manager"])
        credit.charge(s, member_id=shop["member"], amount=236_560, sale_id=make_sale(
            s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=236_560).id,
            user_id=shop["cashier"], business_date=business_date(utcnow(), "Asia/Makassar"), now=utcnow())
    panel = cashier.get("/kasir/simpanan/cari", query_string={"q": shop["member_no"]}, headers=HX)
    assert b'data-coin="100"' in panel.data and b'id="account-rounding"' in panel.data
    form = {"member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "angsuran": "236.560",
            "cara": "cash", "diterima": "300.000"}
    done = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
    assert done.status_code == 200, done.data
    change = re.search(r'id="account-change">([^<]+)<', done.get_data(as_text=True)).group(1)
    assert change == "Rp63.400"                                 # not Rp63.440: no Rp40 coin
    text = printer.receipts[-1].text
    assert re.search(r"Pembulatan\s+Rp40", text) and re.search(r"Kembali\s+Rp63\.400", text)
    with db.reading() as s:
        doc = s.scalars(select(MemberDocument)).one()
        assert (doc.total, doc.rounding, credit.available(s, shop["member"])[1]) == (236_560, 40, 0)


def test_sukarela_in_cash_is_taken_only_in_whole_coins(app, cashier, shop, db):
    """Rp50 of sukarela in cash was saved as "Rp50 (tunai Rp100, pembulatan Rp50)": the member
    handed over Rp100 and was credited Rp50. It is refused as Uang diterima is; a transfer not."""
    app.config["CASH_ROUNDING"] = 100
    form = {"member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "sukarela": "50",
            "cara": "cash"}
    refused = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
    assert refused.status_code == 422 and _count(db) == 0
    assert ("Simpanan sukarela Rp50 tidak bisa dibayar dengan uang tunai: pecahan terkecil di laci Rp100. "
            "Tulis Rp100.") in refused.get_data(as_text=True)
    form.update(idempotency_key=str(uuid.uuid4()), cara="transfer", referensi="BRI 50")
    assert cashier.post("/kasir/simpanan/bayar", data=form, headers=HX).status_code == 200
    with db.reading() as s:
        doc = s.scalars(select(MemberDocument)).one()
    assert (doc.total, doc.rounding, doc.tendered) == (50, 0, 50)


def test_cash_handed_over_with_a_transfer_is_refused_never_dropped(cashier, shop, db):
    """With Transfer chosen, a typed Uang diterima of 50.000 was ignored and Rp40.000 saved as a
    transfer; a form that sends one with QRIS or a transfer (stale or tampered) saves nothing."""
    panel = cashier.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    fields = dict(re.findall(r'<div id="account-(cash|reference)-field"([^>]*)>', panel))
    assert "hidden" not in fields["cash"] and "hidden" in fields["reference"]   # Tunai is checked first
    form = {"member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "sukarela": "40.000",
            "cara": "transfer", "referensi": "BRI 123", "diterima": "50.000"}
    refused = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
    assert refused.status_code == 422 and _count(db) == 0
    assert ("Uang diterima Rp50.000 hanya untuk Tunai, bukan Transfer/Debit: tidak ada yang disimpan. "
            "Pilih Tunai, atau kosongkan Uang diterima.") in refused.get_data(as_text=True)
    for cara in ("qris", "transfer"):
        form.update(cara=cara, idempotency_key=str(uuid.uuid4()))
        assert cashier.post("/kasir/simpanan/bayar", data=form, headers=HX).status_code == 422
    assert _count(db) == 0
    del form["diterima"]                      # as the page sends it: the hidden field is off
    assert cashier.post("/kasir/simpanan/bayar", data=form, headers=HX).status_code == 200
    assert _count(db) == 1


def test_the_cancel_form_says_the_cash_a_cancellation_pays(app, manager, shop, db):
    """A Rp12.345 transfer given back from the drawer pays Rp12.300: the form said Rp12.345."""
    app.config["CASH_ROUNDING"] = 100
    with db.transaction() as s:
        doc = documents.take(s, member_id=shop["member"], paid=documents.Payment(sukarela=12_345),
                             tender=documents.Tendered(DocTender.TRANSFER, reference="BRI 9"),
                             idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=shop["till"],
                             cashier_id=shop["cashier"], rates=savings.Rates(100_000, 10_000),
                             business_date=business_date(utcnow(), "Asia/Makassar"), now=utcnow()).document
    page = " ".join(manager.get(f"/kasir/simpanan/{doc.id}").get_data(as_text=True).split())
    assert "Uang Rp12.345 (tunai Rp12.300) dikembalikan ke anggota hari ini" in page


def test_a_member_who_left_saves_no_more_but_still_pays_off_the_kasbon(cashier, shop, db):
    """A nonaktif member's wajib and sukarela were taken at the counter after they left (and
    after their savings were given back); only the kasbon is taken now."""
    from pos.members.models import Member
    with db.transaction() as s:
        s.get(Member, shop["member"]).active = False
    url = f"/kasir/simpanan/anggota/{shop['member']}"
    panel = cashier.get(url, headers=HX).get_data(as_text=True)
    assert 'id="account-pay"' not in panel and 'name="wajib"' not in panel
    assert "Anggota nonaktif tanpa kasbon: tidak ada yang dibayar di sini." in panel
    for paid in ({"wajib": ["2026-01"]}, {"sukarela": "10.000"}, {"pokok": "1"}):   # a form kept open
        form = {"member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "cara": "cash", **paid}
        answer = cashier.post("/kasir/simpanan/bayar", data=form, headers=HX)
        assert answer.status_code == 422, paid
        assert "Daeng Baso sudah nonaktif: simpanan tidak diterima lagi, angsuran kasbon tetap " \
               "diterima." in answer.get_data(as_text=True)
    assert _count(db) == 0
    with db.transaction() as s:                 # a kasbon from before they left
        s.get(Member, shop["member"]).active = True
        credit.set_limit(s, shop["member"], 100_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=20_000)
        credit.charge(s, member_id=shop["member"], amount=20_000, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=sale.business_date, now=utcnow())
        s.get(Member, shop["member"]).active = False
    panel = cashier.get(url, headers=HX).get_data(as_text=True)
    assert 'id="account-pay"' in panel and 'id="angsuran"' in panel and 'id="sukarela"' not in panel
    assert "Anggota nonaktif: simpanan tidak diterima lagi, angsuran kasbon tetap diterima." in panel
    form = {"member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "angsuran": "20.000",
            "cara": "cash"}
    assert cashier.post("/kasir/simpanan/bayar", data=form, headers=HX).status_code == 200
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 0 and _count(db) == 1


def test_a_till_on_dummy_says_the_receipt_was_not_printed(app, cashier, shop, db):
    """dummy:// (no printer set yet) keeps the receipt in memory: "Bukti tercetak." was untrue."""
    from pos.hardware import build_printer
    NO_PRINTER = "Bukti tidak dicetak: printer belum diatur (Perangkat)."

    dummy = build_printer("dummy://", 32)
    app.extensions["pos_hardware"] = Hardware(printer=dummy)
    done = cashier.post("/kasir/simpanan/bayar", headers=HX, data={
        "member_id": shop["member"], "idempotency_key": str(uuid.uuid4()), "sukarela": "5000",
        "cara": "cash", "diterima": "5000"})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and NO_PRINTER in body and "tercetak" not in body
    assert "BUKTI SETORAN ANGGOTA" in dummy.receipts[-1].text          # recorded all the same
    with db.reading() as s:
        doc_id = s.scalar(select(MemberDocument.id))
    warning = re.compile(r'class="msg msg-warn"[^>]*>' + re.escape(NO_PRINTER))   # as on other screens
    assert warning.search(body)
    for answer in (cashier.post(f"/kasir/simpanan/{doc_id}/cetak", headers=HX),
                   cashier.get(f"/kasir/simpanan/{doc_id}")):
        assert NO_PRINTER in answer.get_data(as_text=True) and "tercetak" not in answer.get_data(as_text=True)
        assert warning.search(answer.get_data(as_text=True))
