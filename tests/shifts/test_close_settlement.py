"""Tutup shift checks QRIS and transfer against what their settlement says: the counted fields
start empty (they were filled with what was expected, so a tender that was never checked closed
with Rp0 difference) and a tender that moved in the shift must be typed; kasbon has nothing to
count and is shown as information.  A tender's refunds are shown apart from its sales, so a
negative "Seharusnya" (refunds of another shift's sales) explains itself, on the close form
and the X/Z report."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import checkout
from pos.sales.models import SaleLine
from pos.shifts.models import Shift, ShiftTender
from tests.factories import login
from tests.shifts import test_figures as figures_tests
from tests.shifts.conftest import HX
from tests.shifts.test_figures import CREDIT, QRIS, ZONE, at, cashier, close, expected, open_, sell

shop = figures_tests.shop   # the fixture: a till, a cashier, a manager, soap, a member with kasbon


def refunded_elsewhere(db, shop) -> int:
    """A QRIS sale and a kasbon sale (Rp25.000 each) in a first shift, closed; both given back
    in a second shift (QRIS by QRIS, kasbon to the member's kasbon): the second shift's id."""
    first = open_(db, shop, 100_000)
    by_qris = sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    on_credit = sell(db, shop, [checkout.Tender(CREDIT, 25_000)], member=True)
    close(db, shop, first, 100_000, now=at(11))
    second = open_(db, shop, 100_000, now=at(12))
    for sale, reference in ((by_qris, "QRIS 7781"), (on_credit, None)):
        with db.transaction() as s:
            line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
            make_return(s, cashier(shop), sale_id=sale.id, wanted=[Wanted(line, 1)],
                        refund_to=RefundTo.ORIGINAL, reason="salah beli", outlet_code="TST01",
                        timezone=ZONE, reference=reference, now=at(13),
                        idempotency_key=str(uuid.uuid4()))
    assert {m: a for m, a in expected(db, second).items() if m != "cash"} == {
        "qris": -25_000, "transfer": 0, "member_credit": -25_000}
    return second


def row_of(page: str, marker: str) -> str:
    row = page[page.index(marker):]
    return " ".join(row[:row.index("</tr>")].split())


def test_the_close_form_leaves_qris_and_transfer_to_be_typed_and_shows_kasbon(db, shop, client):
    shift = refunded_elsewhere(db, shop)
    login(client, shop["cashier"], shop["till"], shift=False)
    form = client.get(f"/shift/{shift}/tutup").get_data(as_text=True)
    qris = row_of(form, 'data-tender="qris"')
    assert 'name="dihitung_qris"' in qris and 'value=""' in qris and "-Rp25.000" in qris
    assert "penjualan Rp0, retur -Rp25.000" in qris            # why QRIS expects below zero
    transfer = row_of(form, 'data-tender="transfer"')
    assert 'name="dihitung_transfer"' in transfer and 'value=""' in transfer
    assert 'name="dihitung_member_credit"' not in form           # nothing to count: information
    kasbon = row_of(form, 'id="tender-info-member_credit"')
    assert "Kasbon anggota" in kasbon and "-Rp25.000" in kasbon and "penjualan Rp0, retur -Rp25.000" in kasbon
    assert "menurut laporan settlement" in form


def test_the_x_report_shows_each_tenders_refunds_apart_from_its_sales(db, shop, client):
    shift = refunded_elsewhere(db, shop)
    login(client, shop["cashier"], shop["till"], shift=False)
    page = client.get(f"/shift/{shift}").get_data(as_text=True)
    assert "penjualan Rp0, retur -Rp25.000" in row_of(page, 'id="tender-qris"')
    assert "penjualan Rp0, retur -Rp25.000" in row_of(page, 'id="tender-member_credit"')


def test_a_tender_that_moved_must_be_counted_and_closes_as_typed(db, shop, client):
    shift = refunded_elsewhere(db, shop)
    login(client, shop["manager"], shop["till"], shift=False)
    left = client.post(f"/shift/{shift}/tutup", data={"kas_dihitung": "100000"}, headers=HX)
    said = left.get_data(as_text=True)
    assert left.status_code == 422 and "Isi QRIS dihitung" in said and "Transfer" not in said
    with db.reading() as s:
        assert s.get(Shift, shift).closed_at is None
    # what the QRIS settlement says (the refund went out); kasbon sent by an old form is not counted
    done = client.post(f"/shift/{shift}/tutup", headers=HX, data={
        "kas_dihitung": "100000", "dihitung_qris": "-25.000", "dihitung_member_credit": "0"})
    assert done.status_code == 200, done.get_data(as_text=True)
    with db.reading() as s:
        kept = {t.method: (t.expected, t.counted) for t in
                s.scalars(select(ShiftTender).where(ShiftTender.shift_id == shift))}
        assert s.get(Shift, shift).difference == 0
    assert kept == {"cash": (100_000, 100_000), "qris": (-25_000, -25_000),
                    "member_credit": (-25_000, -25_000)}


def test_a_settlement_short_of_what_was_expected_is_a_difference(db, shop, client):
    """QRIS typed as the settlement says (Rp0: the refund never reached the bank) is a
    difference, asked about, never closed as Rp0."""
    shift = refunded_elsewhere(db, shop)
    login(client, shop["manager"], shop["till"], shift=False)
    short = client.post(f"/shift/{shift}/tutup", headers=HX,
                        data={"kas_dihitung": "100000", "dihitung_qris": "0"})
    assert short.status_code == 422 and "Ada selisih (QRIS +Rp25.000)" in short.get_data(as_text=True)
