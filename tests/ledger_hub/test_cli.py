"""``pos ledger-hub outlet add|list``, ``report`` and ``trial-balance`` on the hub's database."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pos.clock import utcnow
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import operators, outlets, schema
from pos.ledger_hub.models import SCHEMA_VERSION, HubOutlet
from tests.conftest import build_app
from tests.ledger_hub.helpers import document, env_lines, push


def test_outlet_add_prints_credentials_that_authenticate(hub_runner, hub_app, hub_db):
    result = hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KDMP01", "--name", "Gerai Makmur"])
    assert result.exit_code == 0, result.output
    issued = env_lines(result.stdout)
    assert set(issued) == {"POS_LEDGER_TOKEN", "POS_LEDGER_SECRET"}
    assert all(len(v) >= 40 for v in issued.values())
    with hub_db.reading() as s:
        row = s.get(HubOutlet, "KDMP01")
        assert row.name == "Gerai Makmur" and row.token_hash != issued["POS_LEDGER_TOKEN"]
        assert outlets.authenticate(s, "KDMP01", issued["POS_LEDGER_TOKEN"]) is not None
    credentials = outlets.Credentials("KDMP01", issued["POS_LEDGER_TOKEN"], issued["POS_LEDGER_SECRET"])
    assert push(hub_app.test_client(), credentials, document()).status_code == 201


def test_outlet_add_refuses_a_duplicate_or_bad_code(hub_runner, hub_db):
    assert hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KDMP01"]).exit_code == 0
    again = hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KDMP01"])
    assert again.exit_code == 1 and "sudah terdaftar" in again.output
    assert "POS_LEDGER_TOKEN" not in again.output
    bad = hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KD MP"])
    assert bad.exit_code == 1 and "Kode gerai" in bad.output
    for other in ("gerai02", "G", "1GERAI", "GERAI.02"):   # what no outlet's POS_OUTLET_CODE can be
        refused = hub_runner.invoke(args=["ledger-hub", "outlet", "add", other])
        assert refused.exit_code == 1 and "sama dengan POS_OUTLET_CODE gerainya" in refused.output
    with hub_db.reading() as s:
        assert s.scalars(select(HubOutlet.code)).all() == ["KDMP01"]


def test_outlet_list(hub_runner):
    assert "Belum ada gerai" in hub_runner.invoke(args=["ledger-hub", "outlet", "list"]).output
    hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KDMP02", "--name", "Sejahtera"])
    hub_runner.invoke(args=["ledger-hub", "outlet", "add", "KDMP01"])
    listed = json.loads(hub_runner.invoke(args=["ledger-hub", "outlet", "list", "--json"]).output)
    assert [(o["code"], o["name"], o["active"]) for o in listed] == [("KDMP01", "KDMP01", True),
                                                                      ("KDMP02", "Sejahtera", True)]
    assert listed[0]["created_at"].endswith("+00:00")   # UTC, its zone said
    text = hub_runner.invoke(args=["ledger-hub", "outlet", "list"]).output
    assert "KDMP02" in text and "Sejahtera" in text and "aktif" in text


def correction(day: str = "2026-11-30") -> dict:
    doc = document(day=day, kind="correction", n=1, summary={"returns": 1})
    doc["journal"] = [{"account": "411100", "name": "Penjualan Sembako Anggota", "debit": 5_000, "credit": 0,
                       "memo": "retur", "unit": "sembako", "member": True},
                      {"account": "111000", "name": "Kas", "debit": 0, "credit": 5_000, "memo": "retur",
                       "unit": None, "member": None}]
    doc.pop("hash")
    from pos.ledger_hub import protocol

    doc["hash"] = protocol.content_hash(doc)
    return doc


@pytest.fixture
def pushed(hub_client, creds, other):
    """KDMP01: 30-11 day + a correction, 01-12 day; KDMP02: 30-11 day."""
    day = document()
    for credentials, doc in ((creds, day), (creds, document(day="2026-12-01", amount=200_000)),
                             (other, document(outlet="KDMP02", amount=300_000))):
        assert push(hub_client, credentials, doc).status_code == 201
    fix = correction()
    assert push(hub_client, creds, fix, timestamp=None).status_code in (201,)
    return day, fix


def test_report_json_repeats_the_day_summary_and_lists_the_journal(hub_runner, pushed):
    day, fix = pushed
    result = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "2026-11-30",
                                     "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["outlet_code"] == "KDMP01" and report["business_date"] == "2026-11-30"
    assert report["documents"] == ["KDMP01-2026-11-30-day", "KDMP01-2026-11-30-correction-1"]
    for key in ("sale_count", "gross", "total", "payments", "business_units", "discount", "tax", "rounding"):
        assert report[key] == day["summary"][key]
    assert len(report["journal"]) == 6
    assert report["journal"][0] == {"document_id": "KDMP01-2026-11-30-correction-1", "line_no": 1,
                                    "account": "411100", "name": "Penjualan Sembako Anggota",
                                    "debit": 5_000, "credit": 0, "memo": "retur", "unit": "sembako",
                                    "member": True}
    assert report["debit"] == report["credit"] == 130_000


def test_report_text_and_an_unknown_day(hub_runner, pushed):
    text = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "2026-12-01"])
    assert text.exit_code == 0 and "3 transaksi" in text.output and "Rp200.000" in text.output
    missing = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "2026-11-29"])
    assert missing.exit_code == 1 and "belum menerima" in missing.output
    day_first = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "01-12-2026"])
    assert day_first.output == text.output
    bad = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "31-11-2026"])
    assert bad.exit_code == 2 and "31-11-2026 tidak ada" in bad.output


def test_report_text_has_headings_and_each_lines_memo(hub_runner, pushed):
    """"111000 Kas" four times as debits with no heading and no memo: sales could not be told from
    savings; and the last line ran into the shell prompt."""
    result = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "30-11-2026"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Akun"])
    assert lines[head].split() == ["Akun", "Nama", "akun", "Keterangan", "Debit", "Kredit"]
    table = lines[head + 1:]
    assert [line.split()[0] for line in table] == ["411100", "111000", "111000", "113100", "411100",
                                                   "411200", "Jumlah"]
    assert "retur" in table[1] and "tunai" in table[2] and "kasbon" in table[3]
    assert len({len(line) for line in lines[head:]}) == 1, result.output   # aligned, amounts flush right
    assert table[-1].endswith("Rp130.000") and result.output.endswith("Rp130.000\n")


def test_trial_balance_consolidated_per_outlet_and_per_period(hub_runner, pushed):
    whole = json.loads(hub_runner.invoke(args=["ledger-hub", "trial-balance", "--json"]).output)
    assert whole["balanced"] is True and whole["debit"] == whole["credit"] == 625_000 + 5_000
    kas = next(a for a in whole["accounts"] if a["account"] == "111000")
    assert kas == {"account": "111000", "name": "Kas", "opening": 0, "debit": 100_000 + 175_000 + 275_000,
                   "credit": 5_000, "closing": 545_000}
    one = json.loads(hub_runner.invoke(args=["ledger-hub", "trial-balance", "--outlet", "KDMP02",
                                             "--json"]).output)
    assert one["debit"] == 300_000 and one["outlet"] == "KDMP02"
    november = json.loads(hub_runner.invoke(args=["ledger-hub", "trial-balance", "--from", "2026-11-01",
                                                  "--to", "2026-11-30", "--json"]).output)
    assert november["debit"] == 430_000 and november["balanced"]
    text = hub_runner.invoke(args=["ledger-hub", "trial-balance"]).output
    assert "Neraca saldo seimbang." in text and "Rp630.000" in text
    # a name of 29 characters whole (it was cut at 28), every balance ending in one column
    rows = [line for line in text.splitlines() if line[:1].isdigit()]
    assert any(line.startswith("411200  Penjualan Sembako Non-Anggota  ") for line in rows), text
    assert len({len(line) for line in rows}) == 1, text
    backwards = hub_runner.invoke(args=["ledger-hub", "trial-balance", "--from", "2026-12-01",
                                        "--to", "2026-11-01"])
    assert backwards.exit_code == 2


@pytest.mark.parametrize("hub_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_keeps_the_journal_in_month_partitions(hub_db, pushed):
    with hub_db.engine.connect() as conn:
        names = schema.partitions(conn)
        assert {"hub_journal_line_p202611", "hub_journal_line_p202612"} <= set(names)
        in_november = conn.exec_driver_sql("SELECT count(*) FROM hub_journal_line_p202611").scalar()
        kind = conn.exec_driver_sql("SELECT relkind FROM pg_class "
                                    "WHERE relname = 'hub_journal_line'").scalar()
    assert in_november == 4 + 4 + 2 and kind == "p"


def test_the_schema_is_created_once_and_ensure_runs_again_harmlessly(hub_db):
    assert schema.ensure(hub_db.engine) == SCHEMA_VERSION
    assert schema.ensure(hub_db.engine) == SCHEMA_VERSION
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*), max(version) FROM hub_schema_version").one() \
            == (1, SCHEMA_VERSION)


def test_a_version_1_database_gets_the_operators_session_column(hub_db):
    with hub_db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE hub_operator DROP COLUMN sessions_valid_after")
        conn.exec_driver_sql("UPDATE hub_schema_version SET version = 1")
    assert schema.ensure(hub_db.engine) == SCHEMA_VERSION
    with hub_db.transaction() as s:
        operators.add(s, "siti", "kata-sandi-1")
        operators.end_sessions(s, "siti", utcnow())
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT max(version) FROM hub_schema_version").scalar() == SCHEMA_VERSION
        assert conn.exec_driver_sql("SELECT sessions_valid_after FROM hub_operator").scalar() is not None


def test_a_version_2_database_gets_the_login_failure_table(hub_db):
    with hub_db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE hub_login_failure")
        conn.exec_driver_sql("UPDATE hub_schema_version SET version = 2")
    assert schema.ensure(hub_db.engine) == SCHEMA_VERSION == 4
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM hub_login_failure").scalar() == 0
        assert conn.exec_driver_sql("SELECT max(version) FROM hub_schema_version").scalar() == 4


def test_a_database_from_a_newer_hub_is_refused_not_marked_older(hub_runner, hub_db):
    newer = SCHEMA_VERSION + 1
    with hub_db.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE hub_schema_version SET version = {newer}")
    try:
        with pytest.raises(schema.SchemaTooNew, match=f"skema {newer}, aplikasi ini {SCHEMA_VERSION}"):
            schema.ensure(hub_db.engine)
        result = hub_runner.invoke(args=["ledger-hub", "outlet", "list"])
        assert result.exit_code == 1 and f"lebih baru (skema {newer}" in result.output
        with hub_db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT max(version) FROM hub_schema_version").scalar() == newer
    finally:  # the version row outlives the test on PostgreSQL (the run's one hub database)
        with hub_db.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE hub_schema_version SET version = {SCHEMA_VERSION}")


def test_without_a_url_the_hub_is_sqlite_in_the_instance_folder(tmp_path):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32), CLI=True)
    result = app.test_cli_runner().invoke(args=["ledger-hub", "outlet", "add", "DEMO01"])
    assert result.exit_code == 0 and (tmp_path / "instance" / "ledger_hub.db").exists()


def test_month_bounds_cross_the_year():
    from datetime import date

    assert schema.month_bounds(date(2026, 12, 31)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert schema.month_bounds(date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 2, 1))
    assert schema.partition_name(date(2026, 2, 9)) == "hub_journal_line_p202602"


def test_report_of_an_outlet_the_hub_does_not_know_says_so(hub_runner, pushed):
    """``--outlet XX`` said "Hub belum menerima dokumen gerai XX", as if XX were an outlet whose
    day had not arrived yet: a typo read as a missing day."""
    for args in (["--date", "2026-11-30"], ["--date", "2026-11-30", "--json"]):
        unknown = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "XX", *args])
        assert unknown.exit_code == 1
        assert unknown.output == ("Galat: Gerai XX tidak terdaftar di hub (gerai terdaftar: KDMP01, "
                                  "KDMP02).\n")
    empty = hub_runner.invoke(args=["ledger-hub", "outlet", "deactivate", "KDMP02"])   # still registered
    assert empty.exit_code == 0, empty.output
    missing = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP02", "--date", "2026-12-01"])
    assert missing.exit_code == 1 and "Hub belum menerima dokumen gerai KDMP02" in missing.output
