"""The Pengaturan screen in real headless Chromium: a manager pastes the outlet's static QRIS,
sees its merchant and a QR that zbar reads back exactly; a corrupted one is refused in
Indonesian and the saved one stays."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from pos.db import get_db
from pos.settings import service
from tests.browser.test_receiving_browser import sign_in, watch_errors
from tests.payments.test_qr import read_qr, zbar  # noqa: F401 (the zbar fixture)
from tests.payments.vectors import SAMPLE1

pytestmark = pytest.mark.browser


def corrupted(payload: str) -> str:
    """``payload`` with one merchant-name letter changed: its CRC no longer matches."""
    return payload.replace("Kantin Ibu Lilik", "Kantin Ibu Lilis")


def stored(app) -> str | None:
    with get_db(app).reading() as s:
        return service.get(s, service.QRIS_STATIC)


@pytest.mark.parametrize("size", [(1366, 768), (800, 1280)])
def test_a_manager_sets_the_static_qris_and_a_broken_one_is_refused(live, page, zbar, size):  # noqa: F811
    from PIL import Image

    base, app = live
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.get_by_role("link", name="Pengaturan").click()
    page.wait_for_url(f"{base}/pengaturan")
    expect(page.locator("#qris-none")).to_be_visible()
    field = page.get_by_label("Isi QRIS statis merchant")
    expect(field).to_be_focused()
    field.fill(SAMPLE1)
    page.get_by_role("button", name="Simpan QRIS").click()
    expect(page.locator("#messages")).to_contain_text("QRIS statis disimpan: Kantin Ibu Lilik.")
    expect(page.locator("#qris-merchant")).to_have_text("Kantin Ibu Lilik")
    qr = page.locator(".qris-preview svg.qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["x"] + box["width"] <= size[0]  # whole and large enough
    shot = Image.open(io.BytesIO(qr.screenshot()))
    assert read_qr(zbar, shot) == [SAMPLE1]  # the QR on screen is exactly the pasted payload
    assert stored(app) == SAMPLE1

    field.fill(corrupted(SAMPLE1))
    page.keyboard.press("Enter")  # the form's key, shown on the button
    expect(page.locator("#qris-error")).to_have_text(
        f"CRC salah: seharusnya {_crc(corrupted(SAMPLE1))}, tertulis 4C6B.")
    expect(field).to_have_value(corrupted(SAMPLE1))  # kept to be corrected
    expect(field).to_be_focused()
    expect(page.locator("#qris-merchant")).to_have_text("Kantin Ibu Lilik")  # the old one stays
    expect(page.locator("#setting-changes")).to_contain_text("Andi Baso Mappiasse")
    assert stored(app) == SAMPLE1
    assert errors == []


def _crc(payload: str) -> str:
    from pos.payments.qris import crc16

    return crc16(payload[:-4])
