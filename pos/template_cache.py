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


def keep_compiled_templates(app) -> None:
    """Compiled templates kept in ``<instance>/cache/jinja`` across restarts, so the first
    page after a reboot is not compiled while a cashier waits. Jinja checks each against its
    source (an update recompiles what changed) and writes through a rename; a damaged file
    is compiled again (``_KeptTemplates``). Before anything creates ``app.jinja_env``."""
    folder = Path(app.instance_path) / "cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": _KeptTemplates(str(folder))}
