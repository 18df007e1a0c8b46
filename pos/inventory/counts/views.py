"""Stock count (stock opname), manual adjustment and write-off screens, with manager approval.

Clerks (right ``stock``) open counts, scan and record, and request adjustments
and write-offs (loose goods typed in kg or litres: ``BaseUnit.read``); managers
(right ``manage``) approve or reject.  Counting and requesting are htmx partials;
opening, approving, rejecting and cancelling are plain forms that redirect back
with a message.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.inventory.catalog import lookup
from pos.inventory.catalog.products import get_product
from pos.inventory.counts import adjustment_lists, adjustments, batch_fix, counting, screens
from pos.inventory.counts.checks import UnlikelyCount
from pos.inventory.counts.models import CountStatus
from pos.web import business_today, date_field, int_field, is_htmx, live_search, render

bp = Blueprint("counts", __name__)


def _back(endpoint: str, message: str, **values):
    flash(message, "ok")
    return redirect(url_for(endpoint, **values), 303)


def _allow_self() -> bool:
    return bool(current_app.config["SELF_APPROVAL"])


# --- Stock counts --------------------------------------------------------------------------

@bp.get("/opname")
@requires("stock")
def index():
    """Counts so far (``?status=open``: only the open ones), and the form to open a new one."""
    session = read_session()
    open_only = request.args.get("status") == "open"
    return render("counts/index.html", counts=screens.list_counts(session, open_only=open_only),
                  choices=screens.scope_choices(session), open_only=open_only)


@bp.post("/opname")
@requires("stock")
def open_count():
    """Open a count over all goods, one category or one shelf."""
    scope = request.form.get("scope", "")
    category_id = int_field("category_id", "Kategori", required=False) if scope == "category" else None
    with transaction() as session:
        count_id = counting.open_count(session, scope, g.staff.id, category_id,
                                     request.form.get("shelf"))
    return _back("counts.show", "Stok opname dibuka. Mulai pindai barang.", count_id=count_id)


@bp.get("/opname/<int:count_id>")
@requires("stock")
def show(count_id: int):
    """The count screen: scan, type the counted quantity, see the variances."""
    session = read_session()
    count = screens.summary(session, count_id)
    now = screens.stock_now(session, count_id) if count["status"] is CountStatus.OPEN else None
    return render("counts/show.html", count=count, report=counting.variances(session, count_id),
                  now=now, allow_self=_allow_self())


@bp.get("/opname/<int:count_id>/pilih")
@requires("stock")
def pick(count_id: int):
    """The quantity form for a scanned code (``code``) or a product picked from the search."""
    session = read_session()
    if request.args.get("product_id"):
        found = screens.entry(session, count_id, int_field("product_id", "Barang"))
    else:
        found = screens.pick(session, count_id, request.args.get("code", ""),
                            current_app.extensions["pos_patterns"])
    return render("counts/_entry.html", entry=found, count_id=count_id, today=business_today())


@bp.get("/opname/<int:count_id>/cari")
@requires("stock")
def count_search(count_id: int):
    """Live name search on the count screen."""
    return live_search(lambda session, text, limit, today: screens.search(session, count_id, text, limit,
                                                                           today=today),
                       "counts/_search.html", dated=True, target="#count-entry",
                       pick_url=lambda product_id: url_for("counts.pick", count_id=count_id,
                                                           product_id=product_id))


@bp.post("/opname/<int:count_id>/hitung")
@requires("stock")
def record(count_id: int):
    """Record a counted quantity; answers with the variance table."""
    product_id = int_field("product_id", "Barang")
    batch_id = int_field("batch_id", "Batch", required=False)
    pack_id = int_field("pack_id", "Kemasan", required=False)
    packs = int_field("packs", "Jumlah kemasan", required=False)
    sure = int_field("yakin", "Konfirmasi", required=False)   # the unlikely count confirmed
    try:
        with transaction() as session:
            unit = get_product(session, product_id).base_unit   # loose goods in kg: "12,5"
            loose = unit.read(request.form.get("counted"), "Jumlah lepasan" if pack_id else "Jumlah dihitung")
            if loose is None and not pack_id:
                raise PosError("Jumlah dihitung wajib diisi.", 422)
            if packs is None and loose is None:  # two empty fields are no count; a typed 0 is one
                raise PosError("Isi jumlah kemasan utuh atau jumlah lepasan (0 bila tidak ada).", 422)
            counted = screens.counted_units(session, product_id, pack_id, packs or 0, loose or 0)
            counting.record(session, count_id, product_id, counted, g.staff.id, batch_id, sure=sure)
            report, now = counting.variances(session, count_id), screens.stock_now(session, count_id)
    except UnlikelyCount as unlikely:
        if not is_htmx():
            raise
        # the question beside Simpan: ticking it confirms this very amount, a changed one is asked again
        return render("counts/_unlikely.html", 422, unlikely=unlikely, messages=[("error", unlikely.message)],
                      headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"})
    if not is_htmx():
        return _back("counts.show", "Hasil hitung tersimpan.", count_id=count_id)
    return render("counts/_recorded.html", report=report, now=now, count={"id": count_id, "status": "open"},
                  messages=[("ok", "Hasil hitung tersimpan.")])


@bp.post("/opname/<int:count_id>/setujui")
@requires("manage")
def approve(count_id: int):
    """Manager: post the variances as COUNT movements and close the count."""
    with transaction() as session:
        posted = counting.approve(session, count_id, g.staff.id, _allow_self(),
                                  day=business_today())
    return _back("counts.show", f"Stok opname disetujui: {posted} perubahan stok dicatat.",
                 count_id=count_id)


@bp.post("/opname/<int:count_id>/batal")
@requires("stock")
def cancel(count_id: int):
    """Close the count without changing any stock."""
    with transaction() as session:
        counting.cancel(session, count_id, g.staff.id)
    return _back("counts.show", "Stok opname dibatalkan; stok tidak diubah.", count_id=count_id)


# --- Adjustments and write-offs ------------------------------------------------------------

def _adjustments_page(session):
    return {"pending": adjustment_lists.requests(session, pending=True),
            "pending_total": adjustment_lists.pending_count(session),
            "history": adjustment_lists.requests(session, pending=False, limit=30),
            "expired": adjustment_lists.expired_batches(session, business_today()),
            "allow_self": _allow_self()}


@bp.get("/penyesuaian", endpoint="adjustments")
@requires("stock")
def adjustments_page():
    """Request an adjustment or write-off; pending requests, history and expired batches."""
    return render("counts/adjustments.html", **_adjustments_page(read_session()))


@bp.get("/penyesuaian/pilih")
@requires("stock")
def adjust_pick():
    """The request form for a scanned code or a product picked from the search."""
    session = read_session()
    if request.args.get("product_id"):
        product_id = int_field("product_id", "Barang")
    else:
        product_id = lookup.lookup_barcode(session, request.args.get("code", ""),
                                           current_app.extensions["pos_patterns"]).product_id
    return render("counts/_adjust_form.html", form=adjustment_lists.request_form(session, product_id),
                  today=business_today(), far_label=batch_fix.FAR_LABEL)


@bp.get("/penyesuaian/cari")
@requires("stock")
def adjust_search():
    """Live name search on the adjustment screen."""
    return live_search(lookup.search, "counts/_search.html", dated=True, target="#adjust-entry",
                       pick_url=lambda product_id: url_for("counts.adjust_pick", product_id=product_id))


@bp.post("/penyesuaian")
@requires("stock")
def request_adjustment():
    """File an adjustment (signed quantity) or a write-off (quantity taken out)."""
    kind = request.form.get("kind", "")
    if kind not in ("adjustment", "writeoff"):
        raise PosError("Pilih jenis: penyesuaian atau pemusnahan.")
    product_id, batch_id = int_field("product_id", "Barang"), int_field("batch_id", "Batch", required=False)
    reason = request.form.get("reason", "")
    with transaction() as session:
        unit = get_product(session, product_id).base_unit   # loose goods in kg: "-2,5"
        qty = unit.read(request.form.get("qty"), "Jumlah yang dimusnahkan" if kind == "writeoff"
                        else "Jumlah", signed=kind == "adjustment", positive=kind == "writeoff")
        if qty is None:
            raise PosError("Jumlah wajib diisi.")
        if kind == "writeoff":
            adjustments.request_writeoff(session, product_id, qty, reason, g.staff.id, batch_id)
        else:
            adjustments.request_adjustment(session, product_id, qty, reason, g.staff.id, batch_id,
                                           today=business_today())
        pending = adjustment_lists.requests(session, pending=True)
        total = adjustment_lists.pending_count(session)
    message = "Pengajuan tersimpan; menunggu persetujuan manajer."
    if not is_htmx():
        return _back("counts.adjustments", message)
    return render("counts/_requested.html", pending=pending, pending_total=total,
                  messages=[("ok", message)], allow_self=_allow_self())


@bp.post("/penyesuaian/batch/kedaluwarsa")
@requires("manage")
def correct_batch_expiry():
    """Manager: a batch's expiry recorded wrong at receiving, corrected (``batch_fix``)."""
    product_id, batch_id = int_field("product_id", "Barang"), int_field("batch_id", "Batch")
    expiry = date_field("expiry", "Kedaluwarsa yang benar", required=True)
    with transaction() as session:
        done = batch_fix.correct_expiry(session, product_id=product_id, batch_id=batch_id, expiry=expiry,
                                        reason=request.form.get("reason", ""), user_id=g.staff.id,
                                        today=business_today(), far_ok=request.form.get("far_ok") == "1")
    return _batch_fixed(done, product_id)


@bp.post("/penyesuaian/batch/nomor")
@requires("manage")
def correct_batch_number():
    """Manager: a batch's number recorded wrong at receiving, corrected (``batch_fix``)."""
    product_id, batch_id = int_field("product_id", "Barang"), int_field("batch_id", "Batch")
    with transaction() as session:
        done = batch_fix.correct_number(session, product_id=product_id, batch_id=batch_id,
                                        batch_no=request.form.get("batch_no", ""),
                                        reason=request.form.get("reason", ""), user_id=g.staff.id)
    return _batch_fixed(done, product_id)


def _batch_fixed(done: str, product_id: int):
    """After a batch's correction: the product's form again, the batches as they are now."""
    if not is_htmx():
        return _back("counts.adjustments", done)
    return render("counts/_adjust_form.html", messages=[("ok", done)], today=business_today(),
                  far_label=batch_fix.FAR_LABEL,
                  form=adjustment_lists.request_form(read_session(), product_id))


@bp.post("/penyesuaian/<int:adjustment_id>/setujui")
@requires("manage")
def approve_adjustment(adjustment_id: int):
    """Manager: post the requested change to stock."""
    with transaction() as session:
        adjustment = adjustments.approve(session, adjustment_id, g.staff.id, _allow_self(),
                                         day=business_today())
        own = " (persetujuan sendiri, dicatat)" if adjustment.self_approved else ""
    return _back("counts.adjustments", f"Pengajuan #{adjustment_id} disetujui{own}; stok diubah.")


@bp.post("/penyesuaian/<int:adjustment_id>/tolak")
@requires("manage")
def reject_adjustment(adjustment_id: int):
    """Manager: close the request without changing stock."""
    with transaction() as session:
        adjustments.reject(session, adjustment_id, g.staff.id, request.form.get("note"))
    return _back("counts.adjustments", f"Pengajuan #{adjustment_id} ditolak; stok tidak diubah.")


@bp.post("/penyesuaian/batch/<int:batch_id>/musnahkan")
@requires("stock")
def writeoff_expired(batch_id: int):
    """Request the write-off of everything left of an expired batch."""
    with transaction() as session:
        adjustments.request_expired_writeoff(session, batch_id, g.staff.id, business_today())
    return _back("counts.adjustments", "Pemusnahan diajukan; menunggu persetujuan manajer.")
