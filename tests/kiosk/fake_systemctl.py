"""A stand-in for ``systemctl`` that runs the installed units of a fake root (DESTDIR).

kiosk/install.sh calls it through GERAI_SYSTEMCTL.  ``start``/``restart`` of a simple service
read its unit file inside the root: Environment, EnvironmentFile, WorkingDirectory and ExecStart, with
``${VAR}`` filled in from that file and the system's absolute paths moved under the root
(POS_INSTANCE_PATH too); the process runs in its own session so ``stop`` can end it.
``enable``/``disable`` go to the real ``systemctl --root``; everything else is only logged.
Every call is appended to FAKE_SYSTEMCTL_LOG.
"""
from __future__ import annotations

import configparser
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(os.environ["DESTDIR"])
STATE = Path(os.environ["FAKE_SYSTEMCTL_STATE"])
SYSTEM_PATHS = ("/opt/", "/etc/", "/var/")


def inside(path: str) -> str:
    return str(ROOT) + path if path.startswith(SYSTEM_PATHS) else path


def environment(path: str) -> dict[str, str]:
    values = {}
    for line in Path(inside(path)).read_text().splitlines():
        match = re.match(r'^([A-Z_][A-Z0-9_]*)="?(.*?)"?$', line)
        if match:
            values[match[1]] = match[2]
    return values


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "etc/systemd/system" / name)
    return parser["Service"]


def pid_file(name: str) -> Path:
    return STATE / f"{name}.pid"


def start(name: str) -> None:
    service = unit(name)
    env = dict(item.split("=", 1) for item in shlex.split(service.get("Environment", "")))
    env.update(environment(service["EnvironmentFile"]))
    env["POS_INSTANCE_PATH"] = inside(env["POS_INSTANCE_PATH"])
    line = re.sub(r"\$\{(\w+)\}", lambda m: env.get(m[1], ""), service["ExecStart"])
    argv = [inside(arg) for arg in shlex.split(line)]
    with open(STATE / f"{name}.log", "ab") as log:
        process = subprocess.Popen(argv, cwd=inside(service["WorkingDirectory"]), env={**os.environ, **env},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file(name).write_text(str(process.pid))


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def stop(name: str) -> None:
    path = pid_file(name)
    if not path.exists():
        return
    pid = int(path.read_text())
    path.unlink()
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(150):  # never this process's child: a separate call started it
        if gone(pid):
            return
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)


def main(verb: str, *units: str) -> int:
    with open(os.environ["FAKE_SYSTEMCTL_LOG"], "a") as log:
        log.write(" ".join((verb, *units)) + "\n")
    services = [name for name in units if name.endswith(".service")]
    if verb in ("enable", "disable"):
        return subprocess.run(["systemctl", "--quiet", f"--root={ROOT}", verb, *units]).returncode
    if verb in ("stop", "restart"):
        for name in services:
            stop(name)
    if verb in ("start", "restart"):
        for name in services:
            start(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
