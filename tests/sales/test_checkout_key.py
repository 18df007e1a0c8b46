"""A checkout key is one payment's: posted again for that payment it answers with the sale it
made; sent for another cart (the next customer scanned after the answer was lost, a page the
browser brought back, a stale or tampered form) it is refused with 409, and nothing is sold,
printed or taken from stock (``pos/sales/once.py``).  Two posts at once:
tests/reliability/test_races.py; the till in a browser: tests/browser/test_till_browser.py."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.inventory import stock
from pos.inventory.models import MovementKind, StockMovement
from pos.sales import cart, checkout, once, parking, voids
from pos.sales.models import CartLine, Payment, PaymentMethod, PrintJob, ReceiptSequence, Sale, SaleLine
from pos.sales.once import KeyReused
from pos.sales.pricing import TaxSettings
from tests.factories import login, make_product, make_till, make_user, open_shift

HX = {"HX-Request": "true"}
MIE, GULA = "8998866200301", "8991002101012"
TAX = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till, other = make_till(s), make_till(s, "KASIR-2")
        user = make_user(s)
        mie = make_product(s, name="Indomie Goreng", price=3_500, on_hand=10, barcodes_=[MIE])
        gula = make_product(s, name="Gula Pasir Gulaku 1 kg", price=18_500, tax_class="bebas",
                            on_hand=10, barcodes_=[GULA])
        open_shift(s, till.id, user.id)
    return dict(till=till.id, other=other.id, user=user.id, mie=mie.id, gula=gula.id)


def booked(db, shop) -> dict:
    """Everything a sale writes, and the cart: what a refused post must leave as it was."""
    with db.reading() as s:
        def n(model, *where):
            return s.scalar(select(func.count()).select_from(model).where(*where))
        return dict(sales=n(Sale), lines=n(SaleLine), payments=n(Payment), jobs=n(PrintJob),
                    moves=n(StockMovement, StockMovement.kind == MovementKind.SALE),
                    numbers=s.scalar(select(func.coalesce(func.max(ReceiptSequence.last_no), 0))),
                    mie=stock.on_hand(s, shop["mie"]), gula=stock.on_hand(s, shop["gula"]),
                    cart=s.execute(select(CartLine.product_id, CartLine.qty)
                                   .order_by(CartLine.id)).all())


# ------------------------------------------------------------------------ through the till

def scan(client, code):
    assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200


def pay(client, key, tendered, expected):
    return client.post("/kasir/bayar", headers=HX, data={
        "tendered": str(tendered), "expected_total": str(expected), "idempotency_key": key})


def receipt_no(answer) -> str:
    return re.search(r'data-receipt-no="([^"]+)"', answer.get_data(as_text=True)).group(1)


def test_a_payment_posted_again_gets_its_sale_until_the_cart_is_filled_again(client, db, shop,
                                                                               printer):
    """The answer is lost and Bayar is pressed again, with the same cash or another amount
    typed: the sale already made, as it was recorded, printed once.  Once the next customer's
    goods are scanned, the same key is refused."""
    login(client, shop["user"], shop["till"])
    key = str(uuid.uuid4())
    scan(client, MIE)
    first = pay(client, key, 5_000, 3_500)
    again = [pay(client, key, 5_000, 3_500), pay(client, key, 10_000, 3_500)]
    assert [a.status_code for a in [first, *again]] == [200, 200, 200]
    assert {receipt_no(a) for a in [first, *again]} == {"TST01-0000001"}
    assert all('id="change-due">Rp1.500<' in a.get_data(as_text=True) for a in again)
    assert len(printer.receipts) == 1 and booked(db, shop)["sales"] == 1
    scan(client, GULA)
    assert pay(client, key, 20_000, 18_500).status_code == 409
    assert booked(db, shop)["sales"] == 1 and len(printer.receipts) == 1


@pytest.mark.parametrize("code", [GULA, MIE], ids=["other goods", "the same goods again"])
def test_a_used_key_for_another_cart_is_refused_and_changes_nothing(client, db, shop, printer,
                                                                    code):
    """The sale's answer never came; the cashier scans the next customer's goods (even the
    same goods: the next customer buys the same) and pays with the panel's old key.  Refused:
    the message, the cart drawn as it is, the key emptied; nothing sold, printed or taken from
    stock, no receipt number used.  Bayar again (a new key) sells the cart as the next number."""
    login(client, shop["user"], shop["till"])
    key = str(uuid.uuid4())
    scan(client, MIE)
    assert pay(client, key, 5_000, 3_500).status_code == 200
    scan(client, code)
    price = 18_500 if code == GULA else 3_500
    before, printed = booked(db, shop), len(printer.receipts)
    refused = pay(client, key, 20_000, price)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Formulir bayar ini sudah dipakai untuk struk TST01-0000001" in body
    assert "tekan Bayar lagi" in body
    assert refused.headers["HX-Trigger"] == "cart-changed"
    assert '<input type="hidden" name="idempotency_key" id="idempotency-key" hx-swap-oob="true">' \
        in body   # emptied: the pay panel makes a new key
    assert ("Gula Pasir" if code == GULA else "Indomie") in body and "data-sale-id" not in body
    assert booked(db, shop) == before and len(printer.receipts) == printed
    assert before["cart"] == [(shop["gula"] if code == GULA else shop["mie"], 1)]

    sold = pay(client, str(uuid.uuid4()), 20_000, price)
    assert sold.status_code == 200 and receipt_no(sold) == "TST01-0000002"
    after = booked(db, shop)
    assert after["sales"] == 2 and after["numbers"] == 2 and after["cart"] == []
    assert after[("gula" if code == GULA else "mie")] == before[("gula" if code == GULA else "mie")] - 1
    assert printer.receipts[-1].receipt_no == "TST01-0000002"


def test_a_sale_whose_answer_fails_after_the_commit_is_said_saved_and_bayar_again_shows_it(
        app, client, db, shop, printer, monkeypatch):
    """The sale commits, then drawing its answer fails (a template bug): the 500 says the sale
    is saved, not "tidak tersimpan", so the cashier neither sells the goods again nor refunds
    them by hand; Bayar again with the panel's key shows the same sale, sold and printed once."""
    from pos.sales import views

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)   # the 500 handler answers
    drawn = views.render

    def render_failing_once(page, *args, **kwargs):
        if page == "sales/_sale_done.html" and not failed:
            failed.append(page)
            raise RuntimeError("the answer's template failed")
        return drawn(page, *args, **kwargs)

    failed: list[str] = []
    monkeypatch.setattr(views, "render", render_failing_once)
    login(client, shop["user"], shop["till"])
    key = str(uuid.uuid4())
    scan(client, MIE)
    broken = pay(client, key, 5_000, 3_500)
    body = broken.get_data(as_text=True)
    assert failed and broken.status_code == 500 and broken.headers["HX-Retarget"] == "#messages"
    assert "Penjualan sudah tersimpan" in body and "Riwayat" in body and "Bayar lagi" in body
    assert "tidak tersimpan" not in body
    assert booked(db, shop)["sales"] == 1 and booked(db, shop)["cart"] == []

    again = pay(client, key, 5_000, 3_500)
    assert again.status_code == 200 and receipt_no(again) == "TST01-0000001"
    assert booked(db, shop)["sales"] == 1 and len(printer.receipts) == 1


# ------------------------------------------------------------------------ the service

def sell(db, shop, key, tendered, *, till=None, expected=None, shown_at=None):
    with db.transaction() as s:
        return checkout.checkout(
            s, till_id=till or shop["till"], cashier_id=shop["user"], idempotency_key=key,
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, expected_total=expected, shown_at=shown_at)


def put(db, till_id, code):
    from pos.inventory.catalog.lookup import lookup_barcode

    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code))


def test_a_key_is_refused_at_another_till_and_for_another_total(db, shop):
    """An empty cart is not enough: the key made its sale at KASIR-2, so KASIR-1 posting it is
    not a repeat; and at KASIR-2 a post showing another total than the sale's is not one
    either.  The same post as the first still gets its sale."""
    with db.transaction() as s:
        open_shift(s, shop["other"], shop["user"])   # the cashier moved to KASIR-2
    key = str(uuid.uuid4())
    put(db, shop["till"], GULA)
    with db.transaction() as s:   # KASIR-1's cart, emptied
        cart.clear(s, shop["till"])
    put(db, shop["other"], MIE)
    made = sell(db, shop, key, 5_000, till=shop["other"], expected=3_500)
    before = booked(db, shop)
    with pytest.raises(KeyReused, match=made.sale.receipt_no) as refused:
        sell(db, shop, key, 5_000, expected=3_500)   # KASIR-1, its cart empty
    assert refused.value.status == 409
    with pytest.raises(KeyReused):
        sell(db, shop, key, 20_000, till=shop["other"], expected=18_500)
    assert booked(db, shop) == before
    again = sell(db, shop, key, 5_000, till=shop["other"], expected=3_500)
    assert not again.created and again.sale.id == made.sale.id


PAID = r"Keranjang ini sudah dibayar di layar lain \(struk {}\)\."
NOT_PAID = "sudah dikosongkan atau ditahan di layar lain; tidak ada yang dibayar"


def test_a_cart_another_screen_paid_is_told_paid_whatever_its_total(db, shop):
    """Two tabs on KASIR-1: the first drew the cart with Indomie (Rp3.500); the second added Gula
    and paid Rp22.000.  The first, paying the Rp3.500 it showed, was told the cart had been
    emptied or parked and nothing paid (the till's last sale was not its total), and the cashier
    could scan and charge again.  Now the first sale since it drew the cart answers, whatever
    its total: a line added in the other tab (one taken off: the receipt is named to check)."""
    put(db, shop["till"], MIE)
    drawn = utcnow()                                  # the first tab draws Indomie
    put(db, shop["till"], GULA)                       # the second adds Gula and pays both
    made = sell(db, shop, str(uuid.uuid4()), 22_000, expected=22_000)
    before = booked(db, shop)
    with pytest.raises(checkout.CartChanged, match=PAID.format(made.sale.receipt_no)):
        sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500, shown_at=drawn)
    assert booked(db, shop) == before and before["sales"] == 1

    put(db, shop["till"], MIE)
    put(db, shop["till"], GULA)
    drawn = utcnow()                                  # Rp22.000 drawn; Gula taken off, then paid
    with db.transaction() as s:
        gula = s.scalar(select(CartLine.id).where(CartLine.product_id == shop["gula"]))
        voids.remove_line(s, shop["till"], shop["user"], gula, "Salah pindai", TAX)
    second = sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500)
    # a line taken off there before paying: that sale may be of other goods (every line taken
    # off one by one, another customer's scanned): the receipt is named, to be checked
    checked = (f"Struk {second.sale.receipt_no} dibayar di layar lain sesudah layar ini dibuka, "
               "tetapi barang juga dihapus di sana sebelum dibayar. Periksa struk itu")
    with pytest.raises(checkout.CartChanged, match=checked):
        sell(db, shop, str(uuid.uuid4()), 22_000, expected=22_000, shown_at=drawn)


@pytest.mark.parametrize("gone", ["kosongkan", "tahan"])
def test_a_cart_emptied_or_parked_on_another_screen_is_not_told_paid(db, shop, gone):
    """Emptied (Kosongkan) or parked in the other tab after this one drew the cart, even with a
    sale of the same total made after it (the next customer's Indomie): nothing paid."""
    put(db, shop["till"], MIE)
    sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500)   # an earlier customer's
    put(db, shop["till"], MIE)
    drawn = utcnow()
    with db.transaction() as s:
        if gone == "kosongkan":
            voids.clear(s, shop["till"], shop["user"], "Pembeli batal", TAX)
        else:
            parking.park(s, shop["till"], shop["user"], "ambil dompet")
    with pytest.raises(checkout.CartChanged, match=NOT_PAID):
        sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500, shown_at=drawn)
    put(db, shop["till"], MIE)                        # the next customer, paid in the other tab
    sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500)
    with pytest.raises(checkout.CartChanged, match=NOT_PAID):
        sell(db, shop, str(uuid.uuid4()), 3_500, expected=3_500, shown_at=drawn)


def test_when_a_page_drew_its_cart_is_read_as_sent_or_not_at_all():
    assert once.shown_at(" 2026-12-06T02:30:01.123456 ") == datetime(2026, 12, 6, 2, 30, 1, 123456)
    assert once.shown_at("2026-12-06T02:30:01+07:00") is None   # only the server's own stamp
    assert once.shown_at("kemarin") is None and once.shown_at(None) is None and once.shown_at("") is None
