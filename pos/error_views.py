"""How every failure reaches the cashier: one handler per kind of error, each showing its
message the same way (``register``): the messages partial for htmx, else the error page for
a GET or a server failure, else a flash and back to the page the form came from.

A server failure, a database gone and a clash each say whether the request's change was saved
(``pos.db.committed``): a bug after the commit (the answer's template, say), or the database
dropping before the answer was drawn, must not read as "not saved", or a cashier sells or
refunds the goods again. A SQLite file damaged or not there is a 503 saying so, with the
manager's fix (``errors.unusable_page``), as the schema refusal is."""
from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from pos.db import committed
from pos.errors import DB_UNREACHABLE, PosError, database_unreachable, unusable_page
from pos.hardware.ports import HardwareError
from pos.web import is_htmx

HTTP_TEXTS = {400: "Permintaan tidak sah. Muat ulang halaman lalu coba lagi.",
              401: "Silakan masuk dulu.", 403: "Anda tidak berhak membuka halaman ini.",
              409: "Data berubah di layar lain. Muat ulang halaman lalu coba lagi.",
              429: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."}
NOT_SAVED = "Terjadi kesalahan pada server. Transaksi yang belum selesai tidak tersimpan."
SAVED = ("Perubahan sudah tersimpan, tetapi terjadi kesalahan pada server sesudahnya. Jangan "
         "mengulanginya: muat ulang halaman untuk melihat datanya.")
# The till's payment (``sales.pay``): its checkout key answers a repeat with the sale it made.
SALE_SAVED = ("Penjualan sudah tersimpan, tetapi terjadi kesalahan pada server sesudahnya. Jangan "
              "menjual ulang barangnya dan jangan mengembalikan uangnya. Tekan Bayar lagi untuk "
              "menampilkan penjualan yang sama, atau buka Riwayat (F8) untuk melihat struknya dan "
              "mencetak ulang bila belum tercetak.")


def _saved() -> str:
    """What to say when the request's change committed before it failed."""
    return SALE_SAVED if request.endpoint == "sales.pay" else SAVED


def register(app) -> None:
    """One way to show every failure: the messages partial for htmx, else a page or a flash."""
    def _show(message: str, status: int):
        if is_htmx():
            response = app.make_response(
                (render_template("_messages.html", messages=[("error", message)]), status)
            )
            response.headers["HX-Retarget"] = "#messages"
            response.headers["HX-Reswap"] = "innerHTML"
            return response
        if request.method == "GET" or status in (404, 405) or status >= 500:
            # Nothing to go back to (no such page, no such request, or nothing that worked):
            # the error page itself.
            return render_template("error.html", message=message, status=status), status
        flash(message, "error")
        return redirect(request.referrer or "/", 303)

    @app.errorhandler(PosError)
    def _pos_error(error: PosError):
        response = _show(error.message, error.status)
        if error.field and is_htmx():   # the refused field, by name (the page's script uses it)
            response.headers["X-Pos-Field"] = error.field
        if error.reload and is_htmx():  # the page reloads (as devices' Lepas) and says it there
            flash(error.message, "error")
            response.headers["HX-Refresh"] = "true"
        return response

    @app.errorhandler(HardwareError)
    def _device(error: HardwareError):
        # Raised only after the commit (house rule): the change is kept, the device failed.
        # The staff's sentence on screen; the library's own words (English) in the log only.
        app.logger.warning("Perangkat gagal: %s", error)
        return _show(error.summary or str(error), 503)

    @app.errorhandler(DBAPIError)
    def _database(error: DBAPIError):
        # PostgreSQL down or restarting: a clear 503 the till can retry, not a bare 500.
        # A SQLite file damaged or not there: a 503 naming it and the manager's fix (pos doctor,
        # pos restore), as /healthz names it, and one line in the log, not a traceback a request.
        if (unusable := unusable_page(error)) is not None:
            app.logger.error("Basis data tidak dapat dipakai: %s", error.orig)
            return _show(_saved() if committed() else unusable, 503)
        if not database_unreachable(error):
            raise error
        app.logger.error("Basis data tidak menjawab: %s", error.orig)
        return _show(_saved() if committed() else DB_UNREACHABLE, 503)

    @app.errorhandler(IntegrityError)
    def _clash(error: IntegrityError):
        # A unique key taken by another till or clerk at the same moment; the transaction
        # was rolled back, so nothing was saved and trying again is safe.
        app.logger.warning("Bentrok data: %s", error.orig)
        if committed():  # a later transaction of the request clashed; the first one stands
            return _show(_saved(), 409)
        return _show("Data bentrok dengan perubahan lain pada saat yang sama; tidak ada yang "
                     "disimpan. Coba lagi.", 409)

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _show("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.", 400)

    @app.errorhandler(413)
    def _too_large(_error):
        limit = request.max_content_length or app.config.get("MAX_CONTENT_LENGTH") or 0
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
        return _show(f"Berkas terlalu besar (maksimal {size}).", 413)

    @app.errorhandler(404)
    def _not_found(_error):
        return _show("Halaman tidak ditemukan.", 404)

    @app.errorhandler(405)
    def _not_allowed(error):
        response = app.make_response(_show("Permintaan tidak diizinkan.", 405))
        if getattr(error, "valid_methods", None):  # as HTTP asks: the methods the page takes
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(HTTPException)
    def _other_http(error: HTTPException):
        # Any other HTTP error (a 400 from a malformed request, say) in Indonesian, not
        # Werkzeug's English page; the status is kept.
        return _show(HTTP_TEXTS.get(error.code, "Permintaan tidak dapat diproses."), error.code)

    @app.errorhandler(500)
    def _server_error(error):
        saved = committed()
        app.logger.error("Kesalahan server%s", " (sesudah perubahannya tersimpan)" if saved else "",
                         exc_info=getattr(error, "original_exception", error))
        if not saved:
            return _show(NOT_SAVED, 500)
        return _show(_saved(), 500)
