"""The books screens (``/buku/...``) and their XLSX exports, per outlet or consolidated.

Dates are typed dd-mm-yyyy and kept ISO in the URL (a typed date is redirected to its ISO
URL, so a link or a bookmark means one period; one typed wrong draws the page again as typed,
with the message, as the outlet's reports do); ``?gerai=CODE`` one outlet, none all;
``?unduh=xlsx`` the same sheet as a file.
"""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from pos import dates
from pos.clock import utcnow
from pos.errors import PosError
from pos.ledger_hub import accounts, book_sheets, books, journal_book, opening, outlet_opening, statements
from pos.ledger_hub.access import current_operator, operator_required
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.sheets import to_xlsx
from pos.ledger_hub.shu_runs import book_today
from pos.web import date_field, date_range, download

bp = Blueprint("hub_books", __name__, url_prefix="/buku")
BOOKS = {"jurnal": "Jurnal", "buku-besar": "Buku besar", "neraca-saldo": "Neraca saldo",
         "phu": "PHU", "neraca": "Neraca"}
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _db():
    return current_app.extensions["ledger_hub_db"]


@bp.get("/")
@operator_required
def index():
    return redirect(url_for("hub_books.show", book="neraca-saldo", **request.args), 303)


def _period_args() -> tuple[dates.TypedRange, dict | None]:
    """The period asked for (with its ``problem`` when typed wrong), and the ISO arguments to
    redirect to when it was typed right but otherwise."""
    # today in the books' zone (at 01:00 WIB the UTC date is yesterday), or a later day received
    with _db().reading() as session:
        last = accounts.default_end(session, book_today(utcnow()))
    # a blank Dari starts the book year of Sampai (31-12-2025 alone is 2025, as the command has it;
    # it was 1 January of this year, after it: "Tanggal awal harus sebelum ...")
    try:
        year_of = dates.parse_day_first(request.args.get("sampai") or "").year
    except ValueError:
        year_of = last.year
    asked = date_range(date(year_of, 1, 1), last)
    if asked.problem is None and any(value and not _ISO.fullmatch(value) for value in asked.typed):
        return asked, {**request.args.to_dict(), "dari": asked.start.isoformat(),
                       "sampai": asked.end.isoformat()}
    return asked, None


@bp.get("/<book>")
@operator_required
def show(book: str):
    if book not in BOOKS:
        return render_template("ledger_hub/error.html", message="Buku tidak dikenal.", status=404), 404
    asked, canonical = _period_args()
    if canonical is not None:
        return redirect(url_for("hub_books.show", book=book, **canonical), 303)
    if asked.problem and request.args.get("unduh") == "xlsx":   # a link's file: its message
        return Response(asked.problem, 400, content_type="text/plain; charset=utf-8")
    start, end = sorted((asked.start, asked.end))   # a range typed backwards: only in the fields
    account = request.args.get("akun", "").strip()
    with _db().reading() as session:
        period = Period(start, end, accounts.check_outlet(session, request.args.get("gerai", "").strip()))
        sheet = None if asked.problem else _sheet(session, book, period, account)
        choices = accounts.outlet_choices(session)
        names = accounts.account_names(session) if book == "buku-besar" else {}
    if request.args.get("unduh") == "xlsx" and sheet is not None:
        filename = f"{sheet.name}_{period.outlet or 'gabungan'}_{start.isoformat()}_{end.isoformat()}.xlsx"
        return download(to_xlsx(sheet), filename)
    args = {"dari": start.isoformat(), "sampai": end.isoformat(), "gerai": period.outlet or "",
            "akun": account}
    return render_template("ledger_hub/books.html", book=book, books=BOOKS, sheet=sheet, period=period,
                           typed=asked, outlets=choices, accounts=sorted(names.items()), account=account,
                           args=args), 422 if asked.problem else 200


def _sheet(session, book: str, period: Period, account: str):
    if book == "jurnal":
        return book_sheets.journal_sheet(journal_book.journal(session, period), period)
    if book == "buku-besar":
        if not account:
            return None
        accounts.check_account(session, account)   # not "Buku besar abc abc", empty
        return book_sheets.ledger_sheet(journal_book.general_ledger(session, period, account))
    if book == "neraca-saldo":
        return book_sheets.trial_sheet(books.trial_balance(session, period.start, period.end, period.outlet))
    if book == "phu":
        return book_sheets.phu_sheet(statements.phu(session, period))
    return book_sheets.neraca_sheet(statements.neraca(session, period))


@bp.get("/saldo-awal")
@operator_required
def opening_form():
    with _db().reading() as session:
        return _opening_page(session)


@bp.post("/saldo-awal")
@operator_required
def opening_post():
    upload = request.files.get("berkas")
    try:
        as_of = date_field("tanggal", "Tanggal saldo awal", required=True)
        if upload is None or not upload.filename:
            raise opening.OpeningRefused(["Pilih berkas CSV atau XLSX."])
        with _db().transaction() as session:
            done = opening.import_file(session, upload.filename, upload.read(), as_of,
                                       request.form.get("gerai", "").strip() or None, current_operator())
    except opening.OpeningRefused as refused:
        return _opening_again(refused.problems, 422)
    except PosError as error:
        return _opening_again([error.message], error.status)
    with _db().reading() as session:
        return _opening_page(session, done=done.message)


def _opening_again(problems: list[str], status: int):
    with _db().reading() as session:
        return _opening_page(session, problems=problems, form=request.form), status


def _opening_page(session, **shown):
    """The Saldo awal page, its hint naming the accounts the outlets' imports go on."""
    return render_template("ledger_hub/opening.html", imported=opening.listing(session),
                           outlets=accounts.outlet_choices(session),
                           guide=outlet_opening.guide(current_app.config.get("LEDGER_ACCOUNTS")), **shown)
