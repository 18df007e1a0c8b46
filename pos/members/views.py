"""The Anggota screens (views): the member register for managers, member cards, import and
export, and the live member list behind the till's F7 field.

A refused create or edit sends the form back with a message beside each field;
imports run as background jobs (the catalog's ``import_jobs``) whose progress
bar the page polls.  Cards print as an A4 sheet the browser prints, or on the
thermal printer after the data is read.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, redirect, request, url_for

from pos.auth.access import requires, till_printer
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, not_printed
from pos.hardware.label_sheets import a4_sheet_svg
from pos.inventory.catalog import import_jobs, spreadsheets
from pos.members import cards, history, phones, register, service, transfer
from pos.members.fields import FIELDS, STATUSES, FieldErrors
from pos.members.nik import mask_nik
from pos.web import business_today, download, int_field, int_list, render

bp = Blueprint("members", __name__, url_prefix="/anggota")
PER_PAGE = 50
FORMATS = {"a4": "Lembar stiker A4 (3 x 8)", "thermal": "Printer struk (thermal)"}


@bp.app_template_filter("nik_masked")
def nik_masked(nik: str | None) -> str:
    """``3201********0001``: the NIK everywhere but the manager's member page and the exports."""
    return mask_nik(nik)


def _submitted() -> dict[str, str]:
    return {f: request.form.get(f, "") for f in FIELDS if f in request.form}


def _shared_ok() -> bool:
    """The clerk ticked that the phone is shared on purpose (``phones``)."""
    return request.form.get(phones.CONFIRM) == "1"


def _form_of(member) -> dict[str, str]:
    return {"number": member.number, "name": member.name, "nik": member.nik or "",
            "phone": member.phone or "", "card_barcode": member.card_barcode or "",
            "joined_on": member.joined_on.strftime("%d-%m-%Y"), "address": member.address or ""}


@bp.get("")
@requires("manage")
def index():
    """The register: a search by number, name, phone, card or NIK (its first 50, saying when more
    match), or every member 50 a page."""
    query = request.args.get("q", "").strip()[:60]
    page = int_field("hal", "Nomor halaman", required=False, blank=1, low=1, high=99_999, status=400)
    session = read_session()
    more = False
    if query:   # one more than a page asked for: whether to say that more match
        members, total = service.search(session, query, PER_PAGE + 1), None
        members, more = members[:PER_PAGE], len(members) > PER_PAGE
    else:
        members, total = register.list_page(session, page, PER_PAGE)
    return render("members/index.html", partial="members/_list.html", members=members, query=query,
                  page=page, total=total, per_page=PER_PAGE, formats=FORMATS, more=more)


@bp.get("/baru")
@requires("manage")
def new_page():
    return render("members/new.html", form={"joined_on": business_today().strftime("%d-%m-%Y")},
                  errors={})


@bp.post("/baru")
@requires("manage")
def create():
    """Add a member, then show their page."""
    form = _submitted()
    try:
        with transaction() as session:
            member = register.create_member(session, form, business_today(),
                                            shared_phone_ok=_shared_ok())
    except FieldErrors as error:  # the form comes back with what was typed and why
        return render("members/new.html", 422, form={**form, phones.CONFIRM: _shared_ok()},
                      errors=error.errors)
    flash(f"Anggota {member.number} {member.name} ditambahkan.", "ok")
    return redirect(url_for("members.show", member_id=member.id), 303)


@bp.route("/<int:member_id>", methods=["GET", "POST"])
@requires("manage")
def show(member_id: int):
    """The member's page: every field with the full NIK, the edit form, status and card."""
    if request.method == "GET":
        return _member_page(member_id, None, {})
    form = _submitted()
    try:
        with transaction() as session:
            changed = register.update_member(session, member_id, form, business_today(),
                                             shared_phone_ok=_shared_ok())
    except FieldErrors as error:
        return _member_page(member_id, {**form, phones.CONFIRM: _shared_ok()}, error.errors, 422)
    flash("Tersimpan." if changed else "Tidak ada perubahan.", "ok")
    return redirect(url_for("members.show", member_id=member_id), 303)


def _member_page(member_id: int, form: dict | None, errors: dict, status: int = 200) -> Response:
    session = read_session()
    member = register.get_member(session, member_id)
    return render("members/show.html", status, member=member,
                  form={**_form_of(member), **(form or {})}, errors=errors, formats=FORMATS,
                  max_copies=cards.MAX_COPIES, number_locked=bool(history.recorded_in(session, member_id)))


@bp.post("/<int:member_id>/status")
@requires("manage")
def set_status(member_id: int):
    """Deactivate or reactivate (``status`` = aktif / nonaktif)."""
    status = request.form.get("status", "")
    if status not in STATUSES:
        raise PosError("Status harus aktif atau nonaktif.", 400)
    with transaction() as session:
        member = register.set_active(session, member_id, STATUSES[status])
    flash(f"{member.name} sekarang {member.status}.", "ok")
    return redirect(url_for("members.show", member_id=member_id), 303)


@bp.post("/<int:member_id>/kartu-baru")
@requires("manage")
def assign_card(member_id: int):
    """Give a member without a card the next in-store card number (``MEMBER_CARD_PREFIX``)."""
    config = current_app.config
    avoid = tuple(p.prefix for p in current_app.extensions["pos_patterns"])
    prefix = cards.card_prefix(config["MEMBER_CARD_PREFIX"], config["INSTORE_PREFIX"], avoid)
    # Two managers at once: the counter row queues them; a clash is a 409 "try again".
    with transaction() as session:
        code = cards.assign_card(session, member_id, prefix)
    flash(f"Nomor kartu baru: {code}.", "ok")
    return redirect(url_for("members.show", member_id=member_id), 303)


@bp.post("/kartu")
@requires("manage")
def print_cards():
    """Cards of the chosen members: an A4 sheet to print from the browser, or the thermal printer."""
    kind = request.form.get("format", "")
    if kind not in FORMATS:
        raise PosError("Pilih format kartu: A4 atau printer thermal.", 400)
    member_ids = int_list("member_id", "Pilihan anggota tidak sah. Muat ulang halaman lalu coba lagi.")
    copies = int_field("copies", "Jumlah kartu", required=False, blank=1, low=1, high=cards.MAX_COPIES)
    chosen = cards.card_labels(read_session(), [(m, copies) for m in dict.fromkeys(member_ids)])
    if kind == "a4":
        return render("members/card_sheet.html", pages=a4_sheet_svg(chosen), count=len(chosen))
    printer = till_printer()   # the signed-in till's own, else the outlet's
    try:
        printer.print_labels(chosen)
    except HardwareError as error:
        current_app.logger.warning("Kartu belum tercetak: %s", error)   # the device's own words
        said = (error.summary or str(error)).removeprefix("Label belum tercetak: ")   # cards, not labels
        flash(f"Kartu belum tercetak: {said}", "error")
    else:
        unprinted = not_printed(printer, "Kartu")   # dummy://: recorded, nothing on paper
        flash(unprinted or f"{len(chosen)} kartu dikirim ke printer.", "warn" if unprinted else "ok")
    back = url_for("members.show", member_id=member_ids[0]) if len(member_ids) == 1 \
        else url_for("members.index")
    return redirect(back, 303)


@bp.get("/cari")
@requires("sell")
def till_search():
    """The till's F7 live list: members by number, name or phone (nonaktif ones marked)."""
    query = request.args.get("q", request.args.get("member", ""))
    found = service.search(read_session(), query, current_app.config["SEARCH_LIMIT"])
    return render("members/_till_search.html", results=found, query=query.strip())


@bp.get("/impor")
@requires("manage")
def import_page():
    """Upload a CSV or XLSX member list; download the present one."""
    return render("members/import.html", job=None, limits=import_jobs.limits())


@bp.post("/impor")
@requires("manage")
def upload():
    """Read the file (an unreadable one is refused at once), then check and save it in a
    background job whose progress the page polls."""
    request.max_content_length = import_jobs.upload_limit()
    job_id = import_jobs.start_upload(current_app._get_current_object(), request.files.get("file"),
                                      g.staff.id, request.form.get("check_only") == "1",
                                      rules=transfer.MemberFile(_shared_ok(), business_today()))
    return render("members/import.html", partial="members/_import_job.html",
                  job=import_jobs.job(job_id), job_id=job_id, limits=import_jobs.limits())


@bp.get("/impor/<job_id>")
@requires("manage")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome."""
    return render("members/_import_job.html", job=import_jobs.job(job_id), job_id=job_id)


@bp.get("/ekspor.csv")
@requires("manage")
def export_csv():
    """Every member as CSV (UTF-8 with BOM), full NIK included."""
    body = spreadsheets.to_csv(transfer.export_rows(read_session()), transfer.IMPORT_COLUMNS)
    return download(body, f"anggota-{business_today().isoformat()}.csv")


@bp.get("/ekspor.xlsx")
@requires("manage")
def export_xlsx():
    """Every member as an XLSX workbook, full NIK included."""
    body = spreadsheets.to_xlsx(transfer.export_rows(read_session()), transfer.IMPORT_COLUMNS, "Anggota")
    return download(body, f"anggota-{business_today().isoformat()}.xlsx")
