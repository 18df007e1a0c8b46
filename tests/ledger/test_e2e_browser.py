"""Buku besar in real Chromium: the manager sees the days waiting on the home page, opens the
outbox, presses Kirim sekarang with no hub configured (nothing lost, the reason shown), opens a
day's journal (debit = credit); every screen without sideways scrolling, portrait included; with a
hub that never answers, Kirim sekarang says it is sending and a second press sends nothing more."""
from __future__ import annotations

import re
import socket
import threading
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_receiving_browser import sign_in

pytestmark = pytest.mark.browser
SIZES = ((1024, 768), (1280, 800), (1366, 768), (800, 1280))


@pytest.fixture(scope="session")
def demo_template(demo_history_template):
    return demo_history_template   # 14 closed days and 2 of old kasbon: 16 documents in the outbox


def no_sideways_scroll(page, where: str) -> None:
    width, view = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= view + 1, f"{where} scrolls sideways: {width} > {view}"


def test_the_manager_sees_the_outbox_and_a_days_journal(live, page):
    base, _ = live
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("#waiting-ledger b")).to_have_text("16")
    expect(page.locator("#waiting-ledger span")).to_have_text(
        re.compile(r"^hari belum terkirim ke buku besar koperasi"))
    page.locator("#waiting-ledger").click()
    page.wait_for_url(f"{base}/buku-besar")
    expect(page.locator("#ledger-outbox tr")).to_have_count(17)          # the header and 16 days
    expect(page.locator("#ledger-unconfigured")).to_be_visible()
    expect(page.locator("#ledger-send")).to_be_disabled()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        no_sideways_scroll(page, f"/buku-besar at {width}x{height}")
    page.locator("#ledger-outbox a").first.click()
    expect(page.locator("#ledger-balanced")).to_have_text("Seimbang: debit sama dengan kredit.")
    debit = page.locator("#ledger-debit").inner_text()
    assert debit.startswith("Rp") and debit == page.locator("#ledger-credit").inner_text()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        no_sideways_scroll(page, f"the journal at {width}x{height}")
    page.get_by_role("link", name="Kembali ke antrean").click()
    expect(page.locator("#ledger-waiting")).to_contain_text("16 hari belum terkirim ke buku besar koperasi")
    assert errors == []   # no CSP violation, no script error


class SilentHub:
    """A hub address that takes connections and never answers (a dead link upstream): each
    connection is counted and held until ``hang_up``."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def hang_up(self):
        self.listener.close()
        for conn in self.held:
            conn.close()


def test_kirim_sekarang_says_it_is_sending_and_sends_once(live, page):
    base, app = live
    hub = SilentHub()
    app.config.update(LEDGER_URL=hub.url, LEDGER_TOKEN="token", LEDGER_SECRET="rahasia")
    try:
        sign_in(page, base, "manajer1", "9999")
        page.goto(f"{base}/buku-besar")
        button = page.locator("#ledger-send")
        expect(button).to_have_text("Kirim sekarang")
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        # Pressed, and pressed again, in one script: while the next page waits on the hub,
        # Playwright reads nothing else from the page shown.
        shown = page.evaluate("""() => new Promise((done) => {
            const b = document.getElementById('ledger-send');
            b.click();
            setTimeout(() => {
                const state = [b.textContent, b.disabled];
                b.form.requestSubmit();
                done(state);
            }, 100);
        })""")
        assert shown == ["Mengirim ke hub…", True]
        deadline = time.monotonic() + 5
        while not hub.held and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)                                    # room for a second request to arrive
        assert posts == [f"{base}/buku-besar/kirim"]
        assert len(hub.held) == 1
    finally:
        hub.hang_up()                                      # the hub drops the line: the push fails
    expect(page.get_by_text("16 dokumen masih menunggu")).to_be_visible()
    expect(page.locator("#ledger-send")).to_have_text("Kirim sekarang")
    expect(page.locator("#ledger-send")).to_be_enabled()
    expect(page.locator("#ledger-outbox tr")).to_have_count(17)   # all 16 days still waiting
