"""Settings the app would accept and then break on stop the start (and every ``pos`` command)
with one line naming the setting and what it may be, as ``POS_TIMEZONE`` does: a cash rounding
that is no coin (1000000000 made every cash sale Rp0, 7 made Rp3.000 into Rp3.003), an outlet
code the installer refuses (blank gave receipts "-0000001"), and login limits below 1
(``POS_LOGIN_ATTEMPTS_PER_MINUTE=0`` made every login an HTTP 500)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import pos
from pos.errors import PosError


def start(tmp_path, **settings):
    return pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                           "TESTING": True, "PRINT_IN_BACKGROUND": False,
                           "SQLITE_BACKGROUND_CHECKPOINT": False, **settings})


@pytest.mark.parametrize("coin", [7, 25, 2000, 1_000_000_000])
def test_a_cash_rounding_that_is_no_coin_stops_the_start(tmp_path, coin):
    with pytest.raises(PosError) as refused:
        start(tmp_path, CASH_ROUNDING=coin)
    assert str(refused.value) == ("POS_CASH_ROUNDING harus 0 (tanpa pembulatan) atau pecahan koin: 1, 50, "
                                  f"100, 200, 500 atau 1000, bukan {coin}.")


@pytest.mark.parametrize("coin", [0, 1, 50, 100, 200, 500, 1000])
def test_every_coin_is_a_cash_rounding(tmp_path, coin):
    assert start(tmp_path, CASH_ROUNDING=coin).config["CASH_ROUNDING"] == coin


@pytest.mark.parametrize("code", ["", "GER AI", "a/b", "A" * 35, "gerai01", "1GERAI", "G", "TST01 ", 12])
def test_an_outlet_code_the_installer_refuses_stops_the_start(tmp_path, code):
    with pytest.raises(PosError) as refused:
        start(tmp_path, OUTLET_CODE=code)
    assert str(refused.value).startswith("POS_OUTLET_CODE harus 2-20 huruf besar, angka atau '-', diawali "
                                         "huruf (mis. KDMP-SKP01), bukan ")


@pytest.mark.parametrize("code", ["TST01", "GERAI01", "KDMP-SKP01", "KDMP02", "CRASH01", "BENCH01", "AB",
                                  "A" * 20])
def test_the_outlet_codes_in_use_start(tmp_path, code):
    assert start(tmp_path, OUTLET_CODE=code).config["OUTLET_CODE"] == code


@pytest.mark.parametrize("setting", ["LOGIN_ATTEMPTS_PER_MINUTE", "LOGIN_MAX_ATTEMPTS",
                                     "LOGIN_MAX_ATTEMPTS_PER_USER", "LOGIN_LOCK_SECONDS"])
def test_a_login_limit_below_one_stops_the_start(tmp_path, setting):
    """-1 said "0 atau lebih", and 0 was then refused with another message."""
    for below in (0, -1):
        with pytest.raises(PosError, match=rf"^POS_{setting} harus angka bulat 1 atau lebih, tanpa titik "
                                           rf"atau koma \(mis\. \d+\), bukan '{below}'\.$"):
            start(tmp_path, **{setting: below})
    assert start(tmp_path, **{setting: 1}).config[setting] == 1


def test_the_command_line_says_which_setting_in_one_line(tmp_path):
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_CASH_ROUNDING": "7"}
    done = subprocess.run([sys.executable, "-m", "pos", "db", "current"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == ("Galat: POS_CASH_ROUNDING harus 0 (tanpa pembulatan) atau pecahan koin: 1, 50, "
                           "100, 200, 500 atau 1000, bukan 7.\n")
    blank = subprocess.run([sys.executable, "-m", "pos", "db", "current"], capture_output=True, text=True,
                           env={**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_OUTLET_CODE": '""'})
    assert blank.returncode == 1 and blank.stderr.startswith("Galat: POS_OUTLET_CODE harus 2-20 huruf")
    assert list(tmp_path.iterdir()) == []     # refused before anything was made


@pytest.mark.parametrize("setting", [("POS_CASH_ROUNDING", "7"), ("POS_TIMEZONE", "Mars/Base")])
def test_the_server_says_which_setting_in_one_line(tmp_path, setting):
    """``waitress-serve --call pos:create_app`` (make run, the kiosk's service) ended in a
    15-line traceback; every pos command said it in one line."""
    name, value = setting
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), name: value}
    done = subprocess.run([sys.executable, "-m", "waitress", "--port=0", "--call", "pos:create_app"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"Galat: {name}") and done.stderr.count("\n") == 1


@pytest.mark.parametrize("written, meant", [
    ("tidak", False), ("TIDAK", False), ("no", False), ("off", False), ("false", False), (0, False),
    ("0", False), ("", False), (False, False),
    ("ya", True), ("Yes", True), ("on", True), ("true", True), (1, True), ("1", True), (True, True)])
def test_an_on_off_setting_means_what_it_says(tmp_path, written, meant):
    """POS_SELF_APPROVAL=tidak was the text "tidak", which Python takes as true: a manager
    approved their own count; POS_TRUST_PROXY=tidak put the proxy fix in front of the app, so any
    till could name its own address to the login lockout; POS_PKP=ya read as not PKP."""
    app = start(tmp_path, SELF_APPROVAL=written, TRUST_PROXY=written, SECURE_COOKIES=written, PKP=written)
    assert (app.config["SELF_APPROVAL"], app.config["TRUST_PROXY"], app.config["SECURE_COOKIES"],
            app.config["PKP"]) == (meant, meant, meant, meant)
    assert (type(app.wsgi_app).__name__ == "ProxyFix") is meant
    assert app.config["SESSION_COOKIE_SECURE"] is meant


@pytest.mark.parametrize("written", ["maybe", "2", 2, "benar", 1.0, [1]])
def test_an_on_off_setting_that_is_neither_stops_the_start(tmp_path, written):
    with pytest.raises(PosError, match=r"^POS_SELF_APPROVAL harus ya atau tidak \(true/false, 1/0\), bukan "):
        start(tmp_path, SELF_APPROVAL=written)


def test_the_command_line_names_a_setting_as_it_was_typed(tmp_path):
    """POS_SIMPANAN_WAJIB=10.000 said "bukan '10.0'", a value nobody typed; POS_PKP=tidak said
    nothing and made a PKP-less outlet of whatever it meant."""
    def pos_with(**settings):
        env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), **settings}
        return subprocess.run([sys.executable, "-m", "pos", "db", "current"], env=env,
                              capture_output=True, text=True)

    done = pos_with(POS_SIMPANAN_WAJIB="10.000")
    assert done.returncode == 1 and "bukan '10.000'." in done.stderr, done.stderr
    done = pos_with(POS_SELF_APPROVAL="mungkin")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("Galat: POS_SELF_APPROVAL harus ya atau tidak (true/false, 1/0), "
                                   "bukan 'mungkin'.")


@pytest.mark.parametrize("written", [None, "", " ", "none", "None", "null", "tidak"])
def test_the_void_approval_limit_may_be_left_empty_for_never(tmp_path, written):
    assert start(tmp_path, VOID_APPROVAL_ABOVE=written).config["VOID_APPROVAL_ABOVE"] is None


def test_the_void_approval_limit_is_a_whole_number_or_empty(tmp_path):
    assert start(tmp_path).config["VOID_APPROVAL_ABOVE"] == 100_000          # the default
    assert start(tmp_path, VOID_APPROVAL_ABOVE="250000").config["VOID_APPROVAL_ABOVE"] == 250_000
    with pytest.raises(PosError, match=r"^POS_VOID_APPROVAL_ABOVE harus angka bulat 0 atau lebih, tanpa "
                                       r"titik atau koma \(mis\. 100000\), atau kosong \(tidak pernah\), "
                                       r"bukan '100.000'\.$"):
        start(tmp_path, VOID_APPROVAL_ABOVE="100.000")
