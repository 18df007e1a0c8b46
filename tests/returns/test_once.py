"""A return form posted twice books one return (its idempotency key): the second post answers
with the first return, pays nothing out and puts no stock back again, and uses no return
number; a key that booked another return is refused and changes nothing.  (Two posts at once:
tests/reliability/test_races.py.)"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.inventory import stock
from pos.inventory.models import MovementKind, StockMovement
from pos.members.accounts import credit
from pos.members.accounts.models import CreditEntry
from pos.returns.models import ReturnRefund, ReturnSequence, SaleReturn, SaleReturnLine
from pos.returns.once import KeyRefused
from pos.returns.service import Wanted
from pos.sales import checkout
from pos.sales.models import PaymentMethod, PrintJob, SaleLine
from tests.factories import login, sealed
from tests.returns.conftest import MEDICINE, SOAP, give_back, line_ids, manager, sell, till_today

HX = {"HX-Request": "true"}
MANAGER = {"approval_user": "manajer1", "approval_pin": "2222", "approval_reason": "cacat"}


def booked(db, shop) -> dict:
    """What returns have changed so far: documents, refunds, the counter, stock, the lines."""
    with db.reading() as s:
        def n(model, *where):
            return s.scalar(select(func.count()).select_from(model).where(*where))
        return dict(
            returns=n(SaleReturn), lines=n(SaleReturnLine), refunds=n(ReturnRefund),
            refunded=s.scalar(select(func.coalesce(func.sum(ReturnRefund.amount), 0))),
            numbers=s.scalar(select(func.coalesce(func.max(ReturnSequence.last_no), 0))),
            moves=n(StockMovement, StockMovement.kind == MovementKind.RETURN),
            soap=stock.on_hand(s, shop["soap"]), approvals=n(Override, Override.kind == "return"),
            returned=s.scalars(select(SaleLine.returned_qty).order_by(SaleLine.id)).all(),
            owed=credit.available(s, shop["member"])[1],
            credits=n(CreditEntry, CreditEntry.amount < 0))


def test_a_partial_return_posted_again_is_answered_with_the_first(db, client, shop, printer):
    """1 of 3 returned by a cashier with the manager's PIN in cash; the answer is lost and the
    dialog is sent again, twice: one return, one refund, the stock back once, one slip and
    one drawer opening; the next return (a new form) takes the next number."""
    sale = sell(db, shop, (SOAP, 3))
    till_today(db, shop)
    login(client, shop["cashier"], shop["till"])
    line = line_ids(db, sale.id)[0]
    form = client.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    assert str(uuid.UUID(key)) == key
    again = client.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    assert key not in again   # a fresh key per page load
    before, printed = booked(db, shop), len(printer.receipts)
    post = {f"qty_{line}": "1", "refund": "tunai", "reason": "Kemasan bocor",
            "idempotency_key": key, **MANAGER}
    post = sealed(client, f"/retur/struk/{sale.id}", post)
    answers = [client.post(f"/retur/struk/{sale.id}", data=post, headers=HX) for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 3
    html = [a.get_data(as_text=True) for a in answers]
    assert all("Retur <b>R-TST01-000001</b>" in h and "Dikembalikan Tunai <b>Rp3.000</b>" in h
               for h in html)
    assert 'id="return-again"' not in html[0]
    assert all('id="return-again"' in h and "sudah tersimpan sebelumnya" in h for h in html[1:])
    assert len(printer.receipts) == printed + 1 and printer.receipts[-1].open_drawer
    after = booked(db, shop)
    assert after == dict(before, returns=1, lines=1, refunds=1, refunded=3_000, numbers=1,
                         moves=1, soap=before["soap"] + 1, approvals=1, returned=[1])
    with db.reading() as s:
        assert s.scalar(select(SaleReturn.idempotency_key)) == key
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 1   # the sale's only
    fresh = client.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    next_key = fresh.split('name="idempotency_key" value="')[1].split('"')[0]
    nxt = client.post(f"/retur/struk/{sale.id}", headers=HX,
                      data=sealed(client, f"/retur/struk/{sale.id}", {**post, "idempotency_key": next_key}))
    assert nxt.status_code == 200 and "Retur <b>R-TST01-000002</b> tersimpan" in nxt.get_data(
        as_text=True)
    assert booked(db, shop)["numbers"] == 2 and booked(db, shop)["returned"] == [2]


def test_a_kasbon_refund_posted_again_lowers_the_debt_once(db, shop):
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    line, key = line_ids(db, sale.id)[0], str(uuid.uuid4())
    first = give_back(db, manager(shop), sale.id, Wanted(line, 1), key=key)
    second = give_back(db, manager(shop), sale.id, Wanted(line, 1), key=key.upper())
    assert first.created and not second.created
    assert (second.id, second.return_no, second.refund_total, second.refunds) == (
        first.id, "R-TST01-000001", 3_000, [(PaymentMethod.MEMBER_CREDIT, 3_000)])
    assert second.drawer_event is None
    after = booked(db, shop)
    assert (after["returns"], after["owed"], after["credits"], after["returned"]) == (1, 9_000, 1, [1])


@pytest.mark.parametrize("other", ["qty", "line", "damaged", "sale"])
def test_a_key_that_booked_another_return_is_refused_and_changes_nothing(db, shop, other):
    sale = sell(db, shop, (SOAP, 3), (MEDICINE, 1))
    second_sale = sell(db, shop, (SOAP, 2))
    line, key = line_ids(db, sale.id)[0], str(uuid.uuid4())
    give_back(db, manager(shop), sale.id, Wanted(line, 1), key=key)
    before = booked(db, shop)
    target, wanted = {
        "qty": (sale.id, [Wanted(line, 2)]),
        "line": (sale.id, [Wanted(line, 1), Wanted(line_ids(db, sale.id)[1], 1)]),
        "damaged": (sale.id, [Wanted(line, 1, restock=False)]),
        "sale": (second_sale.id, [Wanted(line_ids(db, second_sale.id)[0], 1)]),
    }[other]
    with pytest.raises(KeyRefused) as refused:
        give_back(db, manager(shop), target, *wanted, key=key)
    assert refused.value.status == 409
    assert refused.value.message == (
        "Formulir ini sudah dipakai untuk retur R-TST01-000001 dengan struk atau barang lain; "
        "retur ini tidak disimpan. Muat ulang halaman retur lalu isi lagi.")
    assert booked(db, shop) == before


def test_the_same_form_sent_with_other_lines_is_refused_on_the_screen(db, client, shop):
    sale = sell(db, shop, (SOAP, 3))
    till_today(db, shop)
    login(client, shop["manager"], shop["till"])
    line, key = line_ids(db, sale.id)[0], str(uuid.uuid4())
    post = {f"qty_{line}": "1", "refund": "tunai", "reason": "rusak", "idempotency_key": key}
    assert client.post(f"/retur/struk/{sale.id}", data=post, headers=HX).status_code == 200
    before = booked(db, shop)
    changed = client.post(f"/retur/struk/{sale.id}", data={**post, f"qty_{line}": "2"}, headers=HX)
    assert changed.status_code == 409
    assert "sudah dipakai untuk retur R-TST01-000001" in changed.get_data(as_text=True)
    assert booked(db, shop) == before
