"""``pos fertilizer realization`` and ``pos fertilizer report --per-receipt``."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.fertilizer.test_realization import sold  # noqa: F401  (the fixture)


@pytest.fixture
def backend():
    return "sqlite"


def test_realization_command_prints_lines_subtotals_totals_and_writes_files(runner, farm, sold,  # noqa: F811
                                                                              tmp_path):
    csv_path, xlsx_path = tmp_path / "realisasi.csv", tmp_path / "realisasi.xlsx"
    result = runner.invoke(args=["fertilizer", "realization", "--season", "MT I 2026",
                                 "--csv", str(csv_path), "--xlsx", str(xlsx_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Realisasi musim MT I 2026 (01-10-2026 s.d. 31-03-2027)" in out
    darmo = next(line for line in out.splitlines() if "Darmo Santoso" in line and "Urea" in line)
    assert darmo.split()[:2] == ["6402********0001", "Darmo"]
    assert "150 kg (3 karung)" in darmo and "100,00%" in darmo and "Rp90.000" in darmo
    total = next(line for line in out.splitlines() if " Total " in line and "Urea" in line)
    assert "200 kg (4 karung)" in total and "57,14%" in total and "Rp180.000" in total
    assert any(line.strip().startswith("Subtotal Poktan Sumber Rejeki") for line in out.splitlines())
    text = csv_path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("baris,kelompok_tani,nik,nama")
    rows = list(load_workbook(xlsx_path).worksheets[0].iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == "total" and r[5] == "Urea")[6:8] == (350, 200)
    assert f"baris ditulis ke {xlsx_path}" in out


def test_realization_command_refuses_an_unknown_season(runner, farm):
    result = runner.invoke(args=["fertilizer", "realization", "--season", "MT IX 2030"])
    assert result.exit_code == 1
    assert "Musim 'MT IX 2030' tidak ada. Musim yang ada: MT I 2026." in result.output


def test_report_per_receipt(runner, farm, sold, tmp_path):  # noqa: F811
    path = tmp_path / "struk.xlsx"
    result = runner.invoke(args=["fertilizer", "report", "--from", "01-11-2026", "--to", "30-11-2026",
                                 "--per-receipt", "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    first = next(line for line in result.output.splitlines() if sold[0].receipt_no in line)
    assert first.startswith("30-11-2026") and "Sri Wahyuni (keluarga, NIK 6402104405900003)" in first
    assert "1 karung" in first and first.endswith("Rp90.000")
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][11] == 50 and rows[3][11] == -50 and rows[3][2] == "retur"
    assert any(line.startswith("30-11-2026") and "-50 kg" in line and line.endswith("-Rp90.000")
               for line in result.output.splitlines())


def test_quota_command_shows_sacks_as_the_farmers_page_does(runner, farm, sold):  # noqa: F811
    """``pos fertilizer quota`` printed kg alone while /pupuk said "50 kg (1 karung)"."""
    result = runner.invoke(args=["fertilizer", "quota", "6402102003750002", "--date", "2026-11-30"])
    assert result.exit_code == 0, result.output
    urea = next(line for line in result.output.splitlines() if line.startswith("Urea"))
    assert "200 kg (4 karung)" in urea and "50 kg (1 karung)" in urea and "150 kg (3 karung)" in urea
    assert urea.index("200 kg") < urea.index("50 kg (1") < urea.index("150 kg")
