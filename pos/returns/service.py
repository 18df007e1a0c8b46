"""A return against a receipt, in one transaction: the chosen lines and quantities (never more
than was sold and not yet returned), stock back to the batches the sale took (or written off
when damaged), the buyer's limits and the farmer's fertiliser given back, the refund in the
sale's own tenders or in cash (kasbon: taken off what the member owes; cash in whole coins,
``amounts.in_coins``; the sale's last units refund what is left of what was paid), a
manager's approval, and what the farmer has left of each fertiliser type after it
(``return_quota``, for the slip and its reprints).

The guard against returning more than was sold is one conditional UPDATE per line
(``returned_qty + :q <= qty``): two managers returning the last unit at the same moment
cannot both pass it (on PostgreSQL the second waits for the first's row lock and then finds
no row; on SQLite write transactions run one at a time).  The return is booked on the day it
is made; the sale and its day are never edited (only the line's ``returned_qty`` counter).
A return form posted twice (one idempotency key) books one return (``once``).
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, func, insert, select
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.clock import business_date, utcnow
from pos.errors import NotFound, PosError, typed
from pos.fertilizer import quota
from pos.limits import service as limits
from pos.lpg import service as lpg
from pos.members.accounts import credit
from pos.money import format_rupiah as rp
from pos.returns import amounts, numbering, once, restock
from pos.returns.models import ReturnQuota, ReturnRefund, SaleReturn, SaleReturnBatch, SaleReturnLine
from pos.sales import printing
from pos.sales.models import Payment, PaymentMethod, Sale, SaleLine, SaleStatus
from pos.shifts import gate
from pos.units import BaseUnit


class ReturnError(PosError):
    """A return refused: nothing was changed."""


class RefundTo(str, enum.Enum):
    ORIGINAL = "asal"   # the sale's own tenders
    CASH = "tunai"


@dataclass(frozen=True)
class Wanted:
    """One line to return: the sale line, how much (base units), back on the shelf or damaged."""

    sale_line_id: int
    qty: int
    restock: bool = True


_line_t = SaleLine.__table__
_TAKE = (_line_t.update()
         .where(_line_t.c.id == bindparam("line"), _line_t.c.sale_id == bindparam("sale"),
                _line_t.c.returned_qty + bindparam("q") <= _line_t.c.qty)
         .values(returned_qty=_line_t.c.returned_qty + bindparam("q"))
         .returning(_line_t.c.returned_qty))


def _sale(session: Session, sale_id: int):
    sale = session.execute(select(Sale.id, Sale.receipt_no, Sale.status, Sale.member_id,
                                  Sale.total, Sale.tax_added).where(Sale.id == sale_id)).first()
    if sale is None:
        raise NotFound("Struk tidak ditemukan.")
    if sale.status != SaleStatus.COMPLETED:
        raise ReturnError(f"Struk {sale.receipt_no} sudah dibatalkan; tidak dapat diretur.")
    return sale


def _checked(session: Session, sale_id: int, wanted: list[Wanted]) -> dict[int, object]:
    """The sale's lines that are asked for, each checked against what is left to return."""
    if not wanted:
        raise ReturnError("Pilih barang yang diretur: isi jumlahnya.", 422)
    ids = [w.sale_line_id for w in wanted]
    if len(set(ids)) != len(ids):
        raise ReturnError("Satu baris struk hanya boleh muncul sekali.", 422)
    lines = {row.id: row for row in session.execute(
        select(SaleLine.id, SaleLine.name, SaleLine.qty, SaleLine.returned_qty,
               SaleLine.amount, SaleLine.tax, SaleLine.product_id, SaleLine.base_unit)
        .where(SaleLine.sale_id == sale_id))}
    for w in wanted:
        line = lines.get(w.sale_line_id)
        if line is None:
            raise ReturnError("Baris itu bukan dari struk ini. Muat ulang halaman retur.", 422)
        if not isinstance(w.qty, int) or w.qty <= 0:
            raise ReturnError(f"Jumlah retur {line.name} harus lebih dari nol.", 422)
        left = line.qty - line.returned_qty
        if w.qty > left:
            raise ReturnError(f"{line.name}: paling banyak {_qty(left, line.base_unit)} dapat "
                              f"diretur (terjual {_qty(line.qty, line.base_unit)}, sudah "
                              f"diretur {_qty(line.returned_qty, line.base_unit)}).", 409)
    return lines


def _qty(qty: int, unit) -> str:
    return BaseUnit(unit).format(qty)


def make_return(session: Session, actor: Actor, *, sale_id: int, wanted: list[Wanted],
                refund_to: RefundTo, reason: str, outlet_code: str, timezone: str,
                idempotency_key: str, reference: str | None = None,
                references: Mapping[PaymentMethod, str | None] | None = None,
                now: datetime | None = None, cash_rounding: int = 0) -> once.Done:
    """Book a return of ``wanted`` lines of sale ``sale_id`` (see the module doc) once per
    ``idempotency_key`` (``once``: a post sent again answers with the return it booked); a cash
    refund is paid to the nearest ``cash_rounding`` coin (``amounts.in_coins``).  Each QRIS or
    transfer refund carries its bank reference: its own in ``references`` (a sale paid both
    ways has two), else ``reference``."""
    key = once.valid_key(idempotency_key)
    numbering.hold(session, outlet_code)  # same-key posts queue here, then see each other
    done = once.earlier(session, key, sale_id, wanted)
    if done is not None:
        return done
    sale = _sale(session, sale_id)
    reason = typed(reason, 200, "Alasan retur", ReturnError)
    if not reason:
        raise ReturnError("Tulis alasan retur.", 422)
    lines = _checked(session, sale_id, wanted)
    asked = {w.sale_line_id: w.qty for w in wanted}
    estimate = sum(amounts.refund_share(lines[w.sale_line_id], lines[w.sale_line_id].returned_qty,
                                        w.qty, sale.tax_added) for w in wanted)
    # the sale's last units refund what is left of what was paid, in the estimate as when booked
    last = all(line.returned_qty + asked.get(line.id, 0) >= line.qty for line in lines.values())
    refunds, left = _refunds(session, sale, estimate, refund_to, last=last)
    # the manager approves what will be paid: kasbon already repaid goes back in cash, in coins
    paying = amounts.in_coins(_as_paid(session, sale, refunds), cash_rounding, left)
    banked = amounts.bank_references(refunds, reference, references or {}, ReturnError)
    now = now or utcnow()
    day = business_date(now, timezone)
    # The day and the drawer before a manager is called over: a PIN for a refund that cannot
    # be booked (the day closed, no open shift to pay cash from) only to hear it refused after.
    shift_id = _drawer_shift(session, actor, refunds, day)
    approval = authorize(session, actor, kind="return", what=f"Retur struk {sale.receipt_no}",
                         before=f"Struk {rp(sale.total)}",
                         after=f"Dikembalikan {rp(sum(a for _, a in paying))}: " + ", ".join(
                             m.label + (f" {rp(a)}" if len(paying) > 1 else "") for m, a in paying),
                         sale_id=sale_id, now=now)
    parts = []
    conn = session.connection()
    for w in wanted:
        line = lines[w.sale_line_id]
        after = conn.execute(_TAKE, {"line": w.sale_line_id, "sale": sale_id, "q": w.qty}).scalar()
        if after is None:
            raise ReturnError(f"{line.name} baru saja diretur di kasir lain; sisa yang dapat "
                              "diretur sudah kurang. Muat ulang halaman retur.", 409)
        before = after - w.qty
        parts.append((w, line, amounts.share(line.amount, line.qty, before, w.qty),
                      amounts.share(line.tax, line.qty, before, w.qty)))
    # with the PPN added on top of the prices, each unit's share of it is refunded with it
    total = sum(p[2] + (p[3] if sale.tax_added else 0) for p in parts)
    # Again after the lines are taken: another return may have gone first, and when these
    # are the sale's last units the refund is what is left of what the customer paid.
    refunds, left = _refunds(session, sale, total, refund_to, last=_all_back(session, sale_id))
    seq, return_no = numbering.next_return_no(session, outlet_code)
    refunds = amounts.in_coins(_pay_back(session, sale, refunds, return_no=return_no,
                                         by=actor.user_id, approver=approval.approved_by, day=day,
                                         now=now),
                               cash_rounding, left)
    return_id = session.execute(insert(SaleReturn).values(
        return_no=return_no, seq_no=seq, idempotency_key=key, outlet_code=outlet_code,
        sale_id=sale_id,
        till_id=actor.till_id, cashier_id=actor.user_id, approved_by=approval.approved_by,
        shift_id=shift_id, business_date=day, created_at=now, reason=reason, refund_total=total,
        tax_total=sum(p[3] for p in parts), rounding=sum(a for _, a in refunds) - total)
        .returning(SaleReturn.id)).scalar_one()
    left = {}  # what the farmer has left of each fertiliser type after this return, for its slip
    for w, line, amount, tax in parts:
        given = _return_line(session, return_id, sale_id, w, line, amount, tax, actor.user_id,
                             return_no, now, day)
        if given is not None:
            left[given.quota.fertilizer] = given  # a type's last line: the figure after it all
    if left:
        session.execute(insert(ReturnQuota), [
            {"return_id": return_id, "fertilizer": f, "season": g.season,
             "remaining_grams": g.quota.remaining} for f, g in left.items()])
    if refunds:
        session.execute(insert(ReturnRefund), [
            {"return_id": return_id, "method": m, "amount": a,
             "reference": banked.get(m)} for m, a in refunds])
    drawer = None
    if actor.till_id is not None and any(m is PaymentMethod.CASH for m, _ in refunds):
        drawer = printing.log_drawer(session, till_id=actor.till_id, user_id=actor.user_id,
                                     reason=f"Retur tunai {return_no}", sale_id=sale_id, now=now)
    return once.Done(return_id, return_no, total, refunds, drawer)


def _drawer_shift(session: Session, actor: Actor, refunds, day) -> int | None:
    """The shift whose drawer pays: cash (or kasbon, whose excess is paid in cash) comes only
    out of the drawer of a till with an open shift (whoever holds it: a manager refunds at
    the cashier's till); other refunds note the till's shift when there is one.  Either way
    the return is booked today, and never on a closed day."""
    if any(m in (PaymentMethod.CASH, PaymentMethod.MEMBER_CREDIT) for m, _ in refunds):
        return gate.require(session, till_id=actor.till_id, user_id=actor.user_id, day=day,
                            own=False)
    return gate.held(session, till_id=actor.till_id, user_id=actor.user_id, day=day, own=False)


def _all_back(session: Session, sale_id: int) -> bool:
    """Every unit of every line of the sale has been returned (this return included)."""
    return not session.scalar(select(exists().where(_line_t.c.sale_id == sale_id,
                                                    _line_t.c.returned_qty < _line_t.c.qty)))


def _refunds(session: Session, sale, total: int, refund_to: RefundTo, *, last: bool = False):
    """(``total`` split over the sale's tenders (or cash), what is left of what the customer
    paid: no refund pays back more); with ``last``, that left is the refund instead."""
    paid = dict(session.execute(select(Payment.method, func.sum(Payment.amount))
                                .where(Payment.sale_id == sale.id).group_by(Payment.method)).all())
    done = {PaymentMethod(k): int(v) for k, v in session.execute(
        select(ReturnRefund.method, func.sum(ReturnRefund.amount))
        .join(SaleReturn, SaleReturn.id == ReturnRefund.return_id)
        .where(SaleReturn.sale_id == sale.id).group_by(ReturnRefund.method))}
    left = amounts.left_to_refund(sale.total, done)
    split = amounts.split(left if last else total, {PaymentMethod(k): int(v) for k, v in paid.items()},
                          done, cash_only=RefundTo(refund_to) is RefundTo.CASH)
    return split, left


def _as_paid(session: Session, sale, refunds) -> list[tuple[PaymentMethod, int]]:
    """``refunds`` as they are paid: a kasbon refund comes off what the member still owes
    (never below zero), the rest of it in cash."""
    out: dict[PaymentMethod, int] = {}
    for method, amount in refunds:
        if method is PaymentMethod.MEMBER_CREDIT and sale.member_id is not None:
            taken = min(amount, credit.available(session, sale.member_id)[1])
            if taken > 0:
                out[method] = out.get(method, 0) + taken
            method, amount = PaymentMethod.CASH, amount - taken
        if amount > 0:
            out[method] = out.get(method, 0) + amount
    return [(m, out[m]) for m in amounts.ORDER if out.get(m)]


def _pay_back(session: Session, sale, refunds, *, return_no: str, by: int, approver: int, day,
              now: datetime) -> list[tuple[PaymentMethod, int]]:
    """Kasbon refunds come off the member's balance (``_as_paid``)."""
    paid = _as_paid(session, sale, refunds)
    for method, amount in paid:
        if method is PaymentMethod.MEMBER_CREDIT and sale.member_id is not None:
            credit.adjust(session, member_id=sale.member_id, amount=-amount, user_id=by, approved_by=approver,
                          note=f"Retur {return_no} (struk {sale.receipt_no})",
                          business_date=day, now=now, sale_id=sale.id)
    return paid


def _return_line(session: Session, return_id: int, sale_id: int, w: Wanted, line, amount: int,
                 tax: int, user_id: int, return_no: str, now: datetime, day) -> quota.GivenBack | None:
    """The line's row, its stock back (same batches, earliest expiry first) or written off
    (damaged, or into a batch expired by ``day``: ``restock``), allowances given back; the
    farmer's allocation after it when the line was subsidised fertiliser."""
    line_id = session.execute(insert(SaleReturnLine).values(
        return_id=return_id, sale_line_id=w.sale_line_id, qty=w.qty, amount=amount, tax=tax,
        restock=w.restock).returning(SaleReturnLine.id)).scalar_one()
    backs, unmatched = restock.batches(session, w.sale_line_id, w.qty)
    if backs and unmatched:
        raise ReturnError("Batch barang ini tidak cocok dengan penjualannya. Hubungi manajer.")
    if backs:
        session.execute(insert(SaleReturnBatch), [
            {"return_line_id": line_id, "batch_id": b.batch_id, "qty": b.qty} for b in backs])
    restock.put_back(session, line, backs, w.qty, restock=w.restock, day=day, user_id=user_id,
                     sale_id=sale_id, return_no=return_no, ref=f"return:{return_id}", now=now)
    limits.give_back(session, w.sale_line_id, w.qty)
    given = quota.give_back(session, w.sale_line_id, w.qty)
    lpg.give_back(session, w.sale_line_id, w.qty)
    return given
