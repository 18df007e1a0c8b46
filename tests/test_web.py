"""pos.web: one way to parse form fields, to answer htmx or a full page, and to show errors."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import click
import pytest
from flask import Flask

import pos.models
from pos import create_app
from pos.db import get_db
from pos.errors import PosError
from pos.group_cli import CommandGroup
from pos.hardware import Hardware
from pos.web import date_field, int_field, int_list, is_htmx, render, rupiah_field
from tests.conftest import build_app

HX = {"HX-Request": "true"}


@pytest.fixture
def bare(tmp_path, printer) -> Flask:
    """An app on an empty SQLite file: these helpers need no data and no second database."""
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer)
    pos.models.metadata.create_all(get_db(app).engine)
    return app


def parsed(app, parser, data: dict, method: str = "POST"):
    """What ``parser()`` returns for ``data``, or the PosError (message, status) it raises."""
    with app.test_request_context("/", method=method, data=data if method == "POST" else None,
                                  query_string=data if method == "GET" else None):
        try:
            return parser()
        except PosError as error:
            return error.message, error.status


@pytest.mark.parametrize("raw, kwargs, expected", [
    ("12", {}, 12),
    (" 7 ", {}, 7),
    ("-3", {"signed": True}, -3),
    ("-3", {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
    ("1.5", {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
    ("1.250", {}, 1250),                      # thousands as Indonesians group them
    ("12.500.000", {"high": 20_000_000}, 12_500_000),
    ("-1.250", {"signed": True}, -1250),
    ("1.25", {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
    ("1.2500", {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
    ("1.250", {"high": 1000}, ("Jumlah harus angka bulat paling banyak 1.000.", 422)),
    ("abc", {"low": 1, "high": 365, "status": 400}, ("Jumlah harus angka bulat 1 sampai 365.", 400)),
    ("366", {"low": 1, "high": 365}, ("Jumlah harus angka bulat 1 sampai 365.", 422)),
    ("0", {"low": 1}, ("Jumlah harus angka bulat paling sedikit 1.", 422)),
    ("20001", {"high": 20_000}, ("Jumlah harus angka bulat paling banyak 20.000.", 422)),
    ("", {}, ("Jumlah wajib diisi.", 422)),
    ("", {"required": False, "blank": 60}, 60),
    ("1" * 13, {}, ("Jumlah terlalu besar.", 422)),
    ("-" + "1" * 13, {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
    ("-" + "1" * 13, {"signed": True}, ("Jumlah terlalu besar.", 422)),
    ("1" * 13, {"low": 0, "high": 10}, ("Jumlah harus angka bulat 0 sampai 10.", 422)),
])
def test_int_field(bare, raw, kwargs, expected):
    assert parsed(bare, lambda: int_field("n", "Jumlah", **kwargs), {"n": raw}) == expected


def test_int_field_reads_the_query_string_too(bare):
    assert parsed(bare, lambda: int_field("hal", "Halaman"), {"hal": "3"}, method="GET") == 3


@pytest.mark.parametrize("raw, expected", [
    ("50000", 50_000), ("50.000", 50_000), ("Rp50.000", 50_000), ("50.000,-", 50_000),
    ("50.000,50", ("Uang tidak valid. Tulis angka Rupiah, misalnya 50000 atau 50.000.", 422)),
    ("2000000000", ("Uang terlalu besar (maksimal Rp1.000.000.000).", 422)),
])
def test_rupiah_field(bare, raw, expected):
    assert parsed(bare, lambda: rupiah_field("m", "Uang"), {"m": raw}) == expected


def test_rupiah_field_limit_and_blank(bare):
    assert parsed(bare, lambda: rupiah_field("m", "Harga", maximum=100), {"m": "101"})[0] \
        == "Harga terlalu besar (maksimal Rp100)."
    assert parsed(bare, lambda: rupiah_field("m", "Harga", required=False), {"m": ""}) is None


def test_rupiah_field_takes_a_minus_only_when_signed(bare):
    assert parsed(bare, lambda: rupiah_field("m", "QRIS", signed=True), {"m": "-12.000"}) == -12_000
    assert parsed(bare, lambda: rupiah_field("m", "QRIS", signed=True), {"m": "12.000"}) == 12_000
    assert parsed(bare, lambda: rupiah_field("m", "QRIS"), {"m": "-12.000"})[1] == 422
    for bad in ("--5", "-", "-Rp-5", "+5", "-1e3"):
        assert parsed(bare, lambda: rupiah_field("m", "QRIS", signed=True), {"m": bad})[1] == 422


@pytest.mark.parametrize("raw, kwargs, expected", [
    ("2026-11-30", {}, date(2026, 11, 30)),
    ("15112026", {}, date(2026, 11, 15)),       # typed day first: never read as 11-12-2026
    ("15-11-2026", {}, date(2026, 11, 15)),
    ("15/11/2026", {}, date(2026, 11, 15)),
    (" 5.1.2027 ", {}, date(2027, 1, 5)),
    ("29022028", {}, date(2028, 2, 29)),
    ("31-12-2099", {}, date(2099, 12, 31)),
    ("", {}, None),
    ("", {"required": True}, ("Tanggal wajib diisi.", 422)),
    ("31-02-2026", {}, ("Tanggal 31-02-2026 tidak ada: Februari 2026 hanya 28 hari.", 422)),
    ("29022027", {}, ("Tanggal 29-02-2027 tidak ada: Februari 2027 hanya 28 hari.", 422)),
    ("00-01-2026", {"status": 400}, ("Tanggal 00-01-2026 tidak ada: tanggal harus 01 sampai 31.", 400)),
    ("15-13-2026", {}, ("Tanggal 15-13-2026 tidak ada: bulan harus 01 sampai 12.", 422)),
    ("15-11-0202", {}, ("Tanggal 15-11-0202: tahun harus antara 2000 dan 2099.", 422)),
    ("1511202", {}, ("Tanggal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.", 422)),
    ("11/15/2026", {}, ("Tanggal 11-15-2026 tidak ada: bulan harus 01 sampai 12.", 422)),
    ("١٥-١١-٢٠٢٦", {}, ("Tanggal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.", 422)),
    ("15-11-2026x", {}, ("Tanggal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.", 422)),
])
def test_date_field(bare, raw, kwargs, expected):
    assert parsed(bare, lambda: date_field("d", "Tanggal", **kwargs), {"d": raw}) == expected


def test_int_list(bare):
    assert parsed(bare, lambda: int_list("id", "salah"), {"id": ["3", "4"]}) == [3, 4]
    assert parsed(bare, lambda: int_list("id", "salah"), {"id[]": ["5"]}) == [5]
    assert parsed(bare, lambda: int_list("id", "salah"), {"id": ["3", "-4"]}) == ("salah", 422)
    assert parsed(bare, lambda: int_list("id", "salah", signed=True), {"id": ["-4"]}) == [-4]


@pytest.mark.parametrize("headers, htmx", [
    ({}, False), (HX, True), ({**HX, "HX-Boosted": "true"}, False), ({"HX-Request": "1"}, False)])
def test_is_htmx_wants_a_fragment_only_for_plain_htmx_requests(bare, headers, htmx):
    with bare.test_request_context("/", headers=headers):
        assert is_htmx() is htmx


def test_render_picks_page_or_partial_and_says_it_varies(bare):
    with bare.test_request_context("/", headers=HX):
        response = render("error.html", partial="_messages.html", messages=[("ok", "Halo")],
                          message="Halaman", status=200)
        assert "Halo" in response.get_data(as_text=True)
        assert "HX-Request" in response.headers["Vary"]
    with bare.test_request_context("/"):
        page = render("error.html", 404, partial="_messages.html", messages=[], message="Hilang")
        assert page.status_code == 404 and "Hilang" in page.get_data(as_text=True)
        assert "HX-Request" in page.headers["Vary"]
        assert "Vary" not in render("error.html", message="x").headers


def test_cli_groups_print_a_pos_error_as_one_line(bare):
    group = CommandGroup("coba")

    @group.command("gagal")
    @click.option("--n", default=1)
    def fail(n: int) -> None:
        raise PosError(f"Tidak bisa ({n}).")

    result = bare.test_cli_runner().invoke(group, ["gagal", "--n", "2"])
    assert result.exit_code == 1
    assert result.output.strip() == "Galat: Tidak bisa (2)."   # in Indonesian, as at start


def test_a_unique_key_clash_is_a_409_that_changes_nothing(bare):
    from sqlalchemy.exc import IntegrityError

    @bare.post("/_uji_bentrok")
    def clash():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    response = bare.test_client().post("/_uji_bentrok", headers=HX)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#messages"
    assert "tidak ada yang disimpan" in response.get_data(as_text=True)


def _failing_routes(app):
    """Routes that fail on purpose: after their transaction committed, inside it (rolled back),
    and after a bookkeeping write only (as the staff session's touch).  The 500 handler answers,
    as in production, instead of the test client seeing the exception."""
    from flask import request

    from pos.db import transaction
    from tests.factories import make_till

    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/_uji_gagal_sesudah")
    def after_commit():
        with transaction() as s:
            make_till(s, request.form["kode"])
        raise RuntimeError("the answer's rendering failed")

    @app.post("/_uji_gagal_sebelum")
    def before_commit():
        with transaction() as s:
            make_till(s, request.form["kode"] + "-X")
            raise RuntimeError("the service failed")

    @app.post("/_uji_db_hilang_sesudah")
    def gone_after_commit():
        from sqlalchemy.exc import OperationalError

        class Gone(Exception):
            sqlstate = "57P01"   # PostgreSQL's admin shutdown: the server went away
        with transaction() as s:
            make_till(s, request.form["kode"])
        raise OperationalError("SELECT 1", {}, Gone("terminating connection"))

    @app.post("/_uji_bentrok_sesudah")
    def clash_after_commit():
        from sqlalchemy.exc import IntegrityError
        with transaction() as s:
            make_till(s, request.form["kode"])
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    @app.post("/_uji_gagal_catatan")
    def after_bookkeeping():
        with get_db().transaction(bookkeeping=True) as s:
            make_till(s, request.form["kode"])
        raise RuntimeError("failed after a write the user did not ask for")


def _tills(app) -> list[str]:
    from sqlalchemy import select

    from pos.tills.models import Till
    with get_db(app).reading() as s:
        return sorted(s.scalars(select(Till.code)))


SAVED_TEXT = "Perubahan sudah tersimpan, tetapi terjadi kesalahan pada server sesudahnya."
NOT_SAVED_TEXT = "Terjadi kesalahan pada server. Transaksi yang belum selesai tidak tersimpan."


def test_a_failure_after_the_commit_says_the_change_was_saved(bare):
    _failing_routes(bare)
    client = bare.test_client()
    page = client.post("/_uji_gagal_sesudah", data={"kode": "KASIR-HALAMAN"})
    fragment = client.post("/_uji_gagal_sesudah", data={"kode": "KASIR-HTMX"}, headers=HX)
    assert page.status_code == fragment.status_code == 500
    assert "text/html" in page.content_type and "<html" in page.get_data(as_text=True).lower()
    assert fragment.headers["HX-Retarget"] == "#messages"
    for answer in (page, fragment):
        text = answer.get_data(as_text=True)
        assert SAVED_TEXT in text and "muat ulang halaman" in text and "tidak tersimpan" not in text
    assert _tills(bare) == ["KASIR-HALAMAN", "KASIR-HTMX"]   # saved, as the answer says


def test_a_database_gone_or_a_clash_after_the_commit_says_the_change_was_saved(bare):
    """The database dropping (503) or a later clash (409) after the request's change committed:
    saved, as the tills are told; before any commit both still say nothing was saved."""
    _failing_routes(bare)
    client = bare.test_client()
    gone = client.post("/_uji_db_hilang_sesudah", data={"kode": "KASIR-HILANG"}, headers=HX)
    clash = client.post("/_uji_bentrok_sesudah", data={"kode": "KASIR-BENTROK"}, headers=HX)
    assert (gone.status_code, clash.status_code) == (503, 409)
    for answer in (gone, clash):
        text = answer.get_data(as_text=True)
        assert SAVED_TEXT in text and "tidak tersimpan" not in text and "tidak ada yang" not in text
    assert _tills(bare) == ["KASIR-BENTROK", "KASIR-HILANG"]


def test_a_failure_before_the_commit_still_says_nothing_was_saved(bare):
    _failing_routes(bare)
    client = bare.test_client()
    answers = [client.post(url, data={"kode": f"KASIR-{n}"}, headers=headers)
               for url in ("/_uji_gagal_sebelum", "/_uji_gagal_catatan")
               for n, headers in ((1, {}), (2, HX))]
    assert [a.status_code for a in answers] == [500] * 4
    assert answers[1].headers["HX-Retarget"] == answers[3].headers["HX-Retarget"] == "#messages"
    for answer in answers:
        assert NOT_SAVED_TEXT in answer.get_data(as_text=True)
        assert "sudah tersimpan" not in answer.get_data(as_text=True)
    assert _tills(bare) == ["KASIR-1", "KASIR-2"]   # the bookkeeping route's; the other rolled back


def test_the_staff_sessions_touch_is_not_the_change_an_error_speaks_of(bare, monkeypatch):
    """Before every view a signed-in session is touched now and then (a commit); a page failing
    after that has saved nothing the user asked for."""
    from pos.auth.sessions import Current
    from tests.factories import login, make_till, make_user

    _failing_routes(bare)

    @bare.get("/_uji_gagal_halaman")
    def failing_page():
        raise RuntimeError("a bug in a page")

    with get_db(bare).transaction() as s:
        till, user = make_till(s), make_user(s)
    touched = []
    monkeypatch.setattr(Current, "due_for_touch", lambda self, now: touched.append(now) or True)
    client = bare.test_client()
    login(client, user.id, till.id, shift=False)
    page = client.get("/_uji_gagal_halaman")
    assert touched and page.status_code == 500
    assert NOT_SAVED_TEXT in page.get_data(as_text=True)


def test_other_http_errors_are_shown_in_indonesian_with_their_status(bare):
    from flask import abort

    @bare.get("/_uji_400")
    def bad():
        abort(400)

    page = bare.test_client().get("/_uji_400")
    assert page.status_code == 400
    assert "Permintaan tidak sah" in page.get_data(as_text=True)
    assert "could not understand" not in page.get_data(as_text=True)
    fragment = bare.test_client().get("/_uji_400", headers=HX)
    assert fragment.status_code == 400 and fragment.headers["HX-Retarget"] == "#messages"


def test_every_answer_carries_the_browser_defences(bare):
    response = bare.test_client().get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert bare.test_client().get("/healthz").headers["X-Content-Type-Options"] == "nosniff"


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\shx-on[:\w-]*=", re.I), "an hx-on attribute (needs eval)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "an inline style"),
    (re.compile(r"""hx-vals=["']\s*js:""", re.I), "hx-vals with js: (needs eval)"),
    (re.compile(r"""hx-trigger=["'][^"']*\[""", re.I), "an hx-trigger filter (needs eval)"),
]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_needs_what_the_content_security_policy_forbids(path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{path.relative_to(TEMPLATES)} has {', '.join(found)}"


def test_compiled_templates_outlive_a_restart_and_a_damaged_one_is_compiled_again(
        tmp_path, printer, sqlite_template):
    shutil.copyfile(sqlite_template, tmp_path / "pos.db")
    config = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}",
              "SECRET_KEY": "test-secret", "TESTING": True, "SQLITE_BACKGROUND_CHECKPOINT": False,
              "PRINT_IN_BACKGROUND": False}

    def start() -> tuple[Flask, list[str]]:   # a restart: a new app on the same instance folder
        app = create_app(config, hardware=Hardware(printer=printer))
        compiled, compile_source = [], app.jinja_env.compile
        app.jinja_env.compile = lambda source, name=None, *a, **k: (
            compiled.append(name), compile_source(source, name, *a, **k))[1]
        return app, compiled

    first, compiled = start()
    assert first.test_client().get("/masuk").status_code == 200 and "auth/login.html" in compiled
    kept = sorted((tmp_path / "instance" / "cache" / "jinja").glob("*.cache"))
    assert len(kept) == len(compiled)
    second, compiled = start()
    page = second.test_client().get("/masuk")
    assert page.status_code == 200 and "PIN" in page.get_data(as_text=True) and compiled == []
    for damaged in kept:                       # cut off by a power cut
        damaged.write_bytes(damaged.read_bytes()[:20])
    third, compiled = start()
    assert third.test_client().get("/masuk").status_code == 200 and "auth/login.html" in compiled
    fourth, compiled = start()                 # written whole again
    assert fourth.test_client().get("/masuk").status_code == 200 and compiled == []
    for app in (first, second, third, fourth):
        get_db(app).engine.dispose()
