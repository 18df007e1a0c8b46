"""A batch's expiry recorded wrong at receiving, corrected by a manager.

A year typed long (06-12-2028 for 06-12-2026) would let the till sell the batch after it has
expired; one typed short blocks it too early. The receipt's own correction takes back all it
brought in, so once some of the batch is sold it cannot be used; this changes the date alone,
the stock untouched, and logs who, why and what it was on the managers' log of overrides
(``approvals``). A date already past makes the batch expired at once: the till no longer sells
it, and it is listed for write-off.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.approvals import service as approvals
from pos.auth.service import require_right
from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.products import get_product
from pos.inventory.models import Batch
from pos.text import clean

KIND = "batch_expiry"
REASON_MAX = 200


class BatchFixError(PosError):
    pass


def correct_expiry(session: Session, *, batch_id: int, expiry: date, reason: str, user_id: int,
                   today: date) -> str:
    """Set the batch's expiry to ``expiry`` (a manager only, with a reason); what was done, said."""
    require_right(session, user_id, "manage", "Hanya manajer yang dapat memperbaiki tanggal "
                  "kedaluwarsa batch.")
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("Batch tidak ditemukan.")
    product = get_product(session, batch.product_id)
    reason = clean(reason or "").strip()[:REASON_MAX]
    if not reason:
        raise BatchFixError("Tulis alasannya, misalnya: tahun salah ketik saat penerimaan.")
    if expiry == batch.expiry:
        raise BatchFixError(f"Batch {batch.batch_no} sudah tercatat kedaluwarsa {expiry:%d-%m-%Y}.")
    before = f"kedaluwarsa {batch.expiry:%d-%m-%Y}" if batch.expiry else "tanpa tanggal kedaluwarsa"
    after = f"kedaluwarsa {expiry:%d-%m-%Y}"
    stock.set_expiry(session, batch.id, expiry)
    approvals.log(session, kind=KIND, what=f"Batch {batch.batch_no} {product.name}", asked_by=user_id,
                  approved_by=user_id, reason=reason, before=before, after=after, till_id=None)
    was = before.removeprefix("kedaluwarsa ")
    done = f"Batch {batch.batch_no} {product.name}: {after} (sebelumnya {was})."
    if expiry <= today:
        done += " Batch ini sekarang kedaluwarsa: tidak dijual lagi; musnahkan sisanya."
    return done
