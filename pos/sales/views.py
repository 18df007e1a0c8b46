"""The cashier's screen (views): scan, search, weigh, change lines, pay.  Each POST runs one service in one
``transaction()`` and answers with the cart (its lines, or only the row a scan or removal changed, and the
total beside Bayar out of band); hardware after the commit, except the scale (its reading is the cashier's
input). Cart edits commit ``durable=False`` (a power cut may lose the last scans). Receipts: history_views."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, g, redirect, request, url_for

from pos import money
from pos.approvals.dialog import acting
from pos.auth.access import current_till_id, requires
from pos.auth.service import staff_name
from pos.db import get_db, read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, Misconfigured, display
from pos.inventory.catalog import lookup
from pos.inventory.catalog.products import get_product
from pos.members.accounts.credit import CreditError
from pos.sales import cart, cart_members, checkout, dropped, pricing, print_worker, scanning, tenders, voids
from pos.sales.buyers import before_weighing, carried, may_ask
from pos.sales.cart_delta import delta as scan_delta
from pos.sales.cart_delta import removed_only
from pos.sales.cart_handover import left_by, needs_approval_to_empty, take_over
from pos.sales.models import PaymentMethod
from pos.sales.once import KeyReused, shown_at
from pos.sales.pack_qty import says_unit
from pos.sales.pack_qty import typed as typed_qty
from pos.sales.pay_options import options as pay_offer
from pos.sales.printing import left_unprinted, problem
from pos.sales.regulation import REFUSED
from pos.settings.service import pkp as outlet_pkp
from pos.settings.service import qris_static
from pos.shifts import gate as shift_gate
from pos.shifts.screens import open_screen
from pos.tills import service as tills
from pos.units import BaseUnit
from pos.web import business_today, devices, hardware, int_field, is_htmx, live_search, render

bp = Blueprint("sales", __name__, url_prefix="/kasir")


def tax_settings(db_session=None) -> pricing.TaxSettings:
    """PKP read once per request (Pengaturan, else POS_PKP); in a write transaction from it (the scan)."""
    if "pos_tax" not in g:
        cfg = current_app.config
        g.pos_tax = pricing.TaxSettings.from_config(cfg, pkp=outlet_pkp(db_session or read_session(), cfg))
    return g.pos_tax


def _view(db_session) -> cart.CartView:
    """The cart priced and checked in its change's transaction, with a buyer the dialog carried."""
    if raw := request.form.get("pembeli"):
        carried(db_session, current_till_id(), raw, day=business_today(), cashier_id=g.staff.id,
                limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"])
    return cart.view(db_session, current_till_id(), tax_settings(db_session), today=business_today())


def _shown(view: cart.CartView, done: scanning.Scanned, notice: str = "", **extra):
    """The cart after a line changed (all of it with a ``notice``); then the pole display."""
    row = next((r for r in view.rows if r.line_id == done.line_id), None)
    if row is not None:
        _display(display.two_sides(row.name, money.format_rupiah(row.amount)),
                 display.two_sides("TOTAL", money.format_rupiah(view.totals.total)))
    if done.ask_member:  # a second member card: the cart asks before replacing the member
        view = replace(view, ask_member=done.ask_member)
    change = None if extra or notice else scan_delta(view, done.line_id, request.form.get("shown"))
    if change is not None:  # only this row changed: it, the total and the buyer panel
        return render("sales/_scan_row.html", cart=view, delta=change, highlight_line=done.line_id,
                      headers={"HX-Reswap": "none"})
    return render("sales/_cart.html", cart=view, highlight_line=done.line_id, notice=notice, **extra)


def _display(top: str, bottom: str) -> None:
    """The pole display is a courtesy: a failure is logged (a warning per streak), never shown."""
    display.show_or_log(devices().till_display(g.staff.till_id), top, bottom)


def _cart_response(db_session, removed: int | None = None, notice: str = ""):
    """The cart; only the row ``removed`` from the cart the till showed (the whole with a ``notice``)."""
    view = _view(db_session)
    if removed is not None and not notice and removed_only(view, removed, request.form.get("shown")):
        return render("sales/_line_removed.html", cart=view, line_id=removed, headers={"HX-Reswap": "none"})
    return render("sales/_cart.html", cart=view, notice=notice)


@bp.get("")
@requires("sell")
def till():
    """The till page; the cart is read from the server, so a reload loses nothing."""
    till_id, session, zone = current_till_id(), read_session(), current_app.config["TIMEZONE"]
    shift, today = shift_gate.open_shift(session, till_id), business_today()
    if shift is None or shift.cashier_id != g.staff.id or shift.business_date != today:  # (later: clock back)
        return render("shifts/open.html", **open_screen(session, till_id, g.staff.id, zone))
    left = left_by(session, till_id, g.staff.id)
    view, void_above = cart.view(session, till_id, tax_settings(), today=today, strict=False), \
        current_app.config["VOID_APPROVAL_ABOVE"]
    return render("sales/till.html", cart=view, till=tills.get_till(session, till_id),
                  left=(staff_name(session, left[0]), left[1]) if left else None,
                  left_kept=bool(left) and needs_approval_to_empty(view.totals.total, void_above),
                  unprinted=left_unprinted(session, shift.id),
                  no_printer=print_worker.no_printer(current_app, till_id))


@bp.post("/keranjang/ambil")
@requires("sell")
def take_over_cart():
    """Go on with the cart another cashier left at this till, or empty it first (logged)."""
    empty = request.form.get("pilihan") == "kosongkan"
    with transaction(durable=False) as db_session:  # emptied: its lines logged as voided
        take_over(db_session, current_till_id(), g.staff.id, empty=empty, tax=tax_settings(db_session),
                  approval_above=current_app.config["VOID_APPROVAL_ABOVE"])
    return redirect(url_for("sales.till"), 303)


@bp.post("/pindai")
@requires("sell")
def scan():
    """A scanned or typed code (``3*code`` adds three): add it, weigh it, or say why not."""
    with transaction(durable=False) as db_session:
        done = scanning.scan(db_session, current_till_id(), request.form.get("code", ""),
                             patterns=current_app.extensions["pos_patterns"], today=business_today(),
                             limits=(cfg := current_app.config)["MAX_QTY"], cashier_id=g.staff.id,
                             card_prefix=cfg["MEMBER_CARD_PREFIX"], limit_bp=cfg["CASHIER_MAX_DISCOUNT_BP"])
        view = None if done.weigh else _view(db_session)
    return weigh(done.weigh) if done.weigh else _shown(view, done)


@bp.post("/anggota")
@requires("sell")
def attach_member():
    """Attach a member (``cart_members.offer``: card, number or phone, ``by=nomor`` from F7)."""
    with transaction(durable=False) as db_session:
        ask = cart_members.offer(db_session, current_till_id(), (form := request.form).get("member", ""),
                                 replace=form.get("replace") == "1", by_number=form.get("by") == "nomor",
                                 limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"])
        view = _view(db_session)
    return render("sales/_cart.html", cart=replace(view, ask_member=ask))


@bp.post("/anggota/lepas")
@requires("sell")
def detach_member():
    """Take the member off the current sale."""
    with transaction(durable=False) as db_session:
        cart.detach_member(db_session, current_till_id())
        return _cart_response(db_session)


@bp.get("/cari")
@requires("sell")
def search():
    """Live search by name, or by a typed barcode or SKU."""
    return live_search(lookup.search, "sales/_search.html", dated=True)


@bp.post("/tambah/<int:product_id>")
@requires("sell")
def add(product_id: int):
    """Add one unit of a product chosen from the search list (a weighed one is weighed)."""
    with transaction(durable=False) as db_session:
        done = scanning.add_product(db_session, current_till_id(), product_id, current_app.config["MAX_QTY"],
                                    today=business_today(), cashier_id=g.staff.id)
        view = None if done.weigh else _view(db_session)
    return weigh(done.weigh) if done.weigh else _shown(view, done)


@bp.post("/timbang/<int:product_id>")
@requires("sell")
def weigh(product_id: int):
    """Weigh a good: the scale less the tare, else ask; who buys is asked first (buyers.before_weighing)."""
    if may_ask(read_session(), product_id):
        with get_db().rehearsal() as db_session:
            before_weighing(db_session, current_till_id(), product_id, request.form.get("pembeli", ""),
                            day=business_today(), cashier_id=g.staff.id, tax=tax_settings(db_session))
    scale = hardware().scale
    if not getattr(scale, "installed", True):
        return _ask_weight(product_id)
    tare = int_field("tare", "Tara (gram)", required=False, blank=0, low=0, high=20_000)
    try:
        grams = scale.read_stable_grams(tare)
    except HardwareError as error:  # before any write: the scale's answer is the cashier's input
        raise PosError(str(error)) from None
    with transaction(durable=False) as db_session:
        done = scanning.add_weighed(db_session, current_till_id(), product_id, grams, cashier_id=g.staff.id,
                                    limits=current_app.config["MAX_QTY"], today=business_today())
        view = _view(db_session)
    return _shown(view, done)


@bp.errorhandler(scanning.CheckWeight)
def _check_weight(check: scanning.CheckWeight):
    """An unlikely typed weight (the prompt's, or F3's on a weighed line): nothing written, asked."""
    return _ask_weight(check.product_id, check, (request.view_args or {}).get("line_id"))


def _ask_weight(product_id: int, check: scanning.CheckWeight | None = None, line_id: int | None = None):
    """No scale (or a wrong POS_SCALE, said so): a typed weight where allowed; an unlikely one asked."""
    session, scale = read_session(), hardware().scale
    wrong = scale.message if isinstance(scale, Misconfigured) else None   # a POS_SCALE it cannot use
    if line_id is None and not tills.get_till(session, current_till_id()).manual_weight:   # F3's: asked
        raise PosError(f"{(wrong or 'Timbangan belum terpasang').rstrip('.')}. Manajer dapat mengizinkan "
                       "berat diketik untuk kasir ini di halaman Perangkat.")
    return render("sales/_weigh_prompt.html", product=get_product(session, product_id), check=check,
                  line_id=line_id, scale_wrong=wrong,
                  headers={"HX-Retarget": "#weigh-prompt", "HX-Reswap": "innerHTML"})


@bp.post("/timbang/<int:product_id>/manual")
@requires("sell")
def weigh_manual(product_id: int):
    """A typed weight (``750 g``, ``1,25`` kg; l, ml), marked so on the line and receipt; unlikely: asked."""
    unit, form = BaseUnit(get_product(read_session(), product_id).base_unit), request.form
    try:
        amount = unit.parse_measure(form.get("weight", ""), small=form.get("unit") in ("g", "ml"))
    except ValueError as wrong:
        raise PosError(f"Berat: {wrong}") from None
    with transaction(durable=False) as db_session:
        done = scanning.add_weighed(db_session, current_till_id(), product_id, amount,
                                    current_app.config["MAX_QTY"], manual=True, cashier_id=g.staff.id,
                                    today=business_today(), yes=form.get("yakin"))
        view = _view(db_session)
    return _shown(view, done, clear_prompt=True)


@bp.post("/baris/<int:line_id>/jumlah")
@requires("sell")
def set_qty(line_id: int):
    """A line's quantity: pieces, kg / litres with a decimal comma (750 g too) or packs (2 karung); an
    unlikely weight, or less than a pack on a line of whole packs, is asked about (``scanning.set_qty``)."""
    qty = typed_qty(read_session(), current_till_id(), line_id, request.form.get("qty"))
    with transaction(durable=False) as db_session:
        said = dropped.on_qty_change(db_session, current_till_id(), line_id, qty)
        scanning.set_qty(db_session, current_till_id(), line_id, qty, current_app.config["MAX_QTY"],
                         today=business_today(), yes=request.form.get("yakin"),
                         unit_typed=says_unit(request.form.get("qty")))
        view = _view(db_session)
    asked = {"clear_prompt": True} if "ditanya" in request.form else {}   # sent from F3's question
    return _shown(view, scanning.Scanned(line_id=line_id), notice=" ".join(said), **asked)  # as a scan


@bp.post("/baris/<int:line_id>/hapus")
@bp.post("/kosongkan", endpoint="clear")
@requires("sell")
def remove(line_id: int | None = None):
    """Remove one line from the cart, or empty it (``/kosongkan``), each line logged with who and why
    (``voids``); above ``POS_VOID_APPROVAL_ABOVE`` a manager approves in the dialog."""
    with acting(current_till_id(), reason := voids.reason_of(request.form), light=True) as (db_session, who):
        at, limit = (db_session, current_till_id(), g.staff.id), current_app.config["VOID_APPROVAL_ABOVE"]
        if line_id is None:
            voids.clear(*at, reason, tax_settings(db_session), who, limit)
            return _cart_response(db_session)
        dropped = voids.remove_line(*at, line_id, reason, tax_settings(db_session), who, limit)
        return _cart_response(db_session, removed=line_id, notice=" ".join(dropped))


@bp.post("/bayar")
@requires("sell")
def pay():
    """Take the tenders (cash, QRIS, transfer/debit, kasbon, any mix); the sale is made once, durably."""
    cfg, form = current_app.config, request.form
    given = tenders.from_form(form, cfg["MAX_AMOUNT"])
    expected = int_field("expected_total", "Total", required=False)
    try:
        with transaction() as db_session:
            static = qris_static(db_session, cfg) if PaymentMethod.QRIS in {t.method for t in given} else None
            result = checkout.checkout(
                db_session, till_id=current_till_id(), cashier_id=g.staff.id,
                idempotency_key=request.form.get("idempotency_key", ""), tenders=given,
                outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"], tax=tax_settings(db_session),
                expected_total=expected, cash_rounding=cfg["CASH_ROUNDING"], qris_static=static,
                shown_at=shown_at(form.get("shown_at")), expected_member=form.get("expected_member"),
                discount_limit_bp=cfg["CASHIER_MAX_DISCOUNT_BP"])
    except (checkout.CartChanged, KeyReused, CreditError, *REFUSED) as changed:  # the message; the cart
        if not is_htmx():
            raise
        to_messages, till_id = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}, current_till_id()
        if isinstance(changed, CreditError):  # a limit lowered meanwhile: the panel's kasbon figures now
            return render("sales/_credit_refused.html", changed.status, message=changed.message,
                          options=pay_offer(read_session(), till_id, cfg), headers=to_messages)
        view = cart.view(read_session(), till_id, tax_settings(), today=business_today(), strict=False)
        return render("sales/_cart_changed.html", changed.status, cart=view, message=changed.message,
                      key_spent=isinstance(changed, KeyReused),  # a used key: dropped; the panel shuts
                      headers={**to_messages, "HX-Trigger": "cart-changed"})
    print_error, no_printer = _announce(result) if result.created else (None, None)
    return render("sales/_sale_done.html", sale=result.sale, print_problem=print_error, no_printer=no_printer,
                  cart=cart.empty_view(tax_settings()),
                  print_job_id=result.print_job_id if result.created else None,
                  queued="pos_print_queue" in current_app.extensions, headers={"HX-Trigger": "sale-done"})


def _announce(result: checkout.CheckoutResult) -> tuple[tuple[str, str] | None, str | None]:
    """After the commit: the receipt to the printer, the total to the pole display; the error of a
    print made now (``printing.problem``; None when queued or printed), and ``no_printer``'s note."""
    print_error = print_worker.submit(current_app._get_current_object(), result.print_job_id)
    _display(display.two_sides("TOTAL", money.format_rupiah(result.sale.total)),
             display.two_sides("KEMBALI", money.format_rupiah(result.sale.change)))
    return print_error and problem(print_error), print_worker.no_printer(current_app, g.staff.till_id)
