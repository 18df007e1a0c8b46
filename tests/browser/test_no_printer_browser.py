"""A gerai still on dummy:// (no printer set): after a sale the till says no receipt came out
as a warning, yellow as the other screens say it, not as a note in the sale's green strip,
and the strip still fits the screen at the four sizes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.hardware import build_printer
from tests.browser.test_till_browser import paying_one_good
from tests.browser.test_till_layout_browser import (
    REGIONS,
    SIZES,
    assert_no_overlaps,
    assert_page_does_not_scroll,
    box,
    inside_viewport,
)

pytestmark = pytest.mark.browser

WARN_BACKGROUND = "rgb(255, 243, 205)"   # .msg-warn in pos.css


@pytest.fixture
def printer():
    return build_printer("dummy://", 32)


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_receipt_not_printed_on_dummy_is_a_warning_in_sight(live, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    paying_one_good(live, page)
    page.keyboard.press("F5")                       # uang pas
    page.keyboard.press("Enter")
    status = page.locator("#print-status")
    expect(status).to_have_text("Struk tidak dicetak: printer belum diatur (Perangkat).")
    expect(status).to_have_class("msg msg-warn")
    assert status.evaluate("e => getComputedStyle(e).backgroundColor") == WARN_BACKGROUND
    page.wait_for_timeout(300)   # the receipt's text arrives in its own request
    inside_viewport(page, "#print-status")
    strip, shown = box(page, "#last-sale"), box(page, "#print-status")
    assert shown["y"] + shown["height"] <= strip["y"] + strip["height"] + 0.5
    assert_no_overlaps(page, REGIONS + ["#last-sale"])
    assert_page_does_not_scroll(page)
