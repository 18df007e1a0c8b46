"""The Realisasi page and the redemption report per receipt in real Chromium at 1024x768:
no sideways scrolling, kg with sacks, serapan and subtotals per kelompok tani, no console
errors under the content security policy."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from pos.db import get_db
from pos.demo.fertilizer import ALMOST_DONE_NIK
from pos.fertilizer.models import RdkkAllocation, RdkkFarmer
from pos.inventory.catalog.models import FertilizerType, PackUnit, Product
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser


def taken_and_sacked(app) -> None:
    """Darmo has taken 100 kg of urea; urea comes in 50 kg karung."""
    with get_db(app).transaction() as s:
        urea = s.scalar(select(Product.id).where(Product.subsidy == FertilizerType.UREA))
        if s.scalar(select(PackUnit.id).where(PackUnit.product_id == urea, PackUnit.qty == 50_000)) is None:
            s.add(PackUnit(product_id=urea, name="karung 50 kg", qty=50_000))
        farmer = s.scalar(select(RdkkFarmer.id).where(RdkkFarmer.nik == ALMOST_DONE_NIK))
        s.execute(update(RdkkAllocation).where(RdkkAllocation.farmer_id == farmer,
                                               RdkkAllocation.fertilizer == FertilizerType.UREA)
                  .values(taken_grams=100_000))


def test_the_realization_page_at_1024(live, browser):
    base, app = live
    taken_and_sacked(app)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/pupuk")
    page.get_by_role("link", name="Realisasi per musim").click()
    expect(page.locator("h1")).to_have_text("Realisasi pupuk bersubsidi")
    totals = page.locator("#realization-totals")
    expect(totals).to_contain_text("Urea")
    expect(totals).to_contain_text("karung")
    darmo = page.locator("table.realization-group tr", has_text="Darmo Santoso").filter(has_text="Urea")
    expect(darmo).to_contain_text("100 kg")
    expect(darmo).to_contain_text("(2 karung)")
    expect(darmo).to_contain_text("6402********0001")
    expect(page.locator("tr.subtotal").first).to_contain_text("Subtotal Poktan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024   # no sideways scrolling
    expect(page.get_by_role("link", name="Unduh XLSX")).to_be_visible()

    page.goto(f"{base}/pupuk/penebusan")
    page.get_by_label("Tampilan").select_option("1")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#redemption-receipts")).to_contain_text("Tidak ada penebusan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert errors == []
    context.close()
