"""Perangkat in real Chromium: a new till added, and a refused one keeps what was typed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.signin import sign_in_by_client

pytestmark = pytest.mark.browser


def test_a_refused_new_till_keeps_what_was_typed_and_a_good_one_is_listed(live, page):
    """A code already used came back as an empty form: the manager typed both fields again."""
    base, _app = live
    assert sign_in_by_client(page, base, "manajer1", "9999")
    page.goto(f"{base}/perangkat")
    page.get_by_label("Kode kasir baru").fill("kasir-1")
    page.get_by_label("Nama", exact=True).fill("Kasir Pupuk")
    page.get_by_role("button", name="Tambah kasir").click()
    expect(page.get_by_role("alert")).to_contain_text("KASIR-1 sudah dipakai")
    expect(page.get_by_label("Kode kasir baru")).to_have_value("kasir-1")
    expect(page.get_by_label("Nama", exact=True)).to_have_value("Kasir Pupuk")
    page.get_by_label("Kode kasir baru").fill("kasir-3")
    page.get_by_role("button", name="Tambah kasir").click()
    expect(page.locator("#messages")).to_contain_text("Kasir KASIR-3 (Kasir Pupuk) ditambahkan.")
    expect(page.locator("table.tills")).to_contain_text("KASIR-3")
