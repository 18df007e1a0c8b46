"""Catalog imports as background jobs: a progress bar for thousands of rows, still all or nothing.

An entry point like a view: the job checks the file in a read session (no lock
held), then saves it in one transaction of its own.  The registry of jobs lives
in this process only; one import runs at a time.
"""
from __future__ import annotations

import threading
import time
import uuid

from pos.db import get_db
from pos.errors import NotFound, PosError
from pos.inventory.catalog import spreadsheets, transfer

_jobs: dict[str, dict] = {}
_threads: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def upload_limit() -> int:
    """The largest request body an upload may have (larger: 413)."""
    return spreadsheets.MAX_BYTES + 64 * 1024


def limits() -> dict:
    """The file limits the import page states."""
    return {"mb": spreadsheets.MAX_BYTES // (1024 * 1024), "rows": spreadsheets.MAX_ROWS}


def start_upload(app, upload_file, user_id: int, check_only: bool = False, rules=transfer) -> str:
    """An uploaded file (a werkzeug ``FileStorage``, or None) read at once, then checked and
    saved by ``start_import``.  A file refused as it is read (not XLSX, formulas saved without
    their values, codes stored as numbers) is a job finished at once with every problem, so
    the page lists each "Baris N" as it lists a refused row check, not three in one message."""
    if upload_file is None or not upload_file.filename:
        raise PosError("Pilih berkas CSV atau XLSX dulu.", 400)
    try:
        rows = spreadsheets.read_file(upload_file.filename,
                                      upload_file.read(spreadsheets.MAX_BYTES + 1),
                                      rules.IMPORT_COLUMNS, rules.KEY)
    except spreadsheets.ImportErrors as error:
        job_id = uuid.uuid4().hex
        with _lock:
            _jobs[job_id] = _new_job(app, 0, check_only, errors=error.errors, problems=error.problems,
                                     phase="gagal", finished=True)
        return job_id
    return start_import(app, rows, user_id, check_only=check_only, rules=rules)


def _new_job(app, total: int, check_only: bool, **values) -> dict:
    return {"done": 0, "total": total, "phase": "memeriksa", "errors": [], "summary": None,
            "finished": False, "check_only": check_only, "started": time.monotonic(), "app": id(app),
            **values}


def start_import(app, rows: list[dict], user_id: int, check_only: bool = False,
                 rules=transfer) -> str:
    """Register a job and run it in a thread; one import at a time per app (a gerai runs one
    app per process; tests run many apps in one process and must not wait on each other).

    ``rules`` is the module that checks and saves the rows (``validate`` and
    ``import_rows``): the catalog's ``transfer`` by default, the members' for their file.
    Rules with ``notices(session)`` (the e-RDKK list: its season re-dated) have them shown
    after a check-only job; a saved one shows its summary's ``notices``."""
    with _lock:
        if any(not j["finished"] and j["app"] == id(app) for j in _jobs.values()):
            raise PosError("Impor lain sedang berjalan. Tunggu sampai selesai.", 409)
        for old in [k for k, j in _jobs.items() if time.monotonic() - j["started"] > 3600]:
            _jobs.pop(old)
            _threads.pop(old, None)
        job_id = uuid.uuid4().hex
        _jobs[job_id] = _new_job(app, len(rows), check_only)
        _threads[job_id] = threading.Thread(target=_run, args=(app, job_id, rows, user_id, check_only, rules),
                                            name=f"pos-import-{job_id[:8]}", daemon=True)
    _threads[job_id].start()
    return job_id


def _set(job_id: str, **values) -> None:
    with _lock:
        _jobs[job_id].update(values)


def job(job_id: str) -> dict:
    with _lock:
        if job_id not in _jobs:
            raise NotFound("Proses impor tidak ditemukan (mungkin sudah lewat atau server dimulai ulang).")
        return dict(_jobs[job_id])


def wait_for_import(job_id: str, timeout: float = 120) -> dict:
    """Block until the job's thread ends (tests and the CLI-like callers)."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
    return job(job_id)


def _run(app, job_id: str, rows: list[dict], user_id: int, check_only: bool, rules=transfer) -> None:
    """Check in a read session (no lock held), then save everything in one transaction."""
    database = get_db(app)
    try:
        with database.reading() as session:
            errors = rules.validate(session, rows, lambda d, t: _set(job_id, done=d, total=t))
            if not errors and hasattr(rules, "notices"):   # what a check-only job tells besides
                _set(job_id, notices=rules.notices(session))
        if errors or check_only:
            raise spreadsheets.ImportErrors(errors) if errors else _Checked()
        _set(job_id, phase="menyimpan", done=0)
        with database.transaction() as session:
            summary = rules.import_rows(session, rows, user_id,
                                           lambda d, t: _set(job_id, done=d, total=t))
        _set(job_id, summary=summary, phase="selesai", finished=True)
    except _Checked:
        _set(job_id, phase="diperiksa", finished=True)
    except spreadsheets.ImportErrors as error:
        _set(job_id, errors=error.errors, problems=error.problems, phase="gagal", finished=True)
    except PosError as error:
        _set(job_id, errors=[error.message], phase="gagal", finished=True)
    except Exception:  # the thread must always finish its job, whatever happened
        app.logger.exception("Impor katalog gagal")
        _set(job_id, errors=["Terjadi kesalahan server; tidak ada yang disimpan."], phase="gagal",
             finished=True)


class _Checked(Exception):
    """A check-only job found no problem."""
