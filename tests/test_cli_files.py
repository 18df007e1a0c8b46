"""Every ``pos`` command that writes a file or a folder refuses a place whose folder does not
exist, in one line and before doing anything (exit 1): exports ended in a FileNotFoundError
traceback, and ``pos ledger simkopdes --out`` made the missing folders unseen (a mistyped or
unmounted place filled on the internal disk). ``pos backup --to`` refused it already."""
from __future__ import annotations

import pytest

from pos.db import get_db
from tests.factories import make_product

DAY = ["--from", "01-12-2026", "--to", "01-12-2026"]
# Each command, with {out} where the file or folder it writes goes.
WRITERS = [
    ["members", "export", "{out}/anggota.csv"],
    ["members", "export", "{out}/anggota.xlsx"],
    ["inventory", "export", "{out}/katalog.csv"],
    ["inventory", "export", "{out}/katalog.xlsx"],
    ["report", "sales", *DAY, "--by", "day", "--csv", "{out}/x.csv"],
    ["report", "sales", *DAY, "--by", "product", "--xlsx", "{out}/x.xlsx"],
    ["report", "stock-card", "SKU-1", *DAY, "--xlsx", "{out}/s.xlsx"],
    ["report", "stock-card", "SKU-1", *DAY, "--csv", "{out}/s.csv"],
    ["fertilizer", "report", *DAY, "--xlsx", "{out}/pupuk.xlsx"],
    ["ledger", "simkopdes", *DAY, "--out", "{out}/simkopdes"],
    ["ledger-hub", "books", "neraca", "--xlsx", "{out}/neraca.xlsx"],
    ["ledger-hub", "trial-balance", "--xlsx", "{out}/neraca-saldo.xlsx"],
    ["ledger-hub", "shu", "simulate", "--year", "2026", "--xlsx", "{out}/shu.xlsx"],
    ["ledger-hub", "shu", "show", "--year", "2026", "--xlsx", "{out}/shu.xlsx"],
    ["ledger-hub", "backup", "--to", "{out}/cadangan"],
]


@pytest.fixture
def shop(app, db):
    with db.transaction() as s:
        make_product(s, sku="SKU-1")
    return app


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("args", WRITERS, ids=lambda args: " ".join(args[:3]))
def test_a_place_whose_folder_does_not_exist_is_refused_in_one_line(shop, backend, tmp_path, args):
    missing = tmp_path / "tidak-ada"
    hub = tmp_path / "instance" / "ledger_hub.db"
    result = shop.test_cli_runner().invoke(args=[a.format(out=missing) for a in args])
    assert result.exit_code == 1, result.output
    assert result.output == f"Galat: Folder {missing} tidak ada.\n"
    assert not missing.exists()                   # nothing made, and nothing written
    assert not hub.exists()                       # refused before the hub's database was opened


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_folder_given_for_a_file_is_refused_and_a_folder_to_make_is_made(shop, backend, tmp_path):
    runner = shop.test_cli_runner()
    result = runner.invoke(args=["members", "export", str(tmp_path)])
    assert result.exit_code == 1 and result.output == f"Galat: {tmp_path} adalah folder, bukan berkas.\n"
    (tmp_path / "cadangan.db.gz").write_bytes(b"x")       # a file where a folder is named
    inside = runner.invoke(args=["members", "export", str(tmp_path / "cadangan.db.gz" / "x.csv")])
    assert inside.output == f"Galat: {tmp_path / 'cadangan.db.gz'} adalah berkas, bukan folder.\n"
    made = runner.invoke(args=["ledger", "simkopdes", *DAY, "--out", str(tmp_path / "simkopdes")])
    assert made.exit_code == 0, made.output                    # its parent is there: made, as before
    assert len(list((tmp_path / "simkopdes").iterdir())) == 5
    done = runner.invoke(args=["inventory", "export", str(tmp_path / "katalog.csv")])
    assert done.exit_code == 0 and (tmp_path / "katalog.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    get_db(shop).engine.dispose()
