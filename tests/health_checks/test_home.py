"""The manager's home page lists every health check that is not OK with its fix, errors first;
a clerk sees none of it, and a healthy gerai shows no such section."""
from __future__ import annotations

import re
import shutil

from pos.db import get_db
from pos.tills.models import Till
from tests.factories import login, make_user
from tests.health_checks.conftest import stuck_ledger, unplugged_port


def home(app, user_id, till_id=None) -> str:
    client = app.test_client()
    login(client, user_id, till_id, shift=False)
    return client.get("/").get_data(as_text=True)


def items(page: str) -> list[tuple[str, str, str]]:
    """(id, class, text) of each item of the "Perlu diperbaiki" section."""
    found = re.findall(r'<p id="(health-[^"]+)" role="alert"\s+class="msg msg-(\w+)">(.*?)</p>', page, re.S)
    return [(id_, kind, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for id_, kind, text in found]


def test_the_manager_sees_each_problem_with_its_fix(healthy, tmp_path):
    app, ids = healthy(DISK_ERROR_BYTES=shutil.disk_usage(tmp_path).free + 2**30)
    port = unplugged_port()
    with get_db(app).transaction() as s:
        s.get(Till, ids["till"]).printer = f"file://{port}"
    stuck_ledger(app, hours=30)
    page = home(app, ids["manager"], ids["till"])
    assert 'id="health-title">Perlu diperbaiki<' in page
    shown = items(page)
    assert [(id_, kind) for id_, kind, _ in shown] == [
        ("health-disk", "error"), ("health-printers-KASIR-1", "warn"), ("health-ledger", "warn")]
    disk, printer, ledger = (text for _, _, text in shown)
    assert disk.startswith("Disk hampir penuh") and "Kosongkan ruang" in disk
    assert f"{port} tidak ada" in printer and "halaman Perangkat" in printer
    assert "Antrean buku besar macet" in ledger and "POS_LEDGER_URL" in ledger


def test_a_healthy_gerai_shows_no_section_and_a_clerk_never_sees_it(healthy):
    app, ids = healthy()
    assert 'id="health"' not in home(app, ids["manager"], ids["till"])
    with get_db(app).transaction() as s:
        s.get(Till, ids["till"]).printer = f"file://{unplugged_port()}"
        clerk = make_user(s, "gudang1", "clerk").id
    assert items(home(app, ids["manager"], ids["till"]))[0][0] == "health-printers-KASIR-1"
    page = home(app, clerk)
    assert 'id="health"' not in page and "lp-gerai-uji" not in page
