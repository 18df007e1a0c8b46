"""Compiled templates kept on disk across restarts (``keep_compiled_templates``), so the first
page after a reboot is not compiled while a cashier waits."""
from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


class _KeptTemplates(FileSystemBytecodeCache):
    """Jinja's file cache, but a cache file a power cut left damaged is compiled again
    (Jinja itself raises from the half-written checksum's unpickling)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any unreadable file: the template is compiled and written anew
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """A disk that takes no file (read-only after a fault, full) keeps nothing: the page is
        drawn all the same.  (It had failed, and with it the error page that says the database
        cannot be written: the cashier read waitress's English "Internal Server Error".)"""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def keep_compiled_templates(app) -> None:
    """Compiled templates kept in ``<instance>/cache/jinja`` across restarts, so the first
    page after a reboot is not compiled while a cashier waits. Jinja checks each against its
    source (an update recompiles what changed) and writes through a rename; a damaged file
    is compiled again (``_KeptTemplates``). Before anything creates ``app.jinja_env``."""
    folder = Path(app.instance_path) / "cache" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:   # a read-only disk: templates are compiled in memory, as without the cache
        return
    app.jinja_options = {**app.jinja_options, "bytecode_cache": _KeptTemplates(str(folder))}
