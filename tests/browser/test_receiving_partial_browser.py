"""A correction of only the wrong line of a delivery, in real headless Chromium: the eggs of
another line had been sold, so the correction of the whole delivery was refused and the clerk
had no way to take back just the 40 Indomie never ordered."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.models import MovementKind
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine
from tests.browser.test_receiving_browser import draft_for, product_named, sign_in, watch_errors
from tests.factories import outlet_today

pytestmark = pytest.mark.browser


def test_the_clerk_corrects_only_the_wrong_line_and_the_manager_approves_it(live, page):
    base, app = live
    from pos.inventory.receiving import posting, receipts

    eggs, egg_name = product_named(app, "telur ayam negeri")
    mie, mie_name = product_named(app, "indomie")
    receipt_id = draft_for(app, "DO-BULOG-0001", "Bulog Sub Divre")
    with get_db(app).transaction() as s:
        clerk = s.get(GoodsReceipt, receipt_id).created_by
        for product_id, packs in ((eggs, 9), (mie, 40)):
            receipts.add_line(s, receipt_id, product_id, None, packs, s.get(Product, product_id).cost)
        posting.post(s, receipt_id, clerk, outlet_today())
        stock.apply(s, [stock.Move(eggs, -1)], MovementKind.SALE)
        eggs_left, mie_left = stock.on_hand(s, eggs), stock.on_hand(s, mie)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penerimaan/{receipt_id}")
    take = page.locator("#gr-take")
    expect(take.get_by_role("checkbox")).to_have_count(2)
    for box in take.get_by_role("checkbox").all():
        expect(box).to_be_checked()                      # all of it, as before, unless unticked
    page.get_by_label("Ada yang salah? Alasan koreksi").fill("Indomie tidak dipesan")
    take.get_by_label(egg_name, exact=True).uncheck()
    page.get_by_label(f"Jumlah {mie_name} yang dikoreksi").fill("41")
    page.get_by_role("button", name="Buat koreksi").click()
    expect(page.get_by_text("1 sampai 40")).to_be_visible()   # refused, said on the page
    assert page.url.endswith(f"/penerimaan/{receipt_id}")
    page.get_by_label(f"Jumlah {mie_name} yang dikoreksi").fill("40")
    page.get_by_role("button", name="Buat koreksi").click()
    page.wait_for_url(lambda url: re.search(r"/penerimaan/\d+$", url) is not None
                      and not url.endswith(f"/penerimaan/{receipt_id}"))
    fix = int(page.url.rsplit("/", 1)[1])
    assert fix != receipt_id
    with get_db(app).reading() as s:
        assert s.execute(select(GoodsReceiptLine.product_id, GoodsReceiptLine.qty_packs)
                         .where(GoodsReceiptLine.receipt_id == fix)).all() == [(mie, 40)]
    page.context.clear_cookies()
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/penerimaan/{fix}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Setujui & posting").click()
    expect(page.locator(".gr-status")).not_to_contain_text("Menunggu persetujuan")
    with get_db(app).reading() as s:
        assert (stock.on_hand(s, eggs), stock.on_hand(s, mie)) == (eggs_left, mie_left - 40)
    assert errors == []
