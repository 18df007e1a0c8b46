"""Nothing goes on the cart outside the cashier's own open shift: a till page left open after
its shift closed (in another tab, by a manager, overnight) scanned lines into the cart, and only
the payment said no.  Now a scan, a pick, a weighing, a parked sale resumed and a payment are
refused in the shift gate's own words, nothing changes, and the page reloads to Buka shift."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from pos.clock import utcnow
from pos.days.models import BusinessDay
from pos.days.service import closed_message
from pos.errors import PosError
from pos.sales import cart, parking, scanning
from pos.sales.models import Cart, CartLine, Sale
from pos.shifts import gate
from pos.shifts.clock_check import ahead_message
from pos.shifts.gate import NO_SHIFT, left_open
from pos.shifts.models import Shift
from pos.tills.models import Till
from tests.factories import _today as today
from tests.factories import login, make_product, make_till, make_user, open_shift

HX = {"HX-Request": "true"}
SOAP, RICE = "8998866200301", "2000000000015"


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till, cashier, other = make_till(s), make_user(s), make_user(s, "kasir2", pin="2222")
        soap = make_product(s, name="Sabun Mandi", price=3_500, barcodes_=[SOAP])
        rice = make_product(s, name="Beras curah", price=14_000, base_unit="gram", weighed=True,
                            tax_class="bebas", on_hand=100_000, barcodes_=[])
        shift = open_shift(s, till.id, cashier.id)
    return dict(till=till.id, cashier=cashier.id, other=other.id, soap=soap.id, rice=rice.id,
                shift=shift.id)


def close(db, shift_id: int) -> None:
    with db.transaction() as s:
        s.execute(update(Shift).where(Shift.id == shift_id).values(closed_at=utcnow()))


def cart_lines(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CartLine)
                        .join(Cart, Cart.id == CartLine.cart_id).where(Cart.till_id.is_not(None)))


def scan(db, shop, code: str = SOAP, *, day=None, cashier: str = "cashier"):
    with db.transaction() as s:
        return scanning.scan(s, shop["till"], code, today=day or today(), cashier_id=shop[cashier])


def refused(db, shop, **kw) -> PosError:
    with pytest.raises(PosError) as caught:
        scan(db, shop, **kw)
    assert isinstance(caught.value, cart.NoShift) and caught.value.status == 409 and caught.value.reload
    return caught.value


def test_a_scan_goes_on_the_cart_in_the_cashiers_own_open_shift(db, shop):
    scan(db, shop)
    scan(db, shop)
    assert cart_lines(db) == 1


def test_with_the_shift_closed_the_first_line_is_refused_and_nothing_is_written(db, shop):
    close(db, shop["shift"])
    assert refused(db, shop).message == NO_SHIFT
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Cart)) == 0   # not even the cart row
    with db.transaction() as s:
        with pytest.raises(PosError, match="Belum ada shift terbuka"):
            scanning.add_product(s, shop["till"], shop["soap"], today=today(), cashier_id=shop["cashier"])
    with db.transaction() as s:   # a typed weight where the till allows one: the shift refuses it
        s.execute(update(Till).where(Till.id == shop["till"]).values(manual_weight=True))
    with db.transaction() as s:
        with pytest.raises(PosError, match="Belum ada shift terbuka"):
            scanning.add_weighed(s, shop["till"], shop["rice"], 1_250, manual=True, today=today(),
                                 cashier_id=shop["cashier"])
    assert cart_lines(db) == 0


def test_a_shift_closed_with_lines_on_the_cart_takes_no_more(db, shop):
    """Closing a shift leaves the till's cart as it is (the next shift goes on with it, or the
    next cashier chooses): a scan onto those lines is refused too, not only a first line."""
    scan(db, shop)
    close(db, shop["shift"])
    assert refused(db, shop).message == NO_SHIFT
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == [1]
    with db.transaction() as s:   # the same cashier's next shift goes on with the cart
        open_shift(s, shop["till"], shop["cashier"])
    scan(db, shop)
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == [2]


def test_another_cashiers_shift_an_earlier_days_and_a_closed_day_are_each_said(db, shop):
    assert "milik Kasir1" in refused(db, shop, cashier="other").message
    yesterday = today() - timedelta(days=1)
    with db.transaction() as s:
        s.execute(update(Shift).where(Shift.id == shop["shift"]).values(business_date=yesterday))
    assert refused(db, shop).message == left_open(shop["shift"], yesterday)
    close(db, shop["shift"])
    with db.transaction() as s:
        s.add(BusinessDay(business_date=today(), closed_by=shop["cashier"], summary="{}",
                          summary_hash="0" * 64))
    assert refused(db, shop).message == closed_message(today())
    assert cart_lines(db) == 0


def test_a_clock_gone_back_puts_nothing_into_a_later_days_shift(db, shop):
    """The clock went back (01-01-2000) under a shift of today: a scan, and the payment's gate,
    said nothing and filed the sale under 01-01-2000 in today's shift."""
    back = today() - timedelta(days=9_000)
    assert refused(db, shop, day=back).message == ahead_message(today(), back)
    with db.transaction() as s, pytest.raises(PosError) as caught:
        gate.require(s, till_id=shop["till"], user_id=shop["cashier"], day=back)
    assert caught.value.message == ahead_message(today(), back)
    assert caught.value.message.startswith("Jam komputer mundur: shift ini dibuka")
    with db.transaction() as s, pytest.raises(PosError, match="Jam komputer mundur"):
        gate.held(s, till_id=shop["till"], user_id=shop["cashier"], day=back)
    assert cart_lines(db) == 0


def test_a_parked_sale_is_resumed_only_in_an_open_shift(db, shop):
    scan(db, shop)
    with db.transaction() as s:
        parked = parking.park(s, shop["till"], shop["cashier"], "ambil dompet")
    close(db, shop["shift"])
    with db.transaction() as s, pytest.raises(PosError, match="Belum ada shift terbuka"):
        parking.resume(s, shop["till"], shop["cashier"], parked, today())
    with db.reading() as s:
        assert s.scalar(select(Cart.parked_at).where(Cart.id == parked)) is not None


def test_the_till_page_left_open_reloads_to_buka_shift_with_the_message(client, db, shop):
    login(client, shop["cashier"], shop["till"])
    with db.transaction() as s:
        s.execute(update(Till).where(Till.id == shop["till"]).values(manual_weight=True))
    assert 'id="scan"' in client.get("/kasir").get_data(as_text=True)
    close(db, shop["shift"])                      # in another tab
    for url, data in (("/kasir/pindai", {"code": SOAP}), (f"/kasir/tambah/{shop['soap']}", {}),
                      (f"/kasir/timbang/{shop['rice']}/manual", {"weight": "1,25", "unit": "kg"})):
        answer = client.post(url, data=data, headers=HX)
        assert answer.status_code == 409, url
        assert answer.headers["HX-Refresh"] == "true" and answer.headers["HX-Retarget"] == "#messages"
        assert NO_SHIFT in answer.get_data(as_text=True)
        reloaded = client.get("/kasir").get_data(as_text=True)   # what HX-Refresh shows
        assert 'id="open-shift"' in reloaded and NO_SHIFT in reloaded and 'id="scan"' not in reloaded
    assert cart_lines(db) == 0


def test_paying_on_a_till_page_left_open_reloads_to_buka_shift_and_sells_nothing(client, db, shop):
    """The pay panel open, the shift closed by a manager meanwhile: Selesai was refused in the
    gate's words, but the panel stayed open and could be sent again and again."""
    login(client, shop["cashier"], shop["till"], shift=False)
    scan(db, shop)
    close(db, shop["shift"])                      # at /shift/<id>/tutup, by a manager
    form = {"tendered": "5000", "expected_total": "3500", "idempotency_key": str(uuid.uuid4())}
    answer = client.post("/kasir/bayar", data=form, headers=HX)
    assert answer.status_code == 409
    assert answer.headers["HX-Refresh"] == "true" and NO_SHIFT in answer.get_data(as_text=True)
    reloaded = client.get("/kasir").get_data(as_text=True)
    assert 'id="open-shift"' in reloaded and NO_SHIFT in reloaded and 'id="pay-panel"' not in reloaded
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 0
    assert cart_lines(db) == 1                    # the cart stays for the next shift
