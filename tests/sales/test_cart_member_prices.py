"""Member prices, tiers and discounts in the cart, the sale and the receipt; the member at the
till (status, discount, a second card asks first).  SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from pos.members.models import Member
from pos.prices import setting
from pos.sales import cart, checkout
from pos.sales.models import Cart, CartLine, PaymentMethod, Sale, SaleLine
from pos.sales.pricing import TaxSettings
from tests.factories import login, make_product, make_till, make_user, open_shift, sealed

TAX = TaxSettings(pkp=False)   # a village outlet (PKP's cost floors: test_pkp_cost_floor.py)
HX = {"HX-Request": "true"}
MIE, OIL, RICE = "8998866200301", "8991002101012", "2000000000015"


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s)
        manager = make_user(s, "manajer1", "manager", "9999")
        mie = make_product(s, name="Indomie Goreng", price=3_500, cost=3_000, on_hand=200,
                           barcodes_=[MIE], category="Mi instan")
        oil = make_product(s, name="Minyak Goreng 2 L", price=38_000, cost=34_000, het=38_000,
                           barcodes_=[OIL], category="Minyak")
        make_product(s, name="Beras curah", price=14_000, cost=12_000, base_unit="gram",
                     tax_class="bebas", on_hand=50_000, barcodes_=[(RICE, 1000)])
        setting.set_member_discounts(s, {"sembako": "2"}, {oil.category_id: "5"}, manager.id)
        setting.add_tier(s, mie.id, 40, 3_200, manager.id)   # a carton of 40
        setting.set_member_price(s, mie.id, 3_300, manager.id)
        s.add_all([Member(number="AGT-0007", name="Daeng Baso", card_barcode="2900000000073"),
                   Member(number="AGT-0008", name="Wa Ode", card_barcode="2900000000080"),
                   Member(number="AGT-0009", name="La Ode Nonaktif", card_barcode="2900000000097",
                          active=False)])
    login(client, cashier.id, till.id)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, mie=mie.id, oil=oil.id)


def scan(client, code):
    response = client.post("/kasir/pindai", data={"code": code}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def view(db, shop):
    with db.reading() as s:
        return cart.view(s, shop["till"], TAX)


def pay(db, shop, tendered):
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["cashier"])
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX)


def test_a_non_member_pays_list_prices_and_tiers(db, client, shop):
    scan(client, "40*" + MIE)
    scan(client, OIL)
    shown = view(db, shop)
    assert [r.amount for r in shown.rows] == [40 * 3_200, 38_000]
    assert shown.rows[0].reason == "grosir" and shown.rows[0].list_price == 3_500
    assert shown.totals.member_saving == 0 and shown.totals.discount == 40 * 300


def test_an_active_member_gets_member_prices_and_the_sale_stores_them(db, client, shop):
    scan(client, "2900000000073")        # the card: attached without asking
    scan(client, "2*" + MIE)             # member price 3.300 beats 2% (3.430)
    page = scan(client, OIL)             # the Minyak category's 5% beats sembako's 2%
    assert 'id="cart-saving">Rp2.300<' in page   # 2 x 200 + 1.900
    assert '<s class="list-price">Rp38.000</s> Rp36.100' in page
    assert "Diskon anggota: sembako 2%, kategori Minyak 5%" in page and ">aktif<" in page
    shown = view(db, shop)
    assert [(r.amount, r.reason) for r in shown.rows] == [(6_600, "harga anggota"),
                                                          (36_100, "anggota 5%")]
    sale = pay(db, shop, 50_000).sale
    assert (sale.total, sale.gross, sale.discount, sale.member_saving, sale.member_sale) == (
        42_700, 45_000, 2_300, 2_300, True)
    with db.reading() as s:
        stored = s.execute(select(Sale)).scalar_one()
        assert (stored.member_sale, stored.member_saving, stored.discount) == (True, 2_300, 2_300)
        lines = s.scalars(select(SaleLine).order_by(SaleLine.line_no)).all()
        assert [(ln.list_price, ln.unit_price, ln.amount, ln.discount, ln.member_saving,
                 ln.discount_reason) for ln in lines] == [
            (3_500, 3_300, 6_600, 400, 400, "harga anggota"),
            (38_000, 36_100, 36_100, 1_900, 1_900, "anggota 5%")]


def test_a_nonaktif_member_buys_at_the_non_member_price(db, client, shop):
    page = scan(client, "2900000000097")
    assert ">nonaktif<" in page and "harga bukan anggota" in page
    scan(client, OIL)
    assert view(db, shop).totals.total == 38_000
    sale = pay(db, shop, 38_000).sale
    assert sale.member_id is not None and not sale.member_sale and sale.member_saving == 0


def test_a_second_card_asks_before_replacing_the_member(db, client, shop):
    scan(client, "2900000000073")
    page = scan(client, "2900000000080")
    assert 'id="member-confirm"' in page and "Ganti anggota" in page and "Batal" in page
    with db.reading() as s:  # nothing replaced yet
        assert s.scalar(select(Member.number).join(Cart, Cart.member_id == Member.id)) == "AGT-0007"
    assert 'id="member-confirm"' not in scan(client, "2900000000073")  # the same card again
    # the F7 field asks too, and replaces once confirmed
    asked = client.post("/kasir/anggota", data={"member": "AGT-0008"}, headers=HX)
    assert 'id="member-confirm"' in asked.get_data(as_text=True)
    done = client.post("/kasir/anggota", data={"member": "AGT-0008", "replace": "1"}, headers=HX)
    assert "Wa Ode" in done.get_data(as_text=True) and "member-confirm" not in done.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Member.number).join(Cart, Cart.member_id == Member.id)) == "AGT-0008"


def test_a_card_no_member_holds_is_said_to_be_a_card_not_goods(db, client, shop):
    """A code under the member cards' prefix that no member holds (another gerai's card, a card
    replaced) said "Barang dengan kode … tidak ditemukan", pointing the cashier at the goods."""
    unknown = client.post("/kasir/pindai", data={"code": "2900000099999"}, headers=HX)
    text = unknown.get_data(as_text=True)
    assert unknown.status_code == 422 and "Barang dengan kode" not in text
    assert ("Kartu anggota 2900000099999 tidak terdaftar pada anggota mana pun. Cari anggotanya "
            "dengan F7 (nomor, nama atau telepon).") in text
    goods = client.post("/kasir/pindai", data={"code": "8990000000013"}, headers=HX)  # goods' range
    assert goods.status_code == 422 and "Barang dengan kode 8990000000013 tidak ditemukan" in \
        goods.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Cart.member_id)) is None


def test_overrides_and_discounts_stored_in_the_cart_are_applied(db, client, shop):
    """What the overrides engineer writes into the cart columns shows in cart, total and sale."""
    scan(client, "10*" + MIE)
    scan(client, OIL)
    with db.transaction() as s:
        s.execute(update(CartLine).where(CartLine.product_id == shop["mie"]).values(
            discount_bp=1_000, adjust_reason="kemasan penyok"))
        s.execute(update(CartLine).where(CartLine.product_id == shop["oil"]).values(
            price_override=40_000))  # above the HET: cut to 38.000
        s.execute(update(Cart).values(discount_amount=1_000))
    shown = view(db, shop)
    assert sum(r.amount for r in shown.rows) == 31_500 + 38_000 - 1_000
    assert shown.totals.sale_discount == 1_000
    sale = pay(db, shop, 100_000).sale
    assert sale.total == 68_500 and sale.discount == 3_500 + 1_000
    with db.reading() as s:
        lines = s.scalars(select(SaleLine).order_by(SaleLine.line_no)).all()
        assert sum(ln.discount for ln in lines) == 4_500
        assert lines[0].discount_reason.startswith("diskon, diskon nota: kemasan penyok")


@pytest.mark.parametrize("discount", [dict(discount_bp=500, discount_reason="promo"),
                                      dict(discount_amount=1_000, discount_reason="langganan")])
def test_a_sale_discount_goes_with_its_sale_and_is_not_given_to_the_next(db, client, shop,
                                                                         discount):
    """It was left on the till's cart after the sale, and every next customer got it."""
    scan(client, "2*" + MIE)
    with db.transaction() as s:
        s.execute(update(Cart).values(**discount))
    assert pay(db, shop, 10_000).sale.discount > 0
    with db.reading() as s:   # the cashier's reason is kept with the sale (it was lost)
        assert s.scalars(select(SaleLine.discount_reason)).all() == [
            f"diskon nota ({discount['discount_reason']})"]
        left = s.execute(select(Cart.discount_bp, Cart.discount_amount, Cart.discount_reason)).one()
    assert tuple(left) == (0, 0, None)
    scan(client, MIE)
    assert view(db, shop).totals.sale_discount == 0
    sale = pay(db, shop, 3_500).sale
    assert (sale.total, sale.discount) == (3_500, 0)


def test_emptying_the_cart_takes_the_sale_discount_too(db, client, shop):
    scan(client, MIE)
    with db.transaction() as s:
        s.execute(update(Cart).values(discount_bp=500, discount_reason="promo"))
    assert client.post("/kasir/kosongkan", headers=HX).status_code == 200
    with db.reading() as s:
        left = s.execute(select(Cart.discount_bp, Cart.discount_amount, Cart.discount_reason)).one()
    assert tuple(left) == (0, 0, None)


def test_weighed_line_with_member_discount_and_the_receipt_shows_the_saving(db, client, shop,
                                                                           printer):
    scan(client, "2900000000073")
    scan(client, RICE)                    # 1 kg at 14.000, sembako 2%: 13.720
    response = client.post("/kasir/bayar", headers=HX, data={
        "tendered": "20000", "idempotency_key": str(uuid.uuid4()), "expected_total": "13720"})
    assert response.status_code == 200, response.get_data(as_text=True)
    slip = printer.receipts[-1].text
    assert "Hemat anggota" in slip and "Rp280" in slip
    assert "anggota 2%" in slip and "-Rp280" in slip


def test_line_inputs_let_a_discount_be_checked_against_cost_before_it_is_stored(db, client, shop):

    from pos.sales import cart_pricing, pricing

    scan(client, "2900000000073")
    scan(client, OIL)
    with db.reading() as s:
        cart_id = cart.cart_of(s, shop["till"])[0]
        (line,) = cart_pricing.line_inputs(s, cart_id).values()
    assert line.member and line.member_bp == 500 and line.het == 38_000
    assert not pricing.needs_approval(line._replace(discount_amount=2_000))   # 34.100 >= cost
    assert pricing.needs_approval(line._replace(discount_amount=2_200))       # 33.900 < 34.000


def test_a_discount_on_a_members_line_is_shown_and_approved_against_the_member_price(db, client, shop):
    """The F5 form and the manager's dialog showed the list price (Rp38.000 -> Rp34.200) while
    the line was charged at the member's (Rp36.100), so the manager approved another figure."""
    scan(client, "2900000000073")
    scan(client, OIL)
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    form = client.get(f"/kasir/ubah/baris/{line_id}/diskon", headers=HX).get_data(as_text=True)
    assert "1 × Rp36.100</b> (anggota 5%)" in form
    asked = client.post(f"/kasir/ubah/baris/{line_id}/diskon", headers=HX,
                        data={"discount": "10%", "reason": "kemasan penyok"})
    text = asked.get_data(as_text=True)
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    assert 'id="approval-before">Rp36.100' in text and 'id="approval-after">Rp32.490' in text
    shown = view(db, shop)
    assert shown.rows[0].amount == 36_100            # nothing changed before the approval


def test_the_price_form_and_its_approval_start_from_the_member_s_price(db, client, shop):
    """Shift+F3 on a member's line said "Harga sekarang: Rp38.000" (the list price) and the
    approval log kept Rp38.000 -> Rp35.000, where the line sold at Rp36.100 (Minyak 5%): the
    manager thought Rp3.000 came off, the customer saved Rp1.100."""
    from pos.approvals.models import Override

    scan(client, "2900000000073")
    page = scan(client, OIL)
    line = view(db, shop).rows[0].line_id
    form = client.get(f"/kasir/ubah/baris/{line}/harga", headers=HX).get_data(as_text=True)
    text = " ".join(form.split())
    assert "Harga sekarang: <b>Rp36.100</b> (anggota 5%)" in text, text
    assert "Harga baru menggantikan harga ini (anggota 5%)." in text
    assert "Rp36.100" in page
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                         data=sealed(client, f"/kasir/ubah/baris/{line}/harga", {
                             "price": "35000", "reason": "pelanggan tetap", "approval_user": "manajer1",
                             "approval_pin": "9999", "approval_reason": "pelanggan tetap"}))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    with db.reading() as s:
        logged = s.scalars(select(Override)).one()
    assert (logged.before, logged.after) == ("Rp36.100", "Rp35.000")
    assert view(db, shop).rows[0].amount == 35_000
