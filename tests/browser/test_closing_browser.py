"""Tutup hari in real Chromium: the manager opens the screen from the home page, picks a
day, confirms with Enter, and sees the stored summary; no page overflows the counter
screens and the Content-Security-Policy reports nothing."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from pos.db import get_db

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (1280, 800), (1366, 768), (800, 1280)]


@pytest.fixture(scope="module")
def demo_template(demo_history_template):
    """The demo gerai with its closed days (``pos.demo.history``), as ``pos demo`` makes it."""
    return demo_history_template


def test_the_manager_closes_a_day_with_the_keyboard(live, page):
    base, app = live
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Tutup hari").click()
    page.wait_for_url(f"{base}/tutup-hari")
    expect(page.locator("#closing-days")).to_be_visible()
    page.goto(f"{base}/tutup-hari?tanggal=01-01-2020")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e =>
            e.getBoundingClientRect().right > window.innerWidth + 1).map(e =>
            e.tagName + '#' + e.id + '.' + e.className).slice(0, 8).join(' ')""")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
    # a slip of the year, before the demo's first sale: said on the list (today's preview shown)
    expect(page.locator("#day-problem")).to_contain_text("Hari 01-01-2020 tidak punya ringkasan: "
                                                         "kegiatan pertama gerai pada")
    page.goto(f"{base}/tutup-hari/2020-01-01/tutup")   # and on its confirm page, with no button to press
    expect(page.locator("#closing-refused")).to_contain_text("kegiatan pertama gerai pada")
    expect(page.locator("#closing-confirm")).to_have_count(0)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    page.goto(f"{base}/tutup-hari?tanggal={today:%d-%m-%Y}")
    page.locator("#closing-start").click()
    page.wait_for_url(f"{base}/tutup-hari/{today.isoformat()}/tutup")
    expect(page.locator("#closing-confirm")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/tutup-hari/{today.isoformat()}?ditutup=1")
    expect(page.locator("#closing-done")).to_contain_text(f"Hari {today:%d-%m-%Y} ditutup.")
    expect(page.locator("#closing-state")).to_contain_text("oleh")
    page.goto(f"{base}/tutup-hari")
    page.locator("#closing-days a.btn").nth(1).click()     # the demo's yesterday, closed
    expect(page.locator("#closing-lines")).to_be_visible()
    with get_db(app).reading() as s:
        assert s.get(BusinessDay, date(2020, 1, 1)) is None
        assert s.get(BusinessDay, today) is not None
    assert not [p for p in problems if "Content Security Policy" in p], problems
