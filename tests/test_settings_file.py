"""The instance folder's ``pos.cfg`` (Python: ``HET_ZONE = "2"``): a line Python cannot read stops
the start (the server and every ``pos`` command) with one line naming the file and the line,
where a 48-line SyntaxError traceback was; and a whole number written in quotes is that number,
as the environment's ``POS_CASH_ROUNDING="100"`` is."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pos.errors import PosError
from tests.test_setting_rules import start

HINT = 'tulis setiap setelan sebagai NAMA = nilai, teks di antara tanda kutip (mis. HET_ZONE = "2").'


@pytest.mark.parametrize("line, reason", [
    ("oops this is not python", "invalid syntax"),
    ("PRINTER = usb", "NameError: name 'usb' is not defined"),
])
def test_a_line_python_cannot_read_stops_the_start_naming_the_file_and_line(tmp_path, line, reason):
    (tmp_path / "pos.cfg").write_text(f'HET_ZONE = "2"\n\n{line}\n')
    with pytest.raises(PosError) as refused:
        start(tmp_path)
    assert str(refused.value) == f"{tmp_path / 'pos.cfg'} baris 3 tidak dapat dibaca ({reason}): {HINT}"


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "pos", "db", "current"],
    [sys.executable, "-m", "waitress", "--port=0", "--call", "pos:create_app"],
], ids=["pos", "server"])
def test_the_command_line_and_the_server_say_it_in_one_line(tmp_path, command):
    (tmp_path / "pos.cfg").write_text('HET_ZONE = "2"\nCASH_ROUNDING = 100\noops this is not python\n')
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == (f"Galat: {tmp_path / 'pos.cfg'} baris 3 tidak dapat dibaca (invalid syntax): "
                           f"{HINT}\n")


def test_a_whole_number_in_quotes_is_that_number(tmp_path):
    (tmp_path / "pos.cfg").write_text('CASH_ROUNDING = "100"\nSIMPANAN_WAJIB = " 15000 "\n')
    app = start(tmp_path)
    assert (app.config["CASH_ROUNDING"], app.config["SIMPANAN_WAJIB"]) == (100, 15000)
    (tmp_path / "pos.cfg").write_text('SIMPANAN_WAJIB = "10.000"\n')
    with pytest.raises(PosError, match=r"^POS_SIMPANAN_WAJIB harus angka bulat 0 atau lebih, .* "
                                       r"bukan '10.000'"):
        start(tmp_path)


@pytest.mark.parametrize("line", ["SIMPANAN_WAJIB = 10.000", "POS_SIMPANAN_WAJIB=10.000  # sebulan"])
def test_a_number_written_with_a_thousands_dot_is_quoted_as_written(tmp_path, line):
    """pos.cfg's SIMPANAN_WAJIB = 10.000 (Python's 10.0) was refused "… bukan '10.0'", a value
    nobody wrote; the environment's POS_SIMPANAN_WAJIB=10.000 was already quoted as typed."""
    (tmp_path / "pos.cfg").write_text(f'HET_ZONE = "2"\n{line}\n')
    with pytest.raises(PosError) as refused:
        start(tmp_path)
    assert str(refused.value).endswith("tanpa titik atau koma (mis. 10000), bukan '10.000'.")
    (tmp_path / "pos.cfg").write_text("SIMPANAN_WAJIB = 10.5\n")   # what is written, as written
    with pytest.raises(PosError, match=r"bukan '10\.5'\.$"):
        start(tmp_path)


def test_the_environments_names_are_read_and_a_name_no_setting_has_is_refused(tmp_path):
    """POS_CASH_ROUNDING = 100 in pos.cfg (the README's tables name settings so) was kept and
    never read: rounding stayed 0 and the outlet's name the default, without a word."""
    (tmp_path / "pos.cfg").write_text('POS_OUTLET_NAME = "Gerai KDMP Sukamaju"\nPOS_CASH_ROUNDING = 100\n'
                                      'HET_ZONE = "2"\nPOS_HET_ZONE = "9"\n')
    app = start(tmp_path)
    assert (app.config["OUTLET_NAME"], app.config["CASH_ROUNDING"]) == ("Gerai KDMP Sukamaju", 100)
    assert app.config["HET_ZONE"] == "2"          # the file's own name wins when both are there
    assert "POS_CASH_ROUNDING" not in app.config
    (tmp_path / "pos.cfg").write_text("CASH_ROUNDNG = 100\n")
    with pytest.raises(PosError) as refused:
        start(tmp_path)
    assert str(refused.value) == (f"{tmp_path / 'pos.cfg'}: CASH_ROUNDNG bukan setelan Gerai POS. Maksud "
                                  "Anda CASH_ROUNDING? Di pos.cfg tulis nama setelannya, mis. "
                                  "CASH_ROUNDING = 100.")
    (tmp_path / "pos.cfg").write_text("lowercase_helper = 1\nSESSION_COOKIE_SECURE = True\n")
    assert start(tmp_path).config["SESSION_COOKIE_SECURE"] is True   # Flask's own settings too


@pytest.mark.parametrize("line, name", [("cash_rounding = 100", "cash_rounding"),
                                        ("Cash_Rounding = 100", "Cash_Rounding"),
                                        ("pos_cash_rounding = 100", "pos_cash_rounding")])
def test_a_settings_name_in_small_letters_is_refused_with_its_capitals(tmp_path, line, name):
    """``cash_rounding = 100`` was kept out without a word (only capitalised names are read):
    rounding stayed 0, though a name no setting has stops the start."""
    (tmp_path / "pos.cfg").write_text(f'OUTLET_NAME = "Gerai KDMP Sukamaju"\n{line}\n')
    with pytest.raises(PosError) as refused:
        start(tmp_path)
    assert str(refused.value) == (f"{tmp_path / 'pos.cfg'}: {name} tidak dibaca sebagai setelan: tulis "
                                  "dengan huruf besar: CASH_ROUNDING.")
