"""Pure layout of a member document's receipt (bukti setoran, or bukti penarikan for savings
paid out, with the member's signature): shown on screen and printed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos.clock import to_local, zone_abbreviation
from pos.hardware.ports import Receipt
from pos.hardware.text import fit_cols, labelled, wrap
from pos.members.accounts.models import DocTender
from pos.money import format_rupiah as rp


@dataclass(frozen=True)
class DocSlip:
    """Plain data of one document, read after the commit."""

    doc_no: str
    created_at: datetime
    cashier: str
    member_number: str
    member_name: str
    lines: list[tuple[str, int]]     # (label, amount)
    total: int
    tender: DocTender
    tendered: int
    change: int
    reference: str | None
    balance: int | None              # kasbon left, when the member has kasbon
    withdrawal: bool = False         # money paid out to the member
    sukarela_left: int | None = None  # simpanan sukarela held after a withdrawal
    cancels: str | None = None       # the number of the document this one cancels
    rounding: int = 0                # cash in whole coins: the money moved is total + rounding

    @property
    def what(self) -> str:
        """What the document is, as its slip's title and the drawer's log name it."""
        if self.cancels:
            return "Pembatalan setoran" if self.withdrawal else "Pembatalan penarikan"
        return "Penarikan simpanan" if self.withdrawal else "Setoran anggota"


def _center(text: str, columns: int) -> str:
    return text[:columns].center(columns).rstrip()


def build(slip: DocSlip, *, outlet_name: str, timezone: str, columns: int, copy: bool = False) -> Receipt:
    rule = "-" * columns
    when = to_local(slip.created_at, timezone)
    lines = [_center(outlet_name.upper(), columns), _center(f"BUKTI {slip.what.upper()}", columns)]
    if copy:
        lines.append(_center("*** SALINAN ***", columns))
    lines += [rule, f"No   : {slip.doc_no}"[:columns],
              f"Tgl  : {when:%d-%m-%Y %H:%M} {zone_abbreviation(timezone)}"[:columns],
              *labelled("Kasir: ", slip.cashier, columns),
              f"Anggota: {slip.member_number}"[:columns], *wrap(slip.member_name, columns)]
    if slip.cancels:
        lines.append(f"Membatalkan: {slip.cancels}"[:columns])
    lines.append(rule)
    for label, amount in slip.lines:   # a long label wraps onto lines of its own, never cut
        lines += fit_cols(label, rp(amount), columns)
    lines.append(rule)
    emphasis = {len(lines)}
    lines += fit_cols("TOTAL", rp(slip.total), columns)
    if slip.rounding:
        lines += fit_cols("Pembulatan", rp(slip.rounding), columns)
    if slip.withdrawal:
        paid = "Dibayar tunai" if slip.tender == DocTender.CASH else "Transfer ke rekening"
        lines += fit_cols(paid, rp(slip.total + slip.rounding), columns)
    else:
        lines += fit_cols(slip.tender.label, rp(slip.tendered), columns)
        if slip.tender == DocTender.CASH:
            lines += fit_cols("Kembali", rp(slip.change), columns)
    if slip.reference:
        lines.append(f"Ref: {slip.reference}"[:columns])
    if slip.sukarela_left is not None:
        lines += [rule, *fit_cols("Sisa simpanan sukarela", rp(slip.sukarela_left), columns)]
    if slip.balance is not None:
        lines += [rule, *fit_cols("Sisa kasbon", rp(slip.balance), columns)]
    if slip.withdrawal:   # the member signs for the money taken
        lines += ["", "Diterima oleh anggota,"[:columns], "", "", "(" + " " * max(columns - 2, 0) + ")"]
    lines += [rule, _center("Bukan struk penjualan.", columns), _center("Simpan sebagai bukti.", columns)]
    return Receipt(receipt_no=slip.doc_no, lines=lines, columns=columns, copy=copy,
                   open_drawer=not copy and slip.tender == DocTender.CASH, emphasis=emphasis)
