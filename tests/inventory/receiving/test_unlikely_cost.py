"""A cost far from the selling price is asked about before it reaches the average cost: a
karung's price typed on a line still in kg (Rp573.750 per kg for rice sold at Rp13.000) was
posted as it stood and took the average cost to 50 times what it was."""
from __future__ import annotations

import pytest

from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import add_pack
from pos.inventory.receiving import posting, receipts
from pos.inventory.receiving.costing import cost_doubt
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from pos.inventory.receiving.receipts import LineValues
from pos.units import BaseUnit
from tests.factories import login, make_product, make_user, outlet_today

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(db):
    """(clerk id, receipt id, line id, product id): 10 sacks of rice sold at Rp13.000 per kg,
    the karung's price typed while the line still says kg."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        supplier = receipts.create_supplier(s, "Bulog Sub Divre", "bulog")
        product = make_product(s, name="Beras Curah", base_unit="gram", price=13_000,
                               cost=11_000, on_hand=0).id
        add_pack(s, product, "karung 50 kg", 50_000)
        receipt = receipts.create_draft(s, supplier, "DO-BERAS-7", clerk)
        line = receipts.add_line(s, receipt, product, "kg", 500, 573_750)
    return clerk, receipt, line, product


def _product(price: int, base_unit: str = "gram") -> Product:
    return Product(name="x", price=price, base_unit=BaseUnit(base_unit))


@pytest.mark.parametrize("price, cost, pack_qty, base_unit, doubt", [
    (13_000, 573_750, 1_000, "gram", "harga beli Rp573.750 per kg, lebih dari 5 kali harga "
                                     "jual Rp13.000 per kg"),
    (13_000, 573_750, 50_000, "gram", None),           # the same price on the karung line
    (13_000, 65_000, 1_000, "gram", None),             # exactly 5 times: allowed
    (13_000, 65_001, 1_000, "gram", "lebih dari 5 kali"),
    (13_000, 11_475, 50_000, "gram", "kurang dari sepersepuluh"),   # a kg price per karung
    (13_000, 65_000, 50_000, "gram", None),            # Rp1.300 per kg: exactly a tenth
    (3_500, 72_000, 1, "pcs", "harga beli Rp72.000 per pcs"),      # a karton's price per pcs
    (3_500, 0, 1, "pcs", None),                        # bonus goods
    (0, 72_000, 1, "pcs", None),                       # no price to compare with yet
])
def test_cost_doubt(price, cost, pack_qty, base_unit, doubt):
    found = cost_doubt(_product(price, base_unit), cost, pack_qty)
    assert (found is None) == (doubt is None)
    if doubt:
        assert doubt in found



def test_posting_asks_and_changes_nothing_until_confirmed(db, draft):
    clerk, receipt, line, product = draft
    with pytest.raises(posting.UnlikelyCost, match="Beras Curah: harga beli Rp573.750 per kg") \
            as refused, db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today())
    assert (refused.value.line_id, refused.value.field) == (line, "cost_per_pack")
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt).status is ReceiptStatus.DRAFT
        assert s.get(Product, product).cost == 11_000
    # a confirmation of another cost (the line changed since) is not this one's
    with pytest.raises(posting.UnlikelyCost), db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today(), confirmed_costs=frozenset({f"{line}:573000:1000"}))
    with db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today(),
                     confirmed_costs=frozenset({f"{line}:573750:1000"}))
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt).status is ReceiptStatus.POSTED
        assert s.get(Product, product).cost == 573_750


def test_the_karung_chosen_after_its_price_keeps_the_price(db, draft):
    """The karung's price typed first, then the karung chosen: the number is the karung's, not
    converted to Rp28.687.500 (which the clerk would have had to type again)."""
    clerk, receipt, line, product = draft
    with db.transaction() as s:
        saved = receipts.update_line(s, receipt, line, LineValues("karung 50 kg", 10, 573_750))
        assert (saved.pack_qty, saved.cost_per_pack) == (50_000, 573_750)
    with db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today())
    with db.reading() as s:
        assert s.get(Product, product).cost == 11_475


def test_a_likely_cost_still_follows_its_pack(db, draft):
    _clerk, receipt, line, _product = draft
    with db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues("kg", 500, 11_475))
        saved = receipts.update_line(s, receipt, line, LineValues("karung 50 kg", 10, 11_475))
        assert saved.cost_per_pack == 573_750


def test_the_screen_warns_on_the_line_and_the_box_confirms(client, db, draft):
    clerk, receipt, line, _product = draft
    login(client, clerk)
    page = client.get(f"/penerimaan/{receipt}").get_data(as_text=True)
    assert "lebih dari 5 kali harga jual Rp13.000 per kg: periksa kemasannya" in page
    token = f"{line}:573750:1000"
    assert f'name="confirm_cost" value="{token}" form="gr-post"' in page
    refused = client.post(f"/penerimaan/{receipt}/posting", data={}, headers=HX)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "centang konfirmasinya" in html and f'value="{token}" form="gr-post">' in html
    assert 'aria-invalid="true" data-bad-field' in html                 # the cost field marked
    # a line saved with the box ticked keeps it ticked
    form = {"pack_name": "kg", "qty_packs": "500", "ordered_packs": "", "damaged_packs": "0",
            "cost_per_pack": "573.750", "reason": "", "confirm_cost": token}
    saved = client.post(f"/penerimaan/{receipt}/baris/{line}", data=form, headers=HX)
    assert f'value="{token}" form="gr-post" checked>' in saved.get_data(as_text=True)
    posted = client.post(f"/penerimaan/{receipt}/posting", data={"confirm_cost": token}, headers=HX)
    assert posted.status_code == 200 and posted.headers["HX-Redirect"] == f"/penerimaan/{receipt}"
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt).status is ReceiptStatus.POSTED


def test_a_tampered_confirmation_posts_nothing(client, db, draft):
    clerk, receipt, line, _product = draft
    login(client, clerk)
    for token in (f"{line}:1:1000", "x" * 5000, f"{line + 1}:573750:1000", ""):
        answer = client.post(f"/penerimaan/{receipt}/posting", data={"confirm_cost": token},
                             headers=HX)
        assert answer.status_code == 422
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt).status is ReceiptStatus.DRAFT


def test_a_cost_above_the_selling_price_is_noted_and_posts_without_a_question(client, db, draft):
    clerk, receipt, line, product = draft
    with db.transaction() as s:                           # Rp14.000 per kg, sold at Rp13.000
        receipts.update_line(s, receipt, line, LineValues("kg", 500, 14_000))
    login(client, clerk)
    page = client.get(f"/penerimaan/{receipt}").get_data(as_text=True)
    assert "di atas harga jual Rp13.000 per kg: dijual rugi" in page and "gr-doubt" not in page
    with db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today())
    with db.reading() as s:
        assert s.get(Product, product).cost == 14_000
