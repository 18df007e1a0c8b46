"""The till by touch alone, in real Chromium on an 800x1280 tablet (``has_touch``, taps): a
tapped line is the line Diskon and Ubah harga act on, a tapped quantity box is typed over, and
every control a finger taps (a line's ✕ and quantity, Riwayat's links, the void prompt's
reasons) is at least 44 px tall."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pos.money import format_rupiah
from tests.browser.test_till_browser import log_in
from tests.browser.test_till_keys_browser import cart_lines
from tests.browser.test_till_line_keys_browser import two_lines

pytestmark = pytest.mark.browser
TOUCH_MIN_PX = 44


@pytest.fixture
def tablet(browser):
    """A touch-only tablet held upright, as the tester's: 800x1280, taps."""
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID",
                                  has_touch=True, is_mobile=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def height(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["height"]


def test_a_tapped_line_is_the_one_diskon_and_ubah_harga_act_on(live, tablet):
    """Diskon (F5) and Ubah harga (Shift+F3) opened on the last line whichever line was tapped:
    only the arrow keys moved the highlight."""
    app, goods = two_lines(live, tablet)
    first, second = tablet.locator("#cart tr.line").nth(0), tablet.locator("#cart tr.line").nth(1)
    first.locator("td.name").tap()
    expect(first).to_have_class(re.compile(r"\bhl\b"))
    expect(second).not_to_have_class(re.compile(r"\bhl\b"))
    tablet.locator("#line-discount-button").tap()
    expect(tablet.locator("#adjust-form h2")).to_have_text(f"Diskon {goods[0][2]}")
    tablet.locator("#adjust-panel [data-action=close-adjust]").tap()
    expect(tablet.locator("#adjust-form")).to_have_count(0)

    second.locator(".qty").tap()                    # its quantity box: that line too
    expect(second).to_have_class(re.compile(r"\bhl\b"))
    expect(first).not_to_have_class(re.compile(r"\bhl\b"))
    first.locator(".qty").tap()
    expect(first).to_have_class(re.compile(r"\bhl\b"))
    tablet.locator("#price-button").tap()
    expect(tablet.locator("#adjust-form h2")).to_have_text(f"Ubah harga {goods[0][2]}")
    tablet.locator("#adjust-panel [data-action=close-adjust]").tap()

    # the keys follow the tapped line too: F5 and ArrowDown from it
    second.locator("td.name").tap()
    tablet.keyboard.press("F5")
    expect(tablet.locator("#adjust-form h2")).to_have_text(f"Diskon {goods[1][2]}")
    tablet.keyboard.press("Escape")
    assert cart_lines(app) == [(goods[0][0], 1), (goods[1][0], 1)]


@pytest.mark.parametrize("how", ["tap", "click"])
def test_a_tapped_quantity_box_is_typed_over(live, tablet, how):
    """A line of 1, its box tapped (the caret at 0), 3 typed, a tap elsewhere: the line became 31
    (31 x Rp3.500 = Rp108.500, sent on blur), where the 3 was meant."""
    app, goods = two_lines(live, tablet)
    qty = tablet.locator("#cart tr.line").nth(0).locator(".qty")
    getattr(qty, how)()
    expect(qty).to_be_focused()
    tablet.keyboard.type("3", delay=80)
    expect(qty).to_have_value("3")
    tablet.locator("#cart-total").tap()            # elsewhere: leaving the box sends it
    expect(tablet.locator("#cart-total")).to_have_text(format_rupiah(3 * goods[0][3] + goods[1][3]))
    assert cart_lines(app) == [(goods[0][0], 3), (goods[1][0], 1)]


def test_the_tare_is_typed_over_when_tapped(live, tablet):
    base, _ = live
    log_in(tablet, base)
    tare = tablet.locator("#tare")
    tare.tap()
    tablet.keyboard.type("250", delay=60)
    expect(tare).to_have_value("250")


@pytest.mark.parametrize("width, height_px", [(800, 1280), (1024, 768), (1366, 768)])
def test_a_lines_remove_and_quantity_are_a_fingers_size(live, browser, width, height_px):
    """A line's ✕ was 41x40 px and its quantity box 40 px tall."""
    context = browser.new_context(viewport={"width": width, "height": height_px}, locale="id-ID")
    page = context.new_page()
    try:
        two_lines(live, page)
        row = page.locator("#cart tr.line").first
        remove = row.locator(".remove").bounding_box()
        assert remove["height"] >= TOUCH_MIN_PX and remove["width"] >= TOUCH_MIN_PX, remove
        assert height(row.locator(".qty")) >= TOUCH_MIN_PX
    finally:
        context.close()


def test_riwayats_links_are_a_fingers_size(live, tablet):
    """"← Kembali ke kasir" and the receipts' numbers on Riwayat were 19 px tall."""
    _, goods = two_lines(live, tablet)
    tablet.keyboard.press("F9")
    tablet.keyboard.press("F5")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#change-due")).to_be_visible()
    tablet.locator("#history-link").tap()
    link = tablet.locator(".history-link").first
    expect(link).to_be_visible()
    assert height(link) >= TOUCH_MIN_PX
    back = tablet.get_by_role("link", name=re.compile("Kembali ke kasir"))
    assert height(back) >= TOUCH_MIN_PX
    back.tap()
    expect(tablet.get_by_label("Kode barang")).to_be_visible()


def test_alasan_lain_has_a_button(live, tablet):
    """The void prompt's "Alasan lain" was sent with Enter only: no button to tap."""
    app, goods = two_lines(live, tablet)
    tablet.locator("#cart tr.line").nth(0).locator(".remove").tap()
    expect(tablet.locator("#void-form")).to_be_visible()
    send = tablet.locator("#void-other-send")
    expect(send).to_be_visible()
    assert height(send) >= TOUCH_MIN_PX
    send.tap()                                      # nothing typed: asked for, nothing removed
    expect(tablet.locator("#messages")).to_contain_text("Ketik alasannya")
    expect(tablet.locator("#void-other")).to_be_focused()
    tablet.keyboard.type("barang rusak", delay=20)
    send.tap()
    expect(tablet.locator("#cart tr.line")).to_have_count(1)
    expect(tablet.locator("#void-form")).to_have_count(0)
    assert cart_lines(app) == [(goods[1][0], 1)]


def test_a_held_sale_names_the_ditahan_button(live, tablet):
    """"Transaksi ditahan. Lanjutkan dengan Shift+F6." named only a key a tablet has not."""
    two_lines(live, tablet)
    tablet.locator("#hold-button").tap()
    tablet.locator("#adjust-form button[type=submit]").tap()
    expect(tablet.locator("#messages")).to_contain_text("Lanjutkan dengan Ditahan (Shift+F6).")
    expect(tablet.locator("#cart tr.line")).to_have_count(0)


@pytest.mark.parametrize("width,height_px", [(800, 700), (1024, 768)])
def test_an_empty_message_strip_catches_no_tap_over_the_pay_panel(live, browser, width, height_px):
    """The till's message strip keeps its row (2.9rem) while empty and sits above the overlays so
    a refusal shows over an open form; empty, it lay over the top of the pay panel, invisible,
    and a tap there (the panel's heading, Tunai) reached nothing."""
    context = browser.new_context(viewport={"width": width, "height": height_px}, locale="id-ID",
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        two_lines(live, page)
        page.keyboard.press("F9")
        expect(page.locator("#pay-total")).to_be_visible()
        expect(page.locator("#messages .msg")).to_have_count(0)
        under = page.evaluate("""() => {
            const strip = document.querySelector('#messages').getBoundingClientRect();
            const panel = document.querySelector('.overlay .pay').getBoundingClientRect();
            const top = Math.max(strip.top, panel.top), bottom = Math.min(strip.bottom, panel.bottom);
            if (bottom <= top) return null;
            const hit = document.elementFromPoint((panel.left + panel.right) / 2, (top + bottom) / 2);
            if (hit.closest('.overlay')) return 'overlay';
            return hit.closest('#messages') ? 'messages' : hit.tagName;
        }""")
        assert under in (None, "overlay"), under
        # a message there still takes its tap (a tap puts it away)
        page.evaluate("""() => { const d = document.createElement('div'); d.className = 'msg msg-warn';
            d.textContent = 'Periksa'; document.querySelector('#messages').append(d); }""")
        page.locator("#messages .msg").tap()
        expect(page.locator("#messages .msg")).to_have_count(0)
    finally:
        context.close()


def in_sight(page, selector: str) -> None:
    found, view = page.locator(selector).first.bounding_box(), page.viewport_size
    assert found is not None, selector
    assert found["y"] >= 0 and found["y"] + found["height"] <= view["height"] + 0.5, (selector, found)


def test_buka_struk_after_a_sale_is_a_fingers_size(live, tablet):
    """"Buka struk" in the strip after a sale was a 77x16 px text link, and so was the one the
    till shows again after a reload just after the sale; the total stays in sight beside it."""
    two_lines(live, tablet)
    tablet.keyboard.press("F9")
    tablet.keyboard.press("F5")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#change-due")).to_be_visible()
    opened = tablet.locator("#last-sale").get_by_role("link", name="Buka struk")
    expect(opened).to_have_class(re.compile(r"\bbtn\b"))
    assert height(opened) >= TOUCH_MIN_PX
    for selector in ("#change-due", "#cart-total", "#pay-button", "#last-sale"):
        in_sight(tablet, selector)
    tablet.reload()                                 # a reload just after the sale: shown again
    expect(tablet.locator("#last-sale-saved")).to_be_visible()
    again = tablet.locator("#last-sale-saved").get_by_role("link", name="Buka struk")
    assert height(again) >= TOUCH_MIN_PX
    for selector in ("#last-sale-saved", "#cart-total", "#pay-button"):
        in_sight(tablet, selector)


def test_retur_and_a_receipts_way_back_to_riwayat_are_a_fingers_size(live, tablet):
    """"← Riwayat Esc" on /retur and on a receipt's page was a 121x19 px text link."""
    base, _ = live
    two_lines(live, tablet)
    tablet.keyboard.press("F9")
    tablet.keyboard.press("F5")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#change-due")).to_be_visible()
    for path in ("/retur", "/kasir/struk/1"):
        tablet.goto(f"{base}{path}")
        back = tablet.get_by_role("link", name=re.compile("Riwayat"))
        expect(back).to_have_class(re.compile(r"\bbtn\b"))
        assert height(back) >= TOUCH_MIN_PX, path
    back.tap()
    expect(tablet.locator("#history-q")).to_be_visible()
