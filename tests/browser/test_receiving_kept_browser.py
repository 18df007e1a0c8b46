"""A refused entry on a receiving draft stays as typed, marked, while the lines are drawn again:
another line refused, a product scanned, a refusal because another screen changed the line."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory.catalog.models import ProductBarcode
from tests.browser.test_receiving_browser import draft_for, product_named, sign_in, watch_errors
from tests.browser.test_till_browser import scan_all
from tests.factories import outlet_today

pytestmark = pytest.mark.browser

BAD = re.compile(r"\bbad\b")


def code_of(app, words: str) -> str:
    """The single-piece barcode of the first product named ``words``."""
    product_id, _name = product_named(app, words)
    with get_db(app).reading() as s:
        return s.scalar(select(ProductBarcode.code).where(ProductBarcode.product_id == product_id,
                                                          ProductBarcode.qty == 1))


def expect_kept(line, field, typed: str) -> None:
    """``field`` of ``line`` still shows ``typed``, marked red, and the line asks to be fixed."""
    expect(field).to_have_value(typed)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("data-kept", "")
    expect(line).to_have_class(BAD)
    expect(line.locator(".gr-bad-note")).to_have_text("perbaiki baris ini")


def test_a_refused_date_stays_when_another_line_is_refused_or_a_product_scanned(live, browser):
    """Line A's past date was refused and kept (red, 'perbaiki baris ini'); line B's 31-02-2027,
    refused next, reloaded the lines and A's field came back empty and unmarked, as it did
    after a scan. Every refused field now stays as typed until it is typed in again."""
    base, app = live
    from pos.inventory.receiving import receipts

    product_id, _name = product_named(app, "paracetamol")
    receipt_id = draft_for(app, "SJ-BF-0701", "PBF Borneo Farma Samarinda")
    with get_db(app).transaction() as s:
        ids = [receipts.add_line(s, receipt_id, product_id, None, 10, 2_500, ordered_packs=10,
                                 batch_no=f"PCT270{n}") for n in (1, 2, 3)]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penerimaan/{receipt_id}")
    line_a, line_b = page.locator(f"#line-{ids[0]}"), page.locator(f"#line-{ids[1]}")
    expiry_a, expiry_b = line_a.get_by_label("Kedaluwarsa"), line_b.get_by_label("Kedaluwarsa")
    past = (outlet_today() - timedelta(days=5)).strftime("%d-%m-%Y")
    expiry_a.fill(past)
    expiry_a.press("Tab")
    expect(page.locator("#messages")).to_contain_text("sudah lewat")
    expect_kept(line_a, expiry_a, past)

    expiry_b.fill("31022027")
    expiry_b.press("Tab")
    expect(line_b).to_have_class(BAD)
    expect(expiry_b).to_be_focused()
    expect_kept(line_b, expiry_b, "31022027")
    expect_kept(line_a, expiry_a, past)                 # it came back empty and unmarked
    expect(line_a.locator("output.date-words")).to_contain_text(past[-4:])

    page.get_by_label("Kode barang").click()
    scan_all(page, [code_of(app, "minyak")])            # a scan draws every line again
    expect(page.locator("#gr-lines form.gr-line")).to_have_count(4)
    expect_kept(line_a, expiry_a, past)
    expect_kept(line_b, expiry_b, "31022027")
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("F9")                            # posting waits for both
    expect(page.locator("#messages")).to_contain_text("belum tersimpan")
    expect(expiry_a).to_be_focused()
    expect(page.locator("h1 .gr-status")).to_have_text("Draf")

    later = (outlet_today() + timedelta(days=400)).strftime("%d-%m-%Y")
    expiry_a.fill(later)                                 # A put right: only B stays marked
    expiry_a.press("Tab")
    expect(line_a).not_to_have_class(BAD)
    expect(expiry_a).not_to_have_attribute("aria-invalid", "true")
    expect(line_a.locator(".gr-bad-note")).to_have_count(0)
    expect_kept(line_b, expiry_b, "31022027")
    with get_db(app).reading() as s:
        assert s.get(receipts.GoodsReceiptLine, ids[0]).expiry.strftime("%d-%m-%Y") == later
        assert s.get(receipts.GoodsReceiptLine, ids[1]).expiry is None
    assert errors == []
    page.close()


def test_a_count_refused_for_another_screens_change_stays_after_a_scan(live, page):
    """Tab B's Diterima 20 was refused (tab A had saved 24 meanwhile) and kept, red; a scan in
    B then showed 24 unmarked, and posting would have booked 24 silently."""
    base, app = live
    from pos.inventory.receiving import receipts

    product_id, _name = product_named(app, "minyak")
    receipt_id = draft_for(app, "SJ-DUA-LAYAR-2")
    with get_db(app).transaction() as s:
        line_id = receipts.add_line(s, receipt_id, product_id, None, 1, 14_000)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penerimaan/{receipt_id}")
    other = page.context.new_page()                      # tab B, drawn before A saves
    other.set_default_timeout(10_000)
    other.goto(f"{base}/penerimaan/{receipt_id}")
    a_line, b_line = page.locator(f"#line-{line_id}"), other.locator(f"#line-{line_id}")
    a_line.get_by_label("Diterima").fill("24")
    a_line.get_by_label("Diterima").press("Tab")
    expect(a_line.locator(".gr-sum")).to_contain_text("= 24 ")
    received = b_line.get_by_label("Diterima")
    received.fill("20")
    received.press("Tab")
    expect(other.locator("#messages")).to_contain_text("baris ini sudah diubah di layar lain")
    expect_kept(b_line, received, "20")
    other.get_by_label("Kode barang").click()
    scan_all(other, [code_of(app, "gula")])
    expect(other.locator("#gr-lines form.gr-line")).to_have_count(2)
    expect_kept(b_line, received, "20")
    with get_db(app).reading() as s:
        assert s.get(receipts.GoodsReceiptLine, line_id).qty_packs == 24
    other.close()
    assert errors == []
