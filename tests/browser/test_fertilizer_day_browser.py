"""The day's subsidised fertiliser per type on Laporan harian, on Tutup hari's preview and on the
closed day's summary, in real Chromium at 1024x768 and on the 800x1280 tablet: Urea before NPK
(the e-RDKK order, not the stored JSON's), and no page scrolling sideways."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pos.db import get_db
from pos.fertilizer.models import FertilizerRedemption
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (800, 1280)]
SHOTS = os.environ.get("POS_TEST_SHOTS")   # a folder: screenshots of each screen, to look at


@pytest.fixture(scope="module")
def demo_template(demo_history_template):
    """The demo gerai with its closed days, on which its farmers redeemed urea."""
    return demo_history_template


def test_the_days_fertiliser_fits_the_counter_and_the_tablet(live, page):
    base, app = live
    with get_db(app).reading() as s:
        day = s.scalar(select(func.min(FertilizerRedemption.business_date)))
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    screens = {"harian": (f"/laporan/harian?tanggal={day:%d-%m-%Y}", "#day-fertilizer"),
               "tutup-hari": (f"/tutup-hari?tanggal={day:%d-%m-%Y}", "#closing-fertilizer"),
               "ringkasan": (f"/tutup-hari/{day.isoformat()}", "#closing-fertilizer")}
    for name, (url, table) in screens.items():
        page.goto(base + url)
        expect(page.locator(table)).to_contain_text("Urea")
        expect(page.locator(table)).to_contain_text("Total")
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
            if SHOTS:
                page.locator(table).scroll_into_view_if_needed()
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png")
    assert errors == []
