"""``pos qris make`` and ``pos qris check``."""
from __future__ import annotations

import pytest

from pos.db import get_db
from pos.payments import qris
from pos.settings import service
from tests.payments.vectors import BAZNAS, SAMPLE1, SAMPLE3


def test_make_without_a_static_qris_says_where_to_set_it(runner):
    result = runner.invoke(args=["qris", "make", "--amount", "25000"])
    assert result.exit_code == 1
    assert "QRIS statis belum diatur: isi di layar Pengaturan atau POS_QRIS_STATIC." in result.output


def test_make_from_the_environment_setting(app_factory):
    app = app_factory(QRIS_STATIC=SAMPLE1)
    result = app.test_cli_runner().invoke(args=["qris", "make", "--amount", "25.000"])
    assert result.exit_code == 0, result.output
    assert result.output == qris.dynamic(SAMPLE1, 25_000) + "\n"


def test_the_settings_screen_value_wins_over_the_environment(app_factory):
    app = app_factory(QRIS_STATIC=SAMPLE1)
    with get_db(app).transaction() as s:
        service.put_qris_static(s, BAZNAS, None)
    result = app.test_cli_runner().invoke(args=["qris", "make", "--amount", "80001"])
    assert result.exit_code == 0 and result.output.strip() == qris.dynamic(BAZNAS, 80_001)
    assert qris.merchant_name(result.output.strip()) == "Baznas"


@pytest.mark.parametrize("amount, problem", [
    ("abc", "Jumlah uang tidak valid"), ("-5", "Jumlah uang tidak valid"),
    ("12,5", "Jumlah uang tidak valid"),
    ("0", "Nominal QRIS harus Rp1 sampai Rp9.999.999.999."),
    ("10000000000", "Jumlah uang terlalu besar (maksimal Rp9.999.999.999)."),
])
def test_make_refuses_a_bad_amount(app_factory, amount, problem):
    result = app_factory(QRIS_STATIC=SAMPLE1).test_cli_runner().invoke(
        args=["qris", "make", "--amount", amount])
    assert result.exit_code == 1 and problem in result.output
    assert "000201" not in result.output


def test_make_refuses_a_broken_environment_setting(app_factory):
    result = app_factory(QRIS_STATIC=SAMPLE3).test_cli_runner().invoke(
        args=["qris", "make", "--amount", "1000"])
    assert result.exit_code == 1 and "CRC salah: seharusnya 4AD5, tertulis 5C1C." in result.output


def test_check_explains_a_payload_tag_by_tag_in_aligned_columns(runner):
    payload = qris.dynamic(SAMPLE1, 25_000)
    result = runner.invoke(args=["qris", "check", payload])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rows = [line for line in lines[:-1] if not line.startswith(" ")]
    assert [row[:2] for row in rows] == [tag for tag, _ in qris.parse(payload).pairs]
    values = {row[:2]: row for row in rows}
    assert "Nama merchant" in values["59"] and values["59"].endswith("  Kantin Ibu Lilik")
    assert "Metode (11 statis / 12 dinamis)" in values["01"] and values["01"].endswith("  12")
    assert "Mata uang (360 = IDR)" in values["53"] and "Nominal" in values["54"]
    column = values["59"].index("Kantin")
    assert values["60"].index("Jakarta") == column and values["54"].index("25000") == column
    assert any(line.startswith("  07") and line.endswith("A01") for line in lines)
    assert lines[-1] == f"QRIS sah (dinamis, nominal Rp25.000), CRC {payload[-4:]} cocok."


def test_check_a_static_payload(runner):
    result = runner.invoke(args=["qris", "check", BAZNAS])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "QRIS sah (statis), CRC A402 cocok."


@pytest.mark.parametrize("payload, reason", [
    (SAMPLE3, "CRC salah: seharusnya 4AD5, tertulis 5C1C."),
    (SAMPLE1[:-8], "Tag 63 (CRC) tidak ada."),
    ("hello", "tidak berbentuk TLV"),
])
def test_check_fails_with_the_reason(runner, payload, reason):
    result = runner.invoke(args=["qris", "check", payload])
    assert result.exit_code == 1 and reason in result.output and "Nama merchant" not in result.output
