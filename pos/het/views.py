"""The HET page: ceiling prices per product and zone, their schedule and import (views).

Managers only ("manage"): the outlet's zone, the catalog prices above a ceiling (in force, or
about to take effect, per date), the schedule per product, a form to add a ceiling and the
CSV/XLSX upload (a background job, as the catalog and member imports).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.het import plausible, service, transfer
from pos.inventory.catalog import import_jobs, lookup
from pos.web import business_today, date_field, render, rupiah_field

bp = Blueprint("het", __name__, url_prefix="/het")

FORM_FIELDS = ("sku", "zone", "price", "from", "note")


@bp.record_once
def _lend_ceiling(state) -> None:
    # The product page (pos.inventory.catalog, which must not import pos.het) tags the ceiling
    # in force in the outlet's zone with the schedule's own rule.
    app = state.app
    app.extensions["pos_het_ceiling"] = lambda session, product_id, day: service.ceiling(
        session, product_id, day, service.zone_of(app.config))


def _page(form: dict | None = None, errors: list[str] = (), status: int = 200, job=None,
          job_id: str | None = None, ask_het_ok: bool = False):
    session, today = read_session(), business_today()
    zone = service.zone_of(current_app.config)
    query = request.args.get("q", "").strip()[:60]
    shown = {"sku": request.args.get("sku", "").strip()[:32], "zone": zone or "",
             **(form or {})}
    return render("het/index.html", status, zone=zone, today=today,
                  schedule=service.schedule(session, today, zone),
                  above=service.above(session, today, zone), form=shown, errors=list(errors),
                  query=query, found=lookup.search(session, query, 20) if query else [],
                  job=job, job_id=job_id, limits=import_jobs.limits(), ask_het_ok=ask_het_ok,
                  het_flag=(plausible.CONFIRM, plausible.LABEL))


@bp.get("")
@requires("manage")
def index():
    """The schedule, what is above a ceiling, the add form and the import."""
    return _page()


@bp.post("")
@requires("manage")
def add():
    """Add a ceiling for a product (by SKU) from a date, for the outlet's zone or every zone;
    bad input is shown with the form and changes nothing."""
    form = {f: request.form.get(f, "").strip() for f in FORM_FIELDS}
    try:
        price = rupiah_field("price", "HET")
        if not price:
            raise PosError("HET harus lebih dari nol.")
        day = date_field("from", "Berlaku mulai", required=True)
        outlet_zone = service.zone_of(current_app.config)
        if (elsewhere := service.other_zone(form["zone"], outlet_zone)) is not None:  # a typo, or a
            # schedule for other outlets, saved here out of sight: never applied, never shown
            raise PosError(f"{elsewhere} " + (f"Isi {outlet_zone}, atau kosongkan untuk semua zona."
                                              if outlet_zone else "Kosongkan untuk semua zona."))
        with transaction() as session:
            product = service.product_by_sku(session, form["sku"])
            service.set_ceiling(session, product.id, price=price, effective_from=day,
                                zone=form["zone"], note=form["note"], user_id=g.staff.id,
                                unlikely_ok=request.form.get(plausible.CONFIRM) == "1")
            name = product.name
    except PosError as error:
        if error.status != 422:
            raise
        return _page(form, [error.message], 422,
                     ask_het_ok=isinstance(error, service.UnlikelyCeiling))
    flash(f"HET {name} mulai {day:%d-%m-%Y} tersimpan.", "ok")
    return redirect(url_for("het.index"), 303)


@bp.post("/impor")
@requires("manage")
def upload():
    """Read the schedule file (an unreadable one is refused at once), then check and save it
    in a background job whose progress the page polls."""
    request.max_content_length = import_jobs.upload_limit()
    job_id = import_jobs.start_upload(current_app._get_current_object(), request.files.get("file"),
                                      g.staff.id, request.form.get("check_only") == "1",
                                      rules=transfer.HetFile(request.form.get(plausible.CONFIRM) == "1"))
    return _job(job_id)


@bp.get("/impor/<job_id>")
@requires("manage")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome."""
    return _job(job_id)


def _job(job_id: str):
    """The job's progress or outcome; a saved import draws the schedule and the prices above a
    ceiling again beside it (out of band), which stayed as before the import until a reload."""
    job, saved = import_jobs.job(job_id), {}
    if job.get("finished") and job.get("summary"):
        session, today = read_session(), business_today()
        zone = service.zone_of(current_app.config)
        saved = dict(het_oob=True, zone=zone, schedule=service.schedule(session, today, zone),
                     above=service.above(session, today, zone))
    return render("het/_import_job.html", job=job, job_id=job_id, **saved)
