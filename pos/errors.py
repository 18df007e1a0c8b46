"""User-facing failures: ``PosError`` and its kinds.

A ``PosError`` carries a message a cashier can read (Bahasa Indonesia) and an
HTTP status.  Services raise them; views never catch them: the one handler
(``pos.web.register_error_handlers``) renders the messages partial for htmx
requests, or flashes and redirects back; a CLI command prints the message.
"""
from __future__ import annotations


class PosError(Exception):
    status = 422

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFound(PosError):
    status = 404


class Forbidden(PosError):
    status = 403


class StorageError(PosError):
    """The database refused a write: the disk is full or the database is read-only.  The
    transaction was rolled back whole (``pos.db``), so trying again later is safe."""
    status = 503
