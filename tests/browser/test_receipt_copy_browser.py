"""One press of Cetak salinan prints one copy: F9 pressed twice, or the button double-clicked,
on a receipt page while the printer takes its time made two copy jobs (two SALINAN)."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pos.db import get_db
from pos.hardware.fakes import RecordingPrinter
from pos.sales.models import PrintJob, PrintKind, Sale
from tests.browser.test_till_browser import paying_one_good

pytestmark = pytest.mark.browser


class SlowPrinter(RecordingPrinter):
    """A printer that takes its time (a network printer answering slowly)."""

    def print_receipt(self, receipt):
        time.sleep(0.6)
        super().print_receipt(receipt)


@pytest.fixture
def printer():
    return SlowPrinter(columns=32)


def copies(app, sale_id: int) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(func.count()).select_from(PrintJob).where(
            PrintJob.sale_id == sale_id, PrintJob.kind == PrintKind.COPY))


def test_f9_twice_or_a_double_click_prints_one_copy(live, page, printer):
    base, app = live
    paying_one_good(live, page)
    page.keyboard.type("50000", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator(".sale-done")).to_have_count(1)
    with get_db(app).reading() as s:
        sale_id = s.scalar(select(func.max(Sale.id)))
    page.goto(f"{base}/kasir/struk/{sale_id}")
    expect(page.get_by_label("Struk")).to_contain_text("Kode verifikasi")
    before = copies(app, sale_id)
    page.keyboard.press("F9")
    page.keyboard.press("F9")
    expect(page.locator("#messages")).to_contain_text("Salinan struk dicetak")
    page.wait_for_timeout(800)                    # a second request would be at the printer now
    assert copies(app, sale_id) == before + 1
    page.locator("#messages").evaluate("m => m.replaceChildren()")
    page.get_by_role("button", name="Cetak salinan").dblclick()
    expect(page.locator("#messages")).to_contain_text("Salinan struk dicetak")
    page.wait_for_timeout(800)
    assert copies(app, sale_id) == before + 2
    assert sum(r.copy for r in printer.receipts) == 2
