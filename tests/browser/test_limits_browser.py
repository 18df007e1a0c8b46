"""Batas per pembeli in headless Chromium: Enter in the name search puts the first product found
into the rule, as on the stock screens (it had to be clicked)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.limits.models import LimitRule
from tests.browser.signin import sign_in_by_client

pytestmark = pytest.mark.browser


def test_enter_in_the_search_attaches_the_first_product_found(live, page):
    base, app = live
    assert sign_in_by_client(page, base, "manajer1", "9999")
    with get_db(app).reading() as s:
        rule_id = s.scalar(select(LimitRule.id).where(LimitRule.name == "Beras SPHP"))
    page.goto(f"{base}/batas/{rule_id}")
    products = page.locator("#limit-products > ul")
    expect(products).not_to_contain_text("Gula Pasir Kemasan")
    search = page.locator("#limit-search")
    search.fill("gula pasir kemasan")
    expect(page.locator("#limit-results .result").first).to_be_visible()
    search.press("Enter")
    expect(products).to_contain_text("Gula Pasir Kemasan Gerai 1 kg")


def test_a_quote_or_a_backslash_typed_off_the_till_is_only_typed(live, page):
    """Typing " on any page but the till threw "not a valid selector" from the page keys."""
    base, _ = live
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    assert sign_in_by_client(page, base, "manajer1", "9999")
    page.goto(f"{base}/batas")
    name = page.locator("#limit-name")
    name.press_sequentially('Beras "SPHP" \\ zona')
    expect(name).to_have_value('Beras "SPHP" \\ zona')
    assert errors == []
