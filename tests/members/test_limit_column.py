"""The member file's optional ``batas_kasbon`` column: a member's kasbon limit set by the import as
on the member page (``credit.set_limit``: the manage right, the same checks and messages, an entry
logged), every problem named by its row and nothing saved; the export writes it; the command takes
the manager by ``--user``."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.inventory.catalog import spreadsheets
from pos.members import transfer
from pos.members.accounts import credit
from pos.members.accounts.models import CreditEntry, EntryKind
from pos.members.models import Member
from tests.factories import login, make_user, poll_until_finished
from tests.members.test_transfer import upload

HEADER = "nomor,nama,batas_kasbon"


def rows_of(*lines: str, header: str = HEADER) -> list[dict]:
    return spreadsheets.read_file("a.csv", "\n".join([header, *lines]).encode(), transfer.IMPORT_COLUMNS,
                                  transfer.KEY)


@pytest.fixture
def people(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1357").id
        cashier = make_user(s, "kasir1", "cashier", "1111").id
        s.add_all([Member(number="AGT-0001", name="Budi", joined_on=date(2025, 7, 21)),
                   Member(number="AGT-0002", name="Sri", joined_on=date(2025, 8, 1))])
        s.flush()
        credit.set_limit(s, s.scalar(select(Member.id).where(Member.number == "AGT-0002")), 300_000, manager)
    return {"manager": manager, "cashier": cashier}


def limits(db) -> dict[str, int]:
    with db.reading() as s:
        return {m.number: credit.available(s, m.id)[0] for m in s.scalars(select(Member))}


def run(db, rows, user_id):
    with db.transaction() as s:
        return transfer.import_rows(s, rows, user_id)


def test_the_column_sets_limits_logs_entries_and_blank_keeps_them(db, people):
    rows = rows_of("AGT-0001,,Rp500.000", "AGT-0002,,", "AGT-0003,Ani,250000")
    summary = run(db, rows, people["manager"])
    assert summary == {"total": 3, "created": 1, "updated": 1, "unchanged": 1}
    assert limits(db) == {"AGT-0001": 500_000, "AGT-0002": 300_000, "AGT-0003": 250_000}
    with db.reading() as s:
        notes = sorted(s.scalars(select(CreditEntry.note).where(CreditEntry.kind == EntryKind.ADJUSTMENT,
                                                                CreditEntry.user_id == people["manager"])))
    assert "Batas kasbon Rp0 menjadi Rp500.000" in notes and "Batas kasbon Rp0 menjadi Rp250.000" in notes
    again = run(db, rows_of("AGT-0001,,500.000", "AGT-0002,,0"), people["manager"])
    assert again == {"total": 2, "created": 0, "updated": 1, "unchanged": 1}
    assert limits(db)["AGT-0002"] == 0


def test_bad_limits_are_named_by_row_and_nothing_is_saved(db, people):
    rows = rows_of("AGT-0001,Budi Baru,100000", 'AGT-0002,,"12,5"', "AGT-0004,Dewi,-5000",
                   "AGT-0005,Eka,2.000.000.000", header="nomor,nama,batas_kasbon,alamat")
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        run(db, rows, people["manager"])
    errors = caught.value.errors
    assert any(e.startswith("Baris 3: Batas kasbon tidak valid") for e in errors), errors
    assert any(e.startswith("Baris 4: Batas kasbon tidak valid") for e in errors), errors
    assert "Baris 5: Batas kasbon terlalu besar (maksimal Rp1.000.000.000)." in errors
    assert not any(e.startswith("Baris 2:") for e in errors)
    assert limits(db) == {"AGT-0001": 0, "AGT-0002": 300_000}
    with db.reading() as s:
        assert s.scalar(select(Member.name).where(Member.number == "AGT-0001")) == "Budi"


@pytest.mark.parametrize("who", ["cashier", None])
def test_only_a_manager_sets_limits_by_import(db, people, who):
    user_id = people[who] if who else None
    rows = rows_of("AGT-0001,Budi Baru,", "AGT-0009,Baru,100000")
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        run(db, rows, user_id)
    assert caught.value.errors == ["Baris 3: Hanya manajer yang dapat mengatur batas kasbon."]
    assert limits(db) == {"AGT-0001": 0, "AGT-0002": 300_000}
    assert run(db, rows_of("AGT-0001,Budi Baru,"), user_id)["updated"] == 1   # no limit: no right needed


def test_export_writes_the_limit_and_reimports_unchanged(db, people):
    with db.reading() as s:
        exported = transfer.export_rows(s)
    assert [r["batas_kasbon"] for r in exported] == ["", 300_000]
    text = spreadsheets.to_csv(exported, transfer.IMPORT_COLUMNS)
    assert text.splitlines()[0].endswith(",batas_kasbon")
    rows = spreadsheets.read_file("a.csv", text.encode(), transfer.IMPORT_COLUMNS, transfer.KEY)
    assert run(db, rows, people["manager"])["unchanged"] == 2


def test_cli_import_uses_the_named_manager(db, runner, people, tmp_path):
    (tmp_path / "a.csv").write_text(f"{HEADER}\nAGT-0001,,150000\n")
    refused = runner.invoke(args=["members", "import", str(tmp_path / "a.csv"), "--user", "kasir1"])
    assert refused.exit_code != 0
    assert "Baris 2: Hanya manajer yang dapat mengatur batas kasbon." in refused.output
    unknown = runner.invoke(args=["members", "import", str(tmp_path / "a.csv"), "--user", "tidakada"])
    assert unknown.exit_code != 0 and "Pengguna aktif 'tidakada' tidak ditemukan" in unknown.output
    assert limits(db)["AGT-0001"] == 0
    done = runner.invoke(args=["members", "import", str(tmp_path / "a.csv"), "--user", "manajer"])
    assert done.exit_code == 0 and "1 diperbarui" in done.output, done.output
    assert limits(db)["AGT-0001"] == 150_000
    (tmp_path / "b.csv").write_text(f"{HEADER}\nAGT-0001,,175000\n")
    default = runner.invoke(args=["members", "import", str(tmp_path / "b.csv")])   # the first manager
    assert default.exit_code == 0 and limits(db)["AGT-0001"] == 175_000
    with db.reading() as s:
        last = s.scalar(select(CreditEntry.user_id).order_by(CreditEntry.id.desc()).limit(1))
    assert last == people["manager"]


def test_upload_sets_limits_as_the_signed_in_manager(db, client, people):
    login(client, people["manager"])
    response = upload(client, f"{HEADER}\nAGT-0001,,Rp75.000\n".encode())
    final = poll_until_finished(client, response.get_data(as_text=True))
    assert "Impor selesai" in final and limits(db)["AGT-0001"] == 75_000
    export = client.get("/anggota/ekspor.csv").get_data().decode("utf-8-sig")
    assert export.splitlines()[0].endswith(",alamat,batas_kasbon") and ",75000" in export
