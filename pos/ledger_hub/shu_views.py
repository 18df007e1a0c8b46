"""The SHU screens (``/shu``): a book year's settings, its simulation, freezing it, the
per-member list as XLSX and one member's printable slip."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask import session as cookie

from pos import money, web
from pos.clock import utcnow
from pos.errors import PosError
from pos.ledger_hub import shu, shu_check, shu_export, shu_runs
from pos.ledger_hub.access import current_operator, operator_required
from pos.text import is_digits
from pos.web import int_field

bp = Blueprint("hub_shu", __name__, url_prefix="/shu")
FROZEN_KEY = "hub_shu_frozen"   # the year just frozen, said once on the page the freeze redirects to


def _db():
    return current_app.extensions["ledger_hub_db"]


def _today():
    return shu_runs.book_today(utcnow())


def _page(year: int, status: int = 200, problem: str = "", form: dict | None = None, done: str = ""):
    with _db().reading() as session:
        chosen = shu_runs.current_settings(session, year)
        try:
            run = shu_runs.show(session, year)
        except PosError:
            run = None
        known = shu_runs.years(session)
        drift, notes = shu_check.notes(session, year, run, _today())
    return render_template("ledger_hub/shu.html", year=year, run=run, chosen=chosen, years=known,
                           parts=shu.PARTS, labels=shu.LABELS, bases=shu.SAVINGS_BASES,
                           percent_text=shu.percent_text,
                           sheet=shu_export.sheet(run) if run else None,
                           lines=shu_export.summary_lines(run) if run else [],
                           problem=problem, form=form or {}, done=done, drift=drift, notes=notes,
                           operator_name=current_operator()), status


@bp.get("/")
@operator_required
def index():
    year = int_field("tahun", "Tahun buku", required=False, blank=_today().year - 1, status=400)
    year = shu_runs.check_year(year)   # its range said as years are written: 2000, not 2.000
    done = f"SHU tahun {year} dibekukan." if cookie.pop(FROZEN_KEY, None) == year else ""
    return _page(year, done=done)


POOL_LABEL = "SHU dibagi"   # the field's label on the form


def _settings_from_form() -> tuple[shu.Settings, int | None]:
    split = {part: shu.percent_bp(request.form.get(part, ""), shu.LABELS[part]) for part in shu.PARTS}
    chosen = shu.settings(split, request.form.get("dasar_simpanan", ""))
    raw = request.form.get("pool", "").strip()
    try:   # named as the percentages' errors are (and the command's --pool)
        pool = money.parse_rupiah(raw, shu.MAX_POOL) if raw else None
    except money.MoneyError as problem:
        raise shu.ShuError(problem.of_field(POOL_LABEL)) from None
    return chosen, pool


@bp.post("/<int:year>/simulasi")
@operator_required
def simulate(year: int):
    try:
        chosen, pool = _settings_from_form()
        with _db().transaction() as session:
            shu_runs.simulate(session, year, chosen, current_operator(), utcnow(), pool)
    except PosError as error:
        return _page(year, error.status if error.status != 404 else 422, error.message, request.form)
    return redirect(url_for("hub_shu.index", tahun=year), 303)


def _percent_or_none(text: str) -> int | None:
    try:
        return shu.percent_bp(text, "")
    except PosError:
        return None


def _unsimulated(run: shu_runs.Run) -> str:
    """Why the settings form as sent is not the simulation stored (what a freeze would keep):
    a percentage, the jasa modal basis or the typed pool changed and not simulated; "" if none."""
    form = request.form
    if {part: _percent_or_none(form.get(part, "")) for part in shu.PARTS} != run.settings["split"]:
        return "Persentase diubah tetapi belum disimulasikan: simulasikan dulu."
    if form.get("dasar_simpanan", "") != run.settings["savings_basis"]:
        return "Dasar jasa modal diubah tetapi belum disimulasikan: simulasikan dulu."
    raw = form.get("pool", "").strip()
    try:
        pool = money.parse_rupiah(raw, shu.MAX_POOL) if raw else None
    except PosError:
        pool = -1
    if pool != (run.pool if run.figures["pool_adjusted"] else None):
        return "SHU dibagi diubah tetapi belum disimulasikan: simulasikan dulu."
    return ""


def _check_as_shown(run: shu_runs.Run, shown: int) -> None:
    """The run frozen is the one the page showed, with the settings its form holds; else the
    freeze is refused (and, raised inside its transaction, undone)."""
    if run.id != shown:
        raise shu.ShuError(f"Simulasi SHU tahun {run.year} sudah diganti sejak halaman ini dibuka: "
                           "periksa hasilnya, lalu bekukan.", 409)
    reason = _unsimulated(run)
    if reason:
        raise shu.ShuError(reason)


@bp.post("/<int:year>/bekukan")
@operator_required
def freeze(year: int):
    shown = request.form.get("run", "")
    try:
        if request.form.get("konfirmasi") != "ya":
            raise shu.ShuError("Centang konfirmasi: SHU yang dibekukan tidak bisa diubah lagi.")
        if not is_digits(shown, 18) or any(part not in request.form for part in shu.PARTS):
            raise shu.ShuError("Muat ulang halaman SHU, periksa simulasinya, lalu bekukan lagi.")
        with _db().transaction() as session:
            run = shu_runs.freeze(session, year, request.form.get("oleh", ""), utcnow(), _today())
            _check_as_shown(run, int(shown))
    except PosError as error:
        return _page(year, error.status, error.message, request.form)
    cookie[FROZEN_KEY] = year
    return redirect(url_for("hub_shu.index", tahun=year), 303)   # a reload sends nothing again


@bp.get("/<int:year>/xlsx")
@operator_required
def download(year: int):
    with _db().reading() as session:
        run = shu_runs.show(session, year)
    kind = "dibekukan" if run.frozen else "simulasi"
    return web.download(shu_export.xlsx(run), f"shu_{year}_{kind}.xlsx")


@bp.get("/<int:year>/anggota/<path:number>")
@operator_required
def slip(year: int, number: str):
    with _db().reading() as session:
        run = shu_runs.show(session, year)
    return render_template("ledger_hub/shu_slip.html", slip=shu_export.slip(run, number))
