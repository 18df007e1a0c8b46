"""A frozen SHU and the books agree: a freeze is refused when the books changed since the
simulation, a day (or a saldo awal) for a frozen year is refused, a run that disagrees is
flagged; the hub shows how far each outlet's days have arrived."""
from __future__ import annotations

import json
import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.ledger import push as outlet_push
from pos.ledger.models import OutboxStatus
from pos.ledger_hub import opening, outlets, protocol, receive, shu, shu_basis, shu_runs
from pos.ledger_hub.models import HubDocument
from tests.ledger_hub.helpers import document, push
from tests.ledger_hub.shu_helpers import clean_shu_tables, day_doc  # noqa: F401  (autouse fixture)
from tests.ledger_hub.test_shu_runs import year_2025  # noqa: F401  (fixture)
from tests.ledger_hub.test_shu_views import FORM, _freeze_form
from tests.ledger_hub.web_helpers import sign_in

NOW = datetime(2026, 2, 10, 3, 0)
AFTER = date(2026, 2, 10)
OPENING = b"account,name,debit,credit\n111000,Kas,1000,\n311000,Modal,,1000\n"


def _outlet_sees(answer) -> tuple[OutboxStatus | None, str]:
    """What the outlet's push makes of the hub's answer (``pos.ledger.push.classify``)."""
    return outlet_push.classify(outlet_push.Answer(answer.status_code, answer.json), answer.json.get(
        "document_id", ""))


def test_freeze_refuses_a_simulation_the_books_no_longer_match(hub_client, hub_db, hub_runner, creds):
    """The tester simulated 2024 with 30-12 in (PHU Rp247.973), then 31-12 arrived: the freeze kept
    Rp247.973 while the PHU said Rp465.444."""
    first = day_doc("KDMP01", "2024-12-30", member=300_000, non_member=47_973, cogs=100_000,
                    purchases=[("A-001", "Andi", 300_000)])
    assert push(hub_client, creds, first).status_code == 201
    simulated = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2024", "--json"])
    assert simulated.exit_code == 0, simulated.output
    assert json.loads(simulated.stdout)["figures"]["phu"] == 247_973
    last = day_doc("KDMP01", "2024-12-31", member=217_471, non_member=0,
                   purchases=[("A-001", "Andi", 117_471), ("A-002", "Baso", 100_000)])
    assert push(hub_client, creds, last).status_code == 201
    refused = hub_runner.invoke(args=["ledger-hub", "shu", "freeze", "--year", "2024", "--by", "Ketua Rapat"])
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert "SHU tahun 2024 tidak dibekukan: buku berubah sejak simulasi" in said
    assert "PHU Rp247.973, sekarang Rp465.444" in said and "2 anggota (A-001, A-002)" in said
    assert "Simulasikan lagi" in said
    with hub_db.reading() as s:
        assert shu_runs.show(s, 2024).status == shu_runs.SIMULATION
    shown = json.loads(hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2024",
                                               "--json"]).stdout)
    assert "Buku tahun 2024 berubah sejak simulasi ini: PHU Rp247.973, sekarang Rp465.444" in shown["drift"]
    assert hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2024"]).exit_code == 0
    frozen = hub_runner.invoke(args=["ledger-hub", "shu", "freeze", "--year", "2024", "--by", "Ketua Rapat",
                                     "--json"])
    assert frozen.exit_code == 0, frozen.output
    done = json.loads(frozen.stdout)
    assert done["figures"]["phu"] == 465_444 and done["drift"] is None


def test_the_screen_refuses_the_freeze_and_says_the_simulation_is_behind(hub_client, hub_db, creds,
                                                                         year_2025):  # noqa: F811
    token = sign_in(hub_client, hub_db)
    with hub_db.transaction() as s:
        shu_runs.simulate(s, 2025, shu.settings(), "siti", NOW)
    assert 'id="shu-drift"' not in hub_client.get("/shu/?tahun=2025").text
    late = day_doc("KDMP01", "2025-12-31", member=100_000, non_member=0,
                   purchases=[("A-004", "Dedi", 100_000)])
    assert push(hub_client, creds, late).status_code == 201
    page = hub_client.get("/shu/?tahun=2025").text
    assert 'id="shu-drift"' in page and "Buku tahun 2025 berubah sejak simulasi ini" in page
    assert "1 anggota (A-004)" in page
    with hub_db.reading() as s:
        run_id = shu_runs.show(s, 2025).id
    refused = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id))  # as the page sends it
    assert refused.status_code == 409 and "tidak dibekukan: buku berubah sejak simulasi" in refused.text


def _frozen_2025(hub_db) -> None:
    with hub_db.transaction() as s:
        shu_runs.simulate(s, 2025, shu.settings(), "ketua", NOW)
    with hub_db.transaction() as s:
        shu_runs.freeze(s, 2025, "Ketua Rapat", NOW, AFTER)


def test_a_day_of_a_frozen_year_is_refused_and_the_outlet_keeps_the_message(hub_client, hub_db, creds,
                                                                             year_2025):  # noqa: F811
    """After 2025 was frozen the hub stored GERAI01-2025-12-29-day (201) and the PHU of 2025 moved
    under the frozen figure."""
    _frozen_2025(hub_db)
    with hub_db.reading() as s:
        phu = shu_basis.profit(s, 2025).phu
    late = day_doc("KDMP01", "2025-12-29", member=50_000, non_member=0, purchases=[("A-001", "Andi", 50_000)])
    answer = push(hub_client, creds, late)
    assert answer.status_code == 409 and answer.json["error"] == "conflict"
    assert "SHU tahun 2025 dibekukan" in answer.json["message"]
    assert "tidak dibukukan" in answer.json["message"] and "tahun buku berikutnya" in answer.json["message"]
    status, message = _outlet_sees(answer)
    assert status is OutboxStatus.REJECTED and message.endswith("buku besar koperasi.")   # not cut short
    earlier = day_doc("KDMP01", "2024-06-01", member=0, non_member=0, savings=[("A-001", "Andi", 0, 10_000)])
    assert push(hub_client, creds, earlier).status_code == 409   # its savings count in 2025's jasa modal
    correction = document(day="2025-11-30", kind="correction", n=1, summary={"returns": 1})
    assert push(hub_client, creds, correction).status_code == 409
    resent = push(hub_client, creds, year_2025[0][1], timestamp=int(time.time()) - 60)   # sent again
    assert resent.status_code == 200 and resent.json["status"] == "duplicate"
    next_year = day_doc("KDMP01", "2026-01-02", member=10_000, non_member=0)
    assert push(hub_client, creds, next_year).status_code == 201
    with hub_db.reading() as s:
        assert shu_basis.profit(s, 2025).phu == phu
        assert s.scalar(select(func.count()).select_from(HubDocument)
                        .where(HubDocument.business_date <= date(2025, 12, 31))) == 3


def test_a_saldo_awal_into_a_frozen_year_is_refused(hub_db, creds, year_2025):  # noqa: F811
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING, date(2025, 7, 1), "KDMP01")
    _frozen_2025(hub_db)
    with hub_db.transaction() as s, pytest.raises(opening.OpeningRefused) as inside:
        opening.import_file(s, "saldo.csv", OPENING, date(2025, 12, 1))
    assert "Buku s.d. 31-12-2025 sudah ditutup" in inside.value.problems[0]
    assert "pilih tanggal sesudah 31-12-2025" in inside.value.problems[0]
    with hub_db.transaction() as s, pytest.raises(opening.OpeningRefused) as replacing:
        opening.import_file(s, "saldo.csv", OPENING, date(2026, 1, 1), "KDMP01")
    assert "Saldo awal gerai KDMP01 per 01-07-2025" in replacing.value.problems[0]
    assert "tidak dapat diganti" in replacing.value.problems[0]
    with hub_db.transaction() as s:
        done = opening.import_file(s, "saldo.csv", OPENING, date(2026, 1, 1))   # the cooperative's, after
    assert done.as_of == date(2026, 1, 1)


def test_a_frozen_run_the_books_moved_under_is_flagged(hub_client, hub_db, hub_runner, creds,
                                                       year_2025):  # noqa: F811
    """A hub that stored a day after the freeze (before it refused them) says so beside the run."""
    _frozen_2025(hub_db)
    late = day_doc("KDMP01", "2025-12-29", member=50_000, non_member=0, purchases=[("A-001", "Andi", 50_000)])
    with hub_db.transaction() as s:   # as the hub did before: no run looked at
        assert receive.store(s, late, protocol.canonical(late).decode(), utcnow(), latest_run=None)[0] == 201
    sign_in(hub_client, hub_db)
    page = hub_client.get("/shu/?tahun=2025").text
    assert "SHU yang dibekukan tidak lagi sama dengan buku tahun 2025: PHU Rp1.000.000, sekarang" in page
    assert "koreksinya dicatat di tahun buku berikutnya" in page
    shown = hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2025"])
    assert "Catatan: SHU yang dibekukan tidak lagi sama dengan buku tahun 2025" in shown.output


def test_how_far_each_outlets_days_have_arrived(hub_client, hub_db, hub_runner, creds, other,
                                                year_2025):  # noqa: F811
    with hub_db.transaction() as s:
        outlets.add(s, "KDMP03", "Gerai Baru")   # registered, sent nothing
        outlets.add(s, "KDMP04", "Gerai Tutup")
        outlets.set_active(s, "KDMP04", False)
    listed = json.loads(hub_runner.invoke(args=["ledger-hub", "outlet", "list", "--json"]).output)
    assert [(o["code"], o["last_day"]) for o in listed] == [
        ("KDMP01", "2025-03-01"), ("KDMP02", "2025-07-15"), ("KDMP03", None), ("KDMP04", None)]
    text = hub_runner.invoke(args=["ledger-hub", "outlet", "list"]).output
    assert "hari terakhir diterima: 01-03-2025" in text and "hari terakhir diterima: belum ada" in text
    sign_in(hub_client, hub_db)
    home = hub_client.get("/").text
    assert "Hari terakhir diterima" in home and "15-07-2025" in home and "belum ada" in home
    page = " ".join(hub_client.get("/shu/?tahun=2025").text.split())
    assert ("Hari usaha yang diterima hub belum sampai 31-12-2025: KDMP01 (terakhir 01-03-2025), KDMP02 "
            "(terakhir 15-07-2025), KDMP03 (belum mengirim hari apa pun).") in page
    assert "KDMP04" not in page   # deactivated: it sends nothing more
    for outlet, credentials in (("KDMP01", creds), ("KDMP02", other)):
        last = day_doc(outlet, "2025-12-31", member=0, non_member=0)
        assert push(hub_client, credentials, last).status_code == 201
    page = " ".join(hub_client.get("/shu/?tahun=2025").text.split())
    assert "belum sampai 31-12-2025: KDMP03 (belum mengirim hari apa pun)." in page
    today = shu_runs.book_today(utcnow())
    running = " ".join(hub_client.get(f"/shu/?tahun={today.year}").text.split())
    assert f"Tahun buku {today.year} belum selesai (hari ini {today:%d-%m-%Y} WIB)" in running
    shown = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2025"]).output
    assert "Catatan: Hari usaha yang diterima hub belum sampai 31-12-2025: KDMP03" in shown


@pytest.mark.parametrize("hub_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_freeze_waits_for_a_day_being_stored_and_then_refuses(hub_db, year_2025):  # noqa: F811
    """The day's check locks the year's run until the day commits: a freeze alongside does not
    read the books before the day is in them."""
    import threading

    with hub_db.transaction() as s:
        shu_runs.simulate(s, 2025, shu.settings(), "ketua", NOW)
    late = day_doc("KDMP01", "2025-07-20", member=10_000, non_member=0)   # its month held
    outcome, started = [], threading.Event()

    def freeze() -> None:
        started.set()
        try:
            with hub_db.transaction() as s:
                shu_runs.freeze(s, 2025, "Ketua Rapat", NOW, AFTER)
            outcome.append("frozen")
        except shu.ShuError as refused:
            outcome.append(refused.message)

    thread = threading.Thread(target=freeze)
    with hub_db.transaction() as s:
        assert receive.store(s, late, protocol.canonical(late).decode(), utcnow())[0] == 201
        thread.start()
        assert started.wait(10)
        time.sleep(0.3)
        assert outcome == []   # waiting for the day's transaction
    thread.join(timeout=10)
    assert len(outcome) == 1 and "buku berubah sejak simulasi" in outcome[0]


def test_notes_of_a_frozen_year_and_of_a_year_not_begun_say_what_is_so(hub_client, hub_db, hub_runner,
                                                                      year_2025):  # noqa: F811
    """A frozen year kept saying "tunggu kiriman gerai itu … sebelum dibekukan" though the hub now
    refuses those days; a year not begun was said to be "belum selesai" beside "belum dimulai"."""
    with hub_db.transaction() as s:
        shu_runs.simulate(s, 2025, shu.settings(), "x", NOW)
        shu_runs.freeze(s, 2025, "Ketua Rapat", NOW, AFTER)
    token = sign_in(hub_client, hub_db)
    page = " ".join(hub_client.get("/shu/?tahun=2025").text.split())
    shown = " ".join(hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2025"]).output.split())
    for said in (page, shown):
        assert ("SHU tahun 2025 dibekukan tanpa hari usaha sampai 31-12-2025 dari KDMP01 (terakhir "
                "01-03-2025), KDMP02 (terakhir 15-07-2025): buku tahun itu sudah ditutup, hari yang "
                "belum terkirim tidak diterima lagi; koreksinya dicatat di tahun buku berikutnya.") in said
        assert "tunggu kiriman" not in said and "sebelum dibekukan" not in said
    today = shu_runs.book_today(utcnow())
    ahead = today.year + 1
    for answer in (hub_client.get(f"/shu/?tahun={ahead}"),
                   hub_client.post(f"/shu/{ahead}/simulasi", data={**FORM, "csrf_token": token})):
        assert "belum selesai" not in answer.text
    assert f"Tahun buku {ahead} belum dimulai" in answer.text
