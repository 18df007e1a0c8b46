"""A member at the till in real headless Chromium: the card attaches, member prices show crossed
out list prices and Hemat anggota beside the total, a second card asks first, the receipt
shows the saving."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.members.models import Member
from pos.sales.models import Sale
from tests.browser.test_till_browser import log_in, scan_all
from tests.browser.test_till_layout_browser import inside_viewport

pytestmark = pytest.mark.browser


def codes(app) -> dict[str, str]:
    with get_db(app).reading() as s:
        mie = s.scalar(select(ProductBarcode.code).join(Product).where(
            Product.name == "Indomie Mi Goreng Original 85 g"))
        cards = s.scalars(select(Member.card_barcode).where(Member.active)
                          .order_by(Member.number).limit(2)).all()
    return {"mie": mie, "first": cards[0], "second": cards[1]}


@pytest.mark.parametrize("width, height", [(1024, 768)])
def test_member_buys_at_member_prices_and_a_second_card_asks(live, browser, printer, width, height):
    base, app = live
    code = codes(app)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base)
        scan_all(page, [code["first"], "2*" + code["mie"]])
        bar = page.locator("#cart-member")
        expect(bar).to_contain_text("AGT-0001")
        expect(page.locator("#member-status")).to_have_text("aktif")
        expect(page.locator("#member-discounts")).to_contain_text("kategori Mi Instan 5%")
        line = page.locator("#cart tr.line")
        expect(line).to_have_count(1)
        expect(line.locator("s.list-price")).to_have_text("Rp3.500")      # 5%: Rp3.325
        expect(page.locator("#cart-total")).to_have_text("Rp6.650")
        expect(page.locator("#cart-saving")).to_have_text("Rp350")
        for selector in ("#cart-total", "#cart-saving", "#pay-button"):
            inside_viewport(page, selector)

        scan_all(page, [code["second"]])                     # a second card: asked, not replaced
        confirm = page.locator("#member-confirm")
        expect(confirm).to_be_visible()
        expect(page.get_by_role("button", name="Ganti anggota")).to_be_focused()
        inside_viewport(page, "#pay-button")
        page.keyboard.press("Escape")                        # Batal: the first member stays
        expect(confirm).to_have_count(0)
        expect(bar).to_contain_text("AGT-0001")
        expect(page.get_by_label("Kode barang")).to_be_focused()
        scan_all(page, [code["second"]])
        expect(page.get_by_role("button", name="Ganti anggota")).to_be_focused()
        page.keyboard.press("Enter")                         # Ganti anggota
        expect(bar).to_contain_text("AGT-0002")
        expect(page.locator("#member-confirm")).to_have_count(0)

        page.keyboard.press("F9")
        expect(page.get_by_label("Uang diterima")).to_be_focused()
        page.keyboard.type("10000")
        page.get_by_role("button", name="Selesai").click()
        expect(page.get_by_label("Struk")).to_contain_text("Hemat anggota")
        with get_db(app).reading() as s:
            sale = s.execute(select(Sale)).scalar_one()
            assert (sale.total, sale.member_saving, sale.member_sale) == (6_650, 350, True)
        assert "Hemat anggota" in printer.receipts[-1].text
    finally:
        context.close()
