"""The till at the four screen sizes a gerai has, with 1 to 60 lines (the first with a 120-character
name and no space in it): the total is always beside Bayar, the cart scrolls in its own region
with the newest line in view, nothing overlaps, the page scrolls neither way."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from pos.auth.models import User
from pos.db import get_db
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product
from pos.members.accounts import credit
from pos.members.models import Member
from pos.money import format_rupiah
from pos.sales import cart
from pos.sales.models import Cart
from pos.settings import service as settings
from pos.tills.models import Till
from tests.browser.test_till_browser import log_in, packaged_goods
from tests.payments.vectors import SAMPLE1

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (1280, 800), (1366, 768), (800, 1280)]
# Regions of the till that must never cover one another.
REGIONS = ["#scan-form", ".till-row", "#cart", "#cart-summary", ".side-actions", "footer.keys",
           "#messages"]


def fill_cart(app, codes: list[str]) -> None:
    """Put one line per code in KASIR-1's cart, straight through the service."""
    with get_db(app).transaction() as s:
        till_id = s.scalar(select(Till.id).where(Till.code == "KASIR-1"))
        cart.clear(s, till_id)
        for code in codes:
            cart.add(s, till_id, lookup_barcode(s, code))


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return found


def inside_viewport(page, selector: str) -> None:
    b, view = box(page, selector), page.viewport_size
    assert b["x"] >= 0 and b["y"] >= 0, (selector, b)
    assert b["x"] + b["width"] <= view["width"] + 0.5, (selector, b, view)
    assert b["y"] + b["height"] <= view["height"] + 0.5, (selector, b, view)


def overlap(a: dict, b: dict) -> float:
    dx = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(dx, 0) * max(dy, 0)


def assert_no_overlaps(page, selectors: list[str]) -> None:
    boxes = {s: box(page, s) for s in selectors}
    for i, first in enumerate(selectors):
        for second in selectors[i + 1:]:
            assert overlap(boxes[first], boxes[second]) < 1, (first, second, boxes[first], boxes[second])


def assert_page_does_not_scroll(page) -> None:
    scroll, height, wide, width = page.evaluate(
        "[document.scrollingElement.scrollHeight, innerHeight,"
        " document.scrollingElement.scrollWidth, innerWidth]")
    assert scroll <= height + 1, f"the page scrolls: {scroll} > {height}"
    assert wide <= width, f"the page scrolls sideways: {wide} > {width}"


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_total_stays_beside_bayar_at_every_size(live, browser, width, height):
    base, app = live
    goods = packaged_goods(app, 61)
    with get_db(app).transaction() as s:  # the longest name there may be, with no space in it
        s.execute(update(Product).where(Product.id == goods[0][0]).values(name="BERAS_" * 20))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base)
        for count in (1, 14, 60):
            fill_cart(app, [code for _, code, _, _ in goods[:count]])
            page.reload()
            expect(page.locator("#cart tr.line")).to_have_count(count)
            total = sum(price for *_, price in goods[:count])
            expect(page.locator("#cart-total")).to_have_text(format_rupiah(total))
            for selector in ("#scan", "#cart-total", "#pay-button", "footer.keys", "#clear-cart"):
                inside_viewport(page, selector)
            assert_no_overlaps(page, REGIONS)
            assert_page_does_not_scroll(page)

            # one more scan: its line is the highlighted one, in view inside the cart region
            page.keyboard.type(goods[60][1], delay=0)
            page.keyboard.press("Enter")
            expect(page.locator("#cart tr.line")).to_have_count(count + 1)
            newest = page.locator("#cart tr.line.hl")
            expect(newest).to_have_count(1)
            expect(newest).to_be_in_viewport()
            row, region = newest.bounding_box(), box(page, "#cart")
            assert region["y"] - 1 <= row["y"]
            assert row["y"] + row["height"] <= region["y"] + region["height"] + 1
            expect(page.locator("#cart-total")).to_have_text(format_rupiah(total + goods[60][3]))
            inside_viewport(page, "#cart-total")
            inside_viewport(page, "#pay-button")

        # after a sale the change, the receipt and "Buka struk" are on screen, under nothing
        page.keyboard.press("F9")
        page.keyboard.press("F5")
        page.keyboard.press("Enter")
        expect(page.locator("#change-due")).to_have_text("Rp0")
        expect(page.get_by_label("Struk")).to_contain_text("TST01-0000001")
        link = page.get_by_role("link", name="Buka struk")
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
        assert overlap(link.bounding_box(), box(page, "footer.keys")) < 1
        inside_viewport(page, "#cart-total")
        inside_viewport(page, "#pay-button")
        assert_page_does_not_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_key_hint_is_in_sight(live, browser, width, height):
    """The key bar shows every hint whole at every size (at 800 px it takes two lines), and
    still covers nothing."""
    base, _app = live
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base)
        bar = box(page, "footer.keys")
        hints = page.locator("footer.keys > span")
        expect(hints.last).to_contain_text("Ke pindai")
        for i in range(hints.count()):
            hint = hints.nth(i).bounding_box()
            assert hint["x"] >= bar["x"] and hint["x"] + hint["width"] <= bar["x"] + bar["width"] + 0.5, \
                (hints.nth(i).inner_text(), hint, bar)
            assert hint["y"] >= bar["y"] and hint["y"] + hint["height"] <= bar["y"] + bar["height"] + 0.5
        scroll, client = page.eval_on_selector("footer.keys", "e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= client, "the key bar scrolls sideways"
        inside_viewport(page, "footer.keys")
        assert_no_overlaps(page, REGIONS)
        assert_page_does_not_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_total_of_a_hundred_million_stays_whole_inside_its_box(live, browser, width, height):
    """Rp125.322.955 (a bulk order) ran past the screen's edge at 1024 px and pushed Bayar out of
    the summary's box; a long total now goes under its label in a smaller type."""
    base, app = live
    (product_id, code, _, _), = packaged_goods(app, 1)
    with get_db(app).transaction() as s:
        s.execute(update(Product).where(Product.id == product_id).values(price=125_322_955))
    fill_cart(app, [code])
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        expect(page.locator("#cart-total")).to_have_text("Rp125.322.955")
        summary = box(page, "#cart-summary")
        for selector in ("#cart-total", "#pay-button"):
            inside_viewport(page, selector)
            inner = box(page, selector)
            right, edge = inner["x"] + inner["width"], summary["x"] + summary["width"]
            assert summary["x"] <= inner["x"] and right <= edge, (selector, inner, summary)
        assert_no_overlaps(page, REGIONS)
        assert_page_does_not_scroll(page)
    finally:
        context.close()


@contextmanager
def paying(live, browser, width: int, height: int, *, lines: int, member: str | None = None):
    """KASIR-1's page at this size, its cart one good ``lines`` times (with ``member``, by number,
    on the sale), the payment panel open."""
    base, app = live
    (_, code, _, _), = packaged_goods(app, 1)
    fill_cart(app, [code] * lines)
    if member is not None:
        with get_db(app).transaction() as s:
            cart.put_member(s, s.scalar(select(Till.id).where(Till.code == "KASIR-1")),
                            s.scalar(select(Member.id).where(Member.number == member)))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        page.keyboard.press("F9")
        expect(page.get_by_label("Uang diterima")).to_be_focused()
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_refusal_in_the_payment_panel_never_covers_its_heading(live, browser, width, height):
    """The message shows above an open form; it sat over the Pembayaran heading at 1024 and 1280."""
    with paying(live, browser, width, height, lines=1) as page:
        page.keyboard.type("12.5", delay=60)
        page.keyboard.press("Enter")
        expect(page.locator("#messages")).to_contain_text("Uang diterima tidak valid")
        message, heading = box(page, "#messages .msg"), box(page, "#pay-panel h2")
        assert overlap(message, heading) < 1, (message, heading)
        for selector in ("#pay-panel h2", "#pay-panel button[type=submit]"):
            inside_viewport(page, selector)


def visible_on_top(page, selector: str) -> None:
    """``selector`` is inside the viewport and nothing is drawn over its middle."""
    inside_viewport(page, selector)
    assert page.evaluate("""(sel) => { const el = document.querySelector(sel);
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return !!top && (top === el || el.contains(top)); }""", selector), selector


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_selesai_and_the_change_stay_in_sight_in_a_tall_panel_under_a_message(live, browser, width,
                                                                              height):
    """Tenders listed and a refusal above the panel: Selesai was below the screen's edge at
    1024x768, 1280x800 and 1366x768, and with four tenders Kembali was under Batal/Selesai."""
    with paying(live, browser, width, height, lines=2) as page:
        for n in range(1, 5):                                       # four transfers listed
            page.keyboard.press("F3")                               # Transfer/Debit
            expect(page.locator("#transfer-amount")).to_be_focused()
            page.keyboard.press("Control+a")
            page.keyboard.type("1000", delay=120)      # a person's typing, not a scanner's burst
            page.keyboard.press("Enter")
            page.keyboard.type(f"REF-7{n}", delay=120)
            page.keyboard.press("Enter")
            expect(page.locator("#pay-tenders li")).to_have_count(n)
        expect(page.get_by_label("Uang diterima")).to_be_focused()
        page.keyboard.type("12.5", delay=60)
        page.keyboard.press("Enter")
        expect(page.locator("#messages")).to_contain_text("Uang diterima tidak valid")
        for selector in ("#pay-panel button[type=submit]", "#pay-panel [data-action=close-pay]",
                         "#tendered", "#pay-change"):
            visible_on_top(page, selector)


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_kembali_stays_in_sight_after_a_members_transfer_and_kasbon(live, browser, width, height):
    """A member's sale paid by transfer and kasbon, the rest in cash rounded to Rp100: the panel
    holds more than the screen, and Kembali sat under Batal/Selesai at 1024x768 and 1366x768 (half
    of it at 1280x800); the heading and the methods now scroll away instead."""
    _base, app = live
    app.config["CASH_ROUNDING"] = 100
    with get_db(app).transaction() as s:
        credit.set_limit(s, s.scalar(select(Member.id).where(Member.number == "AGT-0001")), 500_000,
                         s.scalar(select(User.id).where(User.username == "manajer1")))
    with paying(live, browser, width, height, lines=3, member="AGT-0001") as page:
        for n, (key, amount) in enumerate((("F3", "1000"), ("F3", "1000"), ("F4", "500")), start=1):
            page.keyboard.press(key)
            page.keyboard.press("Control+a")
            page.keyboard.type(amount, delay=120)      # a person's typing, not a scanner's burst
            page.keyboard.press("Enter")
            if key == "F3":
                page.keyboard.type(f"BRI 1234{n}", delay=120)
                page.keyboard.press("Enter")
            expect(page.locator("#pay-tenders li")).to_have_count(n)
        page.keyboard.press("F1")
        page.keyboard.press("F8")
        expect(page.locator("#pay-change")).to_have_class("ok")
        for selector in ("#pay-change", "#tendered", "#pay-panel button[type=submit]",
                         "#pay-panel [data-action=close-pay]"):
            visible_on_top(page, selector)


def fits_sideways(page, selector: str) -> None:
    scroll, client = page.eval_on_selector(selector, "e => [e.scrollWidth, e.clientWidth]")
    assert scroll <= client, f"{selector} scrolls sideways: {scroll} > {client}"


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_pay_panel_with_two_tenders_keeps_its_heading_and_the_qris_confirm_in_sight(live, browser, width,
                                                                                        height):
    """A member's kasbon and a transfer listed: at 1024x768 the panel scrolled sideways as well
    (#pay-form scrollWidth 512, clientWidth 503), "Pembayaran" scrolled off its top, and in QRIS
    "Dana QRIS sudah masuk F5" was half under Batal/Selesai."""
    _base, app = live
    with get_db(app).transaction() as s:
        settings.put_qris_static(s, SAMPLE1, None)
        credit.set_limit(s, s.scalar(select(Member.id).where(Member.number == "AGT-0004")), 500_000,
                         s.scalar(select(User.id).where(User.username == "manajer1")))
    with paying(live, browser, width, height, lines=3, member="AGT-0004") as page:
        for n, (key, amount) in enumerate((("F4", "1000"), ("F3", "1000")), start=1):
            page.keyboard.press(key)
            page.keyboard.press("Control+a")
            page.keyboard.type(amount, delay=120)      # a person's typing, not a scanner's burst
            page.keyboard.press("Enter")
            if key == "F3":
                page.keyboard.type("BRI 12345", delay=120)
                page.keyboard.press("Enter")
            expect(page.locator("#pay-tenders li")).to_have_count(n)
        page.keyboard.type("12.5", delay=60)          # a refusal above: the panel closes up
        page.keyboard.press("Enter")
        expect(page.locator("#messages")).to_contain_text("Uang diterima tidak valid")
        for selector in ("#pay-panel h2", "#pay-change", "#pay-panel button[type=submit]"):
            visible_on_top(page, selector)
        fits_sideways(page, "#pay-form")
        page.keyboard.press("F2")                                    # QRIS: the QR for what is left
        expect(page.locator("#qris-code figure.qris")).to_be_visible()
        confirm = "#pay-panel [data-action=qris-confirm]"
        page.wait_for_function("""(sel) => { const b = document.querySelector(sel).getBoundingClientRect();
            return b.bottom <= document.querySelector('#pay-form .actions').getBoundingClientRect().top; }""",
                               arg=confirm, timeout=3_000)
        for selector in ("#pay-panel h2", confirm, "#qris-code svg.qr", "#pay-panel button[type=submit]"):
            visible_on_top(page, selector)
        assert overlap(box(page, confirm), box(page, "#pay-form .actions")) < 1
        # a key's name is never split over two lines (at 1366x768 "F5" stood as "F" over "5")
        split = page.eval_on_selector_all("#pay-panel kbd", """keys => keys.filter((k) => k.offsetParent)
            .filter((k) => { const r = document.createRange(); r.selectNodeContents(k);
                             const tops = Array.from(r.getClientRects(), (b) => Math.round(b.top));
                             return new Set(tops).size > 1; })
            .map((k) => k.textContent)""")
        assert split == [], split
        fits_sideways(page, "#pay-form")
        panel = box(page, "#pay-form")
        for selector in ("#pay-panel h2", confirm):
            b = box(page, selector)
            assert panel["y"] <= b["y"] and b["y"] + b["height"] <= panel["y"] + panel["height"], (
                selector, b, panel)
        # The kiosk draws a 15 px scrollbar (headless Chromium none) and its fonts run wider than
        # the test machine's: 60 px narrower, nothing in the panel reaches past its edge either.
        page.eval_on_selector("#pay-form", "f => { f.style.width = (f.offsetWidth - 60) + 'px'; }")
        for key in ("F2", "F1", "F4", "F3"):
            page.keyboard.press(key)
            fits_sideways(page, "#pay-form")


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_members_name_stays_in_sight_however_long_the_cart(live, browser, width, height):
    """From five or six lines at 1024x768 the member bar (name, status, discounts, Lepas)
    scrolled away with the lines: only the buyer's "Pembeli Anggota AGT-0004" was left."""
    base, app = live
    fill_cart(app, [code for _, code, _, _ in packaged_goods(app, 12)])
    with get_db(app).transaction() as s:
        cart.put_member(s, s.scalar(select(Till.id).where(Till.code == "KASIR-1")),
                        s.scalar(select(Member.id).where(Member.number == "AGT-0004")))
        name = s.scalar(select(Member.name).where(Member.number == "AGT-0004"))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        expect(page.locator("#cart tr.line")).to_have_count(12)
        page.eval_on_selector("#cart", "e => { e.scrollTop = e.scrollHeight; }")   # the newest lines
        page.wait_for_timeout(100)
        expect(page.locator("#summary-member")).to_contain_text(f"AGT-0004 {name}")
        visible_on_top(page, "#summary-member")
        visible_on_top(page, "#summary-member b")
        fits_sideways(page, "#summary-member")                # the name is not cut off
        assert_no_overlaps(page, REGIONS)
        page.keyboard.press("Shift+F7")                       # Lepas: the name goes with the member
        expect(page.locator("#summary-member")).to_have_count(0)
    finally:
        context.close()


LONG_REASON = "belanja rutin koperasi untuk acara syukuran panen raya desa, disetujui ketua: " * 2


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_long_sale_discount_reason_wraps_inside_the_cart(live, browser, width, height):
    """A 40-character reason for a discount on the whole sale pushed Subtotal and ✕ out of the
    cart at 1024x768 (the reason stayed on one line in the price cell)."""
    base, app = live
    goods = packaged_goods(app, 3)
    fill_cart(app, [code for _, code, _, _ in goods])
    with get_db(app).transaction() as s:
        s.execute(update(Cart).where(Cart.till_id == s.scalar(select(Till.id).where(Till.code == "KASIR-1")))
                  .values(discount_bp=500, discount_reason=LONG_REASON[:200]))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        expect(page.locator("#cart .why").first).to_contain_text("syukuran panen raya")
        scroll, client = page.eval_on_selector("#cart", "e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= client, f"the cart scrolls sideways: {scroll} > {client}"
        region = box(page, "#cart")
        for cell in ("#cart tr.line .amount", "#cart tr.line .remove"):
            b = box(page, cell)
            assert b["x"] + b["width"] <= region["x"] + region["width"] + 0.5, (cell, b, region)
        assert_page_does_not_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_long_bank_reference_keeps_the_tenders_amount_and_hapus_in_the_panel(live, browser, width,
                                                                              height):
    """A transfer with a 64-character reference (the most it takes) drew its amount and Hapus
    past the panel's edge at 1024x768."""
    with paying(live, browser, width, height, lines=2) as page:
        page.keyboard.press("F3")
        expect(page.locator("#transfer-amount")).to_be_focused()
        page.keyboard.press("Control+a")
        page.keyboard.type("1000", delay=120)          # a person's typing, not a scanner's burst
        page.keyboard.press("Enter")
        page.locator("#transfer-reference").fill("BRI" + "7" * 61)
        page.keyboard.press("Enter")
        expect(page.locator("#pay-tenders li")).to_have_count(1)
        panel = box(page, "#pay-form")
        for part in ("#pay-tenders li button", "#pay-tenders li"):
            b = box(page, part)
            assert b["x"] >= panel["x"] - 0.5 and b["x"] + b["width"] <= panel["x"] + panel["width"] + 0.5, (
                part, b, panel)


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_an_open_form_starts_under_a_message_of_several_lines(live, browser, width, height):
    """Shift+F6's list with a refusal of two lines above it: the message covered the top of
    "Transaksi ditahan" on the tablet (the form started 118 px down whatever the message's height)."""
    base, app = live
    goods = packaged_goods(app, 2)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        for code, held in ((goods[0][1], True), (goods[1][1], False)):
            page.keyboard.type(code, delay=5)
            page.keyboard.press("Enter")
            expect(page.locator("#cart tr.line")).to_have_count(1)
            if held:
                page.keyboard.press("F6")
                expect(page.locator("#adjust-panel form")).to_be_visible()
                page.keyboard.press("Enter")
                expect(page.locator("#cart tr.line")).to_have_count(0)
        page.keyboard.press("Shift+F6")
        pick = page.locator("#adjust-panel .hold-pick").first
        expect(pick).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#messages")).to_contain_text("masih berisi")
        page.wait_for_timeout(100)                  # the observer's next frame
        message, heading = box(page, "#messages .msg"), box(page, "#adjust-panel h2")
        assert message["y"] + message["height"] <= heading["y"], (message, heading)
        visible_on_top(page, "#adjust-panel h2")
        visible_on_top(page, "#messages .msg")
    finally:
        context.close()


@contextmanager
def long_cart(live, browser, width: int, height: int, goods):
    """KASIR-1's page at this size with one line of each of ``goods``, the last highlighted."""
    base, app = live
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base)
        fill_cart(app, [code for _, code, _, _ in goods])
        page.reload()
        expect(page.locator("#cart tr.line")).to_have_count(len(goods))
        yield page
    finally:
        context.close()


def test_a_smaller_window_keeps_the_highlighted_line_in_view(live, browser):
    """Made smaller (a browser window resized, a tablet turned), the cart cut its newest line
    off until the next scan."""
    with long_cart(live, browser, 1366, 1024, packaged_goods(live[1], 30)) as page:
        newest = page.locator("#cart tr.line").last
        page.set_viewport_size({"width": 1024, "height": 600})
        page.wait_for_function("""() => { const rows = document.querySelectorAll('#cart tr.line');
            const row = rows[rows.length - 1].getBoundingClientRect();
            const region = document.querySelector('#cart').getBoundingClientRect();
            return row.bottom <= region.bottom + 1 && row.top >= region.top - 1; }""", timeout=3_000)
        row, region = newest.bounding_box(), box(page, "#cart")
        assert region["y"] - 1 <= row["y"] and row["y"] + row["height"] <= region["y"] + region["height"] + 1
        inside_viewport(page, "#cart-total")


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_line_scrolled_back_into_view_is_not_under_the_header(live, browser, width, height):
    """Scanned again, an early line of a long cart came into view with its name under the cart's
    sticky Barang / Jumlah / Harga header."""
    goods = packaged_goods(live[1], 40)
    with get_db(live[1]).transaction() as s:   # a name of three lines: a tall row
        s.execute(update(Product).where(Product.id == goods[10][0]).values(
            name=("Indomie Mi Goreng Rasa Ayam Geprek Pedas " * 3).strip()))
    with long_cart(live, browser, width, height, goods) as page:
        for _ in range(29):                                    # up from the last line to an early one
            page.keyboard.press("ArrowUp")
        first = page.locator("#cart tr.line").nth(10)
        expect(first).to_have_class("line hl")
        page.wait_for_timeout(300)                             # the scroll has happened
        header = page.locator("#cart .lines thead th").first.bounding_box()   # the sticky cells
        row = first.bounding_box()
        assert row["y"] >= header["y"] + header["height"] - 1, (row, header)


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_lines_sku_never_breaks_at_its_hyphen(live, browser, width, height):
    """A SKU after a name that filled its line broke as "APT-" over "0001"."""
    base, app = live
    goods = packaged_goods(app, 16)
    with get_db(app).transaction() as s:
        for n, (product_id, *_rest) in enumerate(goods):
            s.execute(update(Product).where(Product.id == product_id)
                      .values(name="Minyak" + " goreng" * n, sku=f"SKU-{n:04d}"))
    fill_cart(app, [code for _, code, _, _ in goods])
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, base)
        expect(page.locator("#cart small.sku")).to_have_count(len(goods))
        pieces = page.eval_on_selector_all("#cart small.sku",
                                           "els => els.map(e => e.getClientRects().length)")
        assert pieces == [1] * len(goods), pieces
    finally:
        context.close()


TABLETS = [(800, 700), (800, 1280)]


@pytest.mark.parametrize("width, height", TABLETS, ids=[f"{w}x{h}" for w, h in TABLETS])
def test_an_800_px_screen_gets_the_tablet_layout_whatever_its_height(live, browser, width, height):
    """At 800x700 (a tablet with its keyboard up, or turned) the tablet layout did not apply (it
    asked for a portrait screen): Laporan X and Tutup shift sat under the key bar, the cart scrolled
    sideways with its ✕ cut off, Kosongkan and Simpanan ran past their buttons, a name took five
    lines and the search box was 60 px wide."""
    base, app = live
    goods = packaged_goods(app, 8)
    with get_db(app).transaction() as s:
        s.execute(update(Product).where(Product.id == goods[0][0]).values(
            name="Minyak goreng Bimoli kemasan pouch 2 liter"))
    with long_cart(live, browser, width, height, goods) as page:
        # (at 800x700 the search, member and tare boxes are laid out with the Pembeli line)
        regions = [r for r in REGIONS if r != ".till-row"] + [
            ".till-row > .searchbar", "#member-form", ".till-row > .tare", "#buyer-panel", ".shift-actions"]
        assert_no_overlaps(page, regions)
        assert_page_does_not_scroll(page)
        buttons = page.locator(".till-side .btn")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            name = button.inner_text()
            b = button.bounding_box()
            assert overlap(b, box(page, "footer.keys")) < 1, (name, b)
            assert b["y"] + b["height"] <= box(page, "footer.keys")["y"] + 0.5, (name, b)
            assert b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5, (name, b)
            scroll, client = button.evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert scroll <= client, f"{name!r} runs past its button: {scroll} > {client}"
        fits_sideways(page, "#cart")
        cart_box = box(page, "#cart")
        removes = page.locator("#cart tr.line .remove")
        for i in range(removes.count()):
            b = removes.nth(i).bounding_box()
            right = cart_box["x"] + cart_box["width"]
            assert cart_box["x"] <= b["x"] and b["x"] + b["width"] <= right, (i, b)
        name = page.locator("#cart tr.line td.name").first
        lines = name.evaluate("""td => { const r = document.createRange(); r.selectNodeContents(td);
            return new Set(Array.from(r.getClientRects(), (b) => Math.round(b.bottom))).size; }""")
        assert lines <= 2, f"a 42-character name takes {lines} lines"
        assert box(page, "#search")["width"] >= 150, box(page, "#search")
        rows = page.locator("#cart tr.line")
        shown = sum(1 for i in range(rows.count())
                    if (r := rows.nth(i).bounding_box())["y"] >= cart_box["y"] - 1
                    and r["y"] + r["height"] <= cart_box["y"] + cart_box["height"] + 1)
        assert shown >= 2, f"only {shown} lines of the cart in sight"


ALL_SIZES = SIZES + [(800, 700)]


@pytest.mark.parametrize("width, height", ALL_SIZES, ids=[f"{w}x{h}" for w, h in ALL_SIZES])
def test_the_no_match_hint_is_a_dropdown_over_the_tare(live, browser, width, height):
    """F2 then "zzqx": "Tidak ada barang yang cocok" was drawn through the Tara label and field (no
    background, no border); the results box is a dropdown drawn over what it covers."""
    base, _app = live
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base)
        page.keyboard.press("F2")
        page.keyboard.type("zzqx", delay=40)
        hint = page.locator("#search-results .hint")
        expect(hint).to_have_text("Tidak ada barang yang cocok dengan “zzqx”.")
        style = hint.evaluate("""p => { const s = getComputedStyle(p);
            return [s.backgroundColor, s.borderTopStyle, s.borderTopWidth]; }""")
        assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent"), style
        assert style[1] != "none" and style[2] != "0px", style
        # where it lies over the tare (or whatever is under it), the hint is what is seen
        drawn = hint.evaluate("""p => { const r = p.getBoundingClientRect();
            return [[r.left + 4, r.top + 4], [r.left + r.width / 2, r.top + r.height / 2],
                    [r.right - 4, r.bottom - 4]].every(([x, y]) => {
                const top = document.elementFromPoint(x, y); return !!top && p.contains(top); }); }""")
        assert drawn, "something is drawn over the hint"
    finally:
        context.close()
