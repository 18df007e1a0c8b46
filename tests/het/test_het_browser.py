"""In the browser: a sale at its ceiling (MinyaKita at Rp15.700, its HET) is rounded down to
the coin in the pay panel, as checkout does, never up above the ceiling; and the HET page
shows the demo's schedule with the fertiliser cut."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.sales.models import Sale
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def test_cash_at_the_ceiling_is_rounded_down(live, page):
    base, app = live
    app.config["CASH_ROUNDING"] = 1_000  # Rp15.700 would round half up to Rp16.000
    with get_db(app).reading() as s:
        code = s.scalar(select(ProductBarcode.code).join(Product).where(
            Product.name == "MinyaKita Minyak Goreng 1 liter"))
    log_in(page, base)
    page.keyboard.type(code, delay=0)
    page.keyboard.press("Enter")
    expect(page.locator("#cart")).to_have_attribute("data-het", "1")
    page.keyboard.press("F9")
    expect(page.locator("#pay-rounding")).to_have_text("Dibayar tunai Rp15.000 (pembulatan -Rp700)")
    page.keyboard.press("F5")
    expect(page.get_by_label("Uang diterima")).to_have_value("15.000")
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text("Rp0")
    with get_db(app).reading() as s:
        sale = s.execute(select(Sale)).scalar_one()
    assert (sale.total, sale.rounding) == (15_000, -700)


def test_het_page_shows_the_fertiliser_cut(live, page):
    """...under the Content-Security-Policy, with no script error or refused resource."""
    base, _ = live
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="HET", exact=True).click()
    schedule = page.locator("#het-schedule")
    expect(schedule).to_contain_text("Kepmentan 1117/Kpts./SR.310/M/10/2025")
    urea = "Pupuk Urea Subsidi 50 kg"
    expect(schedule.locator("tr.het-berlaku", has_text=urea)).to_contain_text("Rp1.800/kg")
    expect(schedule.locator("tr.het-lewat", has_text=urea)).to_contain_text("Rp2.250/kg")
    expect(page.locator("#het-zone")).to_contain_text("belum diatur")  # the live app has no zone
    page.wait_for_load_state("networkidle")
    assert not problems


def test_a_saved_import_redraws_the_schedule_and_the_above_panel(live, page, tmp_path):
    """"Impor selesai (1 baris)" showed while the Jadwal HET table and "Harga jual di atas HET"
    stayed as before the import until a reload; both are drawn again when it saves."""
    base, app = live
    with get_db(app).reading() as s:
        sku, name = s.execute(select(Product.sku, Product.name).where(
            Product.name == "MinyaKita Minyak Goreng 1 liter")).one()
    today = business_date(utcnow(), app.config["TIMEZONE"])
    csv = tmp_path / "het.csv"
    csv.write_text(f"sku,zona,het,berlaku_mulai,catatan\n{sku},,15000,{today:%d-%m-%Y},Uji impor HET\n",
                   encoding="utf-8")
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{base}/het")
    expect(page.locator("#het-schedule")).not_to_contain_text("Uji impor HET")
    expect(page.locator("#het-above")).not_to_contain_text(name)
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(csv))
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#import-done")).to_contain_text("Impor selesai (1 baris)")
    expect(page.locator("#het-schedule")).to_contain_text("Uji impor HET")
    expect(page.locator("#het-above")).to_contain_text(name)
    expect(page.locator("#import-done")).to_be_visible()        # the outcome stays on screen
