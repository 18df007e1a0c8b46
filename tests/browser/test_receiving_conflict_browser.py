"""A posting refused because the draft was changed on another screen (409), sent from the foot
of a long draft at the four screen sizes: the message sat stuck at the top of the window over the
lines under it. It sits in its place under the top bar now, the lines after it, nothing under it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.db import get_db
from tests.browser.test_receiving_browser import draft_for, sign_in, watch_errors
from tests.browser.test_till_browser import packaged_goods
from tests.browser.test_till_layout_browser import SIZES, overlap

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_posting_refused_for_a_change_elsewhere_says_so_in_its_place(live, browser, width, height):
    base, app = live
    from pos.inventory.receiving import receipts

    receipt_id = draft_for(app, "SJ-BENTROK")
    with get_db(app).transaction() as s:
        lines = [receipts.add_line(s, receipt_id, product_id, None, 1, 14_000)
                 for product_id, *_ in packaged_goods(app, 8)]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        errors = watch_errors(page)
        sign_in(page, base, "gudang1", "2222")
        page.goto(f"{base}/penerimaan/{receipt_id}")
        page.on("dialog", lambda dialog: dialog.accept())
        with get_db(app).transaction() as s:            # another screen changes the last line
            line = s.get(receipts.GoodsReceiptLine, lines[-1])
            line.cost_per_pack = 14_500
        posting = page.get_by_role("button", name="Posting")
        posting.scroll_into_view_if_needed()
        assert page.evaluate("scrollY") > 0             # the foot of the draft, far from the top
        posting.click()
        message = page.locator("#messages .msg-error")
        expect(message).to_contain_text("tidak diposting: barisnya sudah diubah di layar lain")
        expect(page.locator(f"#line-{lines[-1]} .gr-sum")).to_contain_text("1 pcs · Rp14.500")
        page.wait_for_timeout(200)
        shown = message.bounding_box()
        top_bar = page.locator("header.topbar").bounding_box()
        assert shown["y"] >= top_bar["y"] + top_bar["height"] - 0.5, (shown, top_bar)  # under the bar
        assert shown["y"] + shown["height"] <= height, shown
        for selector in ("#gr-draft .gr-head", ".gr-entry", "#gr-lines form.gr-line"):
            found = page.locator(selector)
            for i in range(found.count()):
                other = found.nth(i).bounding_box()
                assert overlap(shown, other) < 1, (selector, i, shown, other)
        expect(page.locator("h1 .gr-status")).to_have_text("Draf")
        page.keyboard.press("F9")                        # looked at, posted as shown now
        expect(page.locator("h1 .gr-status")).to_have_text("Diposting")
        assert errors == []
    finally:
        context.close()
