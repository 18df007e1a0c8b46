"""Importing 8 farmers into a season that held 15 said "5 petani baru, 3 diperbarui" and
silently took 12 off the list; "Periksa saja" said only "8 baris tanpa kesalahan".  Farmers
leaving the list are now named, in the check and in the outcome, and they leave only when the
manager confirms it (the tick box, ``--remove-missing``)."""
from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from pos.fertilizer.models import RdkkFarmer
from pos.fertilizer.rdkk import COLUMNS, KEY, RdkkFile
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from tests.factories import login, make_user, poll_until_finished
from tests.fertilizer.test_rdkk import FROM, TO, csv


def farmer(n: int) -> str:
    return f"64021015057{n:05d},Petani {n:02d},Poktan {n % 3},Loa Janan,padi,,100,,,,"


FIFTEEN = [farmer(n) for n in range(1, 16)]
EIGHT = [farmer(n) for n in range(1, 4)] + [farmer(n) for n in range(21, 26)]   # 3 stay, 5 new
LEAVING = "12 petani keluar dari daftar: Petani 04, Petani 05, Petani 06, Petani 07, Petani 08 dan 7 lainnya."


def load(db, lines, remove_missing=False, starts_on=FROM, ends_on=TO):
    rows = read_csv(csv(*lines), COLUMNS, KEY)
    with db.transaction() as s:
        return RdkkFile("MT I 2026", starts_on, ends_on, "erdkk.csv",
                        remove_missing=remove_missing).import_rows(s, rows)


def listed(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(RdkkFarmer))


def test_farmers_leave_the_list_only_when_confirmed_and_named(db):
    load(db, FIFTEEN)
    with pytest.raises(ImportErrors) as refused:
        load(db, EIGHT, starts_on=None, ends_on=None)
    assert refused.value.problems == 1
    assert refused.value.errors[0].startswith(
        "12 petani musim MT I 2026 tidak ada di berkas dan akan keluar dari daftar: Petani 04,")
    assert "--remove-missing" in refused.value.errors[-1]
    assert listed(db) == 15
    summary = load(db, EIGHT, remove_missing=True, starts_on=None, ends_on=None)
    assert (summary["created"], summary["removed"]) == (5, 12)
    assert summary["notices"] == [LEAVING]
    assert listed(db) == 8


def test_a_file_that_keeps_everyone_needs_no_confirmation(db):
    load(db, FIFTEEN)
    summary = load(db, [*FIFTEEN, farmer(30)], starts_on=None, ends_on=None)
    assert (summary["created"], summary["removed"], summary["notices"]) == (1, 0, [])


def test_a_farmer_twice_in_the_file_is_told_to_merge_the_rows(db):
    with pytest.raises(ImportErrors) as refused:
        load(db, [farmer(1), farmer(1)])
    assert refused.value.errors == [
        "Baris 3: NIK 6402101505700001 juga ada di baris 2; gabungkan alokasinya dalam satu baris."]


def test_the_screen_names_who_leaves_and_asks_to_confirm(app, client, db):
    load(db, FIFTEEN)
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "2222").id
    login(client, manager)
    assert 'name="remove_missing"' in client.get("/pupuk").get_data(as_text=True)

    def upload(**flags) -> str:
        response = client.post("/pupuk/impor", data={
            "season": "MT I 2026", "file": (BytesIO(csv(*EIGHT)), "erdkk.csv"), **flags},
            headers={"HX-Request": "true"}, content_type="multipart/form-data")
        return poll_until_finished(client, response.get_data(as_text=True))

    for flags in ({"check_only": "1"}, {}):
        refused = upload(**flags)
        assert "Impor dibatalkan: 1 kesalahan" in refused
        assert "12 petani musim MT I 2026 tidak ada di berkas dan akan keluar dari daftar" in refused
        assert listed(db) == 15
    checked = upload(check_only="1", remove_missing="1")
    assert "8 baris tanpa kesalahan" in checked and LEAVING in checked
    assert listed(db) == 15
    done = upload(remove_missing="1")
    assert "5 petani baru" in done and "12 keluar dari daftar" in done and LEAVING in done
    assert listed(db) == 8


def test_cli_refuses_to_drop_farmers_without_remove_missing(runner, db, tmp_path):
    load(db, FIFTEEN)
    path = tmp_path / "erdkk.csv"
    path.write_bytes(csv(*EIGHT))
    args = ["fertilizer", "import-rdkk", str(path), "--season", "MT I 2026"]
    for extra in (["--dry-run"], []):
        result = runner.invoke(args=[*args, *extra])
        assert result.exit_code == 1
        assert "akan keluar dari daftar" in result.output and "--remove-missing" in result.output
    assert listed(db) == 15
    result = runner.invoke(args=[*args, "--remove-missing", "--dry-run"])
    assert result.exit_code == 0 and LEAVING in result.output, result.output
    assert listed(db) == 15
    result = runner.invoke(args=[*args, "--remove-missing"])
    assert result.exit_code == 0 and "12 keluar dari daftar" in result.output and LEAVING in result.output
    assert listed(db) == 8
