"""A scan answers with its row only when nothing else on the lines changed (issue 14):
``pos.sales.cart_delta`` decides, ``POST /kasir/pindai`` draws ``sales/_scan_row.html``."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from pos.inventory.catalog.models import Product
from pos.sales import cart_delta, pricing
from pos.sales.cart import CartRow, CartView
from pos.sales.cart_pricing import Terms
from pos.sales.models import Cart
from pos.units import BaseUnit
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
NOODLE, SUGAR = "8998866200301", "8991002101012"


def _row(line_id: int) -> CartRow:
    return CartRow(line_id, line_id, f"T-{line_id}", f"Barang {line_id}", 1, 1_000, BaseUnit.PCS,
                   1_000, 10)


def _view(*line_ids: int, **terms) -> CartView:
    return CartView([_row(i) for i in line_ids], pricing.totals([], pricing.TaxSettings()), [],
                    terms=Terms(**terms))


@pytest.mark.parametrize(("after", "line", "shown", "new"), [
    ((3, 5, 9), 9, "2:5", True),       # a new line after the two shown
    ((3, 5, 9), 5, "3:9", False),      # a shown line's quantity went up
    ((3, 5, 9), 9, "3:9", False),      # ... the last one's
])
def test_one_row_when_only_that_row_changed(after, line, shown, new):
    change = cart_delta.delta(_view(*after), line, shown)
    assert change is not None and (change.row.line_id, change.new) == (line, new)


@pytest.mark.parametrize(("view", "line", "shown"), [
    (_view(9), 9, "0:"),               # the first line: the empty cart's text goes
    (_view(3, 5, 9), 9, "1:3"),        # the till missed a line (another window)
    (_view(3, 5, 9), 9, "2:4"),        # ... or shows another one
    (_view(3, 9), 3, "3:9"),           # ... or one that was removed
    (_view(3, 5, 9), 9, None),         # a request that says nothing (search pick, old page)
    (_view(3, 5, 9), 9, "x:5"),
    (_view(3, 5, 9), 9, "2:٥"),        # a Unicode digit is no line id
    (_view(3, 5, 9), None, "3:9"),     # a member card: no line
    (_view(3, 5, 9, discount_bp=500), 9, "2:5"),         # a sale discount moves every amount
    (_view(3, 5, 9, discount_amount=1_000), 5, "3:9"),
])
def test_the_whole_cart_otherwise(view, line, shown):
    assert cart_delta.delta(view, line, shown) is None


@pytest.mark.parametrize(("after", "line", "shown", "only"), [
    ((3, 9), 5, "3:9", True),          # a line in the middle went
    ((3, 5), 9, "3:9", True),          # ... the last one
    ((3,), 5, "2:5", True),
    ((), 3, "1:3", False),             # the only line: the empty cart's text comes back
    ((3, 9), 5, "4:9", False),         # the till showed another cart (another window)
    ((3, 9), 5, "3:7", False),
    ((3, 9), 5, None, False),          # an old page says nothing
    ((3, 9), 5, "x:9", False),
])
def test_a_removal_takes_only_its_row_when_the_till_showed_the_cart(after, line, shown, only):
    assert cart_delta.removed_only(_view(*after), line, shown) is only


def test_a_removal_under_a_sale_discount_draws_the_whole_cart():
    assert not cart_delta.removed_only(_view(3, 9, discount_bp=500), 5, "3:9")
    assert not cart_delta.removed_only(_view(3, 9, discount_amount=1_000), 5, "3:9")


def test_shown_is_what_the_till_sends_back():
    assert cart_delta.shown_of(_view()) == "0:"
    assert cart_delta.shown_of(_view(3, 5)) == "2:5"


@pytest.fixture
def till(db, client):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=[NOODLE])
        make_product(s, name="Gula Pasir Gulaku 1 kg", price=18_500, tax_class="bebas",
                     barcodes_=[SUGAR])
    login(client, user.id, till.id)
    return till.id


def _scan(client, code: str, shown: str | None = None):
    data = {"code": code} if shown is None else {"code": code, "shown": shown}
    return client.post("/kasir/pindai", data=data, headers=HX)


def _shown(html: str) -> str:
    return re.search(r'id="cart-shown" name="shown" value="([^"]*)"', html).group(1)


def test_the_scan_answers_with_its_row_the_total_and_what_the_till_shows(client, till):
    first = _scan(client, NOODLE, "0:")
    html = first.get_data(as_text=True)
    assert 'id="cart"' in html and "HX-Reswap" not in first.headers   # the first line: all of it
    shown = _shown(html)
    line = shown.split(":")[1]

    second = _scan(client, SUGAR, shown)
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and second.headers["HX-Reswap"] == "none"
    assert 'id="cart"' not in html and "Indomie Goreng" not in html   # the other row stays
    assert 'hx-swap-oob="beforeend:#cart-lines"' in html and "Gula Pasir Gulaku 1 kg" in html
    assert 'class="line hl"' in html
    assert re.search(r'id="cart-total">Rp22\.000<', html)             # 3.500 + 18.500
    assert 'id="buyer-panel" class="buyer-panel" hx-swap-oob="outerHTML"' in html
    assert 'data-count="2"' in html and 'data-total="22000"' in html
    now = _shown(html)
    assert now.startswith("2:") and now != shown

    again = _scan(client, NOODLE, now).get_data(as_text=True)       # a shown line goes up
    assert f'<tr id="line-{line}" class="line hl" data-line="{line}" hx-swap-oob="true">' in again
    assert 'value="2"' in again and "beforeend" not in again
    assert re.search(r'id="cart-total">Rp25\.500<', again)


def test_a_stale_till_or_a_sale_discount_gets_the_whole_cart(client, db, till):
    shown = _shown(_scan(client, NOODLE, "0:").get_data(as_text=True))
    stale = _scan(client, SUGAR, "5:1")
    assert 'id="cart"' in stale.get_data(as_text=True) and "HX-Reswap" not in stale.headers
    shown = _shown(stale.get_data(as_text=True))
    with db.transaction() as s:
        s.execute(update(Cart).where(Cart.till_id == till).values(discount_bp=1_000))
    discounted = _scan(client, NOODLE, shown)
    html = discounted.get_data(as_text=True)
    assert 'id="cart"' in html and "HX-Reswap" not in discounted.headers
    assert "Gula Pasir Gulaku 1 kg" in html                         # every amount drawn again


def test_a_cart_asking_to_replace_the_member_sends_nothing_back(app):
    """The question goes with the next scan's whole cart, as before (``member_prices.js``
    would otherwise keep the focus on "Ganti anggota" under the scanner's Enter)."""
    with app.test_request_context():
        state = app.jinja_env.get_template("sales/_line.html").module.cart_state
        asking = replace(_view(3, 5), member=(1, "A-001", "Siti"), ask_member=("A-002", "Budi"))
        assert 'name="shown" value=""' in str(state(asking))
        assert 'name="shown" value="2:5"' in str(state(_view(3, 5)))


def test_a_product_picked_from_the_search_answers_with_its_row_too(client, till, db):
    """The search list's button sends what the till shows (``hx-include="#cart-shown"``), so
    a pick is drawn like a scan: its row, the total, nothing else."""
    with db.reading() as s:
        sugar = s.scalar(select(Product.id).where(Product.name == "Gula Pasir Gulaku 1 kg"))
    found = client.get("/kasir/cari?q=gula", headers=HX).get_data(as_text=True)
    assert f'hx-post="/kasir/tambah/{sugar}" hx-include="#cart-shown"' in found
    shown = _shown(_scan(client, NOODLE, "0:").get_data(as_text=True))
    picked = client.post(f"/kasir/tambah/{sugar}", data={"shown": shown}, headers=HX)
    html = picked.get_data(as_text=True)
    assert picked.headers["HX-Reswap"] == "none" and 'id="cart"' not in html
    assert "Gula Pasir Gulaku 1 kg" in html and "Indomie Goreng" not in html
    assert re.search(r'id="cart-total">Rp22\.000<', html)
    whole = client.post(f"/kasir/tambah/{sugar}", headers=HX)                 # an old page
    assert 'id="cart"' in whole.get_data(as_text=True) and "HX-Reswap" not in whole.headers


def test_a_quantity_change_answers_with_its_row(client, till):
    """The quantity box sends what the till shows too: the changed row and the total come
    back; a refused quantity changes nothing and says why."""
    shown = _shown(_scan(client, NOODLE, "0:").get_data(as_text=True))
    first = shown.split(":")[1]                                         # the noodle line
    shown = _shown(_scan(client, SUGAR, shown).get_data(as_text=True))  # two lines shown
    changed = client.post(f"/kasir/baris/{first}/jumlah", data={"qty": "4", "shown": shown},
                          headers=HX)
    html = changed.get_data(as_text=True)
    assert changed.headers["HX-Reswap"] == "none" and 'id="cart"' not in html
    assert f'<tr id="line-{first}" class="line hl"' in html and "Gula Pasir" not in html
    assert re.search(r'id="cart-total">Rp32\.500<', html)               # 4 x 3.500 + 18.500
    assert 'hx-include="#cart-shown"' in html                           # the next change too
    refused = client.post(f"/kasir/baris/{first}/jumlah", data={"qty": "-1", "shown": shown},
                          headers=HX)
    assert refused.status_code == 422 and "Jumlah" in refused.get_data(as_text=True)


def test_a_removed_line_answers_with_its_row_taken_away(client, till):
    """The ✕ button sends what the till shows: the row goes, the rest stays as drawn, and the
    total and what the till shows follow; an old page (nothing sent) gets the whole cart."""
    shown = _shown(_scan(client, NOODLE, "0:").get_data(as_text=True))
    first = shown.split(":")[1]
    shown = _shown(_scan(client, SUGAR, shown).get_data(as_text=True))
    removed = client.post(f"/kasir/baris/{first}/hapus", data={"shown": shown}, headers=HX)
    html = removed.get_data(as_text=True)
    assert removed.status_code == 200 and removed.headers["HX-Reswap"] == "none"
    assert f'<tr id="line-{first}" hx-swap-oob="delete"></tr>' in html
    assert 'id="cart"' not in html and "Gula Pasir" not in html       # the other row stays
    assert re.search(r'id="cart-total">Rp18\.500<', html)
    assert _shown(html) == f"1:{shown.split(':')[1]}" and 'data-count="1"' in html
    last = _shown(html).split(":")[1]
    whole = client.post(f"/kasir/baris/{last}/hapus", data={"shown": _shown(html)}, headers=HX)
    assert 'id="cart"' in whole.get_data(as_text=True)                 # the empty cart, drawn
    assert "HX-Reswap" not in whole.headers
