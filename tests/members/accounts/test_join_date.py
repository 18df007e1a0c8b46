"""A member's join date cannot move past what is already recorded for them: the months of wajib
paid before it would fall outside the membership (and the counter would count them again)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from pos.inventory.catalog import spreadsheets
from pos.members import register, transfer
from pos.members.accounts import credit, documents
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender, MemberDocument
from pos.members.models import Member
from tests.members.accounts.conftest import make_sale
from tests.members.accounts.test_withdrawals import DAY, NOW, RATES
from tests.members.register_helpers import refused


def joined(db, member, day):
    with db.transaction() as s:
        s.get(Member, member).joined_on = day


def pay(db, shop, paid):
    with db.transaction() as s:
        return documents.take(s, member_id=shop["member"], paid=paid, tender=Tendered(DocTender.TRANSFER,
                              reference="BRI 1"), idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                              till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES,
                              business_date=DAY, now=NOW).document


def move(db, member, text):
    return lambda s: register.update_member(s, member, {"joined_on": text}, DAY)


def test_a_join_date_after_the_wajib_months_paid_is_refused_naming_the_first(db, shop):
    joined(db, shop["member"], date(2026, 6, 15))
    pay(db, shop, Payment(pokok=True, wajib_months=(date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1))))
    for text in ("01-09-2026", "01-07-2026"):
        errors = refused(db, move(db, shop["member"], text))
        assert errors == {"joined_on": f"Tanggal masuk {text} sesudah catatan pertama anggota ini: simpanan "
                                       "wajib Juni 2026. Tanggal masuk paling lambat 30-06-2026."}
    with db.transaction() as s:                                       # the same month, or earlier: saved
        assert register.update_member(s, shop["member"], {"joined_on": "30-06-2026"}, DAY) == ["joined_on"]
        assert register.update_member(s, shop["member"], {"joined_on": "02-01-2026"}, DAY) == ["joined_on"]


@pytest.mark.parametrize("what", ["pokok", "sale", "kasbon"])
def test_a_join_date_after_a_sale_a_kasbon_or_a_pokok_is_refused(db, shop, what):
    joined(db, shop["member"], date(2026, 3, 1))
    if what == "pokok":
        doc = pay(db, shop, Payment(pokok=True))
        with db.transaction() as s:                                   # taken on 10-08-2026
            s.get(MemberDocument, doc.id).business_date = date(2026, 8, 10)
        first = f"bukti setoran {doc.doc_no} tanggal 10-08-2026"
    with db.transaction() as s:
        if what == "sale":
            make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=5_000,
                      member=shop["member"], member_sale=True, day=date(2026, 8, 10))
            first = "penjualan sebagai anggota tanggal 10-08-2026"
        elif what == "kasbon":
            credit.adjust(s, member_id=shop["member"], amount=12_000, user_id=shop["manager"],
                          note="buku lama", business_date=date(2026, 8, 10), now=NOW)
            first = "kasbon tanggal 10-08-2026"
    errors = refused(db, move(db, shop["member"], "01-09-2026"))
    assert errors == {"joined_on": f"Tanggal masuk 01-09-2026 sesudah catatan pertama anggota ini: {first}. "
                                   "Tanggal masuk paling lambat 31-08-2026."}
    with db.transaction() as s:
        assert register.update_member(s, shop["member"], {"joined_on": "31-08-2026"}, DAY) == ["joined_on"]


def test_a_member_with_nothing_recorded_may_move_the_join_date(db, shop):
    with db.transaction() as s:
        assert register.update_member(s, shop["member"], {"joined_on": "01-09-2026"}, DAY) == ["joined_on"]


def test_a_member_file_cannot_move_the_join_date_past_the_wajib_paid_either(db, shop):
    joined(db, shop["member"], date(2026, 6, 15))
    pay(db, shop, Payment(wajib_months=(date(2026, 6, 1),)))
    text = f"nomor,tanggal_masuk\n{shop['member_no']},01-09-2026"
    rows = spreadsheets.read_file("anggota.csv", text.encode(), transfer.IMPORT_COLUMNS, transfer.KEY)
    with pytest.raises(spreadsheets.ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, today=DAY)
    assert caught.value.errors == ["Baris 2: Tanggal masuk 01-09-2026 sesudah catatan pertama anggota ini: "
                                   "simpanan wajib Juni 2026. Tanggal masuk paling lambat 30-06-2026."]
    with db.reading() as s:
        assert s.get(Member, shop["member"]).joined_on == date(2026, 6, 15)
