"""The day report: SQL aggregates by business date in the outlet's zone."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from pos.clock import business_date, utcnow
from pos.inventory.catalog.lookup import lookup_barcode
from pos.reports.day import day_summary
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import login, make_product, make_till, make_user, open_shift, shift_of_day


def sell(db, till_id, user_id, code, tendered, now):
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code))
    with db.transaction() as s:   # in the shift of the sale's own business day
        shift_of_day(s, till_id, user_id, business_date(now, "Asia/Makassar"))
        return checkout.checkout(
            s, till_id=till_id, cashier_id=user_id, idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TaxSettings(), now=now).sale


def test_day_totals_follow_the_outlet_business_date(db):
    with db.transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        make_product(s, price=11_100, barcodes_=["8998866200301"])
        make_product(s, price=20_000, business_unit="pupuk", tax_class="tidak_dipungut",
                     barcodes_=["8991002101012"])
    # 15:30 UTC on the 21st is 23:30 WITA on the 21st; 16:30 UTC is already the 22nd in WITA.
    sell(db, till, user, "8998866200301", 20_000, datetime(2026, 11, 21, 15, 30))
    sell(db, till, user, "8991002101012", 20_000, datetime(2026, 11, 21, 16, 30))
    with db.reading() as s:
        first, second = day_summary(s, date(2026, 11, 21)), day_summary(s, date(2026, 11, 22))
        empty = day_summary(s, date(2026, 11, 23))
    assert (first["sale_count"], first["gross"], first["tax"]) == (1, 11_100, 1_100)
    # make_product's cost is 8.000: margin = 11.100 - 1.100 PPN - 8.000
    assert first["business_units"] == {"sembako": {"lines": 1, "amount": 11_100, "tax": 1_100,
                                                   "cost": 8_000, "margin": 2_000}}
    assert (first["cost"], first["margin"]) == (8_000, 2_000)
    assert second["payments"] == {"cash": {"count": 1, "amount": 20_000}}
    assert second["business_units"]["pupuk"]["tax"] == 0
    assert empty["sale_count"] == 0 and empty["total"] == 0 and empty["payments"] == {}


def test_the_days_gross_margin_is_its_units_and_leaves_the_cash_rounding_out(db):
    """The card said Rp66.195 and the unit table Rp66.155 for one unit: the card counted the
    Rp40 the cash was rounded up by."""
    with db.transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        make_product(s, price=12_460, tax_class="bebas", barcodes_=["8998866200301"])
    with db.transaction() as s:
        cart.add(s, till, lookup_barcode(s, "8998866200301"))
    with db.transaction() as s:
        open_shift(s, till, user, day=date(2026, 11, 21))
        sale = checkout.checkout(
            s, till_id=till, cashier_id=user, idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, 12_500)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TaxSettings(), now=datetime(2026, 11, 21, 3, 0),
            cash_rounding=100).sale
    assert (sale.total, sale.rounding) == (12_500, 40)
    with db.reading() as s:
        day = day_summary(s, date(2026, 11, 21))
    assert day["rounding"] == 40
    assert day["margin"] == 12_460 - 8_000 == sum(u["margin"] for u in day["business_units"].values())


def test_the_unit_table_adds_up_to_the_days_total_with_the_cash_rounding(db, client):
    """Tutup hari showed "Per unit usaha Sembako Rp12.460" beside "Total penjualan Rp12.500"
    with nothing saying the Rp40 was the cash rounding: the unit tables (the day report, the
    Tutup hari preview) and the summary's file now end with it and a row of the day's total."""
    import re

    from pos.closing.export import lines
    from pos.reports.day_full import full_summary

    day = date(2026, 11, 21)
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        till, user = make_till(s).id, make_user(s).id
        make_product(s, price=12_460, tax_class="bebas", barcodes_=["8998866200301"])
        cart.add(s, till, lookup_barcode(s, "8998866200301"))
    with db.transaction() as s:
        open_shift(s, till, user, day=day)
        checkout.checkout(
            s, till_id=till, cashier_id=user, idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, 12_500)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TaxSettings(), now=datetime(2026, 11, 21, 3, 0),
            cash_rounding=100)
    login(client, manager, till)

    def row(page: str, row_id: str) -> list[str]:
        found = re.search(rf'<tr[^>]*id="{row_id}"[^>]*>(.*?)</tr>', page, re.S)
        assert found, row_id
        return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", found[1])]

    report = client.get("/laporan/harian?tanggal=21-11-2026").get_data(as_text=True)
    assert row(report, "day-units-rounding")[:3] == ["Pembulatan tunai", "", "Rp40"]
    assert row(report, "day-units-total") == ["Total penjualan", "1", "Rp12.500", "Rp0",   # PPN: bebas
                                              "Rp8.000", "Rp4.460"]
    preview = client.get("/tutup-hari/2026-11-21").get_data(as_text=True)
    assert row(preview, "closing-units-rounding") == ["Pembulatan tunai", "", "Rp40"]
    assert row(preview, "closing-units-total") == ["Total penjualan", "1", "Rp12.500"]
    with db.reading() as s:
        rows = lines(full_summary(s, day, zone="Asia/Makassar"))
    units = [(r["item"], r["amount"]) for r in rows if r["section"] == "Per unit usaha"]
    assert units == [("Sembako", 12_460), ("Pembulatan tunai", 40), ("Total penjualan", 12_500)]


def test_a_sale_paid_by_two_transfers_is_one_transaksi_under_transfer(db):
    """The day report's Cara bayar table counts sales (Transaksi), not payment rows."""
    with db.transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        make_product(s, price=20_000, barcodes_=["8998866200301"])
        cart.add(s, till, lookup_barcode(s, "8998866200301"))
    with db.transaction() as s:
        open_shift(s, till, user, day=date(2026, 11, 21))
        checkout.checkout(
            s, till_id=till, cashier_id=user, idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.TRANSFER, 12_000, reference="BRI 1"),
                     checkout.Tender(PaymentMethod.TRANSFER, 8_000, reference="BNI 2")],
            outlet_code="TST01", timezone="Asia/Makassar", tax=TaxSettings(),
            now=datetime(2026, 11, 21, 3, 0))
    with db.reading() as s:
        day = day_summary(s, date(2026, 11, 21))
    assert day["payments"] == {"transfer": {"count": 1, "amount": 20_000}}


def test_report_page_for_managers(db, client):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        till = make_till(s).id
        open_shift(s, till, make_user(s).id, day=date(2026, 11, 20))   # the outlet's first day
    login(client, manager, till)
    page = client.get("/laporan/harian?tanggal=2026-11-21")
    assert page.status_code == 200 and 'id="sale-count">0<' in page.get_data(as_text=True)
    typed = client.get("/laporan/harian?tanggal=21112026").get_data(as_text=True)  # day first
    assert 'Penjualan <span class="date">21-11-2026</span>' in typed
    assert 'value="21-11-2026"' in typed and "21 November 2026" in typed
    assert 'type="date"' not in typed and 'inputmode="numeric"' in typed
    refused = client.get("/laporan/harian?tanggal=31-11-2026")   # the form again, as typed
    body = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 422 and "November 2026 hanya 30 hari" in body
    assert 'value="31-11-2026"' in body and 'aria-invalid="true" aria-errormessage="day-problem"' in body
    assert 'id="sale-count"' not in body and 'id="day-problem"' in body
    assert client.get("/laporan/harian").status_code == 200
    later = business_date(utcnow(), "Asia/Makassar") + timedelta(days=3)   # no zeros for it
    ahead = client.get(f"/laporan/harian?tanggal={later:%d-%m-%Y}")
    body = " ".join(ahead.get_data(as_text=True).split())
    today = business_date(utcnow(), "Asia/Makassar")
    assert ahead.status_code == 422 and (f"Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}): "
                                         "belum ada ringkasan.") in body
    assert 'id="sale-count"' not in body


def test_a_day_before_the_first_activity_has_no_report(db, client):
    """01-01-2020 drew a day of zeros, as if the outlet had sold nothing that day; now it says
    when the outlet's books begin, as the day close does. Today of an outlet that has done
    nothing yet is still its (empty) report."""
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        till = make_till(s).id
    login(client, manager, till, shift=False)
    today = business_date(utcnow(), "Asia/Makassar")
    assert client.get(f"/laporan/harian?tanggal={today:%d-%m-%Y}").status_code == 200
    empty = " ".join(client.get("/laporan/harian?tanggal=01-01-2020").get_data(as_text=True).split())
    assert ("Hari 01-01-2020 tidak punya ringkasan: belum ada kegiatan apa pun. Periksa tanggalnya."
            in empty and 'id="sale-count"' not in empty)
    with db.transaction() as s:
        open_shift(s, till, make_user(s).id, day=date(2026, 11, 20))
    early = client.get("/laporan/harian?tanggal=19-11-2026")
    body = " ".join(early.get_data(as_text=True).split())
    assert early.status_code == 422 and ("Hari 19-11-2026 tidak punya ringkasan: kegiatan pertama "
                                         "gerai pada 20-11-2026. Periksa tanggalnya.") in body
    assert 'id="sale-count"' not in body and 'value="19-11-2026"' in body
    assert client.get("/laporan/harian?tanggal=20-11-2026").status_code == 200
