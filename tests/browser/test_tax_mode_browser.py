"""The PKP switch on Pengaturan in real headless Chromium: the demo outlet is not PKP; a
manager chooses PKP, reads the consequence, confirms with Enter, and the till's next sale
carries PPN."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.db import get_db
from pos.settings import service
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser


def pkp(app) -> bool:
    with get_db(app).reading() as s:
        return service.pkp(s, app.config)


@pytest.mark.parametrize("size", [(1024, 768), (800, 1280)])
def test_a_manager_switches_the_outlet_to_pkp_with_a_confirmation(live, page, size):
    base, app = live
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/pengaturan")
    expect(page.locator("#pkp-now")).to_have_text("bukan PKP, tanpa PPN")  # the demo outlet
    assert pkp(app) is False
    choice = page.get_by_label("Ya, PKP")
    choice.check()
    box = choice.locator("xpath=..").bounding_box()
    assert box["height"] >= 40 and box["x"] + box["width"] <= size[0]  # a large, whole target
    page.get_by_role("button", name="Simpan status PKP").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Jadikan gerai ini PKP?")
    expect(dialog).to_contain_text("Penjualan yang sudah terjadi tetap dengan pajak yang tercatat.")
    confirm = page.get_by_role("button", name="Ya, ubah status PKP")
    expect(confirm).to_be_visible()
    # the confirmation has the focus (read from the document: a background page of the shared
    # browser reports an element focused there as "inactive")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "pkp-confirm"
    assert pkp(app) is False  # nothing changed before the confirmation
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Gerai ini sekarang PKP")
    expect(page.locator("#pkp-now")).to_have_text("PKP, memungut PPN")
    expect(page.locator("#setting-changes")).to_contain_text("Status PKP")
    assert pkp(app) is True
    assert errors == []
