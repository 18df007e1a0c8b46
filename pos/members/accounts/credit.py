"""Member credit (kasbon): the limit, charges for sales, repayments and corrections.

The member's ``member_credit`` row holds the limit and the running balance; each change
is one conditional ``UPDATE`` (``balance + :amount <= credit_limit`` for a charge,
``balance >= :amount`` for a repayment) checked by its row count, and writes a
``CreditEntry`` in the same transaction.  Two tills charging one member at once can
therefore never pass the limit together: on PostgreSQL the second UPDATE waits for the
first's row lock and then re-checks its condition against the committed balance; on
SQLite write transactions begin IMMEDIATE, one at a time.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos import upserts
from pos.auth.service import require_right
from pos.clock import business_date as local_date
from pos.clock import utcnow
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.members.accounts.models import CreditEntry, EntryKind, MemberCredit
from pos.members.models import Member
from pos.money import format_rupiah

MAX_LIMIT = 1_000_000_000

_credit = MemberCredit.__table__
_CHARGE = (_credit.update()
           .where(_credit.c.member_id == bindparam("member"),
                  _credit.c.credit_limit > 0,
                  _credit.c.balance + bindparam("amount") <= _credit.c.credit_limit)
           .values(balance=_credit.c.balance + bindparam("amount"), updated_at=bindparam("now"))
           .returning(_credit.c.balance))
_PAY = (_credit.update()
        .where(_credit.c.member_id == bindparam("member"), _credit.c.balance >= bindparam("amount"))
        .values(balance=_credit.c.balance - bindparam("amount"), updated_at=bindparam("now"))
        .returning(_credit.c.balance))


class CreditError(PosError):
    """A kasbon refused: unknown or inactive member, no limit, over the limit, too much repaid."""


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise CreditError("Anggota tidak ditemukan.", 404)
    return member


def available(session: Session, member_id: int) -> tuple[int, int]:
    """(limit, balance) of the member's kasbon; (0, 0) when no limit was ever set."""
    row = session.execute(select(_credit.c.credit_limit, _credit.c.balance)
                          .where(_credit.c.member_id == member_id)).first()
    return (row.credit_limit, row.balance) if row else (0, 0)


def _entry(session: Session, *, member_id: int, kind: EntryKind, amount: int, user_id: int,
           business_date: date, now: datetime, sale_id: int | None = None,
           document_id: int | None = None, note: str | None = None,
           approved_by: int | None = None) -> CreditEntry:
    entry = CreditEntry(member_id=member_id, kind=kind, amount=amount, sale_id=sale_id,
                        document_id=document_id, business_date=business_date, created_at=now,
                        user_id=user_id, note=note,
                        approved_by=approved_by if approved_by != user_id else None)
    session.add(entry)
    session.flush()
    return entry


NOT_SOLD = "Tidak ada yang dijual; keranjang tetap."


def check_payer(session: Session, member_id: int | None, shown: str | None, methods,
                added_for=()) -> None:
    """Before a sale whose payment ``methods`` include kasbon ("member_credit"): the member on the
    sale is still the one the pay panel showed (``shown``, its number; "" none; None: not sent,
    not checked) and the one each kasbon was added for (``added_for``: the numbers the kasbon
    tenders carry), and still active; else ``CreditError`` saying what changed and what to do."""
    if "member_credit" not in methods:
        return
    member = None if member_id is None else _member(session, member_id)
    number = member.number if member else ""
    now = f"{member.number} {member.name}" if member else "tanpa anggota"
    if shown is not None and number != shown.strip():
        raise CreditError(f"Anggota pada penjualan berganti sejak panel bayar dibuka (kini {now}; kasbon "
                          f"tadi untuk {shown.strip() or 'tanpa anggota'}). {NOT_SOLD} Hapus kasbon (F9), "
                          "periksa anggotanya, lalu bayar lagi.", 409)
    if others := sorted({n.strip() for n in added_for} - {number}):
        raise CreditError(f"Kasbon tadi ditambahkan untuk anggota {others[0] or 'lain'}, bukan untuk "
                          f"penjualan ini (kini {now}). {NOT_SOLD} Hapus kasbon (F9), periksa anggotanya, "
                          "lalu tambahkan kasbon lagi bila memang untuk anggota ini.", 409)
    if member is not None and not member.active:
        raise CreditError(f"Anggota {member.number} {member.name} nonaktif: tidak dapat kasbon. {NOT_SOLD} "
                          "Hapus kasbon (F9) lalu bayar dengan cara lain.")


def charge(session: Session, *, member_id: int, amount: int, sale_id: int, user_id: int,
           business_date: date, now: datetime) -> int:
    """Put ``amount`` of sale ``sale_id`` on the member's kasbon; returns the new balance."""
    if not isinstance(amount, int) or amount <= 0:
        raise CreditError("Jumlah kasbon harus lebih dari nol.")
    if member_id is None:
        raise CreditError("Kasbon anggota hanya untuk anggota: pasang anggota dulu.")
    member = _member(session, member_id)
    if not member.active:
        raise CreditError("Anggota nonaktif tidak dapat kasbon.")
    balance = session.execute(_CHARGE, {"member": member_id, "amount": amount, "now": now}).scalar()
    if balance is None:
        limit, owed = available(session, member_id)
        if limit <= 0:
            raise CreditError(f"Anggota {member.name} belum punya batas kasbon; "
                              "manajer dapat mengaturnya di halaman anggota.")
        raise CreditError(f"Kasbon melebihi batas: sisa batas {format_rupiah(max(limit - owed, 0))} "
                          f"(batas {format_rupiah(limit)}, kasbon {format_rupiah(owed)}).")
    _entry(session, member_id=member_id, kind=EntryKind.CHARGE, amount=amount, user_id=user_id,
           business_date=business_date, now=now, sale_id=sale_id)
    return balance


OVER_OWED = "Angsuran melebihi sisa kasbon ({})."


def repayable(session: Session, member_id: int, amount: int) -> int:
    """What the member owes now; a repayment of ``amount`` above it refused as ``repay`` refuses it,
    before the money handed over is counted (it was "Uang diterima kurang dari total …")."""
    owed = available(session, member_id)[1]
    if amount > owed:
        raise CreditError(OVER_OWED.format(format_rupiah(owed)))
    return owed


def repay(session: Session, *, member_id: int, amount: int, document_id: int | None, user_id: int,
          business_date: date, now: datetime) -> int:
    """Take ``amount`` off the member's kasbon (a repayment document); returns the new balance."""
    if not isinstance(amount, int) or amount <= 0:
        raise CreditError("Jumlah angsuran harus lebih dari nol.")
    _member(session, member_id)
    balance = session.execute(_PAY, {"member": member_id, "amount": amount, "now": now}).scalar()
    if balance is None:
        owed = available(session, member_id)[1]
        raise CreditError(OVER_OWED.format(format_rupiah(owed)))
    _entry(session, member_id=member_id, kind=EntryKind.REPAYMENT, amount=-amount, user_id=user_id,
           business_date=business_date, now=now, document_id=document_id)
    return balance


def _ensure_row(session: Session, member_id: int, user_id: int) -> None:
    conn = session.connection()
    conn.execute(upserts.insert(conn, _credit)
                 .values(member_id=member_id, credit_limit=0, balance=0, updated_at=utcnow(),
                         updated_by=user_id)
                 .on_conflict_do_nothing())


def set_limit(session: Session, member_id: int, limit: int, user_id: int, *,
              today: date | None = None, now: datetime | None = None) -> int:
    """A manager sets the member's kasbon limit (0: no kasbon); logged as an entry of 0, at
    ``now`` (by default the clock's).

    A limit below what is owed is allowed: it only stops new kasbon.  Returns the limit.
    """
    require_right(session, user_id, "manage", "Hanya manajer yang dapat mengatur batas kasbon.")
    if not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise CreditError(f"Batas kasbon harus antara Rp0 dan {format_rupiah(MAX_LIMIT)}.")
    _member(session, member_id)
    _ensure_row(session, member_id, user_id)
    row = session.execute(select(MemberCredit).where(MemberCredit.member_id == member_id)
                          .with_for_update().execution_options(populate_existing=True)).scalar_one()
    before = row.credit_limit
    if before == limit:
        return limit
    now = now or utcnow()
    row.credit_limit, row.updated_by, row.updated_at = limit, user_id, now
    _entry(session, member_id=member_id, kind=EntryKind.ADJUSTMENT, amount=0, user_id=user_id,
           business_date=today or local_date(now, DefaultConfig.TIMEZONE), now=now,
           note=f"Batas kasbon {format_rupiah(before)} menjadi {format_rupiah(limit)}")
    return limit


def adjust(session: Session, *, member_id: int, amount: int, user_id: int, note: str,
           business_date: date, now: datetime, sale_id: int | None = None,
           document_id: int | None = None, approved_by: int | None = None) -> int:
    """A manager's correction of the balance (+ or -, with why; ``sale_id`` for a return of that
    sale's goods, ``document_id`` for a cancelled repayment's cancellation); never below zero.
    ``user_id`` made it: a manager, or the cashier whose return or cancellation the manager
    ``approved_by`` approved (the entry keeps both)."""
    require_right(session, user_id if approved_by is None else approved_by, "manage",
                  "Hanya manajer yang dapat mengoreksi kasbon.")
    note = (note or "").strip()
    if not isinstance(amount, int) or amount == 0 or not note:
        raise CreditError("Koreksi kasbon perlu jumlah (bukan nol) dan alasannya.")
    _member(session, member_id)
    _ensure_row(session, member_id, user_id)
    row = session.execute(select(MemberCredit).where(MemberCredit.member_id == member_id)
                          .with_for_update().execution_options(populate_existing=True)).scalar_one()
    if row.balance + amount < 0:
        raise CreditError(f"Koreksi membuat kasbon di bawah nol (kasbon {format_rupiah(row.balance)}).")
    row.balance += amount
    _entry(session, member_id=member_id, kind=EntryKind.ADJUSTMENT, amount=amount, user_id=user_id,
           business_date=business_date, now=now, note=note[:200], sale_id=sale_id,
           document_id=document_id, approved_by=approved_by)
    return row.balance


OPENING_NOTE = "Saldo awal kasbon (buku lama)"


def set_opening(session: Session, *, member_id: int, amount: int, since: date, user_id: int,
                now: datetime, entry_id: int | None = None) -> int | None:
    """The member's saldo awal kasbon (what the paper books say was owed, dated ``since``): a
    new entry, or the entry ``entry_id`` changed to it (0: removed), the balance moved by the
    difference and never below zero.  Returns the entry's id (None once removed)."""
    _member(session, member_id)
    _ensure_row(session, member_id, user_id)
    row = session.execute(select(MemberCredit).where(MemberCredit.member_id == member_id)
                          .with_for_update().execution_options(populate_existing=True)).scalar_one()
    entry = session.get(CreditEntry, entry_id) if entry_id is not None else None
    change = amount - (entry.amount if entry is not None else 0)
    if row.balance + change < 0:
        raise CreditError(f"Saldo awal kasbon {format_rupiah(amount)} lebih kecil dari angsuran yang sudah "
                          f"diterima (kasbon sekarang {format_rupiah(row.balance)}).")
    row.balance += change
    row.updated_at = now
    if entry is None:
        return _entry(session, member_id=member_id, kind=EntryKind.ADJUSTMENT, amount=amount, user_id=user_id,
                      business_date=since, now=now, note=OPENING_NOTE).id
    if amount == 0:
        session.delete(entry)
        return None
    entry.amount, entry.business_date, entry.created_at, entry.user_id = amount, since, now, user_id
    return entry.id
