"""Subsidised urea in real Chromium: the till asks for the farmer, the farmer's wife collects his
last sack (recorded as his proxy), and the next sack is refused with the kg left shown."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.demo.fertilizer import ALMOST_DONE_NIK
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer
from pos.inventory.catalog.models import FertilizerType, Product, ProductBarcode
from pos.sales.models import SaleBuyer
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def urea_code(app) -> str:
    with get_db(app).reading() as s:
        return s.scalar(select(ProductBarcode.code).join(Product)
                        .where(Product.subsidy == FertilizerType.UREA))


def urea_taken(app) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(RdkkAllocation.taken_grams).join(RdkkFarmer).where(
            RdkkFarmer.nik == ALMOST_DONE_NIK, RdkkAllocation.fertilizer == FertilizerType.UREA))


def scan(page, code: str) -> None:
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_farmer_buys_urea_through_a_proxy_and_is_refused_beyond_the_quota(live, page):
    base, app = live
    code = urea_code(app)
    assert urea_taken(app) == 100_000  # the demo's Darmo Santoso: 150 kg, one sack left
    log_in(page, base)
    scan(page, code)

    dialog = page.locator("#buyer-dialog")
    expect(dialog.get_by_label("NIK / Nomor Kartu Tani")).to_be_focused()
    expect(dialog).to_contain_text("pupuk bersubsidi")
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill(ALMOST_DONE_NIK)
    dialog.get_by_label("Nama wakil").fill("Sri Wahyuni")
    dialog.get_by_label("NIK wakil").fill("6402104405900003")
    dialog.get_by_label("Hubungan dengan petani").select_option("keluarga")
    dialog.get_by_role("button", name="Simpan pembeli").click()

    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#buyer-notes")).to_contain_text("Urea untuk Darmo Santoso: sisa kuota 0 kg")
    expect(page.locator("#buyer-proxy")).to_contain_text("Sri Wahyuni")
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("100000")
    page.get_by_role("button", name="Selesai").click()
    receipt = page.get_by_label("Struk")
    expect(receipt).to_contain_text("PPN tidak dipungut")
    expect(receipt).to_contain_text("Sri Wahyuni")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert urea_taken(app) == 150_000
    with get_db(app).reading() as s:
        redemption = s.scalars(select(FertilizerRedemption)).one()
        assert (redemption.nik, redemption.grams, redemption.proxy_name, redemption.proxy_relation) \
            == (ALMOST_DONE_NIK, 50_000, "Sri Wahyuni", "keluarga")
        buyer = s.scalars(select(SaleBuyer)).one()
        assert (buyer.nik, buyer.proxy_nik) == (ALMOST_DONE_NIK, "6402104405900003")

    # the next sack: beyond the allocation, refused with what is left
    page.get_by_label("Kode barang").focus()
    scan(page, code)
    dialog = page.locator("#buyer-dialog")
    expect(dialog.get_by_label("NIK / Nomor Kartu Tani")).to_be_focused()
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill(ALMOST_DONE_NIK)
    dialog.get_by_role("button", name="Simpan pembeli").click()
    expect(page.locator("#messages")).to_contain_text("Sisa kuota Urea petani ini 0 kg; diminta 50 kg.")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert urea_taken(app) == 150_000


def test_the_pupuk_screens_run_under_the_policy_and_search_farmers_live(live, page):
    base, _app = live
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    page.goto(f"{base}/pupuk")
    expect(page.locator("main")).to_contain_text("Berlaku hari ini: MT I")
    expect(page.locator("#farmers tbody tr")).to_have_count(15)
    page.set_viewport_size({"width": 800, "height": 1280})     # the quotas in view on a tablet
    quota = page.locator("#farmers thead th").last.bounding_box()
    assert quota["x"] + quota["width"] <= 800, quota
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_label("Cari NIK, Kartu Tani, nama, kelompok tani atau desa").fill("Darmo")
    expect(page.locator("#farmers tbody tr")).to_have_count(1)
    expect(page.locator("#farmers")).to_contain_text("6402********0001")
    expect(page.locator("#farmers")).to_contain_text("150 kg / 100 kg / 50 kg")
    page.goto(f"{base}/pupuk/penebusan")
    expect(page.locator("#redemption-rows")).to_contain_text("Tidak ada penebusan")
    assert not problems, problems


def test_a_refused_nik_is_typed_over_whatever_digit_the_right_one_starts_with(live, page):
    """A refused NIK comes back selected; the right one typed over it began with 3 (Java), and
    the 3 picked the LPG category instead: the NIK could not be corrected."""
    base, app = live
    log_in(page, base)
    scan(page, urea_code(app))
    field = page.locator("#buyer-dialog").get_by_label("NIK / Nomor Kartu Tani")
    expect(field).to_be_focused()
    page.keyboard.type("6402101505709999", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-dialog")).to_contain_text("6402********9999")
    expect(field).to_be_focused()
    page.keyboard.type("3201234567890001", delay=60)
    expect(field).to_have_value("3201234567890001")
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-dialog")).to_contain_text("3201********0001")
    expect(page.locator("#cart tr.line")).to_have_count(0)
