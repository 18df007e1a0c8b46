"""A message off the till (Tersimpan, a refusal after a redirect) sits under the top bar and
pushes the page down instead of covering its heading; it stays in view while the page scrolls,
and a click puts it away. A confirmation goes by itself after a few seconds (it covered the
rows under it while a long page scrolled); a warning stays. On the till it keeps its own line
above the cart."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory.catalog.models import Product
from tests.browser.test_receiving_browser import sign_in

pytestmark = pytest.mark.browser


def test_a_message_does_not_cover_the_heading_stays_in_view_and_a_click_puts_it_away(live, page):
    base, app = live
    with get_db(app).reading() as s:
        product_id = s.scalar(select(Product.id).order_by(Product.id))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.clock.install()                       # the confirmation's own timer waits for the test
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/katalog/{product_id}")
    page.get_by_role("button", name="Simpan").first.click()
    message = page.locator("#messages .msg")
    expect(message).to_contain_text("Tidak ada perubahan.")
    shown, heading = message.bounding_box(), page.locator("main h1").bounding_box()
    assert shown["y"] + shown["height"] <= heading["y"], (shown, heading)   # not on top of it
    page.mouse.wheel(0, 900)
    page.wait_for_function("() => window.scrollY > 300")
    assert 0 <= message.bounding_box()["y"] < 60                          # still in view
    message.click()
    expect(page.locator("#messages .msg")).to_have_count(0)


def test_a_confirmation_goes_by_itself_and_a_warning_stays(live, page):
    base, app = live
    with get_db(app).reading() as s:
        product_id = s.scalar(select(Product.id).order_by(Product.id))
    page.clock.install()
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/katalog/{product_id}")
    page.get_by_role("button", name="Simpan").first.click()
    message = page.locator("#messages .msg-ok")
    expect(message).to_contain_text("Tidak ada perubahan.")
    page.clock.run_for(5_000)
    expect(message).to_be_visible()
    page.clock.run_for(1_500)
    expect(message).to_have_count(0)
    # a warning put there by the page's own script (as htmx answers do) is not timed
    page.evaluate("""() => { const d = document.createElement('div');
        d.className = 'msg msg-warn'; d.dataset.autoHide = ''; d.textContent = 'Periksa';
        document.querySelector('#messages').append(d); }""")
    page.clock.run_for(60_000)
    expect(page.locator("#messages .msg-warn")).to_have_text("Periksa")
