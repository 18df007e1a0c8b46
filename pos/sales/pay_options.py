"""What the payment panel offers for the sale on a till, and the QRIS for an amount (services).

Read by the pay views when the panel opens: whether QRIS can be taken (the outlet's static
QRIS is set) or why not, and the attached member with the kasbon still available.  A QRIS
bill ("Cetak tagihan QRIS") is laid out here as a plain ``Receipt`` whose QR is the dynamic
payload for the exact amount; nothing is written, so printing it needs no commit.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.clock import to_local, zone_abbreviation
from pos.errors import PosError
from pos.hardware.ports import Receipt
from pos.hardware.text import fit_cols, labelled, wrap
from pos.members.accounts import credit
from pos.members.models import Member
from pos.money import format_rupiah as rp
from pos.payments import qris
from pos.sales import cart_queries
from pos.settings.service import NO_QRIS, qris_static


@dataclass(frozen=True)
class PayOptions:
    qris_reason: str | None                      # None: QRIS can be taken
    member: tuple[str, str] | None = None        # (number, name) of the attached member
    credit_limit: int = 0
    credit_balance: int = 0
    credit_reason: str | None = "Kasbon hanya untuk anggota: pasang anggota dulu (F7)."
    member_active: bool = True                   # a nonaktif member has no kasbon to show

    @property
    def credit_available(self) -> int:
        return max(self.credit_limit - self.credit_balance, 0) if self.member_active else 0


@dataclass(frozen=True)
class QrisBill:
    payload: str        # the dynamic payload for exactly ``amount``
    merchant: str
    amount: int


def options(session: Session, till_id: int, config: Mapping) -> PayOptions:
    qris_reason = None if qris_static(session, config) else NO_QRIS
    found = cart_queries.CART_OF_TILL.first(session.connection(), {"till": till_id})
    member_id = None if found is None else found.member_id  # a read: no cart is made here
    row = None if member_id is None else session.execute(
        select(Member.number, Member.name, Member.active).where(Member.id == member_id)).first()
    if row is None:
        return PayOptions(qris_reason)
    limit, balance = credit.available(session, member_id)
    reason = None
    if not row.active:
        reason = "Anggota nonaktif tidak dapat kasbon."
    elif limit <= 0:
        reason = "Kasbon tidak tersedia untuk anggota ini: belum punya batas kasbon."
    elif balance >= limit:
        reason = "Kasbon tidak tersedia untuk anggota ini: batas kasbonnya sudah terpakai."
    return PayOptions(qris_reason, (row.number, row.name), limit, balance, reason, bool(row.active))


def qris_for(session: Session, config: Mapping, amount: int) -> QrisBill:
    """The QRIS for ``amount``: the outlet's static QRIS with the amount in it, and who is paid."""
    static = qris_static(session, config)
    if not static:
        raise PosError(NO_QRIS)
    payload = qris.dynamic(static, amount)
    return QrisBill(payload, qris.merchant_name(payload) or config["OUTLET_NAME"], amount)


def bill_receipt(bill: QrisBill, *, outlet_name: str, columns: int, cashier: str,
                 now: datetime, timezone: str) -> Receipt:
    """A bill to pay by QRIS, printed before the sale: the amount and the QR to scan."""
    when = to_local(now, timezone)
    rule = "-" * columns
    lines = [s.center(columns).rstrip() for s in wrap(outlet_name.upper(), columns)]
    lines += [rule, "TAGIHAN QRIS".center(columns).rstrip(), "BELUM DIBAYAR".center(columns).rstrip(),
              rule, f"Tgl  : {when:%d-%m-%Y %H:%M} {zone_abbreviation(timezone)}",
              *labelled("Kasir: ", cashier, columns), *labelled("Merchant: ", bill.merchant, columns),
              rule]
    emphasis = {len(lines)}
    lines += [*fit_cols("BAYAR", rp(bill.amount), columns), rule,
              "Pindai QR dengan aplikasi".center(columns).rstrip(),
              "bank atau dompet digital".center(columns).rstrip()]
    return Receipt(receipt_no=f"QRIS-{bill.payload[-4:]}", lines=lines, columns=columns,
                   qr_payload=bill.payload, emphasis=emphasis)
