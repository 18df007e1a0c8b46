"""Goods receiving screens for stock clerks (drafts, posting, corrections).

Each POST parses the form, runs one receiving service inside one
``transaction()`` and answers with the partial it changed (the lines, a line's
totals, the supplier list) or, for page changes, a redirect that htmx follows.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, request, url_for

from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.inventory.catalog import lookup
from pos.inventory.catalog.packs import typed_size
from pos.inventory.catalog.products import get_product
from pos.inventory.receiving import cancel, posting, queries, receipts, reversal, scanning, versions
from pos.inventory.receiving.models import ReceiptStatus
from pos.web import business_today, date_field, go, int_field, live_search, render, rupiah_field

bp = Blueprint("receiving", __name__, url_prefix="/penerimaan")


def _line_values() -> receipts.LineValues:
    """The line's form; its counts as typed (packs, or kg / litres for loose goods: ``12,5``,
    ``12500 g``), read against the line and its pack by ``receipts.edit_line``."""
    form = request.form
    return receipts.LineValues(
        pack_name=form.get("pack_name", ""), qty_packs=0,
        cost_per_pack=rupiah_field("cost_per_pack", "Harga beli per kemasan",
                                   maximum=receipts.MAX_COST),
        reason=form.get("reason"), batch_no=form.get("batch_no"),
        expiry=date_field("expiry", "Tanggal kedaluwarsa"),
        typed=(form.get("qty_packs"), form.get("ordered_packs"), form.get("damaged_packs")))


def _confirmed(name: str = "confirm_cost") -> frozenset[str]:
    """The boxes the clerk ticked: unlikely costs (``posting.post``'s ``confirmed_costs``), or
    with ``confirm_expiry`` batches expiring soon (``confirmed_expiries``)."""
    return frozenset(request.form.getlist(name))


def _detail(db_session, receipt_id: int) -> queries.ReceiptDetail:
    """The receipt as its screens show it, with the batches expiring within the warning days."""
    return queries.receipt_detail(db_session, receipt_id, today=business_today(),
                                  warn_days=current_app.config["EXPIRY_WARNING_DAYS"])


def _lines(db_session, receipt_id: int, **extra):
    return render("receiving/_lines.html", d=_detail(db_session, receipt_id), **extra)


_COUNTS = ("qty_packs", "ordered_packs", "damaged_packs")
_LINE_FIELDS = ("pack_name", "qty_packs", "ordered_packs", "damaged_packs", "cost_per_pack",
                "batch_no", "expiry", "reason")


@bp.get("")
@requires("stock")
def index():
    """Recent receipts (``?status=koreksi``: corrections waiting for approval) and the form
    to start one."""
    session = read_session()
    waiting = request.args.get("status") == "koreksi"
    return render("receiving/index.html", receipts=queries.recent_receipts(session, waiting_only=waiting),
                  suppliers=queries.suppliers(session), kinds=queries.supplier_kinds(),
                  labels=queries.STATUS_LABELS, waiting_only=waiting)


@bp.post("/pemasok")
@requires("stock")
def add_supplier():
    """Add a supplier and answer with the supplier list, the new one chosen."""
    form = request.form
    with transaction() as db_session:
        supplier_id = receipts.create_supplier(db_session, form.get("name", ""),
                                                form.get("kind", ""), form.get("phone"))
        return render("receiving/_supplier_select.html", suppliers=queries.suppliers(db_session),
                      selected=supplier_id, added=True)


@bp.post("")
@requires("stock")
def create():
    """Start a draft for a delivery and open it."""
    supplier_id = int_field("supplier_id", "Pemasok")
    with transaction() as db_session:
        receipt_id = receipts.create_draft(db_session, supplier_id,
                                            request.form.get("delivery_note", ""), g.staff.id)
    return go(url_for(".edit", receipt_id=receipt_id))


@bp.get("/<int:receipt_id>")
@requires("stock")
def edit(receipt_id: int):
    """A draft to fill in, or a posted receipt to read (and correct)."""
    detail = _detail(read_session(), receipt_id)
    receipt = detail.receipt
    if receipt.status is ReceiptStatus.DRAFT and receipt.reverses_id is None:
        return render("receiving/draft.html", d=detail, suppliers=queries.suppliers(read_session()))
    return render("receiving/receipt.html", d=detail, labels=queries.STATUS_LABELS,
                  allow_self=bool(current_app.config["SELF_APPROVAL"]),
                  left=reversal.remaining(read_session(), receipt))


@bp.get("/<int:receipt_id>/baris")
@requires("stock")
def lines(receipt_id: int):
    """The lines as stored (the screen reloads them after a refused change), the refused
    line (``?baris=``) and field (``?isian=``) marked."""
    field = request.args.get("isian", "")
    return _lines(read_session(), receipt_id,
                  bad=int_field("baris", "Baris", required=False, status=400),
                  bad_field=field if field in _LINE_FIELDS else "")


@bp.post("/<int:receipt_id>/pindai")
@requires("stock")
def scan(receipt_id: int):
    """A scanned or typed code: add its pack, or one more of it."""
    with transaction() as db_session:
        line_id = scanning.scan(db_session, receipt_id, request.form.get("code", ""))
        return _lines(db_session, receipt_id, highlight=line_id)


@bp.get("/<int:receipt_id>/cari")
@requires("stock")
def search(receipt_id: int):
    """Live name search for goods to add."""
    return live_search(lookup.search, "receiving/_search.html", dated=True, receipt_id=receipt_id)


@bp.post("/<int:receipt_id>/tambah/<int:product_id>")
@requires("stock")
def add(receipt_id: int, product_id: int):
    """Add a product picked from the search list."""
    with transaction() as db_session:
        line_id = scanning.add_product(db_session, receipt_id, product_id)
        return _lines(db_session, receipt_id, highlight=line_id)


@bp.post("/<int:receipt_id>/baris/<int:line_id>")
@requires("stock")
def update_line(receipt_id: int, line_id: int):
    """Save one line; the answer updates only its totals, so typing elsewhere is kept, and
    the cost and count fields when a new pack converted them (and says what it did)."""
    values = _line_values()
    shown = request.form.get("receipt_version")
    with transaction() as db_session:
        # the screen showed the receipt as it was: its posting may carry the receipt as it is now
        drawn = shown == versions.receipt_version(receipts.locked_receipt(db_session, receipt_id))
        line, repacked = receipts.edit_line(db_session, receipt_id, line_id, values,
                                            today=business_today(),
                                            version=request.form.get("version") or None)
        converted = line.cost_per_pack != values.cost_per_pack
        detail = _detail(db_session, receipt_id)
        row = detail.row(line_id)
        retyped = [key for key, name, text in zip(("qty", "ordered", "damaged"), _COUNTS, values.typed,
                                                  strict=True)   # 12500 g typed reads 12,5
                   if " ".join((text or "").split()) not in (row.text(getattr(line, name)), "")]
        return render("receiving/_line_saved.html", d=detail, row=row, retyped=retyped,
                      cost_converted=converted, repacked=repacked, drawn=drawn,
                      confirmed=_confirmed(), confirmed_expiry=_confirmed("confirm_expiry"))


@bp.post("/<int:receipt_id>/baris/<int:line_id>/hapus")
@requires("stock")
def remove_line(receipt_id: int, line_id: int):
    """Take a line off the draft."""
    with transaction() as db_session:
        receipts.remove_line(db_session, receipt_id, line_id)
        return _lines(db_session, receipt_id)


@bp.post("/<int:receipt_id>/kemasan")
@requires("stock")
def add_pack(receipt_id: int):
    """A new pack unit (karung 50 kg, dus) for a product on this draft, its size typed in kg or
    litres for loose goods, in pieces otherwise."""
    product_id = int_field("product_id", "Barang")
    with transaction() as db_session:
        qty = typed_size(get_product(db_session, product_id), request.form.get("qty"))  # 50: 50 kg
        pack = receipts.add_draft_pack(db_session, receipt_id, product_id,
                                        request.form.get("name", ""), qty, g.staff.id)
        return _lines(db_session, receipt_id, pack_added=pack.name)


@bp.post("/<int:receipt_id>/posting")
@requires("stock")
def post(receipt_id: int):
    """Post the draft: stock and costs change in one transaction, then it is read-only.

    A refusal comes back as the lines with the wrong one marked (and its field focused),
    and the delivery-note warning with its confirmation box; a receipt changed from another
    screen since this one was drawn (``receipt_version``) as the lines stored now (409).
    """
    confirm_reuse = request.form.get("confirm_reuse") == "1"
    confirmed, confirmed_expiry = _confirmed(), _confirmed("confirm_expiry")
    try:
        with transaction() as db_session:
            posting.post(db_session, receipt_id, g.staff.id, business_today(), confirm_reuse,
                         confirmed, warn_days=current_app.config["EXPIRY_WARNING_DAYS"],
                         confirmed_expiries=confirmed_expiry,
                         shown=request.form.get("receipt_version") or None)
    except (posting.LineProblem, posting.ReusedDeliveryNote,
            versions.ReceiptChanged) as problem:  # the wrong line marked; changed: the lines now
        detail = _detail(read_session(), receipt_id)
        return render("receiving/_post_refused.html", problem.status, d=detail, message=problem.message,
                      bad=getattr(problem, "line_id", None), bad_field=getattr(problem, "field", ""),
                      confirmed=confirmed, confirmed_expiry=confirmed_expiry,
                      headers={"HX-Retarget": "#gr-lines", "HX-Reswap": "outerHTML"})
    return go(url_for(".edit", receipt_id=receipt_id))


@bp.post("/<int:receipt_id>/hapus")
@requires("stock")
def discard(receipt_id: int):
    """Throw away a draft that was never posted."""
    with transaction() as db_session:
        receipts.discard_draft(db_session, receipt_id)
    return go(url_for(".index"))


@bp.post("/<int:receipt_id>/kepala")
@requires("stock")
def set_head(receipt_id: int):
    """A draft's supplier and delivery note corrected; its lines stay."""
    supplier_id = int_field("supplier_id", "Pemasok")
    with transaction() as db_session:
        receipts.set_head(db_session, receipt_id, supplier_id, request.form.get("delivery_note", ""))
    flash("Pemasok dan surat jalan tersimpan.", "ok")
    return go(url_for(".edit", receipt_id=receipt_id))


@bp.post("/<int:receipt_id>/koreksi")
@requires("stock")
def reverse(receipt_id: int):
    """Start a correcting receipt that a manager has to approve: of the lines ticked
    (``line``) and their quantities (``qty_<line id>``) when the screen sent its choice
    (``pilih``), else of everything the receipt took in."""
    take = _taken() if request.form.get("pilih") == "1" else None
    with transaction() as db_session:
        reversal_id = reversal.create_reversal(
            db_session, receipt_id, g.staff.id, request.form.get("reason", ""), take=take)
    return go(url_for(".edit", receipt_id=reversal_id))


def _taken() -> dict[int, int]:
    """The lines ticked for a correction with the packs typed for each (checked against the
    receipt by ``reversal.create_reversal``)."""
    take = {}
    for raw in request.form.getlist("line"):
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise receipts.ReceivingError("Baris yang dipilih tidak dikenal; muat ulang halaman "
                                          "lalu pilih lagi. Tidak ada yang berubah.")
        take[int(raw)] = int_field(f"qty_{int(raw)}", "Jumlah yang dikoreksi")
    return take


@bp.post("/<int:receipt_id>/setujui")
@requires("manage")
def approve(receipt_id: int):
    """A manager approves a correction and posts it."""
    with transaction() as db_session:
        reversal.post_reversal(db_session, receipt_id, g.staff.id,
                               bool(current_app.config["SELF_APPROVAL"]), day=business_today())
    return go(url_for(".edit", receipt_id=receipt_id))


@bp.post("/<int:receipt_id>/batalkan")
@requires("manage")
def cancel_rejected(receipt_id: int):
    """A manager cancels a delivery rejected whole that was posted by mistake, with a reason;
    no stock or cost changes (it never moved any)."""
    with transaction() as db_session:
        cancel.cancel_rejected(db_session, receipt_id, g.staff.id, request.form.get("reason", ""))
    flash("Penerimaan dibatalkan. Stok dan harga pokok tidak berubah.", "ok")
    return go(url_for(".edit", receipt_id=receipt_id))
