"""The buyer of regulated goods at the real till (headless Chromium): LPG 3 kg refused without
a NIK and recorded with one (then on the pangkalan's list), SPHP rice's third pack refused."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.lpg.models import LpgSale
from tests.browser.test_fertilizer_browser import sold_at_kasir_2
from tests.browser.test_till_browser import log_in, scan_all

pytestmark = pytest.mark.browser
NIK = "6402101505700001"


def code_of(app, name: str) -> str:
    with get_db(app).reading() as s:
        return s.scalar(select(ProductBarcode.code).join(Product, Product.id == ProductBarcode.product_id)
                        .where(Product.name == name))


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and "428" not in msg.text and "409" not in msg.text else None)
    return problems


def test_lpg_refused_without_a_nik_and_recorded_with_one(live, page, browser):
    base, app = live
    problems = watch(page)
    log_in(page, base)
    refill = code_of(app, "LPG 3 kg isi ulang")
    scan_all(page, [refill])
    dialog = page.locator("#buyer-form")
    expect(dialog).to_be_visible()
    expect(page.locator("#buyer-message")).to_contain_text("NIK (KTP) dan kategori pembeli")
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.press("Escape")                       # no NIK: nothing is sold
    expect(dialog).to_have_count(0)
    expect(page.locator("#cart tr.line")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()

    scan_all(page, [refill])
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.type(NIK, delay=5)                    # the KTP scanner types the NIK and Enter
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-category")).to_be_focused()   # the category is still needed
    page.keyboard.press("1")
    expect(page.locator("#buyer-category")).to_have_value("rumah_tangga")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.locator("#cart tr.line")).to_have_count(1)     # the scan went on by itself
    expect(page.locator("#cart tr.line td.name")).to_contain_text("LPG 3 kg isi ulang")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    expect(page.locator("#buyer-panel")).to_contain_text("Rumah tangga")

    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("20000")
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_label("Struk")).to_contain_text("Pembeli: NIK 6402********0001")
    expect(page.locator("#buyer-who")).to_have_text("—")      # the next customer starts afresh
    with get_db(app).reading() as s:
        sold = s.execute(select(LpgSale)).scalar_one()
        assert (sold.nik, sold.category, sold.qty) == (NIK, "rumah_tangga", 1)

    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    manager = context.new_page()
    problems += watch(manager)
    manager.goto(f"{base}/masuk")
    manager.get_by_label("Nama pengguna").fill("manajer1")
    manager.get_by_label("PIN").fill("9999")
    manager.get_by_label("Kasir (mesin)").select_option("")
    manager.get_by_role("button", name="Masuk").click()
    manager.wait_for_url(f"{base}/")
    manager.get_by_role("link", name="LPG 3 kg harian").click()
    row = manager.locator("#lpg-day tr.lpg-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NIK)                   # in full: the pangkalan copies it
    expect(row).to_contain_text("Rumah tangga")
    manager.goto(f"{base}/batas")
    expect(manager.locator("#limit-rules")).to_contain_text("Beras SPHP Bulog 5 kg")
    context.close()
    assert problems == []


def test_the_third_sphp_pack_is_refused_with_the_reason(live, page):
    base, app = live
    problems = watch(page)
    log_in(page, base)
    page.keyboard.press("Alt+b")                       # the buyer first, before scanning
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.type(NIK, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-form")).to_have_count(0)
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    sphp = code_of(app, "Beras SPHP Bulog 5 kg")
    scan_all(page, [sphp, sphp])
    expect(page.locator("#cart tr.line .qty")).to_have_value("2")
    expect(page.locator("#buyer-notes")).to_contain_text("Beras SPHP: boleh 0 lagi hari ini")
    scan_all(page, [sphp])
    expect(page.locator("#messages")).to_contain_text(
        "Batas Beras SPHP: 2 per pembeli per hari; NIK 6402********0001 sudah membeli 0 hari ini, diminta 3.")
    expect(page.locator("#cart tr.line .qty")).to_have_value("2")
    assert problems == []


def test_f9_refuses_to_open_the_pay_panel_past_a_limit_another_till_used(live, page):
    """The buyer row still read 'boleh 0 lagi hari ini' after another till sold the buyer a
    pack, and the panel opened on a cart the sale would refuse."""
    base, app = live
    problems = watch(page)
    log_in(page, base)
    page.keyboard.press("Alt+b")
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.type(NIK, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    sphp = code_of(app, "Beras SPHP Bulog 5 kg")
    scan_all(page, [f"2*{sphp}"])
    expect(page.locator("#buyer-notes")).to_contain_text("Beras SPHP: boleh 0 lagi hari ini")
    sold_at_kasir_2(app, sphp, NIK, "nik")
    page.keyboard.press("F9")
    refused = ("Batas Beras SPHP: 2 per pembeli per hari; NIK 6402********0001 sudah membeli 1 "
               "hari ini, diminta 2.")
    expect(page.locator("#messages")).to_contain_text(refused)
    expect(page.locator("#buyer-notes")).to_have_text(refused)
    expect(page.locator("#pay-panel")).to_be_hidden()
    assert problems == []


def test_loose_rice_under_a_limit_asks_the_buyer_once_then_its_weight(live, page):
    """A weighed good sold only to a known buyer, scanned on an empty cart at a till without a
    scale: the dialog first, then the weight prompt, which sends the weight with that buyer."""
    from pos.limits import rules
    from pos.tills.models import Till

    base, app = live
    with get_db(app).transaction() as s:
        s.execute(Till.__table__.update().values(manual_weight=True))
        rice = s.scalar(select(Product.id).where(Product.name == "Beras Medium Curah"))
        rule = rules.save_rule(s, None, name="Beras curah", max_qty=25_000, period="day", buyer="any")
        rules.attach(s, rule.id, rice)
        code = s.scalar(select(ProductBarcode.code).where(ProductBarcode.product_id == rice))
    problems = watch(page)
    asked = []
    page.on("response", lambda r: asked.append(r.url) if r.status == 428 else None)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#buyer-input")).to_be_focused()       # who buys, before the weight
    expect(page.locator("#weigh-form")).to_have_count(0)
    page.keyboard.type(NIK, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-form")).to_have_count(0)
    expect(page.locator("#weigh-weight")).to_be_focused()     # then the weight, typed
    page.keyboard.type("2,5", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#cart tr.line .qty")).to_have_value("2,5")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    expect(page.locator("#weigh-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    assert len(asked) == 1 and problems == []


def test_the_buyer_is_cleared_and_the_tare_typed_from_the_keyboard(live, page):
    """Hapus (the buyer off the sale) and Tara (gram) had no key: six Tabs, or the mouse."""
    base, app = live
    problems = watch(page)
    log_in(page, base)
    page.keyboard.press("Alt+B")                                  # before scanning: the NIK alone
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.type(NIK, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    expect(page.locator("#buyer-clear")).to_contain_text("Shift+Alt+B")
    page.keyboard.press("Shift+Alt+B")
    expect(page.locator("#buyer-who")).to_have_text("—")
    expect(page.locator("#buyer-clear")).to_have_count(0)
    expect(page.locator("#buyer-form")).to_have_count(0)          # cleared, no dialog opened

    scan_all(page, [code_of(app, "LPG 3 kg isi ulang")])          # one that needs a buyer:
    expect(page.locator("#buyer-input")).to_be_focused()
    page.keyboard.type(NIK, delay=5)
    page.keyboard.press("Enter")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("Shift+Alt+B")                            # refused while it is in the cart
    expect(page.locator("#messages")).to_contain_text("dijual hanya kepada pembeli yang tercatat")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")

    page.keyboard.press("Alt+G")
    expect(page.locator("#tare")).to_be_focused()
    page.keyboard.type("250")                                     # over the selected 0
    page.keyboard.press("Enter")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    expect(page.locator("#tare")).to_have_value("250")
    with page.expect_request(lambda r: r.url.endswith("/kasir/pindai")) as sent:
        scan_all(page, [code_of(app, "LPG 3 kg isi ulang")])
    assert "tare=250" in (sent.value.post_data or "")
    expect(page.locator("#cart tr.line .qty")).to_have_value("2")
    assert [p for p in problems if "422" not in p] == []   # the refusal above is a 422
