"""**Cadangkan sekarang** on Perangkat: a manager takes a backup from the screen, as
``pos backup`` does at the mini-PC (``run.take``), into the instance's ``backup/`` folder; the
result says where it went, or why it failed, and the home page's warning follows it."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, url_for

from pos.auth.access import requires
from pos.backup import run
from pos.backup.errors import BackupError
from pos.clock import utcnow
from pos.db import get_db

bp = Blueprint("backup", __name__)


@bp.post("/cadangan")
@requires("manage")
def backup_now():
    instance = current_app.instance_path
    try:
        taken = run.take(get_db().engine, instance, Path(instance) / "backup", now=utcnow(),
                         zone=current_app.config["TIMEZONE"])
    except BackupError as error:
        flash(f"Pencadangan gagal: {error.message}", "error")
    else:
        made = taken.made
        flash(f"Cadangan dibuat: {made.path.name} ({max(made.size // 1024, 1)} KB), di folder "
              f"{made.path.parent}.", "ok")
        if taken.held:
            flash(taken.held, "warn")
        if taken.unrecorded:
            flash(taken.unrecorded, "error")
    return redirect(url_for("devices.index") + "#cadangan", 303)
