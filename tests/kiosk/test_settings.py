"""kiosk/install.sh's settings and serving choice, step by step in a throwaway root (the
script is sourced, so no virtualenv is built): a fresh key kept on every re-install, the LAN
and TLS modes with their proxy trust, and bad input refused in Indonesian before any change."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.kiosk.helpers import accounts_root

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
OUTLET = ["--outlet-code", "kdmp-skp01", "--outlet-name", "Koperasi Desa Merah Putih Sungai Kapih"]
STEPS = ("parse_args \"$@\"; recall_choices; validate; collect_outlet; ensure_accounts; ensure_dirs; "
         "write_settings; install_proxy; record_choices")


def env(root: Path) -> dict:
    return {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "DESTDIR": str(root)}


def settings_steps(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f'. "{KIOSK}/install.sh"; {STEPS}', "install.sh",
                           "--python", sys.executable, "--no-kiosk", *args],
                          env=env(root), capture_output=True, text=True, timeout=60)


def settings(root: Path) -> dict[str, str]:
    lines = (root / "etc/gerai-pos/pos.env").read_text().splitlines()
    return {key: value.strip('"') for key, value in
            (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))}


def test_tls_behind_nginx_then_plain_lan_keeps_the_key_and_the_outlet(tmp_path):
    root = accounts_root(tmp_path / "root")
    (root / "etc/nginx").mkdir()
    made = settings_steps(root, "--unattended", *OUTLET, "--het-zone", "", "--pkp", "--serve", "tls",
                          "--server-name", "kasir.gerai.lan", "--port", "8010")
    assert made.returncode == 0, made.stderr
    first = settings(root)
    assert (first["POS_HOST"], first["POS_PORT"]) == ("127.0.0.1", "8010")
    assert (first["POS_TRUST_PROXY"], first["POS_SECURE_COOKIES"]) == ("true", "true")
    assert first["POS_PUBLIC_URL"] == "https://kasir.gerai.lan"   # what Perangkat's links name
    assert (first["POS_OUTLET_CODE"], first["POS_HET_ZONE"], first["POS_PKP"]) == ("KDMP-SKP01", "", "true")
    assert first["POS_CASH_ROUNDING"] == "100"      # change is paid in coins a drawer holds
    site = (root / "etc/nginx/sites-available/gerai-pos.conf").read_text()
    assert "server_name kasir.gerai.lan;" in site and "proxy_pass http://127.0.0.1:8010;" in site
    assert "server_name gerai-pos.local;" not in site
    assert os.readlink(root / "etc/nginx/sites-enabled/gerai-pos.conf") == \
        "/etc/nginx/sites-available/gerai-pos.conf"
    certificate = subprocess.run(["openssl", "x509", "-noout", "-subject", "-in",
                                  str(root / "etc/gerai-pos/tls/gerai-pos.crt")],
                                 capture_output=True, text=True, check=True).stdout
    assert "kasir.gerai.lan" in certificate
    assert (root / "etc/gerai-pos/tls/gerai-pos.key").stat().st_mode & 0o077 == 0

    again = settings_steps(root, "--unattended")  # a re-install keeps the mode and the name
    assert again.returncode == 0, again.stderr
    assert settings(root) == first
    assert (root / "etc/nginx/sites-available/gerai-pos.conf").read_text() == site

    again = settings_steps(root, "--unattended", "--serve", "lan")
    assert again.returncode == 0, again.stderr
    second = settings(root)
    assert second["POS_SECRET_KEY"] == first["POS_SECRET_KEY"] and len(first["POS_SECRET_KEY"]) == 64
    assert (second["POS_HOST"], second["POS_PORT"], second["POS_TRUST_PROXY"]) == ("0.0.0.0", "8010", "false")
    assert second["POS_PUBLIC_URL"] == ""
    assert second["POS_OUTLET_NAME"] == "Koperasi Desa Merah Putih Sungai Kapih"
    assert not (root / "etc/nginx/sites-enabled/gerai-pos.conf").exists()
    assert list((root / "etc/gerai-pos").glob("pos.env")) and \
        len([line for line in (root / "etc/gerai-pos/pos.env").read_text().splitlines()
             if line.startswith("POS_HOST=")]) == 1


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() if path.is_file() else b""
            for path in sorted(root.rglob("*"))}


def test_bad_input_is_refused_in_indonesian_and_changes_nothing(tmp_path):
    root = accounts_root(tmp_path / "root")
    before = snapshot(root)
    cases = [
        (["--unattended", "--outlet-code", "12!", "--outlet-name", "X"], "Kode gerai harus"),
        (["--unattended", "--outlet-code", "GERAI1", "--outlet-name", 'Toko "A"'], "Nama gerai tidak boleh"),
        (["--unattended", *OUTLET, "--het-zone", "4"], "Zona HET harus 1, 2, 3 atau kosong"),
        (["--unattended", *OUTLET, "--serve", "wan"], "--serve harus local, lan atau tls"),
        (["--unattended", *OUTLET, "--port", "80"], "Port harus angka 1024-65535"),
        (["--unattended", *OUTLET, "--serve", "tls"], "--serve tls memakai nginx"),
        (["--unattended", "--outlet-name", "Gerai"], "Pemasangan baru butuh --outlet-code"),
        (["--unattended", *OUTLET, "--python", "/nonexistent/python3"], "butuh Python 3.11"),
        (["--unattended", *OUTLET, "--bogus"], "Pilihan tidak dikenal: --bogus"),
    ]
    for args, message in cases:
        result = subprocess.run(["bash", str(KIOSK / "install.sh"), "--python", sys.executable, *args],
                                env=env(root), capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and message in result.stderr, (args, result.stderr)
        assert snapshot(root) == before, args


def test_a_hand_written_settings_file_keeps_its_values_and_the_key_the_app_made(tmp_path):
    root = accounts_root(tmp_path / "root")
    (root / "etc/gerai-pos").mkdir(parents=True)
    (root / "etc/gerai-pos/pos.env").write_text(  # the manual install's file: no key, LAN, unquoted
        "POS_HOST=0.0.0.0\nPOS_PORT=8000\nPOS_INSTANCE_PATH=/var/lib/gerai-pos\nPOS_OUTLET_CODE=KDMP-SKP01\n")
    (root / "var/lib/gerai-pos").mkdir(parents=True)
    (root / "var/lib/gerai-pos/secret_key").write_text("a" * 64)
    result = settings_steps(root, "--unattended")
    assert result.returncode == 0, result.stderr
    values = settings(root)
    assert values["POS_SECRET_KEY"] == "a" * 64  # the links the screens already use stay valid
    assert (values["POS_HOST"], values["POS_OUTLET_CODE"]) == ("0.0.0.0", "KDMP-SKP01")
    assert (root / "etc/gerai-pos/install.conf").read_text().startswith("KIOSK_USER=\nSERVE=lan\n")


def asked(root: Path, answers: str, *args: str) -> subprocess.CompletedProcess:
    """The settings steps at a terminal (the installer asks only there), ``answers`` typed."""
    master, terminal = pty.openpty()
    run = subprocess.Popen(["bash", "-c", f'. "{KIOSK}/install.sh"; {STEPS}', "install.sh",
                            "--python", sys.executable, "--no-kiosk", *args], stdin=terminal,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(root), text=True)
    os.close(terminal)
    os.write(master, answers.encode())
    out, err = run.communicate(timeout=60)
    os.close(master)
    return subprocess.CompletedProcess(run.args, run.returncode, out, err)


def test_a_computer_not_set_to_an_indonesian_zone_is_asked_the_outlets_or_refused(tmp_path):
    """A WIB outlet on a mini-PC set to UTC got WITA business dates: any zone the installer did
    not know became Asia/Makassar without a word.  Now the install asks (WITA shown as the
    answer Enter gives), and an unattended one without --timezone is refused."""
    root = accounts_root(tmp_path / "root")
    (root / "etc/timezone").unlink()   # no /etc/timezone: the zone /etc/localtime links to
    (root / "etc/localtime").symlink_to("/usr/share/zoneinfo/Etc/UTC")
    before = snapshot(root)
    refused = settings_steps(root, "--unattended", *OUTLET)
    assert refused.returncode == 1, refused.stderr
    assert "Zona waktu komputer ini (Etc/UTC) bukan zona waktu Indonesia" in refused.stderr
    assert "--timezone Asia/Jakarta (WIB)" in refused.stderr
    assert snapshot(root) == before
    answered = asked(root, "WIB\n", *OUTLET, "--het-zone", "", "--no-pkp")
    assert answered.returncode == 0, answered.stderr
    assert "Zona waktu gerai: WIB, WITA atau WIT? [WITA]" in answered.stderr
    assert settings(root)["POS_TIMEZONE"] == "Asia/Jakarta"

    other = accounts_root(tmp_path / "other")
    (other / "etc/timezone").write_text("Etc/UTC\n")
    assert asked(other, "\n", *OUTLET, "--het-zone", "", "--no-pkp").returncode == 0
    assert settings(other)["POS_TIMEZONE"] == "Asia/Makassar"     # Enter: WITA, as shown
    given = accounts_root(tmp_path / "given")
    (given / "etc/timezone").write_text("Etc/UTC\n")
    assert settings_steps(given, "--unattended", *OUTLET, "--timezone", "Asia/Jayapura").returncode == 0
    assert settings(given)["POS_TIMEZONE"] == "Asia/Jayapura"
    known = accounts_root(tmp_path / "known")   # a computer set to WIB: nothing asked
    (known / "etc/timezone").write_text("Asia/Jakarta\n")
    quiet = asked(known, "", *OUTLET, "--het-zone", "", "--no-pkp")
    assert quiet.returncode == 0 and "Zona waktu gerai" not in quiet.stderr, quiet.stderr
    assert settings(known)["POS_TIMEZONE"] == "Asia/Jakarta"
