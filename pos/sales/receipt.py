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
from pos.hardware.ports import Receipt
from pos.hardware.text import two_cols
from pos.inventory.catalog.models import TaxClass
from pos.money import format_rate
from pos.money import format_rupiah as rp
from pos.sales.checkout import SALDO_PREFIX, SaleRecord
from pos.sales.models import PaymentMethod
from pos.units import BaseUnit


@dataclass(frozen=True)
class OutletInfo:
    name: str
    address: str = ""
    npwp: str = ""
    footer: str = ""
    timezone: str = "Asia/Makassar"

    @classmethod
    def from_config(cls, cfg) -> OutletInfo:
        return cls(cfg["OUTLET_NAME"], cfg["OUTLET_ADDRESS"], cfg["OUTLET_NPWP"],
                   cfg["RECEIPT_FOOTER"], cfg["TIMEZONE"])


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


def wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
        while len(current) > width:
            lines.append(current[:width])
            current = current[width:]
    return lines + ([current] if current else [])


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
        return [two_cols("  " + qty_text(line), rp(line["amount"]), columns)]
    at_list = qty_text({**line, "unit_price": listed})
    off = "-" + rp(discount)
    parts = (line.get("discount_reason") or "diskon").split(":")[0].split(", ")
    while len(parts) > 1 and len("  " + ", ".join(parts)) > columns - len(off) - 1:
        parts.pop()  # whole reasons that fit, never one cut in the middle
    return [two_cols("  " + at_list, rp(line["amount"] + discount), columns),
            two_cols("  " + ", ".join(parts), off, columns)]


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
              f"Kasir: {cashier}"[:columns], rule]
    for line in sale.lines:
        lines += wrap(line["name"], columns) + line_lines(line, columns)
    lines.append(rule)
    if sale.rounding:
        lines.append(two_cols("Pembulatan", rp(sale.rounding), columns))
    emphasis = {len(lines)}
    lines.append(two_cols("TOTAL", rp(sale.total), columns))
    lines += payment_lines(sale, columns)
    if member is not None:
        lines += [rule, f"Anggota: {member.number}"[:columns], member.name[:columns]]
        if sale.member_saving:
            lines.append(two_cols("Hemat anggota", rp(sale.member_saving), columns))
    lines += [rule] + tax_summary(sale, columns)
    code = verification_code(secret, sale) if secret else None
    if code:
        lines += [rule, f"Kode verifikasi: {code}".center(columns).rstrip()]
    if outlet.footer:
        lines += [rule] + [s.center(columns).rstrip() for s in wrap(outlet.footer, columns)]
    return Receipt(receipt_no=sale.receipt_no, lines=lines, columns=columns, copy=copy,
                   open_drawer=not copy and any(p["method"] == PaymentMethod.CASH
                                                for p in sale.payments),
                   emphasis=emphasis, qr_payload=qr_payload(sale, code) if code else None)


def payment_lines(sale: SaleRecord, columns: int) -> list[str]:
    """Each tender with its amount (cash: what was handed over), then Kembali from cash."""
    out, cash = [], False
    for payment in sale.payments:
        method, reference = PaymentMethod(payment["method"]), payment.get("reference") or ""
        cash = cash or method is PaymentMethod.CASH
        shown = payment["tendered"] if method is PaymentMethod.CASH else payment["amount"]
        out.append(two_cols(method.label, rp(shown), columns))
        if method is PaymentMethod.QRIS:
            out.append(f"  dikonfirmasi kasir {reference}"[:columns].rstrip())
        elif method is PaymentMethod.TRANSFER and reference:
            out += ["  " + part for part in wrap(f"Ref: {reference}", columns - 2)]
        elif method is PaymentMethod.MEMBER_CREDIT and reference.startswith(SALDO_PREFIX):
            balance = reference.removeprefix(SALDO_PREFIX)
            if balance.isascii() and balance.isdigit():
                out.append(two_cols("  Saldo kasbon", rp(int(balance)), columns))
    if cash or not sale.payments:
        out.append(two_cols("Kembali", rp(sale.change), columns))
    return out


def tax_summary(sale: SaleRecord, columns: int) -> list[str]:
    """One line per tax class: PPN with its DPP, exempt and not-collected amounts."""
    by_class: dict[tuple[str, int], list[int]] = {}
    for line in sale.lines:
        key = (TaxClass(line["tax_class"]).value, line["tax_rate_bp"])
        amount, tax = by_class.get(key, [0, 0])
        by_class[key] = [amount + line["amount"], tax + line["tax"]]
    out = []
    for (tax_class, rate), (amount, tax) in sorted(by_class.items()):
        if rate:
            out.append(two_cols(f"DPP PPN {format_rate(rate)}%", rp(amount - tax), columns))
            out.append(two_cols("PPN (termasuk harga)", rp(tax), columns))
        else:
            out.append(two_cols(TaxClass(tax_class).label, rp(amount), columns))
    return out
