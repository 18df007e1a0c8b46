"""kiosk/install.sh end to end in a throwaway root (DESTDIR): a first install that really
serves /healthz through its own unit, then an update whose new version is unhealthy, which
must bring the previous release and the database back by itself; then kiosk/uninstall.sh,
and an install over the data it kept, which backs that data up before migrating it.

The venvs are made offline in seconds: the base interpreter of the project's venv, pip from
the project's venv (``--pip-from``), the dependencies already installed there
(``--site-packages``, pip checks they satisfy pyproject.toml and installs nothing).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import urllib.error
import urllib.request
from pathlib import Path

from alembic.script import ScriptDirectory

from tests.kiosk.helpers import fake_root, free_port

ROOT = Path(__file__).resolve().parents[2]
FAKE_SYSTEMCTL = Path(__file__).with_name("fake_systemctl.py")
OUTLET = ["--outlet-code", "kdmp-skp01", "--outlet-name", "Koperasi Desa Merah Putih Sungai Kapih",
          "--het-zone", "2", "--no-pkp", "--timezone", "Asia/Makassar"]
OFFLINE = ["--python", sys._base_executable, "--pip-from", sys.executable,
           "--site-packages", sysconfig.get_path("purelib"), "--pip-args", "--no-index",
           "--health-timeout", "40"]


def copy_source(target: Path) -> Path:
    for name in ("pos", "templates", "static", "kiosk"):  # with bytecode, as a built checkout has
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "pyproject.toml", target)
    return target


def broken_update(target: Path) -> Path:
    """A newer version with a migration (so the database changes) and a /healthz that says 503."""
    source = copy_source(target)
    head = ScriptDirectory(str(source / "pos/migrations")).get_current_head()
    (source / "pos/migrations/versions/9999_rollback_probe.py").write_text(
        f'"""A probe the failed update adds."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9999"\ndown_revision = "{head}"\n\n\n'
        'def upgrade():\n'
        '    op.create_table("rollback_probe", sa.Column("id", sa.Integer, primary_key=True))\n\n\n'
        'def downgrade():\n    op.drop_table("rollback_probe")\n')
    (source / "pos/health.py").write_text(
        '"""Always unhealthy."""\nfrom flask import Blueprint\n\nbp = Blueprint("health", __name__)\n\n\n'
        '@bp.get("/healthz")\ndef healthz():\n    return {"status": "error"}, 503\n')
    return source


def run(script: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True,
                          timeout=180)


def health(port: int) -> int:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


def tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_install_then_a_failed_update_rolls_back_then_uninstall_keeps_the_data_and_a_reinstall_backs_it_up(
        tmp_path):
    root, state = fake_root(tmp_path / "root"), tmp_path / "state"
    state.mkdir()
    stand_in = tmp_path / "systemctl"
    stand_in.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_SYSTEMCTL}" "$@"\n')
    stand_in.chmod(0o755)
    calls = tmp_path / "systemctl.log"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8", "DESTDIR": str(root),
           "GERAI_SYSTEMCTL": str(stand_in), "FAKE_SYSTEMCTL_LOG": str(calls),
           "FAKE_SYSTEMCTL_STATE": str(state)}
    port = free_port()
    try:
        first = run(ROOT / "kiosk/install.sh", env, "--unattended", *OUTLET, *OFFLINE,
                    "--port", str(port), "--release", "1.0")
        assert first.returncode == 0, first.stdout + first.stderr
        installed_layout_is_complete(root, port, calls.read_text())
        assert health(port) == 200  # served by pos-web.service's own ExecStart line
        key = settings(root)["POS_SECRET_KEY"]
        database = root / "var/lib/gerai-pos/pos.db"
        with sqlite3.connect(database) as conn:  # a till made after the install: must survive
            conn.execute("INSERT INTO till (code, name, active) VALUES ('KASIR-9', 'Kasir 9', 1)")

        update = broken_update(tmp_path / "v2")
        failed = run(update / "kiosk/install.sh", env, *OFFLINE, "--release", "2.0")
        assert failed.returncode == 1
        assert "Pembaruan ke 2.0 gagal (/healthz)" in failed.stderr
        assert "Versi 1.0 berjalan lagi dengan basis data sebelum pembaruan." in failed.stderr
        assert os.readlink(root / "opt/gerai-pos/current") == "releases/1.0"
        assert not (root / "opt/gerai-pos/releases/2.0").exists()
        assert "rollback_probe" not in tables(database)  # the migrated database was put back
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT name FROM till WHERE code = 'KASIR-9'").fetchone() == ("Kasir 9",)
        assert list((root / "var/lib/gerai-pos/backup/pembaruan-2.0").iterdir())
        assert list(database.parent.glob("pos.db.sebelum-pulih-*"))  # the migrated one, kept aside
        assert health(port) == 200  # the old release serves again
        assert settings(root)["POS_SECRET_KEY"] == key
        assert calls.read_text().splitlines()[4:] == [
            "daemon-reload", "enable pos-web.service pos-ledger-push.timer pos-backup.timer",
            "stop pos-web.service", "restart pos-web.service",  # backup taken between them
            "stop pos-web.service", "start pos-web.service"]  # the rollback

        gone = run(ROOT / "kiosk/uninstall.sh", env)
        assert gone.returncode == 0, gone.stderr
        assert not (root / "opt/gerai-pos").exists()
        assert not list((root / "etc/systemd/system").glob("**/pos-*"))
        assert not (root / "etc/udev/rules.d/99-gerai-pos.rules").exists()
        assert not (root / "home/kasir/.config/autostart/gerai-pos-kiosk.desktop").exists()
        assert database.exists() and (root / "etc/gerai-pos/pos.env").exists()
        assert not (state / "pos-web.service.pid").exists()

        # Installed again over the data the uninstall kept: backed up before `pos init`
        again = run(ROOT / "kiosk/install.sh", env, "--unattended", *OUTLET, *OFFLINE,
                    "--port", str(port), "--release", "1.1")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Data lama ditemukan" in again.stdout + again.stderr
        [kept] = (root / "var/lib/gerai-pos/backup/pasang-ulang-1.1").iterdir()
        assert kept.name.startswith("gerai-") and kept.name.endswith(".db.gz")
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT name FROM till WHERE code = 'KASIR-9'").fetchone() == ("Kasir 9",)
        assert health(port) == 200
    finally:
        subprocess.run([str(stand_in), "stop", "pos-web.service"], env=env, timeout=30)


def settings(root: Path) -> dict[str, str]:
    lines = (root / "etc/gerai-pos/pos.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def installed_layout_is_complete(root: Path, port: int, calls: str) -> None:
    passwd = (root / "etc/passwd").read_text()
    assert "gerai:x:" in passwd and ":/var/lib/gerai-pos:/usr/sbin/nologin" in passwd
    assert "kasir:x:" in passwd
    groups = (root / "etc/group").read_text().splitlines()
    assert "lp:x:7:gerai" in groups and "dialout:x:20:gerai" in groups
    gerai_gid = int(next(line for line in passwd.splitlines() if line.startswith("gerai:")).split(":")[3])

    env = root / "etc/gerai-pos/pos.env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o640
    if os.geteuid() == 0:
        assert (env.stat().st_uid, env.stat().st_gid) == (0, gerai_gid)
    values = settings(root)
    assert len(values["POS_SECRET_KEY"].strip('"')) == 64
    assert values["POS_OUTLET_CODE"] == '"KDMP-SKP01"' and values["POS_HET_ZONE"] == '"2"'
    assert values["POS_HOST"] == '"127.0.0.1"' and values["POS_PORT"] == f'"{port}"'
    assert values["POS_TRUST_PROXY"] == '"false"' and values["POS_PKP"] == '"false"'

    assert os.readlink(root / "opt/gerai-pos/current") == "releases/1.0"
    python = root / "opt/gerai-pos/current/venv/bin/python"
    where = subprocess.run([str(python), "-c", "import pos; print(pos.__file__)"], capture_output=True,
                           text=True, check=True, cwd=root).stdout
    assert where.startswith(str(root / "opt/gerai-pos/releases/1.0/app/pos/"))  # not this checkout

    units = root / "etc/systemd/system"
    for name in ("multi-user.target.wants/pos-web.service", "timers.target.wants/pos-backup.timer",
                 "timers.target.wants/pos-ledger-push.timer"):
        assert (units / name).is_symlink()
    verify = subprocess.run(["systemd-analyze", "verify", f"--root={root}", "pos-web.service",
                             "pos-ledger-push.service", "pos-ledger-push.timer", "pos-backup.service",
                             "pos-backup.timer"], capture_output=True, text=True, timeout=60)
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")

    entry = (root / "home/kasir/.config/autostart/gerai-pos-kiosk.desktop").read_text()
    command = next(line for line in entry.splitlines() if line.startswith("Exec=")).split()[-1]
    assert entry.count(f"Exec=env POS_KIOSK_URL=http://127.0.0.1:{port}/kasir {command}") == 1
    assert os.access(root / command.lstrip("/"), os.X_OK)  # the launcher is where the entry looks
    assert '"TranslateEnabled": false' in (root / "etc/chromium/policies/managed/gerai-pos.json").read_text()
    assert (root / "etc/udev/rules.d/99-gerai-pos.rules").exists()
    assert (root / "usr/local/sbin/gerai-pos").stat().st_mode & 0o111
    assert (root / "var/lib/gerai-pos/pos.db").exists()
    assert calls.splitlines() == [
        "daemon-reload", "enable pos-web.service pos-ledger-push.timer pos-backup.timer",
        "restart pos-web.service", "start pos-ledger-push.timer pos-backup.timer"]
