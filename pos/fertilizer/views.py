"""Subsidised fertiliser: the e-RDKK list, quotas and the redemption report (views).

``/pupuk``: the seasons, the upload of a season's list (a background job of the catalog's
``import_jobs``, all rows or none) and a farmer search with each farmer's allocation, taken
and remaining per type (kg, and sacks where the type has a karung pack).
``/pupuk/penebusan``: redemptions per farmer and type for a period,
or one row per receipt (``rinci=1``: date, receipt, who collected it, kg, sacks, Rupiah), on
screen and as XLSX for the distributor (full NIK: managers only).  ``/pupuk/realisasi``: a
season's realization per farmer, kelompok tani and desa (allocation, redeemed, left, serapan,
Rupiah; NIK masked), on screen and as CSV or XLSX (also the farmer list's download).
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos import dates
from pos.auth.access import requires
from pos.db import read_session
from pos.errors import NotFound, PosError
from pos.fertilizer import farmers, files, leaving, realization, receipts, report, seasons
from pos.fertilizer.models import RdkkSeason
from pos.fertilizer.rdkk import COLUMNS, RdkkFile
from pos.fertilizer.sacks import in_sacks, sack_sizes
from pos.inventory.catalog import import_jobs
from pos.money import format_rate
from pos.web import business_today, date_field, date_range, download, int_field, range_refused, render

bp = Blueprint("fertilizer", __name__, url_prefix="/pupuk")
NOUN = "petani"


@bp.app_template_filter("fertilizer_kg")
def kg_filter(grams: int) -> str:
    """``150000`` -> ``150 kg``."""
    return seasons.kg(grams)


@bp.app_template_filter("fertilizer_sacks")
def sacks_filter(grams: int, sack: int | None) -> str:
    """``12487500, 50000`` -> ``249 karung + 37,5 kg`` (empty under one sack, or no sack)."""
    return in_sacks(grams, sack)


@bp.app_template_filter("fertilizer_rate")
def rate_filter(rate_bp: int | None) -> str:
    """Serapan: ``5714`` -> ``57,14%``; ``-`` without an allocation."""
    return "-" if rate_bp is None else format_rate(rate_bp, fixed=True) + "%"


def _page_context(session, chosen: RdkkSeason | None, query: str) -> dict:
    """The page of the season ``chosen`` (``_season``: the one asked for, else in force today)."""
    listed = seasons.all_seasons(session)
    current = seasons.in_force(session, business_today())
    found = farmers.search(session, chosen.id if chosen else None, query,
                           current_app.config["SEARCH_LIMIT"] * 5)
    return dict(seasons=listed, current=current, chosen=chosen, farmers=found, query=query,
                sacks=sack_sizes(session), columns=COLUMNS, limits=import_jobs.limits(), job=None)


@bp.get("")
@requires("manage")
def index():
    """The seasons, the import form and the farmer search (live: the list alone for htmx); a
    season ``musim`` that does not exist is refused (404), as the realisation refuses it."""
    query = request.args.get("q", "").strip()[:60]
    return render("fertilizer/index.html", partial="fertilizer/_farmers.html",
                  **_page_context(read_session(), _season(), query))


@bp.post("/impor")
@requires("manage")
def upload():
    """Read the file (an unreadable one is refused at once), then check and save it into the
    season in a background job whose progress the page polls."""
    request.max_content_length = import_jobs.upload_limit()
    upload_file = request.files.get("file")
    rules = RdkkFile(request.form.get("season", ""), date_field("from", "Tanggal mulai"),
                     date_field("to", "Tanggal akhir"), getattr(upload_file, "filename", None),
                     remove_missing=request.form.get(leaving.CONFIRM) == "1")
    if not rules.season:
        raise PosError("Nama musim wajib diisi (misalnya MT I 2026).")
    job_id = import_jobs.start_upload(current_app._get_current_object(), upload_file, g.staff.id,
                                      request.form.get("check_only") == "1", rules=rules)
    return render("fertilizer/_import_job.html", job=import_jobs.job(job_id), job_id=job_id)


@bp.get("/impor/<job_id>")
@requires("manage")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome; a saved
    import lists its season at once (the season table is drawn again beside it)."""
    job = import_jobs.job(job_id)
    saved = {}
    if job.get("finished") and job.get("summary"):
        session = read_session()
        saved = dict(seasons=seasons.all_seasons(session), seasons_oob=True,
                     current=seasons.in_force(session, business_today()))
    return render("fertilizer/_import_job.html", job=job, job_id=job_id, **saved)


def _period() -> dates.TypedRange:
    """``dari`` / ``sampai`` (dd-mm-yyyy), by default this month up to today."""
    today = business_today()
    return date_range(today.replace(day=1), today)


def _detail() -> bool:
    """``rinci=1``: one row per receipt instead of per farmer and type."""
    return request.args.get("rinci") == "1"


@bp.get("/penebusan")
@requires("manage")
def redemptions():
    """Redemptions per farmer and type for a period, with totals per type; or per receipt."""
    period = _period()
    range_refused(period)
    found = rows = None
    if not period.problem:
        found = report.redemptions(read_session(), period.start, period.end)
        rows = receipts.per_receipt(read_session(), period.start, period.end) if _detail() else None
    return render("fertilizer/redemptions.html", 422 if period.problem else 200, report=found,
                  period=period, detail=rows)


@bp.get("/penebusan.xlsx")
@requires("manage")
def redemptions_xlsx():
    """The same report as an XLSX workbook for the distributor (full NIK; kg as numbers)."""
    period = _period()
    if (refused := range_refused(period, as_file=True)) is not None:
        return refused
    starts_on, ends_on = period.start, period.end
    name = f"penebusan-pupuk{'-per-struk' if _detail() else ''}-{starts_on.isoformat()}-{ends_on.isoformat()}"
    if _detail():
        rows = receipts.file_rows(receipts.per_receipt(read_session(), starts_on, ends_on))
        return download(files.xlsx_bytes(rows, receipts.COLUMNS, receipts.KINDS, "Penebusan per struk"),
                        f"{name}.xlsx")
    found = report.redemptions(read_session(), starts_on, ends_on)
    rows = [{**row, "kg": row["gram"]} for row in report.xlsx_rows(found)]
    body = files.xlsx_bytes(rows, report.XLSX_COLUMNS, {"kg": "kg", "gram": "int"}, "Penebusan")
    return download(body, f"{name}.xlsx")


def _season():
    """The season ``musim`` names (id), else the one in force today, else the latest; None
    when there is none.  An unknown id is refused (404)."""
    session = read_session()
    season_id = int_field("musim", "Musim", required=False, status=400)
    if season_id is not None:
        season = session.get(RdkkSeason, season_id)
        if season is None:
            raise NotFound("Musim itu tidak ada.")
        return season
    listed = seasons.all_seasons(session)
    return seasons.in_force(session, business_today()) or (listed[0] if listed else None)


@bp.get("/realisasi")
@requires("manage")
def realization_page():
    """A season's realization per farmer, kelompok tani and desa, with totals per type."""
    season = _season()
    found = realization.realization(read_session(), season) if season else None
    return render("fertilizer/realization.html", report=found, season=season,
                  seasons=seasons.all_seasons(read_session()))


@bp.get("/realisasi.csv")
@requires("manage")
def realization_csv():
    """The realization as CSV, for a spreadsheet in Indonesian (decimal commas)."""
    return _realization_file("csv")


@bp.get("/realisasi.xlsx")
@requires("manage")
def realization_xlsx():
    """The realization as XLSX (kg, serapan and Rupiah as numbers)."""
    return _realization_file("xlsx")


def _realization_file(kind: str):
    season = _season()
    if season is None:
        raise NotFound("Belum ada musim e-RDKK.")
    rows = realization.file_rows(realization.realization(read_session(), season))
    name = f"realisasi-pupuk-{'-'.join(season.name.lower().split())}.{kind}"
    if kind == "csv":
        return download(files.csv_text(rows, realization.COLUMNS, realization.KINDS), name)
    return download(files.xlsx_bytes(rows, realization.COLUMNS, realization.KINDS, "Realisasi"), name)
