"""Buka laci (the drawer opened without a sale) in real Chromium at 1024x768: the button and
its key on the till, Alt+L opening the form, 1, 2, 3 picking a reason and Enter sending it, the
manager's PIN in the dialog, the drawer kicked and the opening recorded in the shift; a code
scanned into the form opens nothing; Esc closes it; nothing on the screen scrolls or overlaps."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.sales.models import DrawerEvent
from tests.browser.test_till_browser import log_in
from tests.browser.test_till_layout_browser import assert_no_overlaps, assert_page_does_not_scroll
from tests.conftest import live_on_demo

pytestmark = pytest.mark.browser


def no_sales(app) -> list[DrawerEvent]:
    with get_db(app).reading() as s:
        return list(s.scalars(select(DrawerEvent).where(DrawerEvent.no_sale.is_(True))))


def inside_the_screen(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= 1024 + 1 and box["y"] + box["height"] <= 768 + 1, (selector, box)


def test_alt_l_opens_the_drawer_with_a_reason_and_a_managers_pin(live, page, printer):
    base, app = live
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, base)
    button = page.locator("#no-sale-button")
    expect(button).to_be_visible()
    expect(button).to_have_text("Buka laci Alt+L")
    expect(page.locator("footer.keys")).to_contain_text("Alt+L Buka laci")
    inside_the_screen(page, "#no-sale-button")
    assert_no_overlaps(page, ["#no-sale-button", "#close-shift-button", "#x-report-button",
                              "#cash-in-button", "#cash-out-button"])
    assert_page_does_not_scroll(page)
    opened_before = printer.drawer_opens

    # Esc closes the form with nothing sent
    page.keyboard.press("Alt+l")
    expect(page.get_by_role("heading", name="Buka laci tanpa penjualan")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#no-sale-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()

    # A code scanned into the form is refused: nothing sent, nothing opened
    page.keyboard.press("Alt+l")
    expect(page.locator("#no-sale-form input[data-choice='1']")).to_be_focused()
    page.keyboard.type("8998866200301", delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Tutup dialog dulu")
    expect(page.locator("#approval-form")).to_have_count(0)
    assert no_sales(app) == [] and printer.drawer_opens == opened_before
    page.keyboard.press("Escape")
    expect(page.locator("#no-sale-form")).to_have_count(0)

    # Alt+L, 2 (Perbaiki kembalian), a note, Enter: the manager's dialog, then the drawer
    page.keyboard.press("Alt+l")
    form = page.locator("#no-sale-form")
    expect(form).to_be_visible()
    inside_the_screen(page, "#no-sale-form")
    assert_page_does_not_scroll(page)
    page.keyboard.press("2")
    expect(page.locator("#no-sale-form input[data-choice='2']")).to_be_checked()
    page.locator("#no-sale-note").fill("kurang Rp5.000")
    page.locator("#no-sale-note").press("Enter")
    expect(page.locator("#approval-user")).to_be_focused()
    expect(page.locator("#approval-dialog")).to_contain_text("Buka laci tanpa penjualan")
    assert no_sales(app) == [] and printer.drawer_opens == opened_before
    inside_the_screen(page, "#approval-form")
    page.locator("#approval-user").fill("manajer1")
    page.keyboard.press("Enter")
    expect(page.locator("#approval-pin")).to_be_focused()
    page.locator("#approval-pin").fill("9999")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Laci dibuka tanpa penjualan")
    expect(page.locator("#messages")).to_contain_text("Perbaiki kembalian: kurang Rp5.000")
    expect(page.locator("#approval-dialog .overlay")).to_have_count(0)
    expect(page.locator("#adjust-panel .overlay")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()   # the next customer's scan
    assert printer.drawer_opens == opened_before + 1
    (event,) = no_sales(app)
    assert event.reason == "Perbaiki kembalian: kurang Rp5.000" and event.opened
    assert event.shift_id is not None and event.approved_by is not None
    assert_page_does_not_scroll(page)

    # the X report lists it
    page.keyboard.press("Alt+x")
    expect(page.locator("#no-sales")).to_contain_text("Perbaiki kembalian: kurang Rp5.000")
    expect(page.locator("#no-sales-count")).to_have_text("1 kali laci dibuka tanpa penjualan.")


def test_where_cashiers_may_alone_alt_l_1_enter_opens_it(tmp_path, printer, demo_template, page):
    with live_on_demo(tmp_path, printer, demo_template, CASHIER_OPENS_DRAWER=True) as (base, app):
        page.set_viewport_size({"width": 1024, "height": 768})
        log_in(page, base)
        page.keyboard.press("Alt+l")
        expect(page.locator("#no-sale-approval")).to_have_text("Laci terbuka setelah tercatat.")
        page.keyboard.press("1")
        page.keyboard.press("Enter")
        expect(page.locator("#messages")).to_contain_text("Laci dibuka tanpa penjualan")
        expect(page.locator("#approval-form")).to_have_count(0)
        expect(page.locator("#no-sale-form")).to_have_count(0)
        expect(page.get_by_label("Kode barang")).to_be_focused()
        (event,) = no_sales(app)
        assert (event.reason, event.approved_by, event.opened) == ("Tukar uang pecahan", None, True)
        assert printer.drawer_opens == 1
