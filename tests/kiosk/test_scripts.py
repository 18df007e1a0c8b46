"""The kiosk/ scripts pass shellcheck, the unit files pass `systemd-analyze verify` (inside a
throwaway root whose ExecStart binaries exist), and the units keep the settings the mini-PC
relies on: timers that catch up, a ledger push that is skipped without a hub, hardening that
leaves SQLite and the counter devices working."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.kiosk.helpers import fake_root

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
SCRIPTS = ["install.sh", "uninstall.sh", "common.sh", "settings.sh", "release.sh", "system.sh",
           "kiosk-browser.sh", "gerai-pos"]
UNITS = ["pos-web.service", "pos-ledger-push.service", "pos-ledger-push.timer", "pos-backup.service",
         "pos-backup.timer"]


def shellcheck(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["shellcheck", "-x", *map(str, paths)], capture_output=True, text=True,
                          cwd=KIOSK, timeout=120)


def test_the_scripts_pass_shellcheck(tmp_path):
    result = shellcheck(*(KIOSK / name for name in SCRIPTS))
    assert result.returncode == 0, result.stdout
    planted = tmp_path / "planted.sh"
    planted.write_text("#!/bin/sh\nrm -rf $1/data\n")
    assert "SC2086" in shellcheck(planted).stdout  # the same call does catch a mistake


def verify(root: Path, *units: str) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", f"--root={root}", *units], capture_output=True,
                          text=True, timeout=60)


def test_the_unit_files_pass_systemd_analyze_verify(tmp_path):
    root = fake_root(tmp_path / "root")
    units = root / "etc/systemd/system"
    units.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(KIOSK / name, units)
    bin_dir = root / "opt/gerai-pos/current/venv/bin"
    bin_dir.mkdir(parents=True)
    for name in ("pos", "waitress-serve"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    result = verify(root, *UNITS)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    # verify only warns (exit 0) about a misspelt key: the empty output is what proves a unit clean
    (units / "pos-backup.timer").write_text((KIOSK / "pos-backup.timer").read_text()
                                           .replace("Persistent=", "Persistant="))
    assert "Unknown key 'Persistant'" in verify(root, "pos-backup.timer").stderr
    (bin_dir / "pos").unlink()
    assert "is not executable" in verify(root, "pos-backup.service").stderr


def keys(name: str) -> list[str]:
    return [line.strip() for line in (KIOSK / name).read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_the_units_run_as_gerai_hardened_without_breaking_sqlite_or_devices():
    web = keys("pos-web.service")
    for line in ("User=gerai", "EnvironmentFile=/etc/gerai-pos/pos.env", "Restart=always",
                 "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/gerai-pos",
                 "PrivateTmp=yes", "SupplementaryGroups=dialout lp", "DeviceAllow=char-usb_device rw",
                 "DeviceAllow=char-ttyUSB rw", "Environment=MALLOC_ARENA_MAX=2"):
        assert line in web
    assert "PrivateDevices=yes" not in web  # it would hide /dev/bus/usb and the scale's tty
    assert any(line.startswith("ExecStart=") and "--host=${POS_HOST}" in line for line in web)
    for timer, service, command in (("pos-ledger-push.timer", "pos-ledger-push.service", "pos ledger push"),
                                    ("pos-backup.timer", "pos-backup.service", "pos backup")):
        assert "Persistent=true" in keys(timer) and any(k.startswith("OnCalendar=") for k in keys(timer))
        assert "WantedBy=timers.target" in keys(timer)
        assert "User=gerai" in keys(service) and "ReadWritePaths=/var/lib/gerai-pos" in keys(service)
        assert f"ExecStart=/opt/gerai-pos/current/venv/bin/{command}" in keys(service)
        assert "Nice=10" in keys(service)  # below the tills' server on the mini-PC's two cores
    # `pos ledger push` exits 1 without POS_LEDGER_URL: the run is skipped, not failed
    assert 'ExecCondition=/usr/bin/test -n "${POS_LEDGER_URL}"' in keys("pos-ledger-push.service")


def test_the_kiosk_browser_waits_on_the_installed_port_and_hides_the_crash_bubble(tmp_path):
    asked, seen = tmp_path / "asked", tmp_path / "seen"
    (tmp_path / "wget").write_text(f'#!/bin/sh\necho "$4" >> {asked}\nexit 0\n')
    (tmp_path / "chromium").write_text(f'#!/bin/sh\necho "$*" > {seen}\n')
    for name in ("wget", "chromium"):
        (tmp_path / name).chmod(0o755)
    prefs = tmp_path / ".config/gerai-pos-kiosk/Default/Preferences"
    prefs.parent.mkdir(parents=True)
    prefs.write_text('{"profile":{"exit_type":"Crashed","exited_cleanly":false}}')  # after a power cut
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path),
           "POS_KIOSK_URL": "http://127.0.0.1:8123/kasir"}
    subprocess.run(["sh", str(KIOSK / "kiosk-browser.sh")], env=env, check=True, timeout=30)
    assert asked.read_text().split() == ["http://127.0.0.1:8123/healthz"]
    args = seen.read_text().split()
    assert args[-1] == "http://127.0.0.1:8123/kasir"
    for flag in ("--kiosk", "--lang=id", "--disable-translate", "--disable-sync", "--noerrdialogs",
                 "--hide-crash-restore-bubble", "--disable-component-update"):
        assert flag in args
    assert prefs.read_text() == '{"profile":{"exit_type":"Normal","exited_cleanly":true}}'


def test_the_kiosk_browser_opens_the_till_at_once_when_the_server_answers_with_an_error(tmp_path):
    """A full disk makes /healthz answer 503 (wget's exit 8): the server is up and the till page
    itself says what is wrong, so the browser opens at once instead of waiting its minute."""
    asked, seen = tmp_path / "asked", tmp_path / "seen"
    (tmp_path / "wget").write_text(f'#!/bin/sh\necho "$4" >> {asked}\nexit 8\n')
    (tmp_path / "chromium").write_text(f'#!/bin/sh\necho "$*" > {seen}\n')
    for name in ("wget", "chromium"):
        (tmp_path / name).chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path),
           "POS_KIOSK_URL": "http://127.0.0.1:8123/kasir"}
    subprocess.run(["sh", str(KIOSK / "kiosk-browser.sh")], env=env, check=True, timeout=30)
    assert len(asked.read_text().split()) == 1
    assert seen.read_text().split()[-1] == "http://127.0.0.1:8123/kasir"
