"""Buku besar (``/buku-besar``): the manager's outbox screen, Kirim sekarang pushing to a hub,
a document's journal, and the waiting list on the home page."""
from __future__ import annotations

import functools
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import text, update

from pos.clock import to_local, utcnow
from pos.ledger import outbox, push
from pos.ledger.models import LedgerOutbox
from pos.ledger_hub import outlets
from pos.ledger_hub.app import create_hub_app
from tests.factories import login, make_till, make_user
from tests.ledger_hub.helpers import document as hub_document


def document(n: int, amount: int = 100_000) -> dict:
    """A valid day document of outlet TST01 for 2026-11-<n> (its hash is recomputed on enqueue)."""
    doc = hub_document("TST01", f"2026-11-{n:02d}", amount=amount)
    doc.pop("hash")
    return doc


@pytest.fixture
def hub(tmp_path):
    """A hub app on SQLite with outlet TST01; yields (test client, credentials)."""
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "TESTING": True,
                          "SECRET_KEY": "x"})
    database = app.extensions["ledger_hub_db"]
    with database.transaction() as session:
        credentials = outlets.add(session, "TST01", "Gerai Uji")
    yield app.test_client(), credentials
    database.engine.dispose()


@pytest.fixture
def manager(app_factory, hub, monkeypatch):
    """The outlet app pointed at the hub, three days queued, a manager logged in."""
    client_hub, credentials = hub
    app = app_factory(LEDGER_URL="http://hub.test", LEDGER_TOKEN=credentials.token,
                      LEDGER_SECRET=credentials.secret)

    def send(url, headers, body):
        answer = client_hub.post(url.replace("http://hub.test", ""), data=body, headers=headers)
        return push.Answer(answer.status_code, answer.get_json(silent=True))

    monkeypatch.setattr(push, "push", functools.partial(push.push, send=send))
    from pos.db import get_db

    database = get_db(app)
    with database.transaction() as s:
        make_till(s)
        boss = make_user(s, "manajer1", "manager", "2222").id
        clerk = make_user(s, "kasir1", "cashier", "1111").id
        for n in (1, 2, 3):
            outbox.enqueue(s, document(n))
    return app.test_client(), database, boss, clerk


def test_only_managers_see_the_screen(manager):
    client, database, _, clerk = manager
    login(client, clerk, shift=False)
    assert client.get("/buku-besar").status_code == 403
    assert client.post("/buku-besar/kirim", headers={"HX-Request": "true"}).status_code == 403
    with database.reading() as s:
        assert outbox.state(s).pending == 3


def test_the_outbox_waits_then_kirim_sekarang_sends_it(manager):
    client, database, boss, _ = manager
    login(client, boss, shift=False)
    home = client.get("/").get_data(as_text=True)
    assert 'id="waiting-ledger"' in home
    assert "<b>3</b><span>hari belum terkirim ke buku besar koperasi (sejak 01-11-2026)</span>" \
        in " ".join(home.split()).replace("> <", "><")        # the count once, not "3" and "3 hari"
    page = client.get("/buku-besar").get_data(as_text=True)
    assert page.count("Menunggu") >= 3 and "TST01-2026-11-03-day" in page and 'id="ledger-send"' in page
    done = client.post("/buku-besar/kirim", follow_redirects=True).get_data(as_text=True)
    assert "3 dokumen terkirim ke hub." in done
    assert done.count(">Terkirim<") == 4   # the column header and three rows
    # sent: green, not the amber of a warning; no failed try counted as "0 percobaan"
    assert done.count('<span class="tag closed">Terkirim</span>') == 3
    assert "<th>Gagal dikirim</th>" in done and done.count('<td class="num">-</td>') == 3
    assert "Semua dokumen buku besar sudah terkirim." in done
    with database.reading() as s:
        assert outbox.state(s).pending == 0
    again = client.post("/buku-besar/kirim", follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada dokumen yang menunggu." in again
    home = client.get("/").get_data(as_text=True)
    assert 'id="waiting-ledger" class=""' in home and "3 dokumen buku besar" not in home


def test_a_rejected_document_is_shown_with_its_error_and_its_journal(manager):
    client, database, boss, _ = manager
    with database.transaction() as s:   # forged: debit and credit differ
        bad = document(4)
        bad["journal"][3]["credit"] = 1
        outbox.enqueue(s, bad)
    login(client, boss, shift=False)
    done = client.post("/buku-besar/kirim", follow_redirects=True).get_data(as_text=True)
    assert "3 dokumen terkirim ke hub." in done and "1 dokumen ditolak hub" in done
    assert ">Ditolak<" in done and "ditolak hub (HTTP 422)" in done
    journal = client.get("/buku-besar/TST01-2026-11-04-day").get_data(as_text=True)
    assert 'id="ledger-debit">Rp100.000' in journal and 'id="ledger-credit">Rp60.001' in journal
    assert "TIDAK seimbang" in journal and 'id="ledger-error"' in journal
    fine = client.get("/buku-besar/TST01-2026-11-02-day").get_data(as_text=True)
    assert 'id="ledger-debit">Rp100.000' in fine and "Seimbang: debit sama dengan kredit." in fine
    assert client.get("/buku-besar/TIDAK-ADA").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "<b>1</b><span>hari ditolak hub buku besar koperasi, perlu diperiksa" \
        in " ".join(home.split()).replace("> <", "><")


def test_without_hub_settings_nothing_is_sent(app, db, client):
    with db.transaction() as s:
        boss = make_user(s, "manajer1", "manager", "2222").id
        outbox.enqueue(s, document(1))
    login(client, boss, shift=False)
    page = client.get("/buku-besar").get_data(as_text=True)
    assert 'id="ledger-unconfigured"' in page
    done = client.post("/buku-besar/kirim", follow_redirects=True).get_data(as_text=True)
    assert "belum diisi" in done
    with db.reading() as s:
        assert outbox.state(s).pending == 1


def test_kirim_ulang_sends_again_since_a_day_and_the_hub_keeps_each_once(manager, hub):
    """After the hub was restored from an older backup: what it accepted since a day goes again;
    the hub answers what it still has as a duplicate and keeps each document once."""
    client, database, boss, _ = manager
    client_hub, _ = hub
    login(client, boss, shift=False)
    assert "3 dokumen terkirim ke hub." in client.post("/buku-besar/kirim", follow_redirects=True) \
        .get_data(as_text=True)
    page = client.get("/buku-besar").get_data(as_text=True)
    assert 'id="ledger-resend"' in page and 'name="dari"' in page
    for typed, said in (("", "Tanggal wajib diisi."), ("31-02-2026", "Tanggal "),
                        ("01-01-2099", "Tanggal tidak boleh setelah hari ini."),
                        ("01-12-2026", "Tidak ada dokumen terkirim sejak 01-12-2026.")):
        answer = client.post("/buku-besar/kirim-ulang", data={"dari": typed}, follow_redirects=True)
        assert said in answer.get_data(as_text=True), typed
        with database.reading() as s:
            assert outbox.state(s).pending == 0, typed
    time.sleep(1.1)   # a request signed in the same second as the first push is a replay to the hub
    done = client.post("/buku-besar/kirim-ulang", data={"dari": "02-11-2026"},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 dokumen sejak 02-11-2026 dijadwalkan kirim ulang." in done
    # what the hub held already is counted apart, never as terkirim (as pos ledger push lists it)
    assert "2 dokumen sudah ada di hub (duplikat, tidak dibukukan dua kali)." in done
    assert "terkirim ke hub" not in done
    with database.transaction() as s:   # a new day waits beside the two sent again
        outbox.enqueue(s, document(4))
        outbox.requeue(s, date(2026, 11, 2))
    time.sleep(1.1)
    done = client.post("/buku-besar/kirim", follow_redirects=True).get_data(as_text=True)
    assert "1 dokumen terkirim ke hub." in done
    assert "2 dokumen sudah ada di hub (duplikat, tidak dibukukan dua kali)." in done
    with database.reading() as s:
        assert outbox.state(s).pending == 0
    hub_db = client_hub.application.extensions["ledger_hub_db"]
    with hub_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM hub_document")).scalar() == 4


def test_kirim_ulang_sends_again_what_was_sent_since_the_moment_the_hub_restore_names(manager, hub):
    """``pos ledger-hub restore`` names, per outlet, a moment in the hub's zone (WIB): what was
    sent since then goes again, whatever its business date."""
    client, database, boss, _ = manager
    login(client, boss, shift=False)
    client.post("/buku-besar/kirim")
    page = client.get("/buku-besar").get_data(as_text=True)
    assert 'id="ledger-resend-sent"' in page and 'name="terkirim_sejak"' in page
    with database.transaction() as s:   # the first day was sent long before the others
        s.execute(update(LedgerOutbox).where(LedgerOutbox.business_date == date(2026, 11, 1))
                  .values(sent_at=utcnow() - timedelta(days=1)))
    wib = f"{to_local(utcnow() - timedelta(minutes=2), 'Asia/Jakarta'):%d-%m-%Y %H:%M} WIB"
    for typed, said in (("", "Waktu terkirim wajib diisi."), ("kemarin", "tidak dikenali"),
                        ("07-12-2026 25:00", "Waktu terkirim 07-12-2026 25:00: jam tidak dikenali"),
                        ("01-01-2099 10:00", "Tidak ada dokumen terkirim sejak 01-01-2099 10:00.")):
        answer = client.post("/buku-besar/kirim-ulang", data={"terkirim_sejak": typed}, follow_redirects=True)
        assert said in answer.get_data(as_text=True), typed
        with database.reading() as s:
            assert outbox.state(s).pending == 0, typed
    time.sleep(1.1)   # a request signed in the same second as the first push is a replay to the hub
    done = client.post("/buku-besar/kirim-ulang", data={"terkirim_sejak": wib},
                       follow_redirects=True).get_data(as_text=True)
    assert f"2 dokumen terkirim sejak {wib} dijadwalkan kirim ulang." in done
    assert "2 dokumen sudah ada di hub (duplikat, tidak dibukukan dua kali)." in done
