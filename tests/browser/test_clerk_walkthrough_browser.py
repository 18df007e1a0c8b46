"""A stock clerk's walk-through at 1024x768 and the 800x1280 tablet: codes never break at their
hyphen (a count's batch, a delivery note, a shelf), the receipt list shows every amount whole at
800 px, and /penerimaan opens in its supplier field."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.inventory.catalog.models import Product
from pos.inventory.counts import counting
from pos.inventory.models import Batch
from tests.browser.test_receiving_browser import draft_for, sign_in, watch_errors

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (800, 1280)]
BATCH = "PCT-2612A"
SHELF = "R-01"
NOTES = ("SJ-PBF-88200", "DO-BLG/2026/1207")
# Each element of the selector shown, holding one of the texts: [text, its white-space, lines it takes].
WHOLE = """([selector, texts]) => [...document.querySelectorAll(selector)]
  .filter(e => texts.includes(e.textContent.trim()) && e.checkVisibility())
  .map(e => { const range = document.createRange(); range.selectNodeContents(e);
    return [e.textContent.trim(), getComputedStyle(e).whiteSpace, range.getClientRects().length]; })"""


def clerk_story(app) -> dict:
    """A count with a batch counted short and goods counted over, a posted receipt worth
    hundreds of millions and a draft from a PBF, and goods on shelf R-01 under their reorder
    point; returns the ids."""
    from pos.inventory.receiving import posting, receipts, reversal

    today = business_date(utcnow(), app.config["TIMEZONE"])
    with get_db(app).transaction() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
        drug = s.scalar(select(Product).where(Product.sku == "APT-K001"))
        batch = s.scalar(select(Batch).where(Batch.product_id == drug.id, Batch.on_hand > 0))
        batch.batch_no = BATCH
        low = s.scalar(select(Product).where(Product.active, ~Product.batch_tracked,
                                             Product.sku != drug.sku).order_by(Product.id))
        low.shelf, low.reorder_point = SHELF, 10_000_000
        count_id = counting.open_count(s, "all", users["gudang1"])
        counting.record(s, count_id, drug.id, max(batch.on_hand - 3, 0), users["gudang1"], batch.id)
        held = s.scalar(select(Product).where(Product.active, ~Product.batch_tracked,
                                              Product.base_unit == drug.base_unit,
                                              Product.id != low.id).order_by(Product.id))
        counting.record(s, count_id, held.id, 5, users["gudang1"])
        goods = s.execute(select(Product.id, Product.batch_tracked, Product.price).where(Product.active)
                          .order_by(Product.id).limit(3)).all()
    posted = draft_for(app, NOTES[1], "Perum Bulog Kantor Cabang Samarinda Seberang")
    draft = draft_for(app, NOTES[0], "PBF Borneo Farma Samarinda")
    with get_db(app).transaction() as s:
        for n, (product_id, tracked, price) in enumerate(goods):
            batch = {"batch_no": f"B-{n}", "expiry": today + timedelta(days=400)} if tracked else {}
            receipts.add_line(s, posted, product_id, None, 9_100, price, ordered_packs=9_100, **batch)
            receipts.add_line(s, draft, product_id, None, 2, price, ordered_packs=2, **batch)
        posting.post(s, posted, users["gudang1"], today)
        reversal.create_reversal(s, posted, users["gudang1"], "surat jalan salah pemasok")
    return {"count": count_id, "posted": posted, "draft": draft}


def whole(page, selector: str, texts, where) -> None:
    shown = page.evaluate(WHOLE, [selector, list(texts)])
    assert {s[0] for s in shown} == set(texts), (where, shown)
    broken = [s for s in shown if s[1] != "nowrap" or s[2] != 1]
    assert broken == [], (where, broken)


def test_codes_are_never_broken_at_their_hyphen(live, page):
    """At 800 px the count's batch read "PCT-" over "2612A", the shelf "R-" over "01"; the
    delivery note "SJ-" over "PBF-88200" in the draft's header even at 1024 px, "DO-" over
    "BLG/2026/1207" in the receipt list; the list's status badge broke with its border split."""
    base, app = live
    ids = clerk_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/opname/{ids['count']}")
        whole(page, "#variances .code", [BATCH], (width, "count"))
        page.goto(f"{base}/katalog/stok")
        whole(page, "#low-stock td", [SHELF], (width, "low stock"))
        page.goto(f"{base}/penerimaan/{ids['draft']}")
        whole(page, ".gr-head .nowrap", [NOTES[0]], (width, "draft"))
        page.goto(f"{base}/penerimaan/{ids['posted']}")
        whole(page, ".gr-meta .nowrap", [NOTES[1]], (width, "posted"))
        page.goto(f"{base}/penerimaan")
        whole(page, ".gr-list td, .gr-list .nowrap", list(NOTES), (width, "list"))
        whole(page, ".gr-list .gr-status", ["Draf", "Diposting", "Menunggu persetujuan"],
              (width, "list status"))
    assert errors == []


def test_the_receipt_list_shows_every_column_whole_at_800(live, page):
    """At 800 px the list's Nilai was cut mid-number ("Rp273.00…") and Dibuat was off the screen
    behind a sideways scroll."""
    base, app = live
    clerk_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penerimaan")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        table, box, box_scroll, document = page.evaluate("""() => {
          const t = document.querySelector('.gr-list'), box = t.parentElement;
          return [t.scrollWidth, box.clientWidth, box.scrollWidth,
                  document.documentElement.scrollWidth]; }""")
        assert table <= box and box_scroll <= box and document <= width, (width, table, box, box_scroll)
        cut = page.evaluate("""() => [...document.querySelectorAll('.gr-list td')]
          .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.trim())""")
        assert cut == [], (width, cut)
        heads = page.locator(".gr-list thead").inner_text().lower()
        for head in ("nomor", "pemasok", "surat jalan", "status", "nilai", "dibuat"):
            assert head in heads, (width, head)
    assert errors == []


def test_the_receipt_screen_opens_in_the_supplier_field(live, page):
    base, _ = live
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penerimaan")
    expect(page.get_by_label("Pemasok", exact=True)).to_be_focused()



def test_an_open_counts_variances_fit_with_the_stock_now_and_after_approval(live, page):
    """The manager approving a count saw only the stock when counted; the stock now and what
    approval leaves are columns too, and the table fits 1024 and 800 px with nothing cut (Oleh
    was behind a sideways scroll at 800 already)."""
    base, app = live
    ids = clerk_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/opname/{ids['count']}")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        table, box, box_scroll, document = page.evaluate("""() => {
          const t = document.querySelector('table.variances'), box = t.parentElement;
          return [t.scrollWidth, box.clientWidth, box.scrollWidth,
                  document.documentElement.scrollWidth]; }""")
        assert table <= box and box_scroll <= box and document <= width, (width, table, box, box_scroll)
        heads = " ".join(page.locator("table.variances thead").inner_text().split()).lower()
        for head in ("sistem saat dihitung", "dihitung", "selisih", "rupiah", "stok sekarang",
                     "setelah disetujui", "oleh"):
            assert head in heads, (width, head)
        whole(page, "#variances .code", [BATCH], (width, "count"))
    assert errors == []
