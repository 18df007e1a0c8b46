"""Buku besar in real Chromium: the manager sees the days waiting on the home page, opens the
outbox, presses Kirim sekarang with no hub configured (nothing lost, the reason shown), opens a
day's journal (debit = credit); every screen without sideways scrolling, portrait included."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SIZES = ((1024, 768), (1280, 800), (1366, 768), (800, 1280))


@pytest.fixture(scope="session")
def demo_template(demo_history_template):
    return demo_history_template   # fourteen closed days: fourteen documents in the outbox


def no_sideways_scroll(page, where: str) -> None:
    width, view = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= view + 1, f"{where} scrolls sideways: {width} > {view}"


def test_the_manager_sees_the_outbox_and_a_days_journal(live, page):
    base, _ = live
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("#waiting-ledger")).to_contain_text("14 hari belum terkirim ke buku besar koperasi")
    page.locator("#waiting-ledger").click()
    page.wait_for_url(f"{base}/buku-besar")
    expect(page.locator("#ledger-outbox tr")).to_have_count(15)          # the header and 14 days
    expect(page.locator("#ledger-unconfigured")).to_be_visible()
    expect(page.locator("#ledger-send")).to_be_disabled()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        no_sideways_scroll(page, f"/buku-besar at {width}x{height}")
    page.locator("#ledger-outbox a").first.click()
    expect(page.locator("#ledger-balanced")).to_have_text("Seimbang: debit sama dengan kredit.")
    debit = page.locator("#ledger-debit").inner_text()
    assert debit.startswith("Rp") and debit == page.locator("#ledger-credit").inner_text()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        no_sideways_scroll(page, f"the journal at {width}x{height}")
    page.get_by_role("link", name="Kembali ke antrean").click()
    expect(page.locator("#ledger-waiting")).to_contain_text("14 hari belum terkirim ke buku besar koperasi")
    assert errors == []   # no CSP violation, no script error
