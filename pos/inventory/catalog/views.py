"""Catalog screens for managers (views): products, prices, barcodes, packs, import and export.

Imports run as background jobs (``import_jobs``) whose progress bar the page
polls.  A refused create or edit sends the form back with its errors.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.auth.access import requires
from pos.clock import to_local
from pos.db import read_session, transaction
from pos.inventory import stock
from pos.inventory.catalog import (
    categories,
    codes,
    file_prices,
    history,
    import_jobs,
    lookup,
    maintenance,
    packs,
    page_form,
    products,
    regulated,
    spreadsheets,
    transfer,
)
from pos.inventory.catalog.models import (
    BusinessUnit,
    DrugClass,
    FertilizerType,
    LpgKind,
    StockPolicy,
    TaxClass,
)
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.tax import TaxSettings
from pos.money import format_rupiah
from pos.units import BaseUnit
from pos.web import business_today, download, int_field, is_htmx, render

bp = Blueprint("catalog", __name__, url_prefix="/katalog")
PER_PAGE = 50
FIELDS = page_form.FIELDS
CHOICES = {  # (value, label) of each select on the product forms
    "business_unit": [(u.value, history.UNIT_WORDS[u]) for u in BusinessUnit],
    "base_unit": [(u.value, f"{u.value} (harga per {u.price_label})") for u in BaseUnit],
    "tax_class": [(t.value, t.label) for t in TaxClass],
    "stock_policy": [(p.value, history.POLICY_WORDS[p]) for p in StockPolicy],
    "drug_class": [("", "Bukan obat")] + [(d.value, d.label) for d in DrugClass],
    "lpg": [("", "Bukan LPG 3 kg")] + [(k.value, k.label) for k in LpgKind],
    "subsidy": [("", "Bukan pupuk bersubsidi")] + [(t.value, t.label) for t in FertilizerType],
}


def _posted(prefix: str = "") -> dict[str, str]:
    """The posted editable fields (a ticked checkbox posts a hidden "0" then "1"); with
    ``prefix``, the page's values as loaded (``asal_price``...)."""
    return {f: request.form.getlist(prefix + f)[-1] for f in FIELDS if prefix + f in request.form}


def _submitted(defaults_for_empty: bool = False) -> dict[str, str]:
    """The posted editable fields.  For a new product an empty optional field means its default
    (cost 0, ...)."""
    form = _posted()
    if defaults_for_empty:
        form = {f: v for f, v in form.items() if v.strip() or f in transfer.NULLABLE}
    return form


@bp.get("")
@requires("manage")
def index():
    """Products: a word search, or the whole catalog 50 per page; the new-product form."""
    query = request.args.get("q", "").strip()[:60]
    page = int_field("hal", "Nomor halaman", required=False, blank=1, low=1, high=99_999,
                     status=400)
    session = read_session()
    if query:
        rows, total = lookup.search(session, query, PER_PAGE), None
    else:
        rows, total = products.catalog_page(session, page, PER_PAGE)
    return render("catalog/index.html", partial="catalog/_products.html", products=rows,
                  query=query, page=page, total=total, per_page=PER_PAGE, form={}, errors=[],
                  choices=CHOICES, category_names=_category_names(session))


@bp.post("")
@requires("manage")
def create():
    """Add a product, then continue on its edit page."""
    form = _submitted(defaults_for_empty=True)
    try:
        with transaction() as session:
            typed_codes = transfer.parse_codes(request.form.get("barcodes", ""))
            product = maintenance.new_product(session, request.form.get("sku", ""), form,
                                              g.staff.id, typed_codes, _below_cost_ok(),
                                              tax=TaxSettings.of_outlet(current_app.config, session))
    except CatalogError as error:  # the form comes back with what was typed and why
        form.update(sku=request.form.get("sku", ""), barcodes=request.form.get("barcodes", ""))
        rows, total = products.catalog_page(read_session(), 1, PER_PAGE)   # the list stays beside it
        return render("catalog/index.html", 422, form=form, errors=[error.message], choices=CHOICES,
                      category_names=_category_names(read_session()),
                      products=rows, query="", page=1, total=total, per_page=PER_PAGE,
                      ask_below_cost=isinstance(error, maintenance.BelowCost))
    flash(f"{product.name} ditambahkan. Lengkapi datanya di bawah.", "ok")
    return redirect(url_for("catalog.edit", product_id=product.id), 303)


@bp.route("/<int:product_id>", methods=["GET", "POST"])
@requires("manage")
def edit(product_id: int):
    """Edit one product's prices, HET, tax class, flags, reorder point, shelf and PLU."""
    if request.method == "GET":
        return _edit_page(product_id, None, [])
    form, loaded, reason = _submitted(), _posted(page_form.LOADED), request.form.get("reason", "")
    try:
        with transaction() as session:
            product = products.get_product(session, product_id)
            mine = page_form.users_changes(product, form, loaded)
            changed = maintenance.update_product(session, product_id, mine, g.staff.id, reason,
                                                 _below_cost_ok(),
                                                 tax=TaxSettings.of_outlet(current_app.config, session))
    except page_form.EditedMeanwhile as error:  # the values as they are now, under what was typed
        return _edit_page(product_id, {**{f: form[f] for f in error.changed}, "reason": reason},
                          [error.message], 409)
    except CatalogError as error:  # the form comes back with what was typed and why
        return _edit_page(product_id, {**form, "reason": reason}, [error.message], 422,
                          isinstance(error, maintenance.BelowCost), loaded)
    names = ", ".join(maintenance.LABELS[f].lower() for f in changed)
    flash(f"Tersimpan: {names}." if changed else "Tidak ada perubahan.", "ok")
    if "price" in changed:   # allowed (the HET may change first), but never unsaid
        session = read_session()
        het = current_app.extensions["pos_het_ceiling"](session, product_id, business_today())
        price = products.get_product(session, product_id).price
        if het is not None and price > het:
            flash(f"Harga jual {format_rupiah(price)} di atas HET {format_rupiah(het)}: kasir menjual "
                  f"dengan HET {format_rupiah(het)}; harga jual ini tidak pernah dipakai selama HET berlaku.",
                  "warn")
    return redirect(url_for("catalog.edit", product_id=product_id), 303)


def _below_cost_ok() -> bool:
    """The manager ticked "sell below cost" after being asked."""
    return request.form.get("below_cost_ok") == "1"


def _edit_page(product_id: int, form: dict | None, errors: list[str], status: int = 200,
               ask_below_cost: bool = False, loaded: dict | None = None):
    """The product page: its values as stored under ``form`` (what was typed), with the values
    the page was first loaded with (``loaded``, a refused save's) or as stored (``asal_``)."""
    session = read_session()
    product = products.get_product(session, product_id)
    stored = page_form.form_of(product)
    shown = {**stored, **(form or {})}
    return render("catalog/edit.html", status, product=product, form=shown, errors=errors,
                  loaded={**page_form.as_posted(stored), **(loaded or {})},
                  choices=CHOICES, category_names=_category_names(session),
                  history=_changes(session, product_id), ask_below_cost=ask_below_cost,
                  on_hand=stock.on_hand(session, product_id),
                  collisions=codes.collisions(session, product_id),
                  het=current_app.extensions["pos_het_ceiling"](session, product_id, business_today()))


def _category_names(session) -> Callable[[], list[str]]:
    """The categories in use, suggested under Kategori (one typed the same way is reused), read
    when the form is drawn: the catalog's live search answers with the list alone, and each
    keystroke would have read them for nothing."""
    return lambda: [row.name for row in categories.in_use(session)]


def _changes(session, product_id: int) -> list[dict]:
    """Riwayat perubahan's lines, newest first, in the gerai's time."""
    zone = current_app.config["TIMEZONE"]
    return [{**row, "changed_at": to_local(row["changed_at"], zone)}
            for row in history.changes(session, product_id)]


def _section(product_id: int, template: str, with_collisions: bool = False):
    """The barcodes or packs section after a change (htmx), with Riwayat perubahan out of band
    (the change is logged) and, ``with_collisions``, the codes held twice; or back to the page."""
    if is_htmx():
        session = read_session()
        extra = {"collisions": codes.collisions(session, product_id)} if with_collisions else {}
        return render(template, product=products.get_product(session, product_id), oob=True,
                      history=_changes(session, product_id), **extra)
    return redirect(url_for("catalog.edit", product_id=product_id), 303)


@bp.post("/<int:product_id>/barcode")
@requires("manage")
def add_barcode(product_id: int):
    with transaction() as session:
        products.add_barcode(session, product_id, request.form.get("code", ""),
                             _scan_qty(products.get_product(session, product_id)), user_id=g.staff.id)
    return _section(product_id, "catalog/_barcodes.html", with_collisions=True)


def _scan_qty(product) -> int | str:
    """The form's Isi per pindaian: pieces as typed, or kg / litres (``0,5``) for goods kept in
    grams or ml, as the pack sizes beside it are (a ``50`` was 50 grams of rice)."""
    raw = request.form.get("qty", "").strip() or "1"
    unit = BaseUnit(product.base_unit)
    return raw if unit is BaseUnit.PCS else unit.read(raw, "Isi per pindaian")


@bp.post("/<int:product_id>/barcode/hapus")
@requires("manage")
def remove_barcode(product_id: int):
    with transaction() as session:
        products.remove_barcode(session, product_id, request.form.get("code", ""), user_id=g.staff.id)
    return _section(product_id, "catalog/_barcodes.html", with_collisions=True)


@bp.post("/<int:product_id>/kemasan")
@requires("manage")
def add_pack(product_id: int):
    """A pack whose size is typed as the product is counted: kg or litres with a decimal comma
    for loose goods (karung 50 kg is 50), pieces otherwise."""
    with transaction() as session:
        qty = packs.typed_size(products.get_product(session, product_id), request.form.get("qty"))
        packs.add_pack(session, product_id, request.form.get("name", ""), qty, user_id=g.staff.id)
    return _section(product_id, "catalog/_packs.html")


@bp.post("/<int:product_id>/kemasan/<int:pack_id>/hapus")
@requires("manage")
def remove_pack(product_id: int, pack_id: int):
    with transaction() as session:
        packs.remove_pack(session, product_id, pack_id, user_id=g.staff.id)
    return _section(product_id, "catalog/_packs.html")


@bp.get("/impor")
@requires("manage")
def import_page():
    """Upload a CSV or XLSX catalog; download the present one."""
    return _import_page(job=None)


def _import_page(**job):
    """The import page; its help lists the columns from the importer's own lists."""
    return render("catalog/import.html", limits=import_jobs.limits(), columns=transfer.IMPORT_COLUMNS,
                  blank_is_none=transfer.BLANK_IS_NONE, lpg_words=list(regulated.LPG_WORDS.values()),
                  subsidy_words=[t.value for t in FertilizerType],
                  below_cost_flag=(file_prices.CONFIRM, file_prices.LABEL), **job)


@bp.post("/impor")
@requires("manage")
def upload():
    """Read the file here (an unreadable one is refused at once), then check and save it in a
    background job whose progress the page polls."""
    request.max_content_length = import_jobs.upload_limit()
    rules = transfer.CatalogFile(request.form.get(file_prices.CONFIRM) == "1",
                                 TaxSettings.of_outlet(current_app.config, read_session()))
    job_id = import_jobs.start_upload(current_app._get_current_object(), request.files.get("file"),
                                      g.staff.id, request.form.get("check_only") == "1", rules=rules)
    return _import_page(partial="catalog/_import_job.html", job=import_jobs.job(job_id), job_id=job_id)


@bp.get("/impor/<job_id>")
@requires("manage")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome."""
    return render("catalog/_import_job.html", job=import_jobs.job(job_id), job_id=job_id)


@bp.get("/ekspor.csv")
@requires("manage")
def export_csv():
    """The whole catalog as CSV (UTF-8 with BOM, so spreadsheets read the accents)."""
    return download(spreadsheets.to_csv(transfer.export_rows(read_session())),
                    f"katalog-{business_today().isoformat()}.csv")


@bp.get("/ekspor.xlsx")
@requires("manage")
def export_xlsx():
    """The whole catalog as an XLSX workbook."""
    return download(spreadsheets.to_xlsx(transfer.export_rows(read_session())),
                    f"katalog-{business_today().isoformat()}.xlsx")
