"""A void's reason typed at the till is the one logged (headless Chromium): Enter in "Alasan lain"
sent the first quick reason with it, and letters typed while a quick reason was highlighted
pressed it with the first Space and went on into the scan field."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.returns.models import CartVoid
from tests.browser.keys import scanner_keys
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser


def reasons(app) -> list[tuple[str, bool]]:
    with get_db(app).reading() as s:
        return [tuple(r) for r in s.execute(select(CartVoid.reason, CartVoid.whole_cart)
                                            .order_by(CartVoid.id))]


def test_a_typed_reason_is_logged_for_a_line_and_for_the_whole_cart(live, page):
    base, app = live
    (_, code, _, _), (_, other, _, _), (_, third, _, _) = packaged_goods(app, 3)
    log_in(page, base)
    scan_all(page, [code, other, third])
    expect(page.locator("#cart tr.line")).to_have_count(3)
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.type("barang kadaluarsa", delay=80)         # no click: the letters find the field
    expect(page.get_by_label("Alasan lain")).to_have_value("barang kadaluarsa")
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.get_by_label("Kode barang")).to_have_value("")
    assert reasons(app) == [("barang kadaluarsa", False)]

    page.keyboard.press("F10")
    expect(page.locator("#void-form")).to_be_visible()
    page.get_by_label("Alasan lain").click()
    page.keyboard.press("Enter")                              # nothing typed: asked, nothing sent
    expect(page.get_by_role("alert")).to_contain_text("Ketik alasannya")
    page.keyboard.type("pembeli pindah antrian", delay=80)   # a person's keys (a scanner's are a scan)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert reasons(app)[1:] == [("pembeli pindah antrian", True)] * 2


def test_a_void_above_the_setting_asks_a_manager_and_esc_keeps_the_line(live, page):
    """POS_VOID_APPROVAL_ABOVE (Rp100.000): the reason first, then the manager's dialog; Esc
    there cancels and the line stays; the manager's name and PIN take it off, logged."""
    base, app = live
    (_, code, name, price), = packaged_goods(app, 1)
    times = 100_000 // price + 1                              # one line above Rp100.000
    log_in(page, base)
    scan_all(page, [f"{times}*{code}"])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("Enter")                              # Salah pindai, highlighted
    expect(page.locator("#approval-form")).to_be_visible()
    expect(page.locator("#approval-what")).to_have_text(f"Hapus {name}")
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    expect(page.locator("#void-form")).to_have_count(0)
    page.keyboard.press("Escape")                             # cancelled: the line stays
    expect(page.locator("#approval-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert reasons(app) == []
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.get_by_label("Nama pengguna manajer").fill("manajer1")   # (typed at once: a scanner's burst)
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN manajer")).to_be_focused()
    page.get_by_label("PIN manajer").fill("9999")
    page.keyboard.press("Enter")                              # the reason is filled in: sent
    expect(page.locator("#cart tr.line")).to_have_count(0)
    expect(page.locator("#approval-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    assert reasons(app) == [("Salah pindai", False)]


@pytest.mark.serial   # a scanner is told from a person by keystroke timing: alone, as the till keys
def test_a_code_scanned_while_the_prompt_is_open_is_scanned_and_removes_nothing(live, page):
    """The scan's first digit was taken as a quick reason at once ("2" emptied the cart as
    "Pembeli batal"), or its first key went to "Alasan lain", and the code was lost."""
    base, app = live
    goods = packaged_goods(app, 4)
    log_in(page, base)
    scan_all(page, [goods[0][1], goods[1][1]])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    for key, code in (("F10", goods[2][1]), ("F4", goods[3][1])):
        page.keyboard.press(key)
        expect(page.locator("#void-form")).to_be_visible()
        scanner_keys(page, code)                              # a scanner, Enter and all
        expect(page.locator("#void-form")).to_have_count(0)
    expect(page.locator("#cart tr.line")).to_have_count(4)
    assert reasons(app) == []
    page.keyboard.press("F4")                                 # a person's quick reason still works
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("2")
    expect(page.locator("#cart tr.line")).to_have_count(3)
    assert reasons(app) == [("Pembeli batal", False)]


@pytest.mark.serial   # keys close together, as the till keys them: alone (under load they came 50 ms apart)
def test_words_typed_fast_are_a_reason_never_a_quick_choice_or_a_press(live, page):
    """Keys a quick typist sends close together are held as a scanner's would be; without a
    scan's Enter they are the reason, in its field, and nothing is removed until it is sent."""
    base, app = live
    goods = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [goods[0][1]])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.type("2 lagi")                          # a digit first, a space inside
    page.wait_for_timeout(200)                            # no scan's Enter: a person's
    page.keyboard.press("Enter")
    expect(page.get_by_label("Alasan lain")).to_have_value("2 lagi")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert reasons(app) == []
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert reasons(app) == [("2 lagi", False)]


@pytest.mark.serial   # keys handled as they come: alone, as the till keys them
@pytest.mark.parametrize("busy_at", [1, 4])
def test_a_code_scanned_while_a_slow_page_is_busy_is_scanned_whole(live, page, busy_at):
    """On a slow till the page handles a scanner's keys late: one held up 150 ms behind other
    work was read as a person's pace, the code's first digits went to "Alasan lain" and the rest
    was scanned alone ("Kode 51000555 tidak valid"). Keys are judged by when they were pressed."""
    base, app = live
    goods = packaged_goods(app, 3)
    log_in(page, base)
    scan_all(page, [goods[0][1], goods[1][1]])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    page.keyboard.press("F10")
    expect(page.locator("#void-form")).to_be_visible()
    page.evaluate("""(at) => { let keys = 0; document.addEventListener("keydown", () => {
        if (++keys === at) setTimeout(() => { const end = performance.now() + 150;
                                              while (performance.now() < end); }, 0); }, true); }""",
                  busy_at)
    scanner_keys(page, goods[2][1])
    expect(page.locator("#void-form")).to_have_count(0)
    expect(page.locator("#cart tr.line")).to_have_count(3)
    expect(page.locator("#messages")).not_to_contain_text("tidak valid")
    assert reasons(app) == []
