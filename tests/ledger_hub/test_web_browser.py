"""The hub's pages in real headless Chromium under the Content-Security-Policy: sign in, the
books with a typed dd-mm-yyyy period and the outlet selector at the counter's screen sizes,
the opening-balance upload, sign out; no console errors (SQLite)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.in_thread import serving
from pos.ledger_hub import outlets
from pos.ledger_hub.app import create_hub_app
from pos.money import format_rupiah
from tests.browser.test_receiving_browser import watch_errors
from tests.ledger_hub.books_data import OPENING_CSV, SHU, push_all
from tests.ledger_hub.web_helpers import PASSWORD, add_operator

pytestmark = pytest.mark.browser


@pytest.fixture
def hub_live(tmp_path):
    """(base_url, app) of the hub on waitress, a random port, SQLite, with the books' documents."""
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "SECRET_KEY": "hub-browser"})
    database = app.extensions["ledger_hub_db"]
    with database.transaction() as s:
        creds, other = outlets.add(s, "KDMP01", "Gerai Makmur"), outlets.add(s, "KDMP02", "Gerai Sejahtera")
    push_all(app.test_client(), creds, other)
    add_operator(database)
    with serving(app) as base:
        yield base, app
    database.engine.dispose()


# The contrast ratio (WCAG) of each hub menu link's text on the top bar.
CONTRASTS = """() => {
  const lum = (css) => { const [r, g, b] = css.match(/[0-9.]+/g).slice(0, 3).map(Number).map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bar = lum(getComputedStyle(document.querySelector(".topbar")).backgroundColor);
  return [...document.querySelectorAll(".hub-menu a")].map((a) => {
    const text = lum(getComputedStyle(a).color);
    return (Math.max(text, bar) + 0.05) / (Math.min(text, bar) + 0.05); });
}"""


@pytest.mark.parametrize("size", [(1024, 768), (800, 1280)])
def test_an_operator_reads_the_books_and_imports_opening_balances(hub_live, page, tmp_path, size):
    base, _app = hub_live
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors = watch_errors(page)
    page.goto(f"{base}/buku/phu")
    page.wait_for_url(f"{base}/masuk?next=**")
    page.get_by_label("Nama operator").fill("siti")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/buku/phu")
    # the menu's links are readable on the red bar (they were the browser's blue: 1.6:1)
    assert min(page.evaluate(CONTRASTS)) >= 4.5
    page.get_by_label("Dari").fill("01112026")
    expect(page.locator("#book-from-words")).to_have_text("1 November 2026")
    page.get_by_label("Sampai").fill("31-12-2026")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"{base}/buku/phu?dari=2026-11-01&sampai=2026-12-31&gerai=")
    expect(page.locator("#book-rows tbody tr").last).to_contain_text(format_rupiah(SHU))
    page.get_by_label("Gerai").select_option("KDMP02")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#sheet-subtitle")).to_contain_text("gerai KDMP02")
    expect(page.locator("#book-rows tbody tr").last).to_contain_text("Rp300.000")
    page.get_by_role("link", name="Neraca saldo").click()
    expect(page.locator("#verdict")).to_have_text("Neraca saldo seimbang.")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
    (tmp_path / "saldo.csv").write_bytes(OPENING_CSV)
    page.get_by_role("link", name="Saldo awal").click()
    page.get_by_label("Tanggal saldo awal").fill("01-11-2026")
    page.get_by_label("Berkas").set_input_files(str(tmp_path / "saldo.csv"))
    page.get_by_role("button", name="Impor saldo awal").click()
    expect(page.locator("#opening-done")).to_contain_text("6 akun")
    page.goto(f"{base}/buku/neraca?dari=2026-11-01&sampai=2026-12-31")
    expect(page.locator("#verdict")).to_have_text("Neraca seimbang.")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{base}/masuk")
    assert errors == []
