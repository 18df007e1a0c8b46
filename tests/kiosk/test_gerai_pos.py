"""``sudo gerai-pos ARGS``, the installed ``pos`` as the service user: a file named without its
folder is the one in the admin's folder (``gerai-pos restore gerai-….db.gz`` on the USB stick
had said the file did not exist, and an export went into the data folder), unless the service
user cannot enter that folder, which the command then says.  Run with the script's fixed paths
moved under a temporary root and ``runuser`` stood in for, since the test cannot switch users."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def installed(root: Path, *, enters: bool) -> Path:
    """The script under ``root``; its ``runuser`` lets the service user into folders or not."""
    data, bin_dir = root / "var/lib/gerai-pos", root / "bin"
    for folder in (data, root / "etc/gerai-pos", root / "opt/gerai-pos/current/venv/bin", bin_dir):
        folder.mkdir(parents=True, exist_ok=True)
    (root / "etc/gerai-pos/pos.env").write_text("POS_OUTLET_CODE=KDMP01\n")
    pos = root / "opt/gerai-pos/current/venv/bin/pos"
    pos.write_text('#!/bin/sh\necho "pos $* in $(pwd) for $POS_OUTLET_CODE"\n')
    runuser = bin_dir / "runuser"   # runuser -u gerai -- CMD...: CMD, or a refused `test -x`
    runuser.write_text("#!/bin/sh\nshift 3\n" + ("" if enters else '[ "$1" = test ] && exit 1\n')
                       + 'exec "$@"\n')
    script = root / "gerai-pos"
    text = (KIOSK / "gerai-pos").read_text()
    for fixed in ("/etc/gerai-pos", "/var/lib/gerai-pos", "/opt/gerai-pos"):
        text = text.replace(fixed, f"{root}{fixed}")
    script.write_text(text.replace('"$(id -u)" != 0', '"0" != 0'))
    for tool in (pos, runuser, script):
        tool.chmod(0o755)
    return script


def run(script: Path, here: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{script.parent / 'bin'}:{os.environ['PATH']}"}
    return subprocess.run([str(script), "restore", "gerai-20261205-215818.db.gz"], cwd=here, env=env,
                          capture_output=True, text=True, timeout=30)


def test_a_file_named_without_its_folder_is_the_one_where_the_admin_is(tmp_path):
    usb = tmp_path / "usb/gerai-pos-cadangan"
    usb.mkdir(parents=True)
    done = run(installed(tmp_path / "root", enters=True), usb)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"pos restore gerai-20261205-215818.db.gz in {usb} for KDMP01"
    assert done.stderr == ""


def test_a_folder_the_service_user_cannot_enter_gives_way_to_the_data_folder(tmp_path):
    root = tmp_path / "root"
    done = run(installed(root, enters=False), tmp_path)
    assert done.stdout.strip().endswith(f"in {root}/var/lib/gerai-pos for KDMP01")
    assert f"gerai-pos: folder {tmp_path} tidak dapat dibuka pengguna gerai" in done.stderr
