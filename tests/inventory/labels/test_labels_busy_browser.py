"""Buat label pressed twice while a slow thermal printer works: one print job, and the button
says what is happening until the page comes back."""
from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect

from pos.hardware.fakes import RecordingPrinter
from tests.browser.test_receiving_browser import sign_in

pytestmark = pytest.mark.browser


class SlowLabelPrinter(RecordingPrinter):
    """A label printer that takes a second per job (a long roll of labels)."""

    def __init__(self):
        super().__init__(columns=32)
        self.started = threading.Event()

    def print_labels(self, labels):
        self.started.set()
        time.sleep(1.0)
        super().print_labels(labels)


@pytest.fixture
def printer():
    return SlowLabelPrinter()


def test_a_second_press_prints_no_second_job(live, page, printer):
    base, _ = live
    sign_in(page, base, "gudang1", "2222")
    page.get_by_role("link", name="Label barang").click()
    page.wait_for_url(f"{base}/barang/label")
    page.wait_for_load_state()          # htmx listens to the search field once its script ran
    page.get_by_label("Cari nama, SKU atau barcode barang").fill("gula")
    page.locator("#label-search-results .result").first.click()
    expect(page.locator("#label-rows tr")).to_have_count(1)
    page.locator("#label-format").select_option(index=1)           # the thermal printer
    assert page.locator("#label-format").input_value() != "a4"
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # Pressed, and pressed again while the printer works (read in the same script: while the
    # next page is on its way, Playwright reads nothing else from the page shown).
    shown = page.evaluate("""() => new Promise((done) => {
        const b = document.querySelector('#label-form button[type=submit]');
        b.click();
        setTimeout(() => { const state = [b.textContent, b.disabled]; b.click(); done(state); }, 100);
    })""")
    assert shown == ["Membuat label…", True]
    assert printer.started.wait(5)
    expect(page.get_by_text("1 label dikirim ke printer.")).to_be_visible()
    assert posts == [f"{base}/barang/label"] and len(printer.label_raw) == 1
    expect(page.get_by_role("button", name="Buat label")).to_be_enabled()


def test_the_last_prints_message_goes_when_a_new_selection_begins(live, page, printer):
    """"1 label dikirim ke printer." stayed above the next selection, even above a count the
    browser refused, as if that one had printed too."""
    base, _ = live
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    page.wait_for_load_state()
    page.get_by_label("Cari nama, SKU atau barcode barang").fill("gula")
    page.locator("#label-search-results .result").first.click()
    page.locator("#label-format").select_option(index=1)
    page.get_by_role("button", name="Buat label").click()
    done = page.get_by_text("1 label dikirim ke printer.")
    expect(done).to_be_visible()
    page.get_by_label("Cari nama, SKU atau barcode barang").fill("gula")
    page.locator("#label-search-results .result").first.click()
    expect(done).to_have_count(0)
