"""A manager corrects a batch's expiry to a date more than 5 years away in real headless Chromium:
refused until the box under the date is ticked, the box reached and ticked with the keyboard
alone (Tab, Space), as receiving asks for such a year."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pos.db import get_db
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.models import Batch
from tests.browser.test_counts_browser import scan
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser


def test_a_far_expiry_is_confirmed_with_a_box_reached_by_keyboard(live, page):
    base, app = live
    with get_db(app).reading() as s:
        code, batch_id = s.execute(
            select(ProductBarcode.code, func.min(Batch.id))
            .join(Product, Product.id == ProductBarcode.product_id)
            .join(Batch, Batch.product_id == Product.id)
            .where(Product.batch_tracked, ProductBarcode.qty == 1)
            .group_by(ProductBarcode.code).having(func.count(Batch.id) == 1)
            .order_by(ProductBarcode.code).limit(1)).one()
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/penyesuaian")
    scan(page, code)
    fixing = page.locator("#batch-fix")
    fixing.locator("summary").focus()
    page.keyboard.press("Enter")                         # opens the details
    date_box = fixing.get_by_label("Kedaluwarsa yang benar")
    date_box.fill("19-09-2099")
    fixing.get_by_label("Alasan").first.fill("tahun di kemasan memang 2099")
    fixing.get_by_label("Alasan").first.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("lebih dari 5 tahun lagi: periksa tahunnya")
    with get_db(app).reading() as s:
        assert s.get(Batch, batch_id).expiry != date(2099, 9, 19)
    date_box.focus()
    page.keyboard.press("Tab")
    box = fixing.get_by_label("Kedaluwarsa lebih dari 5 tahun lagi memang benar", exact=False)
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.keyboard.press("Tab")
    expect(fixing.get_by_label("Alasan").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("kedaluwarsa 19-09-2099")
    with get_db(app).reading() as s:
        assert s.get(Batch, batch_id).expiry == date(2099, 9, 19)
    assert errors == []
