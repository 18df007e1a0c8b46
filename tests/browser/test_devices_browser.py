"""Perangkat in real Chromium: a new till added, and a refused one keeps what was typed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pos.devices import lan
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


def test_on_the_mini_pcs_own_browser_the_links_name_its_lan_address(live, page, monkeypatch):
    """Opened at 127.0.0.1 (the kiosk browser), Cek harga and Layar pelanggan named 127.0.0.1,
    which a shelf tablet cannot open: they name the LAN address, same port and path."""
    base, _app = live
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    assert sign_in_by_client(page, base, "manajer1", "9999")
    page.goto(f"{base}/perangkat")
    port = base.rsplit(":", 1)[1]
    expect(page.locator("#price-check-link")).to_have_attribute(
        "href", re.compile(rf"^http://192\.168\.1\.10:{port}/cek-harga/[0-9a-f]+$"))
    expect(page.locator("a.screen-link").first).to_have_attribute(
        "href", re.compile(rf"^http://192\.168\.1\.10:{port}/layar/\d+/[0-9a-f]+$"))
    expect(page.locator(".lan-note").first).to_contain_text(
        "buka alamat ini dari tablet/layar di jaringan gerai")
