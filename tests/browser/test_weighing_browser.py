"""Weighed goods in real headless Chromium: the simulated serial scale and a price label."""
from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.scale import SerialScale
from pos.hardware.scale_sim import ScaleSimulator
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.scancodes import Pattern, encode
from pos.money import format_rupiah, line_amount
from pos.sales.models import SaleLine
from tests.browser.test_till_browser import log_in, scan_all

pytestmark = pytest.mark.browser


def test_weighed_rice_from_the_scale_and_sugar_from_a_price_label(live, page, printer):
    base, app = live
    with get_db(app).reading() as s:
        rice = s.execute(select(Product).where(Product.name == "Beras Medium Curah")).scalar_one()
        sugar = s.execute(select(Product).where(Product.name == "Gula Pasir Curah")).scalar_one()
    with ScaleSimulator("toledo8217") as scale:
        app.extensions["pos_hardware"] = Hardware(
            printer=printer, scale=SerialScale.from_url(f"serial://{scale.port}?protocol=toledo8217"))
        scale.set(1_234)
        log_in(page, base)
        page.get_by_label("Tara (gram)").fill("34")
        page.keyboard.press("F2")
        page.keyboard.type("beras medium", delay=20)
        expect(page.locator("#search-results .result").first).to_contain_text("Timbang")
        page.keyboard.press("Enter")                    # weighs: 1.234 g less 34 g tare
        expect(page.locator("#cart tr.line")).to_have_count(1)
        expect(page.locator("#cart tr.line .qty")).to_have_value("1,2")  # kg, never 1200 gram

        label = encode(Pattern.parse("23PPPPPRRRRRC"), str(sugar.plu), 5_000)
        scan_all(page, [label])
        expect(page.locator("#cart tr.line")).to_have_count(2)
        total = line_amount(rice.price, 1_200, 1000) + 5_000
        expect(page.locator("#cart-total")).to_have_text(format_rupiah(total))
        # the label's own price per kg, no catalog price crossed out beside it (no discount)
        expect(page.locator("#cart tr.line").nth(1).locator(".price")).to_contain_text("/kg")
        expect(page.locator("#cart tr.line s.list-price")).to_have_count(0)

        scale.set(700, stable=False)                     # a swinging scale adds nothing
        page.keyboard.press("F2")
        page.keyboard.type("beras medium", delay=20)
        expect(page.locator("#search-results .result").first).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("belum stabil")
        expect(page.locator("#cart tr.line")).to_have_count(2)
        app.extensions["pos_hardware"].scale.close()

    page.keyboard.press("Escape")
    page.keyboard.press("F9")
    page.keyboard.press("F5")
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text("Rp0")
    with get_db(app).reading() as s:
        sold = s.execute(select(SaleLine.product_id, SaleLine.qty, SaleLine.amount)
                         .order_by(SaleLine.line_no)).all()
    assert sold == [(rice.id, 1_200, line_amount(rice.price, 1_200, 1000)),
                    (sugar.id, round(5_000 * 1000 / sugar.price), 5_000)]


def test_a_weighed_good_picked_with_the_arrows_asks_its_weight_in_the_weight_field(live, page):
    """Picked from F2's list at a till without a scale, the weight prompt opened with the cursor
    in the scan field ("1,25" was read as a code); the arrows did not walk F2's list."""
    from pos.tills.models import Till

    base, app = live
    with get_db(app).transaction() as s:
        s.execute(Till.__table__.update().values(manual_weight=True))
    log_in(page, base)
    page.keyboard.press("F2")
    page.keyboard.type("beras", delay=20)
    hits = page.locator("#search-results .result")
    expect(hits.nth(1)).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(hits.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(hits.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#search")).to_be_focused()               # up from the first: the box
    page.keyboard.type(" medium", delay=20)
    expect(hits).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(hits.first).to_be_focused()
    page.keyboard.press("Enter")
    weight = page.locator("#weigh-weight")
    expect(weight).to_be_focused()
    page.keyboard.type("1,25", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line .qty")).to_have_value("1,25")
    expect(page.locator("#messages")).not_to_contain_text("tidak dikenali")


def without_scale(app) -> None:
    """Every till weighs by typing (no scale)."""
    from pos.tills.models import Till

    with get_db(app).transaction() as s:
        s.execute(Till.__table__.update().values(manual_weight=True))


def pick_rice(page) -> None:
    """Beras Medium Curah picked from F2's list: its weight prompt open, the cursor in it."""
    page.keyboard.press("F2")
    page.keyboard.type("beras medium", delay=20)
    expect(page.locator("#search-results .result")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("#weigh-weight")).to_be_focused()


def answered_slowly(app, endpoint: str, seconds: float) -> None:
    """The live server answers ``endpoint`` ``seconds`` late, as one under load does."""
    view = app.view_functions[endpoint]

    def late(*args, **kwargs):
        time.sleep(seconds)
        return view(*args, **kwargs)

    app.view_functions[endpoint] = late


@contextmanager
def drawn_again(page, selector: str):
    """Run the block, then wait until ``selector`` is a new element (the server's answer drawn),
    not the one that was there: the same question asked again looks the same (a Ya clicked on
    the old one meanwhile waits for it: tests/browser/test_weigh_yes_browser.py)."""
    page.locator(selector).evaluate("el => { el.dataset.before = '1'; }")
    yield
    expect(page.locator(f"{selector}:not([data-before])")).to_have_count(1)


@pytest.mark.parametrize("late", [0, 0.6], ids=["", "server-answers-late"])
def test_a_typed_weight_takes_its_unit_and_an_unlikely_one_waits_for_yes(live, page, late):
    """1250 typed in the kg box went on the cart as 1.250 kg; 750g was refused. (Late: Ya was
    clicked while Enter's question was still on its way, and the click was dropped.)"""
    from pos.sales.models import CartLine

    base, app = live
    answered_slowly(app, "sales.weigh_manual", late)
    without_scale(app)
    log_in(page, base)
    pick_rice(page)
    page.keyboard.type("1250", delay=40)
    page.keyboard.press("Enter")
    question = page.locator("#weigh-check")
    expect(question).to_contain_text("Jika maksudnya 1250 gram, tulis 1250 g.")
    expect(page.locator("#weigh-weight")).to_be_focused()
    expect(page.locator("#weigh-weight")).to_have_value("1250")
    with drawn_again(page, "#weigh-form"):
        page.keyboard.press("Enter")                   # Enter again asks again
    expect(question).to_be_visible()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    page.get_by_role("button", name="Ya, tambahkan 1.250 kg").click()
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#weigh-form")).to_have_count(0)

    pick_rice(page)
    page.keyboard.type("750g", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#cart tr.line .qty").nth(1)).to_have_value("0,75")
    with get_db(app).reading() as s:
        assert s.execute(select(CartLine.qty, CartLine.manual).order_by(CartLine.id)).all() == [
            (1_250_000, True), (750, True)]


def test_f3_on_a_weighed_line_asks_about_an_unlikely_weight_as_a_typed_one(live, page):
    """F3 took 1250 typed in a weighed line's box as 1.250 kg without a word; now the weight
    prompt asks the typed weight's question: Esc keeps the line, only Ya changes it."""
    from pos.sales.models import CartLine

    base, app = live
    without_scale(app)
    log_in(page, base)
    pick_rice(page)
    page.keyboard.type("2", delay=40)
    page.keyboard.press("Enter")
    box = page.locator("#cart tr.line .qty")
    expect(box).to_have_value("2")

    def f3_1250():
        page.keyboard.press("F3")
        expect(box).to_be_focused()
        page.keyboard.type("1250", delay=40)
        page.keyboard.press("Enter")
        expect(page.locator("#weigh-check")).to_contain_text(
            "Jika memang 1.250 kg, pilih Ya, ubah menjadi 1.250 kg.")
        expect(page.locator("#weigh-weight")).to_be_focused()
        expect(page.locator("#weigh-weight")).to_have_value("1250")
        expect(box).to_have_value("2")                       # the line keeps its weight meanwhile

    f3_1250()
    page.keyboard.press("Escape")                            # no: nothing changes
    expect(page.locator("#weigh-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    expect(box).to_have_value("2")
    f3_1250()
    page.keyboard.press("Enter")                             # Enter (Ubah) asks again
    expect(page.locator("#weigh-check")).to_be_visible()
    page.get_by_role("button", name="Ya, ubah menjadi 1.250 kg").click()
    expect(page.locator("#weigh-form")).to_have_count(0)
    expect(box).to_have_value("1250")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    with get_db(app).reading() as s:
        assert s.execute(select(CartLine.qty, CartLine.manual)).all() == [(1_250_000, True)]
