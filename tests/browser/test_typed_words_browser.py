"""A typed reason breaks between its words: on an 800 px tablet the manager's "Penyesuaian &
pemusnahan" list cut "Kedaluwarsa" in its Alasan column ("Kedaluwars" over "a 17-11-2026").
A reason of 200 characters with no space in it still wraps inside its cell, so the table stays
on the screen with nothing to scroll sideways."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.auth.models import User
from pos.clock import utcnow
from pos.db import get_db
from pos.inventory.catalog.models import Product
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from tests.browser.test_long_reasons_fit_browser import LONG
from tests.browser.test_member_tables_fit_browser import SIZES, fits
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
REASON = "Kedaluwarsa 17-11-2026"
# how many line boxes the first word of the text node holding ``word`` takes
LINES = """([selector, word]) => {
  const walk = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  }
  return -1; }"""


def waiting(app, *reasons: str) -> None:
    """A stock adjustment asked by gudang1 for each of ``reasons``, waiting for a manager."""
    with get_db(app).transaction() as s:
        gudang = s.scalar(select(User.id).where(User.username == "gudang1"))
        products = s.scalars(select(Product.id).where(Product.active).order_by(Product.id)
                             .limit(len(reasons))).all()
        for product, reason in zip(products, reasons, strict=True):
            s.add(StockAdjustment(kind=AdjustmentKind.WRITEOFF, product_id=product, qty=-1,
                                  reason=reason, status=ApprovalStatus.PENDING,
                                  requested_by=gudang, requested_at=utcnow()))


def test_a_reasons_word_is_never_cut_and_a_long_one_still_wraps(live, browser):
    base, app = live
    waiting(app, REASON)
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/penyesuaian")
    for width, height in [(800, 1280), *SIZES]:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(LINES, ["#pending td.typed", "Kedaluwarsa"]) == 1, width
        fits(page, "#pending table", width)
    waiting(app, LONG)                                     # and one pasted with no space in it
    page.reload()
    for width, height in [(800, 1280), *SIZES]:
        page.set_viewport_size({"width": width, "height": height})
        fits(page, "#pending table", width)
        long = page.locator("#pending td.typed").get_by_text(LONG[:40]).first.bounding_box()
        assert long["height"] > 60, (width, long)          # wrapped, over several lines
        assert page.evaluate(LINES, ["#pending td.typed", "Kedaluwarsa"]) == 1, width
    assert errors == []
    context.close()
