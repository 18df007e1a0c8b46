"""Pure receipt layout: a committed sale -> text lines at the paper's width.

The same lines are shown on screen and sent to the printer, so what the
cashier sees is what the customer gets.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from pos.clock import to_local, zone_abbreviation
from pos.fertilizer.seasons import kg
from pos.hardware.ports import Receipt
from pos.hardware.text import fit_cols, labelled, wrap, wrap_phrases
from pos.inventory.catalog.models import FertilizerType, TaxClass
from pos.members.buyers import CATEGORIES
from pos.members.nik import mask_nik
from pos.money import dpp_nilai_lain, format_rate
from pos.money import format_rupiah as rp
from pos.pharmacy.prescriptions import doctor_named
from pos.sales.checkout import SALDO_PREFIX, SaleRecord
from pos.sales.models import PaymentMethod
from pos.sales.net import net_of_ppn
from pos.units import BaseUnit


@dataclass(frozen=True)
class OutletInfo:
    name: str
    address: str = ""
    npwp: str = ""
    footer: str = ""
    timezone: str = "Asia/Makassar"
    # How a PKP receipt states its PPN (PMK 131/2024): 12% of the DPP nilai lain (11/12).
    statutory_rate_bp: int = 1200
    dpp_numerator: int = 11
    dpp_denominator: int = 12

    @classmethod
    def from_config(cls, cfg) -> OutletInfo:
        return cls(cfg["OUTLET_NAME"], cfg["OUTLET_ADDRESS"], cfg["OUTLET_NPWP"],
                   cfg["RECEIPT_FOOTER"], cfg["TIMEZONE"], cfg.get("TAX_STATUTORY_RATE_BP", 1200),
                   cfg.get("TAX_DPP_NUMERATOR", 11), cfg.get("TAX_DPP_DENOMINATOR", 12))


@dataclass(frozen=True)
class MemberInfo:
    number: str
    name: str


def verification_code(secret: str, sale: SaleRecord) -> str:
    """Eight characters that only this gerai's secret can produce for this receipt."""
    message = f"{sale.receipt_no}|{sale.total}|{sale.created_at:%Y%m%d%H%M%S}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"{code[:4]}-{code[4:]}"


def qr_payload(sale: SaleRecord, code: str) -> str:
    return f"GERAIPOS:{sale.receipt_no}:{sale.total}:{code}"


def qty_text(line: dict) -> str:
    """``2 x Rp3.500`` for pieces; ``1,250 kg x Rp14.000`` for weighed goods; a typed weight
    says so (``1,25 kg (manual)``), so the customer can ask for it to be weighed."""
    typed = " (manual)" if line.get("manual_weight") else ""
    return f"{BaseUnit(line['base_unit']).format(line['qty'])}{typed} x {rp(line['unit_price'])}"


def line_lines(line: dict, columns: int) -> list[str]:
    """A line's quantity and amount; with a discount, the list price and amount, then what
    came off and why (``anggota 5%``, ``grosir``, ``diskon``...)."""
    discount, listed = line.get("discount") or 0, line.get("list_price") or 0
    if not discount or not listed:
        return fit_cols("  " + qty_text(line), rp(line["amount"]), columns)
    at_list = qty_text({**line, "unit_price": listed})
    why = (line.get("discount_reason") or "diskon").split(":")[0]
    # every reason, whole: one too long for the amount's line goes on lines of its own (it was
    # cut, "diskon nota (pelanggan  -Rp350", or a second one dropped)
    return (fit_cols("  " + at_list, rp(line["amount"] + discount), columns)
            + fit_cols("  " + why, "-" + rp(discount), columns))


def build(sale: SaleRecord, outlet: OutletInfo, cashier: str, columns: int, *,
          copy: bool = False, secret: str | None = None, member: MemberInfo | None = None) -> Receipt:
    rule = "-" * columns
    lines = [s.center(columns).rstrip() for s in wrap(outlet.name.upper(), columns)]
    lines += [s.center(columns).rstrip() for s in wrap(outlet.address, columns)]
    if outlet.npwp:
        lines.append(f"NPWP {outlet.npwp}".center(columns).rstrip())
    if copy:
        lines.append("*** SALINAN ***".center(columns).rstrip())
    when = to_local(sale.created_at, outlet.timezone)
    lines += [rule, f"No   : {sale.receipt_no}",
              f"Tgl  : {when:%d-%m-%Y %H:%M} {zone_abbreviation(outlet.timezone)}",
              *labelled("Kasir: ", cashier, columns), rule]
    for line in sale.lines:
        lines += wrap(line["name"], columns) + line_lines(line, columns)
        lines += rx_lines(sale.prescriptions.get(line.get("line_no")), columns)
    lines.append(rule)
    if sale.tax_added and sale.tax:   # prices before tax: the lines, then the PPN added to them
        lines += fit_cols("Subtotal", rp(sale.total - sale.tax - sale.rounding), columns)
        lines += fit_cols("PPN", rp(sale.tax), columns)
    if sale.rounding:
        lines += fit_cols("Pembulatan", rp(sale.rounding), columns)
    emphasis = {len(lines)}
    lines += fit_cols("TOTAL", rp(sale.total), columns)
    lines += payment_lines(sale, columns)
    if member is not None:
        lines += [rule, f"Anggota: {member.number}"[:columns], *wrap(member.name, columns)]
        if sale.member_saving:
            lines += fit_cols("Hemat anggota", rp(sale.member_saving), columns)
    lines += pharmacist_lines(sale, columns)
    lines += buyer_lines(sale, columns)
    lines += fertilizer_lines(sale, columns)
    taxes = tax_summary(sale, columns, outlet)  # none when the sale was not PKP
    if taxes:
        lines += [rule] + taxes
    code = verification_code(secret, sale) if secret else None
    if code:
        lines += [rule, f"Kode verifikasi: {code}".center(columns).rstrip()]
    if outlet.footer:
        lines += [rule] + [s.center(columns).rstrip() for s in wrap(outlet.footer, columns)]
    return Receipt(receipt_no=sale.receipt_no, lines=lines, columns=columns, copy=copy,
                   open_drawer=not copy and any(p["method"] == PaymentMethod.CASH
                                                for p in sale.payments),
                   emphasis=emphasis, qr_payload=qr_payload(sale, code) if code else None)


def rx_lines(rx: dict | None, columns: int) -> list[str]:
    """Under an obat keras line: ``Resep: No 12/XI dr. Sari 28-11-2026``, broken between the
    number, the doctor and the date (``wrap_phrases``), not inside the doctor's name."""
    if not rx:
        return []
    return ["  " + part for part in wrap_phrases([f"Resep: No {rx['rx_number']}", doctor_named(rx["doctor"]),
                                                  f"{rx['rx_date']:%d-%m-%Y}"], columns - 2)]


def pharmacist_lines(sale: SaleRecord, columns: int) -> list[str]:
    """The apoteker of each obat keras (name and SIPA), once each."""
    seen = dict.fromkeys((rx["pharmacist"], rx.get("licence_no") or "-")
                         for rx in sale.prescriptions.values())
    return ["-" * columns] + [part for name, sipa in seen
                              for part in wrap(f"Apoteker: {name}, SIPA {sipa}", columns)] \
        if seen else []


def payment_lines(sale: SaleRecord, columns: int) -> list[str]:
    """Each tender with its amount (cash: what was handed over), then Kembali from cash."""
    out, cash = [], False
    for payment in sale.payments:
        method, reference = PaymentMethod(payment["method"]), payment.get("reference") or ""
        cash = cash or method is PaymentMethod.CASH
        shown = payment["tendered"] if method is PaymentMethod.CASH else payment["amount"]
        out += fit_cols(method.label, rp(shown), columns)
        if method is PaymentMethod.QRIS:
            out.append(f"  dikonfirmasi kasir {reference}"[:columns].rstrip())
        elif method is PaymentMethod.TRANSFER and reference:
            out += ["  " + part for part in wrap(f"Ref: {reference}", columns - 2)]
        elif method is PaymentMethod.MEMBER_CREDIT and reference.startswith(SALDO_PREFIX):
            balance = reference.removeprefix(SALDO_PREFIX)
            if balance.isascii() and balance.isdigit():
                out += fit_cols("  Saldo kasbon", rp(int(balance)), columns)
    if cash or not sale.payments:
        out += fit_cols("Kembali", rp(sale.change), columns)
    return out


def tax_summary(sale: SaleRecord, columns: int, outlet: OutletInfo | None = None) -> list[str]:
    """A PKP sale's tax, one class at a time: PPN as the law states it (the DPP nilai lain,
    11/12 of the ex-tax amount, and 12% of it, which is the tax the lines hold or had added to
    them, ``Sale.tax_added``), then the
    exempt and the not-collected amounts.  A sale made while not PKP states no tax at all."""
    if not sale.pkp:
        return []
    outlet = outlet or OutletInfo("")
    by_class: dict[tuple[str, int], list[int]] = {}
    for line in sale.lines:
        key = (TaxClass(line["tax_class"]).value, line["tax_rate_bp"])
        amount, tax = by_class.get(key, [0, 0])
        by_class[key] = [amount + line["amount"], tax + line["tax"]]
    out = []
    for (tax_class, rate), (amount, tax) in sorted(by_class.items()):
        if rate:
            dpp = dpp_nilai_lain(net_of_ppn(amount, tax, sale.tax_added),
                                 outlet.dpp_numerator, outlet.dpp_denominator)
            share = f"{outlet.dpp_numerator}/{outlet.dpp_denominator}"
            out += _stated(f"DPP Nilai Lain ({share})", dpp, columns)
            out += _stated(f"PPN {format_rate(outlet.statutory_rate_bp)}%", tax, columns)
        else:
            out += _stated(TaxClass(tax_class).label, amount, columns)
    return out


def _stated(label: str, amount: int, columns: int) -> list[str]:
    """``label`` and the amount on one line, or the amount below a label too long to share it."""
    return fit_cols(label, rp(amount), columns)


def buyer_lines(sale: SaleRecord, columns: int) -> list[str]:
    """Who bought regulated goods: the masked NIK and the LPG category (nothing without one)."""
    buyer = sale.buyer or {}
    if not buyer.get("nik") and not buyer.get("category"):
        return []
    lines = ["-" * columns]
    if buyer.get("nik"):
        lines.append(f"Pembeli: NIK {mask_nik(buyer['nik'])}"[:columns])
    if buyer.get("category"):
        lines.append(f"Kategori LPG: {CATEGORIES.get(buyer['category'], buyer['category'])}"[:columns])
    return lines


def fertilizer_lines(sale: SaleRecord, columns: int) -> list[str]:
    """Subsidised fertiliser (tax class *tidak dipungut*): the notice that no PPN is collected,
    in either tax mode, the farmer (``buyer['name']``: the e-RDKK list's name, which checkout
    keeps with the sale) and the proxy who collected it; then what the farmer had
    left of each type's allocation right after this sale (kept with the sale: a reprint shows
    that figure, not today's)."""
    untaxed = any(line["tax_class"] == TaxClass.TIDAK_DIPUNGUT for line in sale.lines)
    if not untaxed and not sale.quotas:
        return []
    buyer = sale.buyer or {}
    lines = ["-" * columns]
    if untaxed:
        lines += wrap("Pupuk bersubsidi: PPN tidak dipungut", columns)
    if buyer.get("name"):
        lines += wrap(f"Petani: {buyer['name']}", columns)
    if buyer.get("proxy_name"):
        lines += wrap(f"Diambil oleh: {buyer['proxy_name']} ({buyer.get('proxy_relation') or 'wakil'}),"
                      f" NIK {mask_nik(buyer.get('proxy_nik'))}", columns)
    return lines + quota_lines(sale.quotas, columns)


def farmer_lines(name: str, nik: str | None, columns: int) -> list[str]:
    """``Petani: Darmo Santoso (NIK 6402********0001)``, the NIK masked as the receipt masks it;
    the NIK whole on a line of its own when the two do not fit one (the return slip)."""
    masked = [f"(NIK {mask_nik(nik)})"] if nik else []
    return wrap_phrases([f"Petani: {name}", *masked], columns)


def quota_lines(quotas: list[dict], columns: int) -> list[str]:
    """``Sisa kuota Urea MT I 2026: 150 kg`` per type (``quotas``: fertilizer, season,
    remaining_grams, as a sale or a return keeps them), in the types' order; one line in fewer
    words (``Sisa Urea MT I 2026: 175 kg``) when that fits the paper and the whole does not,
    else a label too long for the paper wraps, and the kilograms stay whole (right-aligned on a
    line of their own when they do not fit after it).  The one place these words are written:
    the sale's receipt and the return slip both print them."""
    order = list(FertilizerType)
    out = []
    for quota in sorted(quotas, key=lambda q: order.index(FertilizerType(q["fertilizer"]))):
        kind = f"{FertilizerType(quota['fertilizer']).label} {quota['season']}:"
        left = kg(quota["remaining_grams"])
        short = f"Sisa {kind} {left}"
        if len(short) + len("kuota ") > columns >= len(short):
            out.append(short)
            continue
        label = wrap(f"Sisa kuota {kind}", columns)
        if len(label[-1]) + 1 + len(left) <= columns:
            out += label[:-1] + [f"{label[-1]} {left}"]
        else:
            out += label + [left.rjust(columns)]
    return out
