"""The SHU screens in real Chromium on a hub served by waitress (SQLite): the split's running
total, simulate, the freeze confirmation, the printable slip, and no sideways scrolling at the
counter's screen sizes."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from bench.in_thread import serving
from pos.ledger_hub import outlets, shu_runs
from pos.ledger_hub.app import create_hub_app
from tests.ledger_hub.helpers import push
from tests.ledger_hub.shu_helpers import day_doc
from tests.ledger_hub.web_helpers import PASSWORD, add_operator

pytestmark = pytest.mark.browser


@pytest.fixture
def hub_live(tmp_path):

    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "INSTANCE_PATH": str(tmp_path)})
    database = app.extensions["ledger_hub_db"]
    with database.transaction() as s:
        creds = outlets.add(s, "KDMP01", "Gerai Desa Makmur")
    doc = day_doc("KDMP01", "2025-03-01", member=800_000, non_member=200_000, cogs=400_000,
                  purchases=[("A-001", "Andi", 300_000), ("A-002", "Baso", 500_000)],
                  savings=[("A-001", "Andi", 100_000, 10_000), ("A-002", "Baso", 100_000, 20_000)])
    assert push(app.test_client(), creds, doc).status_code == 201
    add_operator(database)
    with serving(app) as base:
        yield base, database
    database.engine.dispose()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_simulate_and_freeze_in_the_browser(hub_live, page):
    base, database = hub_live
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{base}/shu/?tahun=2025")
    page.locator("#username").fill("siti")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page.locator("#shu-empty")).to_be_visible()
    expect(page.locator("#shu-sum")).to_have_text("Jumlah: 100,00%")
    page.locator("#shu-reserve").fill("24,5")
    expect(page.locator("#shu-sum")).to_have_text("Jumlah: 99,50% (harus 100%)")
    page.locator("#shu-lainnya").fill("10,5")
    expect(page.locator("#shu-sum")).to_have_text("Jumlah: 100,00%")
    page.locator("#shu-simulate").click()
    expect(page.locator("#shu-members tbody tr")).to_have_count(3)   # two members and the total
    expect(page.locator("#shu-members tr.total")).to_contain_text("2 anggota")
    for width, height in ((1024, 768), (1280, 800), (1366, 768), (800, 1280)):
        page.set_viewport_size({"width": width, "height": height})
        wide = page.evaluate("""Array.from(document.querySelectorAll('body *')).filter(
            e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(
            e => e.tagName + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert no_sideways_scroll(page), f"scrolls sideways at {width}x{height}: {wide}"
        # the basis select shows its longest option whole ("Simpanan pokok +" was all one read)
        room, needed = page.evaluate("""() => { const s = document.getElementById('shu-basis');
            const given = s.getBoundingClientRect().width; s.style.width = 'max-content';
            const wanted = s.getBoundingClientRect().width; s.removeAttribute('style');
            return [given, wanted]; }""")
        assert room + 1 >= needed, f"the basis is cut at {width}x{height}: {room} < {needed}"
    page.locator("#shu-confirm").check()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#shu-freeze").click()
    time.sleep(0.3)
    with database.reading() as s:
        assert shu_runs.show(s, 2025).status == "simulation"   # the dialog said no
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#shu-freeze").click()
    expect(page.locator("#shu-done")).to_have_text("SHU tahun 2025 dibekukan.")
    assert page.url.endswith("/shu/?tahun=2025"), page.url   # not the POST's /shu/2025/bekukan
    expect(page.locator("#shu-year")).to_contain_text("2025 · dibekukan")
    with database.reading() as s:
        assert shu_runs.show(s, 2025).frozen
    page.reload()
    expect(page.locator("#shu-done")).to_have_count(0)
    page.get_by_role("link", name="Slip").first.click()
    expect(page.locator("#slip-number")).to_have_text("A-001")
    expect(page.locator("#shu-slip-status")).to_contain_text("Dibekukan")
    assert no_sideways_scroll(page)
    assert not errors, errors


def test_a_year_of_millions_fits_the_counters_screen(tmp_path, page):
    """Members' figures in the millions at 1024x768: the table scrolled sideways (989 against 950
    px) and the Slip links were cut; numbers wrapped as "AGT-" over "0001"."""
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "INSTANCE_PATH": str(tmp_path)})
    database = app.extensions["ledger_hub_db"]
    with database.transaction() as s:
        creds = outlets.add(s, "KDMP01", "Gerai Desa Makmur")
    doc = day_doc("KDMP01", "2025-03-01", member=980_000_000, non_member=120_000_000, cogs=700_000_000,
                  purchases=[("AGT-0001", "Andi Baso Mappiasse", 480_000_000),
                             ("AGT-0002", "Siti Rahmawati Daeng", 500_000_000)],
                  savings=[("AGT-0001", "Andi Baso Mappiasse", 10_000_000, 12_000_000),
                           ("AGT-0002", "Siti Rahmawati Daeng", 10_000_000, 24_000_000)])
    assert push(app.test_client(), creds, doc).status_code == 201
    add_operator(database)
    with serving(app) as base:
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto(f"{base}/shu/?tahun=2025")
        page.locator("#username").fill("siti")
        page.locator("#password").fill(PASSWORD)
        page.locator("#password").press("Enter")
        page.locator("#shu-simulate").click()
        expect(page.locator("#shu-members tbody tr")).to_have_count(3)
        scroll, room = page.eval_on_selector(".shu-table-wrap", "e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= room, f"the members' table scrolls sideways: {scroll} > {room}"
        number = page.locator("#shu-members tbody tr td").first
        lines = number.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                                " return r.getClientRects().length; }")
        assert lines == 1, "the member number wraps"
    database.engine.dispose()


def test_bekukan_waits_for_the_percentages_typed_to_be_simulated(hub_live, page):
    """Simulate the defaults, type 40/30/30/0/0/0 on pokok + wajib + sukarela, Bekukan: the
    year was frozen at the OLD percentages with "SHU tahun 2025 dibekukan." and no word."""
    base, database = hub_live
    page.goto(f"{base}/shu/?tahun=2025")
    page.locator("#username").fill("siti")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.locator("#shu-simulate").click()
    expect(page.locator("#shu-members tbody tr")).to_have_count(3)
    expect(page.locator("#shu-freeze")).to_be_enabled()
    expect(page.locator("#shu-freeze-note")).to_be_hidden()
    for part, value in (("reserve", "40"), ("jasa_anggota", "30"), ("jasa_modal", "30"),
                        ("pendidikan", "0"), ("pengurus", "0"), ("lainnya", "0")):
        page.locator(f"#shu-{part}").fill(value)
    page.locator("#shu-basis").select_option("semua")
    expect(page.locator("#shu-freeze")).to_be_disabled()
    expect(page.locator("#shu-freeze-note")).to_have_text(
        "Persentase diubah tetapi belum disimulasikan: simulasikan dulu.")
    page.locator("#shu-by").fill("Ketua Rapat")
    page.locator("#shu-by").press("Enter")   # neither simulates nor freezes
    page.locator("#shu-confirm").check()
    with database.reading() as s:
        assert shu_runs.show(s, 2025).settings["split"]["reserve"] == 2500
    page.locator("#shu-simulate").click()
    expect(page.locator("#shu-freeze")).to_be_enabled()
    expect(page.locator("#shu-freeze-note")).to_be_hidden()
    page.locator("#shu-pool").fill("500000")
    expect(page.locator("#shu-freeze-note")).to_have_text(
        "SHU dibagi diubah tetapi belum disimulasikan: simulasikan dulu.")
    page.locator("#shu-pool").fill("")
    expect(page.locator("#shu-freeze")).to_be_enabled()
    page.locator("#shu-by").fill("Ketua Rapat")
    page.locator("#shu-confirm").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#shu-freeze").click()
    expect(page.locator("#shu-done")).to_have_text("SHU tahun 2025 dibekukan.")
    with database.reading() as s:
        run = shu_runs.show(s, 2025)
    assert run.frozen and run.frozen_by == "Ketua Rapat"
    assert run.settings == {"split": {"reserve": 4000, "jasa_anggota": 3000, "jasa_modal": 3000,
                                      "pendidikan": 0, "pengurus": 0, "lainnya": 0}, "savings_basis": "semua"}
