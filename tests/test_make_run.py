"""``make run``'s demo settings (HET zone 2, cash rounded to Rp100) are written into the
instance's ``pos.cfg`` when it has none, so a ``pos`` command run by hand on that instance
reads what the server reads: ``pos doctor`` said "tanpa zona" while /healthz said zone 2."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_demo_settings_are_written_once_and_never_over_an_outlets_own(tmp_path):
    instance = tmp_path / "inst"
    env = {**os.environ, "POS_INSTANCE_PATH": str(instance)}
    done = subprocess.run(["make", "-s", "demo-settings"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    written = (instance / "pos.cfg").read_text()
    assert 'HET_ZONE = "2"' in written and "CASH_ROUNDING = 100" in written
    import pos

    app = pos.create_app({"TESTING": True, "INSTANCE_PATH": str(instance),
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}"})
    assert (app.config["HET_ZONE"], app.config["CASH_ROUNDING"]) == ("2", 100)
    (instance / "pos.cfg").write_text('HET_ZONE = "3"\n')   # the outlet's own: kept
    again = subprocess.run(["make", "-s", "demo-settings"], cwd=ROOT, env=env, capture_output=True,
                           text=True)
    assert again.returncode == 0 and again.stdout == ""
    assert (instance / "pos.cfg").read_text() == 'HET_ZONE = "3"\n'
