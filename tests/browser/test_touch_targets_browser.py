"""The back office by touch, in real Chromium on an 800x1280 tablet (``has_touch``): every link
and tick box a finger taps is at least 44 px tall. The top bar's "← Menu" was 69x19 px on every
back-office page (and "Penerimaan barang", "Stok opname", "Laporan" beside it), the filter links
of /opname and /penerimaan 19 px, a member's name on /kasbon/umur and /simpanan/saldo 16 px, a
radio or checkbox with its word 22-24 px. At a counter's 1024x768 with a mouse the top bar stays
one line of the height it had."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.devices import lan
from tests.browser.test_receiving_browser import sign_in
from tests.browser.test_screen_sizes_browser import working_data

pytestmark = pytest.mark.browser
TOUCH_MIN_PX = 44


@pytest.fixture
def demo_template(demo_history_template):
    """The demo with its history: members owe kasbon there (Umur kasbon lists their names)."""
    return demo_history_template


@pytest.fixture
def tablet(browser):
    """A touch-only tablet held upright: 800x1280, taps."""
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID",
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def short(page, selector: str) -> list[str]:
    """The shown elements of ``selector`` less than a finger tall, each as its height and text."""
    found = page.locator(selector)
    expect(found.first).to_be_visible()
    return page.eval_on_selector_all(selector, """(all, least) => all
        .filter(e => e.checkVisibility() && e.getBoundingClientRect().height < least)
        .map(e => `${e.getBoundingClientRect().height.toFixed(0)}px ${e.textContent.trim().slice(0, 40)}`)""",
                                     TOUCH_MIN_PX)


def test_the_top_bars_links_are_a_fingers_size(live, tablet):
    base, app = live
    receipt, count = working_data(app)
    sign_in(tablet, base, "manajer1", "9999")
    for path in ("/penerimaan", "/opname", "/laporan", receipt, count, "/laporan/dasbor"):
        tablet.goto(f"{base}{path}")
        assert short(tablet, ".crumbs a") == [], path
    tablet.locator(".crumbs a").first.tap()                 # ← Menu
    tablet.wait_for_url(f"{base}/")


def test_the_filter_links_and_member_names_are_a_fingers_size(live, tablet):
    base, _ = live
    sign_in(tablet, base, "manajer1", "9999")
    for path, selector in (("/opname", "a[href$='status=open']"),
                           ("/penerimaan", "a[href$='status=koreksi']"),
                           ("/kasbon/umur", "#ageing td.name a"),
                           ("/simpanan/saldo", "#balances td.name a")):
        tablet.goto(f"{base}{path}")
        assert short(tablet, selector) == [], path
    tablet.goto(f"{base}/opname")
    tablet.locator("a[href$='status=open']").tap()
    expect(tablet.locator("a[href$='/opname']", has_text="Tampilkan semua opname")).to_be_visible()
    assert short(tablet, "a[href$='/opname']:has-text('Tampilkan semua')") == []


def test_a_tick_box_and_its_word_are_a_fingers_size(live, tablet):
    base, _ = live
    sign_in(tablet, base, "manajer1", "9999")
    for path, selector in (("/opname", ".scope-choice label"),
                           ("/perangkat", "label.flag"),
                           ("/het", "label[for=check-only]"),
                           ("/pupuk", "label[for=rdkk-check-only]"),
                           ("/batas", "label[for=limit-active]")):
        tablet.goto(f"{base}{path}")
        assert short(tablet, selector) == [], path
    tablet.goto(f"{base}/het")
    tablet.locator("label[for=check-only]").tap()           # the word ticks its box
    expect(tablet.locator("#check-only")).to_be_checked()


@pytest.mark.parametrize("width, height", [(1024, 768), (1280, 800), (1366, 768)])
def test_a_counters_top_bar_stays_one_line(live, browser, width, height):
    """With a mouse at a counter's screen the links stay as they were: the bar is no taller than
    its Keluar button needs, nothing in it on top of another."""
    base, _ = live
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        sign_in(page, base, "manajer1", "9999")
        page.goto(f"{base}/opname")
        bar = page.locator("header.topbar").bounding_box()
        out = page.get_by_role("button", name="Keluar").bounding_box()
        assert bar["height"] <= out["height"] + 16 + 0.5, (bar, out)
        boxes = [page.locator(s).bounding_box() for s in (".brand", ".crumbs", ".who")] + [out]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a["x"] + a["width"] <= b["x"] + 0.5, (a, b)
    finally:
        context.close()


def test_a_tills_customer_screen_link_is_a_fingers_size(live, browser, tablet, monkeypatch):
    """Perangkat's "Layar pelanggan" link under each till's code was a 19 px line of text on the
    tablet and on a touch screen: it is 44 px tall there, and a tap opens the till's screen."""
    base, _ = live
    # the test server listens on 127.0.0.1 only: the link stays there (no LAN address found)
    monkeypatch.setattr(lan, "lan_addresses", list)
    sign_in(tablet, base, "manajer1", "9999")
    tablet.goto(f"{base}/perangkat")
    assert short(tablet, "a.screen-link") == []
    with tablet.context.expect_page() as opened:
        tablet.locator("a.screen-link").first.tap()
    expect(opened.value.locator("body")).not_to_be_empty()
    # a touch screen wider than 900 px (a counter's touch monitor) as well
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID", has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, base, "manajer1", "9999")
        page.goto(f"{base}/perangkat")
        assert short(page, "a.screen-link") == []
    finally:
        context.close()
