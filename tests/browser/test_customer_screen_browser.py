"""Layar pelanggan in real Chromium: a second browser (no staff login, a tablet's 800x1280)
follows the till through a sale: the lines and total as they are scanned, then Terima kasih
and the change; no Content-Security-Policy violation on the way."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.auth.models import User
from pos.db import get_db
from pos.display import tokens
from pos.money import format_rupiah
from pos.tills.models import Till
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser


def test_the_customer_screen_follows_a_sale_on_the_till(live, page):
    base, app = live
    (_, code, name, price), (_, other_code, other_name, other_price) = packaged_goods(app, 2)
    log_in(page, base)
    with get_db(app).reading() as s:
        till_id = s.scalar(select(Till.id).join(User, User.id == Till.held_by)
                           .where(User.username == "kasir1"))
    token = tokens.screen_token(app.config["SECRET_KEY"], till_id)

    tablet = page.context.browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID")
    screen = tablet.new_page()
    screen.set_default_timeout(10_000)
    refused = []
    screen.on("console", lambda msg: refused.append(msg.text)
              if "Content Security Policy" in msg.text else None)
    screen.goto(f"{base}/layar/{till_id}/{token}")
    expect(screen.locator("#cs-welcome")).to_be_visible()

    page.bring_to_front()
    scan_all(page, [code, other_code])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    total = price + other_price
    expect(screen.locator("#cs-lines")).to_contain_text(name[:15])
    expect(screen.locator("#cs-lines")).to_contain_text(other_name[:15])
    expect(screen.locator("#cs-total")).to_have_text(format_rupiah(total))

    page.keyboard.press("F9")
    tendered = (total // 50_000 + 1) * 50_000
    page.keyboard.type(str(tendered))
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#change-due")).to_have_text(format_rupiah(tendered - total))

    expect(screen.locator("#cs-thanks")).to_contain_text("Terima kasih")
    expect(screen.locator("#cs-change")).to_have_text(format_rupiah(tendered - total))
    expect(screen.locator("#cs-lines")).to_have_count(0)
    assert refused == []
    tablet.close()
