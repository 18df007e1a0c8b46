"""User-facing failures and the one handler that shows them.

A ``PosError`` carries a message a cashier can read (Bahasa Indonesia) and an
HTTP status.  Services raise them; views never catch them: the handler below
renders the messages partial for htmx requests, or flashes and redirects back.
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


def register(app) -> None:
    from flask import flash, redirect, render_template, request
    from flask_wtf.csrf import CSRFError

    def _show(message: str, status: int):
        if request.headers.get("HX-Request") == "true":
            response = app.make_response(
                (render_template("_messages.html", messages=[("error", message)]), status)
            )
            response.headers["HX-Retarget"] = "#messages"
            response.headers["HX-Reswap"] = "innerHTML"
            return response
        if request.method == "GET" or status >= 500:
            return render_template("error.html", message=message, status=status), status
        flash(message, "error")
        return redirect(request.referrer or "/", 303)

    @app.errorhandler(PosError)
    def _pos_error(error: PosError):
        return _show(error.message, error.status)

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _show("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.", 400)

    @app.errorhandler(404)
    def _not_found(_error):
        return _show("Halaman tidak ditemukan.", 404)

    @app.errorhandler(405)
    def _not_allowed(_error):
        return _show("Permintaan tidak diizinkan.", 405)

    @app.errorhandler(500)
    def _server_error(error):
        app.logger.error("Kesalahan server", exc_info=getattr(error, "original_exception", error))
        return _show("Terjadi kesalahan pada server. Transaksi yang belum selesai tidak tersimpan.", 500)
