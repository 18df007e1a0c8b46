"""The typed weight's Ya button in real headless Chromium, while a request of the till loads: a
click on Ya counts once, never dropped and never twice."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.sales.models import CartLine
from tests.browser.test_till_browser import log_in
from tests.browser.test_weighing_browser import pick_rice, without_scale

pytestmark = pytest.mark.browser
MANUAL = "**/kasir/timbang/*/manual"
YES = "Ya, tambahkan 1.250 kg"


def asked_about_1250(live, page) -> list:
    """The till without a scale, 1250 typed for Beras Medium Curah and its question shown; from
    then on the first answer of the prompt is held (a slow server) until the test lets it go.
    Returns the held answers and, after them, every post of a yes the page sent."""
    base, app = live
    without_scale(app)
    log_in(page, base)
    pick_rice(page)
    page.keyboard.type("1250", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#weigh-check")).to_be_visible()
    held, yeses = [], []
    page.on("request", lambda r: yeses.append(r) if "yakin=" in (r.post_data or "") else None)
    page.route(MANUAL, lambda route: held.append(route) if not held else route.continue_())
    return held, yeses


def let_go(page, held: list) -> None:
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the answer was held"
    held[0].continue_()


def lines(app) -> list[int]:
    with get_db(app).reading() as s:
        return s.execute(select(CartLine.qty)).scalars().all()


def test_ya_clicked_while_the_question_is_asked_again_is_sent_once_it_is_answered(live, page):
    """Enter asked again (the server slow to answer), Ya clicked meanwhile: the click was
    dropped (htmx sends one request of a form at a time and the answer replaced the form)."""
    _base, app = live
    held, yeses = asked_about_1250(live, page)
    page.keyboard.press("Enter")                          # asks again; the answer is held
    ya = page.get_by_role("button", name=YES)
    ya.click()
    let_go(page, held)
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#cart tr.line .qty")).to_have_value("1250")
    expect(page.locator("#weigh-form")).to_have_count(0)
    page.wait_for_timeout(500)                            # nothing more comes
    assert lines(app) == [1_250_000]
    assert len(yeses) == 1


def test_ya_pressed_as_the_answer_arrives_counts(live, page):
    """The button pressed on the question still loading and let go on the one that replaced it:
    the browser sends no click at all (pressed and let go on two different buttons)."""
    _base, app = live
    held, yeses = asked_about_1250(live, page)
    page.keyboard.press("Enter")
    box = page.get_by_role("button", name=YES).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.locator("#weigh-form").evaluate("el => { el.dataset.before = '1'; }")
    let_go(page, held)
    expect(page.locator("#weigh-form:not([data-before])")).to_have_count(1)   # the answer is drawn
    page.mouse.up()
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#weigh-form")).to_have_count(0)
    page.wait_for_timeout(500)
    assert lines(app) == [1_250_000]
    assert len(yeses) == 1


def test_ya_clicked_twice_while_it_is_sent_adds_the_line_once(live, page):
    _base, app = live
    held, yeses = asked_about_1250(live, page)
    ya = page.get_by_role("button", name=YES)
    ya.click()
    ya.click()                                            # again while the first is on its way
    let_go(page, held)
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#weigh-form")).to_have_count(0)
    page.wait_for_timeout(500)
    assert lines(app) == [1_250_000]
    assert len(yeses) == 1
