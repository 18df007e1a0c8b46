"""``GET /healthz`` with the health checks: a missing printer, a stuck ledger queue, an old backup
and a nearly full disk each show as a warning (200), a full disk as 503; anonymous callers get
levels and figures only, a manager the addresses and the fixes."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from pos.backup import record
from pos.clock import utcnow
from pos.db import get_db
from pos.tills.models import Till
from tests.factories import login
from tests.health_checks.conftest import stuck_ledger

KEYS = {"database", "migrations", "printers", "scale", "display", "ledger", "het_zone", "codes",
        "member_numbers", "cash_rounding", "backup", "disk", "clock"}


def as_manager(app, ids):
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    return client


def test_a_healthy_gerai_is_ok_everywhere(healthy):
    app, _ = healthy()
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok" and body["selling"] is True
    assert KEYS <= set(body)
    assert [p["till"] for p in body["printers"]] == ["KASIR-1"]
    assert all(entry["level"] == "ok" for key in KEYS
               for entry in (body[key] if isinstance(body[key], list) else [body[key]]))
    assert body["migrations"]["current"] == body["migrations"]["head"]
    assert body["ledger"] == {"level": "ok", "queued": 0, "rejected": 0, "oldest_age_s": None}
    assert 3500 <= body["backup"]["age_s"] <= 3700
    assert body["disk"]["free_bytes"] > 0 and 0 <= body["disk"]["free_percent"] <= 100


def test_a_missing_printer_warns_without_showing_its_address_to_strangers(healthy, tmp_path):
    app, ids = healthy()
    gone = tmp_path / "serial" / "ttyUSB9"   # a serial printer: a file:// one must be under /dev/
    with get_db(app).transaction() as s:
        s.get(Till, ids["till"]).printer = f"serial://{gone}"
    anonymous = app.test_client().get("/healthz")
    body = anonymous.get_json()
    assert anonymous.status_code == 200 and body["status"] == "warn" and body["selling"] is True
    assert body["printers"] == [{"level": "warn", "till": "KASIR-1", "own": True, "configured": True}]
    assert str(gone) not in anonymous.get_data(as_text=True)
    printer = as_manager(app, ids).get("/healthz").get_json()["printers"][0]
    assert printer["url"] == f"serial://{gone}"
    assert str(gone) in printer["problem"] and "tidak ada" in printer["problem"]
    assert "halaman Perangkat" in printer["fix"]
    gone.parent.mkdir()
    gone.write_bytes(b"")   # plugged in again
    assert app.test_client().get("/healthz").get_json()["printers"][0]["level"] == "ok"


def test_a_stuck_ledger_queue_warns_with_its_length_and_age(healthy):
    app, ids = healthy()
    stuck_ledger(app, hours=2)   # waiting two hours: push retries, nothing to say yet
    assert app.test_client().get("/healthz").get_json()["ledger"]["level"] == "ok"
    stuck_ledger(app, hours=30, day="2026-11-02")
    body = app.test_client().get("/healthz").get_json()
    ledger = body["ledger"]
    assert body["status"] == "warn"
    assert ledger["level"] == "warn" and ledger["queued"] == 2
    assert 30 * 3600 <= ledger["oldest_age_s"] < 31 * 3600
    detailed = as_manager(app, ids).get("/healthz").get_json()["ledger"]
    assert "Antrean buku besar macet: 2 dokumen" in detailed["problem"]
    assert "POS_LEDGER_URL" in detailed["fix"]   # no hub address set in the tests


def test_a_hub_that_refused_the_outlets_credentials_warns_at_once(healthy):
    """After a push the hub refused (HTTP 401, a wrong secret) pos doctor said "OK: 1
    menunggu" until the queue was a day old, though nothing could go until it was put right."""
    from sqlalchemy import update

    from pos.ledger import outbox
    from pos.ledger.models import LedgerOutbox

    app, ids = healthy()
    stuck_ledger(app, hours=1)
    refused = f"{outbox.REFUSED} (HTTP 401): signature"
    with get_db(app).transaction() as s:
        s.execute(update(LedgerOutbox).values(last_error=refused))
    assert app.test_client().get("/healthz").get_json()["ledger"]["level"] == "warn"
    detailed = as_manager(app, ids).get("/healthz").get_json()["ledger"]
    assert detailed["problem"] == "Hub koperasi menolak kiriman gerai ini (HTTP 401): signature."
    assert "POS_LEDGER_SECRET" in detailed["fix"]
    with get_db(app).transaction() as s:   # the hub's own full stop is not doubled
        s.execute(update(LedgerOutbox).values(
            last_error=f"{outbox.REFUSED} (HTTP 401): Gerai atau token tidak dikenal hub."))
    detailed = as_manager(app, ids).get("/healthz").get_json()["ledger"]
    assert detailed["problem"] == ("Hub koperasi menolak kiriman gerai ini (HTTP 401): Gerai atau token "
                                   "tidak dikenal hub.")
    with get_db(app).transaction() as s:   # any other error waits for the queue to age, as before
        s.execute(update(LedgerOutbox).values(last_error="sambungan ditolak (layanan hub mati?)"))
    assert app.test_client().get("/healthz").get_json()["ledger"]["level"] == "ok"


@pytest.mark.parametrize("stored", [
    "tidak dikirim: dokumen TST01-2026-11-01-day dibuat dengan kode gerai GERAI01, sedangkan "
    "POS_OUTLET_CODE sekarang KDMP02. Kembalikan POS_OUTLET_CODE ke GERAI01 (dengan POS_LEDGER_TOKEN "
    "dan POS_LEDGER_SECRET gerai GERAI01 di hub).",
    # as a push before 06-12-2026 stored it: the hub named, though nothing was sent
    "hub menolak kiriman gerai ini: dokumen TST01-2026-11-01-day dibuat dengan kode gerai GERAI01, "
    "sedangkan POS_OUTLET_CODE sekarang KDMP02. Kembalikan POS_OUTLET_CODE ke GERAI01 (dengan "
    "POS_LEDGER_TOKEN dan POS_LEDGER_SECRET gerai GERAI01 di hub); tidak ada yang dikirim"])
def test_documents_of_another_outlet_code_warn_at_once_naming_the_outlets_setting(healthy, stored):
    """Documents made under another outlet code than POS_OUTLET_CODE are never sent: the doctor
    said "Hub koperasi menolak kiriman gerai ini", though the hub was never asked."""
    from sqlalchemy import update

    from pos.ledger.models import LedgerOutbox

    app, ids = healthy()
    stuck_ledger(app, hours=1)
    with get_db(app).transaction() as s:
        s.execute(update(LedgerOutbox).values(last_error=stored))
    assert app.test_client().get("/healthz").get_json()["ledger"]["level"] == "warn"
    detailed = as_manager(app, ids).get("/healthz").get_json()["ledger"]
    assert "menolak" not in detailed["problem"] and "Hub koperasi" not in detailed["problem"]
    assert detailed["problem"].startswith("Dokumen buku besar tidak dikirim: dokumen TST01-2026-11-01-day "
                                          "dibuat dengan kode gerai GERAI01, sedangkan POS_OUTLET_CODE "
                                          "sekarang KDMP02.")
    assert ".." not in detailed["problem"] and ".;" not in detailed["problem"]
    assert "POS_OUTLET_CODE" in detailed["fix"] and "aktif di hub" not in detailed["fix"]


def test_an_old_backup_warns_with_its_age(healthy, tmp_path):
    app, ids = healthy()
    record.succeeded(app.instance_path, utcnow() - timedelta(days=3), tmp_path / "gerai-x.db.gz")
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["backup"]["level"] == "warn"
    assert 3 * 86400 <= body["backup"]["age_s"] < 3 * 86400 + 60
    detailed = as_manager(app, ids).get("/healthz").get_json()["backup"]
    assert detailed["problem"] == "Cadangan terakhir sudah 3 hari 0 jam yang lalu."
    assert "pos backup" in detailed["fix"]


def test_a_nearly_full_disk_warns_and_a_full_one_stops_selling(healthy, tmp_path):
    free = shutil.disk_usage(tmp_path).free
    app, ids = healthy(DISK_WARN_BYTES=free + 2**30)   # as if a gigabyte less were free
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["disk"]["level"] == "warn" and body["selling"] is True
    assert "Ruang disk menipis" in as_manager(app, ids).get("/healthz").get_json()["disk"]["problem"]
    app.config["DISK_ERROR_BYTES"] = free + 2**30
    full = app.test_client().get("/healthz")
    assert full.status_code == 503
    assert full.get_json()["status"] == "error" and full.get_json()["selling"] is False
    assert full.get_json()["disk"]["level"] == "error"


def test_a_low_free_percentage_warns(healthy, monkeypatch):
    app, _ = healthy(DISK_WARN_PERCENT=5)
    from pos.health_checks import storage

    monkeypatch.setattr(storage.shutil, "disk_usage",
                        lambda _: shutil._ntuple_diskusage(500 * 2**30, 490 * 2**30, 10 * 2**30))
    disk = app.test_client().get("/healthz").get_json()["disk"]
    assert disk == {"level": "warn", "free_bytes": 10 * 2**30, "total_bytes": 500 * 2**30, "free_percent": 2}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_clock_behind_the_last_sale_is_an_error_that_still_answers_200(healthy):
    app, ids = healthy()
    from tests.factories import open_shift

    with get_db(app).transaction() as s:
        open_shift(s, ids["till"], ids["cashier"]).opened_at = utcnow() + timedelta(days=400)
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "error" and body["selling"] is True
    assert body["clock"]["level"] == "error" and body["clock"]["behind_s"] > 399 * 86400
    assert "baterai jam" in as_manager(app, ids).get("/healthz").get_json()["clock"]["fix"]
