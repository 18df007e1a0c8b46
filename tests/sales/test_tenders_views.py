"""The payment panel over HTTP: mixed tenders posted in one request, the QR for an amount, the
QRIS bill on the till's printer, what the panel offers; the receipt's payment lines; the day
report's rounding.  Tampered or malformed tender forms change nothing."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from pos.hardware import Hardware, build_printer
from pos.hardware.fakes import FailingPrinter
from pos.members.accounts import credit
from pos.members.models import Member
from pos.payments import qris
from pos.reports.day import day_summary
from pos.sales import receipt
from pos.sales.checkout import SaleRecord
from pos.sales.models import CartLine, Payment, PaymentMethod, Sale
from tests.factories import login, make_product, make_till, make_user
from tests.payments.vectors import SAMPLE1

HX = {"HX-Request": "true"}


@pytest.fixture
def app(app_factory):
    return app_factory(QRIS_STATIC=SAMPLE1, CASH_ROUNDING=100)


@pytest.fixture
def till(db, client):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        boss = make_user(s, "manajer", role="manager", pin="9999")
        make_product(s, name="Indomie Goreng", price=3_549, barcodes_=["8998866200301"])
        member = Member(number="AGT-0007", name="Wayan Sari", card_barcode="2900000000075")
        s.add(member)
        s.flush()
        credit.set_limit(s, member.id, 30_000, boss.id)
    login(client, user.id, till.id)
    return dict(till=till.id, user=user.id, member=member.id, boss=boss.id)


def scan(client, code="8998866200301"):
    assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200


def pay(client, **fields):
    data = {"idempotency_key": str(uuid.uuid4()), **fields}
    return client.post("/kasir/bayar", data=data, headers=HX)


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_qris_confirmed_and_cash_in_one_request(client, db, till):
    scan(client)
    scan(client)                                                        # 7.098
    response = pay(client, tendered="5.000", tender_method="qris", tender_amount="3000",
                   tender_reference="", tender_confirmed="1")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "TST01-0000001" in body
    assert "(pembulatan +Rp2)" in body            # signed as the payment panel said it
    # each tender: "Diterima Rp8.000" added the QRIS to the cash handed over
    assert "· QRIS Rp3.000 · Tunai diterima Rp5.000" in " ".join(body.split())
    with db.reading() as s:
        sale = s.execute(select(Sale)).scalar_one()
        payments = s.execute(select(Payment).order_by(Payment.id)).scalars().all()
    # the cash part 4.098 rounds to 4.100: +2 recorded, the QRIS part is not rounded
    assert (sale.total, sale.rounding, sale.change) == (7_100, 2, 900)
    assert [(p.method, p.amount, p.confirmed_by) for p in payments] == [
        (PaymentMethod.QRIS, 3_000, till["user"]), (PaymentMethod.CASH, 4_100, None)]
    text = client.get(f"/kasir/struk/{sale.id}/teks", headers=HX).get_data(as_text=True)
    for expected in ("Pembulatan", "QRIS", "dikonfirmasi kasir", "Tunai", "Rp5.000", "Kembali",
                     "Rp900"):
        assert expected in text


def test_kasbon_needs_the_member_and_shows_the_new_balance(client, db, till):
    scan(client)
    refused = pay(client, tender_method="member_credit", tender_amount="3549",
                  tender_reference="", tender_confirmed="")
    assert refused.status_code == 422 and "pasang anggota" in refused.get_data(as_text=True)
    assert client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX).status_code == 200
    offered = client.get("/kasir/bayar/pilihan", headers=HX).get_data(as_text=True)
    assert "Sisa batas kasbon" in offered and "Rp30.000" in offered
    paid = pay(client, tender_method="member_credit", tender_amount="3549", tender_reference="",
               tender_confirmed="").get_data(as_text=True)
    strip = " ".join(paid.split())
    assert "· Kasbon anggota Rp3.549" in strip and "Diterima" not in strip   # no cash came
    with db.reading() as s:
        assert credit.available(s, till["member"]) == (30_000, 3_549)
        sale_id = s.scalar(select(Sale.id))
    text = client.get(f"/kasir/struk/{sale_id}/teks", headers=HX).get_data(as_text=True)
    assert "Kasbon anggota" in text and "Saldo kasbon" in text and "Rp3.549" in text
    assert "Kembali" not in text                                         # no cash, no change


def test_a_qris_alone_is_not_said_as_cash_received(client, db, till):
    scan(client)
    paid = pay(client, tender_method="qris", tender_amount="3549", tender_reference="",
               tender_confirmed="1")
    strip = " ".join(paid.get_data(as_text=True).split())
    assert paid.status_code == 200 and "· Total Rp3.549 · QRIS Rp3.549 ·" in strip
    assert "Diterima" not in strip
    scan(client)                                   # cash alone: what was handed over, as before
    cash = " ".join(pay(client, tendered="5.000").get_data(as_text=True).split())
    assert "· Diterima Rp5.000 ·" in cash


def test_a_form_with_two_kasbon_tenders_makes_one_kasbon_payment(client, db, till):
    """A tampered form (or an old panel) with kasbon twice: one charge, one receipt line."""
    for _ in range(3):
        scan(client)                                                     # 10.647
    client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX)
    paid = pay(client, tender_method=["member_credit", "member_credit"], tender_amount=["6000", "4647"],
               tender_reference=["", ""], tender_confirmed=["", ""])
    assert paid.status_code == 200, paid.get_data(as_text=True)
    with db.reading() as s:
        sale_id = s.scalar(select(Sale.id))
        assert s.execute(select(Payment.method, Payment.amount)).all() == [
            (PaymentMethod.MEMBER_CREDIT, 10_647)]
        assert credit.available(s, till["member"]) == (30_000, 10_647)
    text = client.get(f"/kasir/struk/{sale_id}/teks", headers=HX).get_data(as_text=True)
    assert text.count("Kasbon anggota") == 1 and text.count("Saldo kasbon") == 1


def test_a_nonaktif_members_panel_shows_no_kasbon_left_to_take(client, db, till):
    """The panel said "Sisa batas kasbon Rp30.000 (batas Rp30.000)" above "Anggota nonaktif
    tidak dapat kasbon.": a limit the member cannot use."""
    scan(client)
    assert client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX).status_code == 200
    with db.transaction() as s:
        s.get(Member, till["member"]).active = False
    offered = " ".join(client.get("/kasir/bayar/pilihan", headers=HX).get_data(as_text=True).split())
    assert "AGT-0007</b> Wayan Sari · nonaktif" in offered
    assert "Anggota nonaktif tidak dapat kasbon." in offered
    assert "Sisa batas kasbon" not in offered and "Rp30.000" not in offered
    assert 'data-credit-ready="0"' in offered and 'data-credit-available="0"' in offered


def test_over_the_limit_is_refused_with_the_reason(client, db, till):
    for _ in range(9):
        scan(client)                                                     # 31.941 > 30.000
    client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX)
    response = pay(client, tender_method="member_credit", tender_amount="31941",
                   tender_reference="", tender_confirmed="")
    assert response.status_code == 422
    assert "Kasbon melebihi batas" in response.get_data(as_text=True)
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and count(db, CartLine) == 1


def test_a_kasbon_refused_at_selesai_redraws_the_panels_kasbon_figures(client, db, till):
    """The limit lowered while the panel was open: the refusal was right, but the panel went on
    showing the old limit and what was left under it, and F4 offered the old amount again."""
    for _ in range(3):
        scan(client)                                                     # 10.647
    client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX)
    assert 'data-credit-available="30000"' in client.get("/kasir/bayar/pilihan", headers=HX).get_data(
        as_text=True)
    with db.transaction() as s:
        credit.set_limit(s, till["member"], 8_000, till["boss"])
    response = pay(client, tendered="700", tender_method="member_credit", tender_amount="10000",
                   tender_reference="", tender_confirmed="")
    body = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 422 and response.headers["HX-Retarget"] == "#messages"
    assert "Kasbon melebihi batas: sisa batas Rp8.000 (batas Rp8.000, kasbon Rp0)." in body
    assert '<div id="pay-options" hx-swap-oob="innerHTML">' in body         # the panel's part, now
    assert 'data-credit-available="8000"' in body and "(batas Rp8.000)" in body
    assert "HX-Trigger" not in response.headers                             # the panel stays open
    assert count(db, Sale) == 0 and count(db, Payment) == 0


@pytest.mark.parametrize("fields, status", [
    (dict(tender_method="qris", tender_amount="3549"), 400),                          # short lists
    (dict(tender_method="qris", tender_amount="3549", tender_reference="",
          tender_confirmed=""), 422),                                                 # unconfirmed
    (dict(tender_method="cash", tender_amount="3549", tender_reference="",
          tender_confirmed=""), 400),
    (dict(tender_method="qris", tender_amount="-1", tender_reference="",
          tender_confirmed="1"), 400),
    (dict(tender_method="qris", tender_amount="1e9", tender_reference="",
          tender_confirmed="1"), 400),
    (dict(tender_method="qris", tender_amount="999999999999", tender_reference="",
          tender_confirmed="1"), 422),
    (dict(tender_method="qris", tender_amount="9000", tender_reference="",
          tender_confirmed="1"), 422),                                                # over the rest
    (dict(tender_method="transfer", tender_amount="3549", tender_reference="<>",
          tender_confirmed=""), 422),
    (dict(tendered="abc", tender_method="transfer", tender_amount="1000",
          tender_reference="REF-1", tender_confirmed=""), 422),
])
def test_malformed_tender_forms_change_nothing(client, db, till, fields, status):
    scan(client)
    response = pay(client, **fields)
    assert response.status_code == status, response.get_data(as_text=True)
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and count(db, CartLine) == 1


def test_the_qr_is_the_dynamic_payload_for_that_amount(client, till):
    body = client.get("/kasir/qris?jumlah=7098", headers=HX).get_data(as_text=True)
    assert "<svg" in body and 'data-amount="7098"' in body and "Rp7.098" in body
    assert qris.merchant_name(SAMPLE1) in body
    for bad in ("0", "-5", "abc", "99999999999"):
        assert client.get(f"/kasir/qris?jumlah={bad}", headers=HX).status_code == 422


def test_without_a_static_qris_the_panel_says_why(app_factory, tmp_path):
    app = app_factory()
    from pos.db import get_db

    with get_db(app).transaction() as s:
        till_id, user_id = make_till(s).id, make_user(s).id
    client = app.test_client()
    login(client, user_id, till_id)
    offered = client.get("/kasir/bayar/pilihan", headers=HX).get_data(as_text=True)
    assert 'data-qris-ready="0"' in offered and "QRIS belum diatur" in offered
    assert 'data-credit-ready="0"' in offered and "pasang anggota" in offered
    response = client.get("/kasir/qris?jumlah=5000", headers=HX)
    assert response.status_code == 422 and "QRIS belum diatur" in response.get_data(as_text=True)


def test_qris_bill_prints_the_payload_on_the_tills_printer(client, db, till, printer):
    response = client.post("/kasir/qris/tagihan", data={"jumlah": "7098"}, headers=HX)
    assert response.status_code == 200 and "Tagihan QRIS Rp7.098 dicetak" in response.get_data(as_text=True)
    bill = printer.receipts[-1]
    assert bill.qr_payload == qris.dynamic(SAMPLE1, 7_098) and not bill.open_drawer
    assert "TAGIHAN QRIS" in bill.text and "Rp7.098" in bill.text
    assert count(db, Sale) == 0


def test_a_failed_bill_print_is_shown_and_writes_nothing(client, db, till, app):
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("Kertas habis"))
    scan(client)
    response = client.post("/kasir/qris/tagihan", data={"jumlah": "3549"}, headers=HX)
    assert response.status_code == 503 and "Kertas habis" in response.get_data(as_text=True)
    assert count(db, Sale) == 0 and count(db, CartLine) == 1


def sale_record(**overrides) -> SaleRecord:
    values = dict(id=1, receipt_no="TST01-0000009", idempotency_key="k", till_id=1, cashier_id=1,
                  member_id=None, business_date=datetime(2026, 5, 4).date(),
                  created_at=datetime(2026, 5, 4, 2, 0), gross=28_049, discount=0, tax=0,
                  total=28_000, tendered=60_000, change=2_000, rounding=-49,
                  lines=[dict(name="Beras", qty=1, base_unit="pcs", unit_price=28_049,
                              amount=28_049, tax_class="bebas", tax_rate_bp=0, tax=0)],
                  payments=[
                      dict(method=PaymentMethod.QRIS, amount=10_000, tendered=10_000,
                           reference="CRC 4C6B"),
                      dict(method=PaymentMethod.TRANSFER, amount=5_000, tendered=5_000,
                           reference="BRI 0093 7781 5512 8890 1234 5678"),
                      dict(method=PaymentMethod.MEMBER_CREDIT, amount=3_000, tendered=3_000,
                           reference="saldo 153000"),
                      dict(method=PaymentMethod.CASH, amount=10_000, tendered=12_000,
                           reference=None)])
    values.update(overrides)
    return SaleRecord(**values)


def test_receipt_lists_each_tender_rounding_and_change():
    slip = receipt.build(sale_record(), receipt.OutletInfo("Gerai Uji"), "Siti", 32)
    at = slip.lines.index("Pembulatan                 -Rp49")     # lines + rounding = total
    assert slip.lines[at - 2:at + 13] == [
        "  1 x Rp28.049          Rp28.049",
        "-" * 32,
        "Pembulatan                 -Rp49",
        "TOTAL                   Rp28.000",
        "QRIS                    Rp10.000",
        "  dikonfirmasi kasir CRC 4C6B",
        "Transfer/Debit           Rp5.000",
        "  Ref: BRI 0093 7781 5512 8890",
        "  1234 5678",
        "Kasbon anggota           Rp3.000",
        "  Saldo kasbon         Rp153.000",
        "Tunai                   Rp12.000",
        "Kembali                  Rp2.000",
        "-" * 32,
        "Bebas PPN               Rp28.049"]
    assert "TOTAL" in slip.lines[min(slip.emphasis)]
    assert all(len(line) <= 32 for line in slip.lines)
    assert slip.open_drawer                                              # cash was taken
    qris_only = sale_record(rounding=0, total=28_049, tendered=28_049, change=0, payments=[
        dict(method=PaymentMethod.QRIS, amount=28_049, tendered=28_049, reference="CRC 1A2B")])
    slip = receipt.build(qris_only, receipt.OutletInfo("Gerai Uji"), "Siti", 32)
    assert "Kembali" not in slip.text and "Pembulatan" not in slip.text and not slip.open_drawer


def test_day_report_shows_rounding_and_every_method(client, db, till):
    scan(client)
    assert pay(client, tendered="3.500").status_code == 200          # 3.549 -> 3.500: -49
    scan(client)
    assert pay(client, tender_method="transfer", tender_amount="3549", tender_reference="BCA-77",
               tender_confirmed="").status_code == 200
    with db.reading() as s:
        day = s.scalar(select(Sale.business_date))
        report = day_summary(s, day)
    assert report["rounding"] == -49 and report["total"] == 3_500 + 3_549
    assert report["payments"] == {"cash": {"count": 1, "amount": 3_500},
                                  "transfer": {"count": 1, "amount": 3_549}}
    login(client, till["boss"], till["till"])
    page = client.get(f"/laporan/harian?tanggal={day:%d-%m-%Y}").get_data(as_text=True)
    assert "Transfer/Debit" in page and "Pembulatan tunai" in page and "-Rp49" in page


def test_a_qris_bill_on_dummy_says_it_was_not_printed(client, db, till, app):
    """"Tagihan QRIS Rp7.098 dicetak." on dummy://: the customer was handed nothing to scan."""
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    response = client.post("/kasir/qris/tagihan", data={"jumlah": "7098"}, headers=HX)
    said = response.get_data(as_text=True)
    assert response.status_code == 200 and "dicetak." not in said.replace("tidak dicetak", "")
    assert "Tagihan QRIS Rp7.098 tidak dicetak: printer belum diatur (Perangkat)." in said
