"""Pure layout of a return slip (nota retur): a return -> text lines at the paper's width,
shown on screen and sent to the till's printer.  A return of subsidised fertiliser names, above
the reason, the farmer whose allocation it gives back (``receipt.farmer_lines``: the NIK masked
as on the receipt) and what they have left of each type after it, in the sale receipt's words
(``receipt.quota_lines``) and with the figure kept with the return (a reprint shows it).  A sale
priced before tax (``Sale.tax_added``) lists its lines before tax, then the PPN refunded on them."""
from __future__ import annotations

from pos.clock import to_local, zone_abbreviation
from pos.hardware.ports import Receipt
from pos.hardware.text import fit_cols, labelled, wrap
from pos.money import format_difference
from pos.money import format_rupiah as rp
from pos.returns.records import ReturnRecord
from pos.sales.models import PaymentMethod
from pos.sales.receipt import OutletInfo, farmer_lines, quota_lines
from pos.units import BaseUnit


def build(ret: ReturnRecord, outlet: OutletInfo, columns: int, *, copy: bool = False,
          open_drawer: bool = False) -> Receipt:
    rule = "-" * columns
    lines = [s.center(columns).rstrip() for s in wrap(outlet.name.upper(), columns)]
    lines += [s.center(columns).rstrip() for s in wrap(outlet.address, columns)]
    lines.append("NOTA RETUR".center(columns).rstrip())
    if copy:
        lines.append("*** SALINAN ***".center(columns).rstrip())
    when = to_local(ret.created_at, outlet.timezone)
    lines += [rule, f"No retur : {ret.return_no}"[:columns],
              f"Struk    : {ret.receipt_no}"[:columns],
              f"Tgl      : {when:%d-%m-%Y %H:%M} {zone_abbreviation(outlet.timezone)}"[:columns],
              *labelled("Kasir    : ", ret.cashier, columns),
              *labelled("Disetujui: ", ret.approver, columns), rule]
    for line in ret.lines:
        lines += wrap(line["name"], columns)
        lines += fit_cols("  " + BaseUnit(line["base_unit"]).with_unit(line["qty"]),
                          "-" + rp(line["amount"]), columns)
        if not line["restock"]:
            lines.append("  rusak: tidak kembali ke stok"[:columns])
        for note in line.get("expired", ()):   # returned into a batch already expired
            lines += ["  " + part for part in wrap(note, columns - 2)]
    lines.append(rule)
    if ret.tax_added and ret.tax_total:   # prices before tax: the PPN on them comes back too
        lines += fit_cols("PPN", "-" + rp(ret.tax_total), columns)
    emphasis = {len(lines)}
    lines += fit_cols("TOTAL RETUR", rp(ret.refund_total), columns)
    if ret.rounding:  # signed: what the refunds paid beyond (+) or short of (-) the lines' worth
        lines += fit_cols("Pembulatan", format_difference(ret.rounding), columns)
    for refund in ret.refunds:
        lines += fit_cols("Dikembalikan " + PaymentMethod(refund["method"]).label,   # never cut:
                          rp(refund["amount"]), columns)      # "Dikembalikan Kasbon an Rp100.000"
        if refund.get("reference"):
            lines += ["  " + part for part in wrap(f"Ref: {refund['reference']}", columns - 2)]
    if ret.quotas:
        lines.append(rule)
        if ret.farmer:
            lines += farmer_lines(ret.farmer["name"], ret.farmer["nik"], columns)
        lines += quota_lines(ret.quotas, columns)
    lines += [rule] + wrap(f"Alasan: {ret.reason}", columns)
    lines += ["", "Tanda tangan pembeli:", "", ""]
    return Receipt(receipt_no=ret.return_no, lines=lines, columns=columns, copy=copy,
                   open_drawer=open_drawer, emphasis=emphasis)
