"""The customer screen's QRIS in real Chromium: shown while the till's pay panel offers it, and
gone once the cashier closes the panel (Esc) or moves to another method, so a customer never
pays a code the cashier has moved on from (and then pays cash too)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.auth.models import User
from pos.db import get_db
from pos.display import tokens
from pos.settings import service as settings
from pos.tills.models import Till
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all
from tests.payments.vectors import SAMPLE1

pytestmark = pytest.mark.browser


def test_the_customer_screen_drops_the_qris_when_the_cashier_moves_on(live, page):
    base, app = live
    with get_db(app).transaction() as s:
        settings.put_qris_static(s, SAMPLE1, None)
    goods = packaged_goods(app, 1)
    log_in(page, base)
    with get_db(app).reading() as s:
        till_id = s.scalar(select(Till.id).join(User, User.id == Till.held_by)
                           .where(User.username == "kasir1"))
    token = tokens.screen_token(app.config["SECRET_KEY"], till_id)
    screen = page.context.browser.new_context(viewport={"width": 800, "height": 1280}).new_page()
    screen.goto(f"{base}/layar/{till_id}/{token}")
    scan_all(page, [code for _, code, _, _ in goods])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    qris_on_screen = screen.locator("#cs-qris")

    page.keyboard.press("F9")
    page.keyboard.press("F2")                       # QRIS: the QR on the till and the screen
    expect(page.locator("#qris-code figure.qris")).to_be_visible()
    expect(qris_on_screen).to_be_visible()
    page.keyboard.press("Escape")                   # the panel closed: the customer pays otherwise
    expect(page.locator("#pay-panel")).to_be_hidden()
    expect(qris_on_screen).to_have_count(0)

    page.keyboard.press("F9")
    page.keyboard.press("F2")
    expect(qris_on_screen).to_be_visible()
    page.keyboard.press("F1")                       # back to cash within the panel
    expect(qris_on_screen).to_have_count(0)
    screen.context.close()
