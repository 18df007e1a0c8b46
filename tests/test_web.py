"""pos.web: one way to parse form fields, to answer htmx or a full page, and to show errors."""
from __future__ import annotations

from datetime import date

import click
import pytest
from flask import Flask

from pos.errors import PosError
from pos.web import CommandGroup, date_field, int_field, int_list, is_htmx, render, rupiah_field
from tests.conftest import build_app

HX = {"HX-Request": "true"}


@pytest.fixture
def bare(tmp_path, printer) -> Flask:
    """An app on an empty SQLite file: these helpers need no data and no second database."""
    return build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer)


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
    ("abc", {"low": 1, "high": 365, "status": 400}, ("Jumlah harus angka bulat 1 sampai 365.", 400)),
    ("366", {"low": 1, "high": 365}, ("Jumlah harus angka bulat 1 sampai 365.", 422)),
    ("0", {"low": 1}, ("Jumlah harus angka bulat paling sedikit 1.", 422)),
    ("20001", {"high": 20_000}, ("Jumlah harus angka bulat paling banyak 20.000.", 422)),
    ("", {}, ("Jumlah wajib diisi.", 422)),
    ("", {"required": False, "blank": 60}, 60),
    ("1" * 13, {}, ("Jumlah harus berupa angka bulat tanpa tanda.", 422)),
])
def test_int_field(bare, raw, kwargs, expected):
    assert parsed(bare, lambda: int_field("n", "Jumlah", **kwargs), {"n": raw}) == expected


def test_int_field_reads_the_query_string_too(bare):
    assert parsed(bare, lambda: int_field("hal", "Halaman"), {"hal": "3"}, method="GET") == 3


@pytest.mark.parametrize("raw, expected", [
    ("50000", 50_000), ("50.000", 50_000), ("Rp50.000", 50_000), ("50.000,-", 50_000),
    ("50.000,50", ("Uang: Jumlah uang tidak valid. Tulis angka Rupiah, misalnya 50000 atau "
                   "50.000.", 422)),
    ("2000000000", ("Uang: Jumlah uang terlalu besar (maksimal Rp1.000.000.000).", 422)),
])
def test_rupiah_field(bare, raw, expected):
    assert parsed(bare, lambda: rupiah_field("m", "Uang"), {"m": raw}) == expected


def test_rupiah_field_limit_and_blank(bare):
    assert parsed(bare, lambda: rupiah_field("m", "Harga", maximum=100), {"m": "101"})[0] \
        == "Harga: Jumlah uang terlalu besar (maksimal Rp100)."
    assert parsed(bare, lambda: rupiah_field("m", "Harga", required=False), {"m": ""}) is None


@pytest.mark.parametrize("raw, kwargs, expected", [
    ("2026-11-30", {}, date(2026, 11, 30)),
    ("", {}, None),
    ("", {"required": True}, ("Tanggal wajib diisi.", 422)),
    ("30-11-2026", {"status": 400}, ("Tanggal tidak valid; gunakan format TTTT-BB-HH.", 400)),
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
    assert result.output.strip() == "Error: Tidak bisa (2)."


def test_a_unique_key_clash_is_a_409_that_changes_nothing(bare):
    from sqlalchemy.exc import IntegrityError

    @bare.post("/_uji_bentrok")
    def clash():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    response = bare.test_client().post("/_uji_bentrok", headers=HX)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#messages"
    assert "tidak ada yang disimpan" in response.get_data(as_text=True)
