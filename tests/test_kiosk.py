"""The kiosk launcher starts Chromium in Indonesian (so nothing on the till reads mm/dd/yyyy),
checked by running it with stand-ins for chromium and wget."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_kiosk_browser_runs_in_indonesian(tmp_path):
    seen = tmp_path / "seen"
    (tmp_path / "wget").write_text("#!/bin/sh\nexit 0\n")
    (tmp_path / "chromium").write_text(
        f'#!/bin/sh\necho "args: $*" > {seen}\necho "LANGUAGE=$LANGUAGE LANG=$LANG" >> {seen}\n')
    for name in ("wget", "chromium"):
        (tmp_path / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "HOME": str(tmp_path),
           "LANGUAGE": "en_US", "LANG": "en_US.UTF-8"}
    subprocess.run(["sh", str(ROOT / "kiosk" / "kiosk-browser.sh")], env=env, check=True, timeout=30)
    args, langs = seen.read_text().splitlines()
    assert "--lang=id" in args.split() and "--kiosk" in args.split()
    assert langs == "LANGUAGE=id LANG=id_ID.UTF-8"
