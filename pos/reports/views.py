"""The manager's reports (views): the Laporan menu, every report of ``registry`` on one page
shape with its CSV and XLSX downloads, the Dasbor of charts, and the day report."""
import re
from dataclasses import replace

from flask import Blueprint, abort, current_app, g, redirect, request, url_for

from pos import dates
from pos.auth.access import requires
from pos.db import read_session
from pos.errors import PosError
from pos.inventory.opening.service import day_value as opening_stock
from pos.ledger.stock_changes import of_day as stock_changes
from pos.members.accounts import corrections
from pos.reports import charts, day_fertilizer, day_money, day_parts, registry, shape, tax_labels
from pos.reports import stock_card as stock_card_report
from pos.reports.audit import KINDS, staff_choices
from pos.reports.dashboard import dashboard
from pos.reports.day import day_summary
from pos.reports.first_day import summary_refused
from pos.settings.service import pkp
from pos.web import (
    business_today,
    date_field,
    date_range,
    download,
    int_field,
    range_refused,
    render,
    typed_field,
)

bp = Blueprint("reports", __name__, url_prefix="/laporan")
MONTH_DEFAULT = {"penjualan-hari", "penjualan-bulan", "penjualan-barang", "penjualan-kategori",
                 "penjualan-unit", "diskon", "kartu-stok"}
LINKS = [("Penebusan pupuk bersubsidi", "fertilizer.redemptions"), ("Umur kasbon", "accounts.ageing"),
         ("Loket simpanan (kartu per anggota)", "accounts.counter"),
         ("Saldo simpanan anggota", "balances.index"),
         ("Laporan harian", "reports.day"),
         ("Tutup hari", "closing.index")]


@bp.get("")
@requires("reports")
def index():
    """The list of reports, by group, and the pages kept elsewhere."""
    groups: dict[str, list] = {}
    for entry in registry.ENTRIES:
        groups.setdefault(entry.group, []).append(entry)
    return render("reports/index.html", groups=groups, links=LINKS)


@bp.get("/dasbor")
@requires("reports")
def dasbor():
    """Charts drawn on the server (SVG) with their numbers as tables."""
    data = dashboard(read_session(), business_today(), current_app.config["TIMEZONE"])
    return render("reports/dashboard.html", data=data, charts=charts)


@bp.get("/kartu-stok")
@requires("stock_lists")
def stock_card():
    """Kartu stok of the product ``?barang=`` (SKU or barcode): open to whoever keeps the stock
    lists (clerks, the apoteker), not only to those who read the Laporan menu."""
    return _report("kartu-stok")


@bp.get("/stok-per-batch")
@requires("stock_lists")
def batches():
    """Stok per batch (Daftar stok's *Semua batch*): open to the stock lists' readers (the
    apoteker too); its value at cost only to those who may see the stock's value."""
    return _report("stok-per-batch")


@bp.get("/<slug>")
@requires("reports")
def show(slug: str):
    """One report for a date range, a page of it, or all of it as ``?unduh=csv`` / ``xlsx``."""
    return _report(slug)


def _product(session) -> tuple[str, object, str | None]:
    """The stock card's ``barang`` as typed, its product (None: not asked or not found) and the
    problem to show by the field."""
    typed = request.args.get("barang", "").strip()
    if not typed:
        return "", None, None
    try:
        return typed, stock_card_report.find_product(session, typed), None
    except stock_card_report.UnknownProduct as problem:
        return typed, None, str(problem)


def _report(slug: str):
    entry = registry.BY_SLUG.get(slug) or abort(404)
    today = business_today()
    start_default = today.replace(day=1) if slug in MONTH_DEFAULT else today
    # A report of stock now takes no range: a date in its address changes nothing.
    period = date_range(start_default, today) if entry.ranged else dates.TypedRange(start_default, today)
    as_file = request.args.get("unduh")
    if as_file not in (None, "", "csv", "xlsx"):
        raise PosError("Format unduhan tidak dikenal: pilih CSV atau XLSX.", 400)
    cfg = current_app.config
    # Near-expiry's Hari typed wrong: the page again, as a range typed wrong (below)
    days, days_typed, days_problem = typed_field(int_field, "hari", "Jumlah hari",
                                                 cfg["EXPIRY_WARNING_DAYS"], low=1, high=365)
    session = read_session()
    typed, product, product_problem = _product(session) if slug == "kartu-stok" else ("", None, None)
    if slug == "kartu-stok" and product is None and as_file:  # a link only drawn with a product
        product_problem = product_problem or "Pilih barangnya dulu: SKU atau barcode."
    problem = period.problem or days_problem or product_problem
    refused = range_refused(replace(period, problem=problem), as_file=bool(as_file))
    if refused is not None:
        return refused
    kind = request.args.get("jenis") or None
    if kind is not None and kind not in KINDS:
        raise PosError("Jenis log tidak dikenal.", 400)
    query = registry.Query(
        period.start, period.end, cfg["TIMEZONE"], today,
        page=None if as_file else int_field("hal", "Halaman", required=False, low=1, high=100_000,
                                             blank=1, status=400),
        expiry_days=days,
        kind=kind, user_id=int_field("pengguna", "Pengguna", required=False, status=400),
        product=product, costs=g.staff.may("stock"))
    # A range typed wrong: the page again, its fields as typed and the message by them, no table.
    asked = product is not None or slug != "kartu-stok"
    report = None if problem or not asked else registry.build(session, slug, query)
    if as_file:
        what = f"{slug}-{re.sub(r'[^A-Za-z0-9_-]', '-', product.sku)}" if product is not None else slug
        name = f"{what}-{query.start.isoformat()}-{query.end.isoformat()}.{as_file}"
        return download(shape.to_csv(report) if as_file == "csv" else shape.to_xlsx(report), name)
    args = {k: v for k, v in request.args.items() if k not in ("hal", "unduh") and v}
    if report is not None and report.row_count and report.page > report.pages:   # hal=4 of 3
        return redirect(url_for(request.endpoint, **request.view_args, **args, hal=report.pages), 303)
    return render("reports/table.html", 422 if problem else 200, entry=entry,
                  report=report, query=query, period=period, args=args, kinds=KINDS, cell=shape.cell_text,
                  days=(days_typed, days_problem) if days_problem else (days, None),
                  users=staff_choices(session) if slug == "log-audit" else [],
                  product=(typed, product_problem))


@bp.get("/harian")
@requires("reports")
def day():
    """Totals of one business date (today by default); a date typed wrong draws the form again,
    as typed, with the message and no figures."""
    today, session, cfg = business_today(), read_session(), current_app.config
    chosen, typed, problem = typed_field(date_field, "tanggal", "Tanggal", today)
    if not problem:   # zeros for a day not yet come (or before the first) read as a day with nothing sold
        problem = summary_refused(session, chosen, today, cfg["TIMEZONE"])
    if problem:
        return render("reports/day.html", 422, report=None, day=typed, problem=problem)
    report = day_summary(session, chosen, outlet_pkp=pkp(session, cfg),
                         dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]))
    regulated = day_money.regulated(session, chosen)   # what the closed day keeps
    return render("reports/day.html", report=report, day=chosen,
                  tax_rows=tax_labels.rows(report["tax_classes"], tax_labels.names_of(cfg)),
                  member_payments=day_money.member_payments(session, chosen),
                  opened=day_parts.opening_savings(session, chosen),
                  owed=day_parts.opening_kasbon(session, chosen, cfg["LEDGER_ACCOUNTS"]),
                  corrected=corrections.of_day(session, chosen, cfg["LEDGER_ACCOUNTS"]),
                  opening_stock_value=opening_stock(session, chosen, cfg["LEDGER_ACCOUNTS"]),
                  stock_moved=stock_changes(session, chosen, cfg["TIMEZONE"]),
                  fertilizer=regulated["fertilizer"], lpg=regulated["lpg"],
                  fertilizer_types=day_fertilizer.in_order(day_fertilizer.per_type(session, chosen)))
