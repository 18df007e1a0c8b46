"""Every screen under the Content-Security-Policy in real Chromium: no script error, nothing the
policy had to refuse (an inline script, eval, an inline style), and the policy is in force."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_receiving_browser import sign_in
from tests.browser.test_till_browser import open_shift_if_asked

pytestmark = pytest.mark.browser
PAGES = ["/", "/kasir", "/kasir/riwayat", "/katalog", "/katalog/stok", "/katalog/impor",
         "/penerimaan", "/opname", "/penyesuaian", "/barang/label", "/perangkat",
         "/laporan/harian", "/laporan/stok-per-batch", "/shift/buka", "/shift"]


def test_every_screen_runs_under_the_policy_without_errors(live, page):
    base, _app = live
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    for path in PAGES:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert not problems, f"{path}: {problems}"
    # the policy is really enforced: an injected inline script does not run
    page.goto(f"{base}/kasir")
    open_shift_if_asked(page, base)
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran === undefined")
    expect(page.get_by_label("Kode barang")).to_be_visible()
    problems.clear()


def test_a_long_members_list_keeps_its_header_row_in_view_as_it_scrolls(live, page):
    """The list scrolls in its own box (it may be wider than the panel) and its header row
    sticks to the top of that box, at the smallest counter screen."""
    base, _app = live
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/anggota")
    box = page.locator("#members .table-scroll")
    assert box.evaluate("b => b.scrollHeight > b.clientHeight + 200")  # long enough to scroll
    box.evaluate("b => { b.scrollTop = 400; }")
    head = page.locator("#members thead th").nth(1)
    expect(head).to_be_visible()
    top = box.evaluate("b => b.getBoundingClientRect().top")
    assert abs(head.bounding_box()["y"] - top) < 2
    assert box.evaluate("b => b.scrollTop") == 400
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
