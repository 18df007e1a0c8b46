"""The till page in real Chromium while its last scripts are still arriving (a slow mini-PC or
LAN): a cashier who already pressed F7 and is typing a member number keeps typing into the
member field; the page's own "focus the scan field" on load takes only an unfocused page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def test_typing_into_the_member_field_before_the_page_has_loaded_stays_there(live, page):
    base, _app = live
    log_in(page, base)
    held = []   # the till's last deferred script, answered only when the test says so
    page.route("**/static/js/till_extra.js*", lambda route: held.append(route))
    page.goto(f"{base}/kasir", wait_until="commit")
    page.wait_for_function("() => !!window.GeraiPOS")      # pos.js runs; DOMContentLoaded waits
    page.wait_for_function("() => document.readyState !== 'complete'")
    while not held:
        page.wait_for_timeout(20)
    page.keyboard.press("F7")
    member = page.get_by_label("Anggota F7")
    expect(member).to_be_focused()
    page.keyboard.type("AGT-", delay=10)
    held[0].continue_()
    page.wait_for_load_state("domcontentloaded")
    page.wait_for_function("() => document.readyState !== 'loading'")
    page.keyboard.type("0001", delay=10)
    expect(member).to_have_value("AGT-0001")
    expect(member).to_be_focused()
    expect(page.locator("#scan")).to_have_value("")
