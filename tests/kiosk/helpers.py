"""A throwaway root for kiosk/install.sh: what a fresh Debian has that the installer reads
(accounts, the time zone, systemd's own units for `systemd-analyze verify --root`, /usr/bin/test)."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path


def accounts_root(root: Path) -> Path:
    """The account files useradd and groupadd --prefix read and write, and the computer's zone
    (a gerai's: one not Indonesian is asked, or refused unattended)."""
    (root / "etc").mkdir(parents=True)
    (root / "etc/timezone").write_text("Asia/Makassar\n")
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (root / "etc/group").write_text("root:x:0:\nlp:x:7:\ndialout:x:20:\n")
    (root / "etc/shadow").write_text("root:*::0:::::\n")
    (root / "etc/gshadow").write_text("root:*::\nlp:*::\ndialout:*::\n")
    for name in ("shadow", "gshadow"):
        (root / "etc" / name).chmod(0o600)
    return root


def fake_root(root: Path) -> Path:
    accounts_root(root)
    shutil.copytree("/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    shutil.copy("/usr/bin/test", root / "usr/bin/test")
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
