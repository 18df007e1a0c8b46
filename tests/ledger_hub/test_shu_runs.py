"""SHU runs on the hub's database (SQLite and PostgreSQL): the basis stored at receive time,
simulate, freeze, and the ``pos ledger-hub shu`` commands."""
from __future__ import annotations

import json
import time
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pos.errors import NotFound
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import shu, shu_basis, shu_export, shu_runs
from pos.ledger_hub.shu_models import HubMemberPurchase, HubShuMember, HubShuRun
from tests.conftest import build_app
from tests.ledger_hub.helpers import push
from tests.ledger_hub.shu_helpers import clean_shu_tables, day_doc  # noqa: F401  (autouse fixture)

NOW = datetime(2026, 2, 10, 3, 0)
AFTER = date(2026, 2, 10)
SPLIT = {"reserve": 2500, "jasa_anggota": 3000, "jasa_modal": 2000, "pendidikan": 1000,
         "pengurus": 1000, "lainnya": 500}


@pytest.fixture
def year_2025(hub_client, creds, other):
    """Two outlets' days of 2025 (and one of 2024, outside the year): revenue Rp1.300.000
    member and Rp300.000 non-member, cost Rp600.000, so PHU Rp1.000.000."""
    docs = [
        (creds, day_doc("KDMP01", "2025-03-01", member=800_000, non_member=200_000, cogs=400_000,
                        purchases=[("A-001", "Andi", 300_000), ("A-002", "Baso", 500_000)],
                        savings=[("A-001", "Andi", 100_000, 10_000)])),
        (other, day_doc("KDMP02", "2025-07-15", member=500_000, non_member=100_000, cogs=200_000,
                        purchases=[("A-001", "Andi", 100_000), ("A-003", "Cahya", 400_000)],
                        savings=[("A-002", "Baso", 100_000, 30_000), ("A-003", "Cahya", 0, 60_000)])),
        (creds, day_doc("KDMP01", "2024-12-31", member=999_000, non_member=0,
                        purchases=[("A-001", "Andi", 999_000)])),
    ]
    for credentials, doc in docs:
        assert push(hub_client, credentials, doc).status_code == 201
    again = push(hub_client, creds, docs[0][1], timestamp=int(time.time()) - 30)
    assert again.status_code == 200   # a duplicate is stored (and counted) once
    return docs


def test_receive_stores_the_members_basis(hub_db, year_2025):
    with hub_db.reading() as s:
        assert s.execute(select(func.count()).select_from(HubMemberPurchase)).scalar() == 5
        profit = shu_basis.profit(s, 2025)
        assert (profit.sales, profit.phu) == (1_600_000, 1_000_000)
        assert (profit.member_revenue, profit.non_member_revenue) == (1_300_000, 300_000)
        people = shu_basis.members(s, 2025, "pokok_wajib")
    # Andi bought at both outlets; his 2024 purchase is another year; sukarela is not capital
    assert [(m.number, m.purchases, m.savings) for m in people] == [
        ("A-001", 400_000, 110_000), ("A-002", 500_000, 130_000), ("A-003", 400_000, 60_000)]


def test_jasa_modal_goes_by_the_savings_held_at_the_years_end_not_those_paid_that_year(
        hub_client, hub_db, creds):
    """Dewi paid her pokok in 2024 and her wajib every year since; Eka joined in 2025. Jasa
    modal went by what came in during the year, so Dewi's 2024 pokok earned her nothing in
    2025 and Eka, who paid hers then, took the larger share. It is the capital held at the
    year's end: every saving paid up to 31 December."""
    for day, saved in (("2024-02-01", [("A-010", "Dewi", 100_000, 10_000)]),
                       ("2025-02-01", [("A-010", "Dewi", 0, 10_000), ("A-011", "Eka", 100_000, 10_000)]),
                       ("2026-01-05", [("A-011", "Eka", 0, 10_000)])):
        doc = day_doc("KDMP01", day, member=0, non_member=0, savings=saved)
        assert push(hub_client, creds, doc).status_code == 201
    with hub_db.reading() as s:
        people = shu_basis.members(s, 2025, "pokok_wajib")
    assert [(m.number, m.savings) for m in people] == [("A-010", 120_000), ("A-011", 110_000)]


def test_a_number_sent_in_small_letters_counts_with_the_same_member(hub_client, hub_db, creds):
    """An outlet whose register held a member number in small letters sent it so until the
    upgrade to revision 0032 wrote it in capitals: both count as one member of the SHU."""
    for day, number, bought, saved in (("2025-03-01", "a-001", 300_000, 10_000),
                                       ("2025-04-01", "A-001", 200_000, 20_000)):
        doc = day_doc("KDMP01", day, member=bought, non_member=0,
                      purchases=[(number, "Andi", bought)], savings=[(number, "Andi", 0, saved)])
        assert push(hub_client, creds, doc).status_code == 201
    with hub_db.reading() as s:
        people = shu_basis.members(s, 2025, "pokok_wajib")
    assert [(m.number, m.name, m.purchases, m.savings) for m in people] == [
        ("A-001", "Andi", 500_000, 30_000)]


def test_simulate_shares_only_member_business_to_the_rupiah(hub_db, year_2025):
    with hub_db.transaction() as s:
        run = shu_runs.simulate(s, 2025, shu.settings(SPLIT), "ketua", NOW)
    f = run.figures
    assert run.status == "simulation" and run.pool == 1_000_000 and not f["pool_adjusted"]
    # 1.000.000 x 1.300.000 / 1.600.000 = 812.500 member business; 187.500 to the reserve
    assert (f["member_share"], f["non_member_share"]) == (812_500, 187_500)
    assert f["parts"]["jasa_anggota"] == 243_750 and f["parts"]["jasa_modal"] == 162_500
    assert f["reserve_total"] == 187_500 + 203_125
    assert sum(x.jasa_anggota for x in run.lines) == 243_750
    assert sum(x.jasa_modal for x in run.lines) == 162_500
    assert run.members_total == 243_750 + 162_500
    andi = run.line("A-001")   # 400.000/1.300.000 x 243.750 = 75.000; 110.000/300.000 x 162.500
    assert (andi.jasa_anggota, andi.jasa_modal) == (75_000, 59_583)
    assert [x.total for x in run.lines] == [134_583, 164_167, 107_500]   # Baso takes the odd Rupiah


def test_adjusted_pool_and_resimulation_replace_the_simulation(hub_db, year_2025):
    with hub_db.transaction() as s:
        shu_runs.simulate(s, 2025, shu.settings(), "ketua", NOW)
    with hub_db.transaction() as s:
        run = shu_runs.simulate(s, 2025, shu.settings(SPLIT, "semua"), "ketua", NOW, pool=1_000_001)
    assert run.pool == 1_000_001 and run.figures["pool_adjusted"] and run.settings["savings_basis"] == "semua"
    assert run.figures["tms"] == 110_000 + 130_000 + 60_000 + 3 * 5_000
    total = run.figures["reserve_total"] + sum(run.figures["parts"][p] for p in
                                               ("pendidikan", "pengurus", "lainnya"))
    assert total + run.members_total == 1_000_001
    with hub_db.reading() as s:
        assert s.execute(select(func.count()).select_from(HubShuRun)).scalar() == 1
        assert shu_runs.current_settings(s, 2025).split == SPLIT


def test_freeze_is_final(hub_db, year_2025):
    with hub_db.transaction() as s:
        with pytest.raises(shu.ShuError, match="Belum ada simulasi SHU tahun 2025"):
            shu_runs.freeze(s, 2025, "ketua", NOW, AFTER)
        shu_runs.simulate(s, 2025, shu.settings(SPLIT), "ketua", NOW)
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="belum selesai"):
        shu_runs.freeze(s, 2025, "ketua", NOW, date(2025, 12, 31))
    with hub_db.transaction() as s:
        frozen = shu_runs.freeze(s, 2025, "Ketua Rapat", NOW, AFTER)
    assert frozen.frozen and frozen.frozen_by == "Ketua Rapat" and frozen.frozen_at == NOW
    before = frozen.as_dict()
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="sudah dibekukan") as refused:
        shu_runs.simulate(s, 2025, shu.settings(), "lain", NOW, pool=5)
    assert refused.value.status == 409
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="sudah dibekukan"):
        shu_runs.freeze(s, 2025, "lain", NOW, AFTER)
    with hub_db.reading() as s:
        assert shu_runs.show(s, 2025).as_dict() == before
        assert s.execute(select(func.count()).select_from(HubShuMember)).scalar() == 3


def test_bad_input_changes_nothing(hub_db, year_2025):
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="Tahun buku harus antara"):
        shu_runs.simulate(s, 1999, shu.settings(), "x", NOW)
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="tahun rugi"):
        shu_runs.simulate(s, 2025, shu.settings(), "x", NOW, pool=-1)
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="Isi nama"):
        shu_runs.freeze(s, 2025, "  ", NOW, AFTER)
    with hub_db.reading() as s:
        assert shu_runs.years(s) == []
        with pytest.raises(NotFound, match="Belum ada SHU tahun 2025"):
            shu_runs.show(s, 2025)


def test_xlsx_lists_every_member_and_the_totals(hub_db, year_2025, tmp_path):
    with hub_db.transaction() as s:
        run = shu_runs.simulate(s, 2025, shu.settings(SPLIT), "ketua", NOW)
    path = tmp_path / "shu.xlsx"
    path.write_bytes(shu_export.xlsx(run))
    rows = list(load_workbook(path)["SHU tahun buku 2025"].iter_rows(values_only=True))[3:]   # title, …
    assert rows[0][0] == "No. anggota" and [r[0] for r in rows[1:4]] == ["A-001", "A-002", "A-003"]
    assert rows[-1][0] == "Jumlah" and rows[-1][6] == run.members_total == sum(r[6] for r in rows[1:4])
    assert "A-001 Andi" in "\n".join(shu_export.slip_lines(run, "A-001"))


def _summary(content: bytes) -> dict:
    """The Ringkasan sheet as {label: (percentage or text, Rupiah)}, its title and subtitle."""
    import io
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Ringkasan", "SHU tahun buku 2025"] and book.active.title == "Ringkasan"
    rows = list(book["Ringkasan"].iter_rows(values_only=True))
    assert rows[3] == ("Uraian", "Persentase", "Rupiah")
    members = list(book["SHU tahun buku 2025"].iter_rows(values_only=True))   # the table as it was
    assert members[0] == ("SHU tahun buku 2025",) + (None,) * 6 and members[3][0] == "No. anggota"
    assert members[3] == ("No. anggota", "Nama", "Belanja setahun (V_a)", "Simpanan (S_a)", "Jasa anggota",
                          "Jasa modal", "SHU diterima")
    return {"title": rows[0][0], "subtitle": rows[1][0], **{r[0]: (r[1], r[2]) for r in rows[4:] if r[0]}}


def test_xlsx_opens_on_the_allocation_the_screen_shows(hub_db, year_2025):
    """The board takes the XLSX to the members' meeting: it held only the members' table."""
    with hub_db.transaction() as s:
        run = shu_runs.simulate(s, 2025, shu.settings(SPLIT, "semua"), "Bendahara", NOW, pool=1_000_000)
    got = _summary(shu_export.xlsx(run))
    f = run.figures
    assert got["title"] == "Ringkasan SHU tahun buku 2025"
    assert got["subtitle"] == "Simulasi (belum disahkan); disimulasikan 10-02-2026 10:00 WIB oleh Bendahara"
    assert got["PHU tahun 2025 (laporan PHU semua gerai)"] == (None, 1_000_000)
    assert got["Penjualan anggota"] == (None, 1_300_000) and got["Penjualan bukan anggota"] == (None, 300_000)
    assert got["SHU dibagi (disesuaikan)"] == (None, 1_000_000)
    assert got["Bagian usaha anggota"] == (None, 812_500)
    assert got["Bagian usaha bukan anggota (ke cadangan)"] == (None, 187_500)
    for part, label in shu.LABELS.items():
        assert got[label] == (f"{SPLIT[part] // 100},00%", f["parts"][part]), label
    assert got["Jumlah bagian usaha anggota"] == ("100,00%", 812_500)
    assert got["Cadangan seluruhnya"] == (None, f["reserve_total"])
    assert got["Dasar jasa modal"] == ("Simpanan pokok + wajib + sukarela", None)
    assert got["Belanja anggota setahun (VUK)"] == (None, f["vuk"])
    assert got["Simpanan anggota (TMS)"] == (None, f["tms"])
    assert got["Jasa anggota per Rp1.000 belanja"] == (None, f["rate_jasa_anggota"])
    assert got["SHU diterima anggota"] == ("3 anggota", run.members_total)
    assert got["Status"] == ("Simulasi (belum disahkan)", None) and got["Dibekukan"] == ("belum", None)
    with hub_db.transaction() as s:
        frozen = shu_runs.freeze(s, 2025, "Ketua Rapat", datetime(2026, 3, 1, 2, 30), AFTER)
    got = _summary(shu_export.xlsx(frozen))
    assert got["Status"] == ("Dibekukan (disahkan rapat anggota)", None)
    assert got["Dibekukan"] == ("01-03-2026 09:30 WIB oleh Ketua Rapat", None)
    assert got["subtitle"].endswith("; dibekukan 01-03-2026 09:30 WIB oleh Ketua Rapat")


@pytest.fixture
def hub_runner(tmp_path, hub_url):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True)
    return app.test_cli_runner()


def test_cli_reads_rupiah_and_percentages_as_the_screen_does(hub_runner, year_2025):
    """``--pool 1.000.000`` failed with "'1.000.000' bukan angka yang sah" (the screen takes it), and
    ``--split reserve=25,…`` with "harus 100%, sekarang 1,00%" (it read basis points)."""
    args = ["ledger-hub", "shu", "simulate", "--year", "2025", "--json"]
    for pool in ("1.000.000", "Rp1.000.000", "1000000"):
        done = hub_runner.invoke(args=[*args, "--pool", pool, "--split",
                                       "reserve=25,jasa_anggota=30,jasa_modal=20,pendidikan=10,pengurus=10,"
                                       "lainnya=5%"])
        assert done.exit_code == 0, done.output
        run = json.loads(done.stdout)
        assert run["pool"] == 1_000_000 and run["figures"]["pool_adjusted"]
        assert run["settings"]["split"] == SPLIT
        assert run["members_total"] == 406_250
    half = hub_runner.invoke(args=[*args, "--split", "reserve=12,5,jasa_anggota=42,5,jasa_modal=45"])
    assert half.exit_code == 0, half.output
    assert json.loads(half.stdout)["settings"]["split"]["reserve"] == 1250
    for pool, message in (("1,000,000", "--pool tidak valid"), ("-5", "--pool tidak valid")):
        bad = hub_runner.invoke(args=[*args, "--pool", pool])
        assert bad.exit_code == 1 and message in bad.output, bad.output
    helped = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--help"])
    assert "reserve=25" in helped.output and "Persen per bagian" in helped.output
    assert "1.000.000" in helped.output


def test_cli_simulate_freeze_show(hub_runner, year_2025, tmp_path):
    bad = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2025",
                                  "--split", "reserve=24"])
    assert bad.exit_code != 0 and "harus 100%, sekarang 24,00%" in bad.output
    for pool in ("99999999999999999999", "1000000000000001"):   # a traceback, or shares beyond belief
        huge = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2025", "--pool", pool])
        assert huge.exit_code == 1 and "maksimal Rp1.000.000.000.000.000" in huge.output, huge.output
    xlsx = tmp_path / "sim.xlsx"
    result = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2025", "--json", "--split",
                                     ",".join(f"{k}={v}" for k, v in SPLIT.items()), "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["status"] == "simulation" and run["members_total"] == 406_250 and xlsx.stat().st_size > 0
    frozen = hub_runner.invoke(args=["ledger-hub", "shu", "freeze", "--year", "2025", "--by", "Ketua"])
    assert frozen.exit_code == 0, frozen.output
    assert "Dibekukan" in frozen.output and "Rp134.583" in frozen.output
    again = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", "2025"])
    assert again.exit_code != 0 and "sudah dibekukan" in again.output
    shown = tmp_path / "shown.xlsx"
    listed = hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2025", "--xlsx", str(shown)])
    assert listed.exit_code == 0, listed.output
    assert _summary(shown.read_bytes())["Dibekukan"][0].endswith(" WIB oleh Ketua")
    slip = hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2025", "--member", "A-001"])
    assert slip.exit_code == 0 and "SHU diterima: Rp134.583" in slip.output
    missing = hub_runner.invoke(args=["ledger-hub", "shu", "show", "--year", "2025", "--member", "Z-9"])
    assert missing.exit_code != 0 and "tidak ada di daftar SHU" in missing.output


def test_a_negative_phu_is_said_in_rupiah(hub_client, hub_db, creds):
    """"PHU tahun 2025 negatif (-2080)" showed a raw number: it is Rupiah, written as Rupiah."""
    doc = day_doc("KDMP01", "2025-03-01", member=1_000, non_member=0, cogs=3_080,
                  purchases=[("A-001", "Andi", 1_000)])
    assert push(hub_client, creds, doc).status_code == 201
    with hub_db.transaction() as s, pytest.raises(shu.ShuError) as caught:
        shu_runs.simulate(s, 2025, shu.settings(), "x", NOW)
    assert caught.value.message.startswith("PHU tahun 2025 negatif (-Rp2.080); ")
