"""A batch's expiry or number recorded wrong at receiving, corrected by a manager.

A year typed long (06-12-2028 for 06-12-2026) would let the till sell the batch after it has
expired; one typed short blocks it too early. The receipt's own correction takes back all it
brought in, so once some of the batch is sold it cannot be used; this changes the date alone,
the stock untouched, and logs who, why and what it was on the managers' log of overrides
(``approvals``). A date already past makes the batch expired at once: the till no longer sells
it, and it is listed for write-off. A date more than 5 years away is a year typed wrong unless the
manager ticks that it is right (``receiving.expiry.beyond``, as receiving asks).

A number typed wrong (B99010 for B99001) hides the batch from a recall: the manager corrects
it the same way. The receipts that brought the batch in follow it (``receiving.reversal.
batch_renamed``), so their correction still finds it; a number another batch of the product has,
as written or written another way (``stock.batch_key``: E-64514 beside E64514), is refused (the two
would be one batch, which a count or an adjustment sorts out).

Both name the product on screen as well as the batch: a batch of another product is refused, as
an adjustment's is (``checks.checked_batch``), so a changed hidden field changes nothing.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.approvals import service as approvals
from pos.auth.service import require_right
from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts.checks import checked_batch, checked_product
from pos.inventory.models import Batch
from pos.inventory.receiving.expiry import FAR_YEARS, beyond
from pos.inventory.receiving.reversal import batch_renamed
from pos.text import clean
from pos.units import BaseUnit

KIND = "batch_expiry"
NUMBER_KIND = "batch_number"
REASON_MAX = 200
FAR_LABEL = f"Kedaluwarsa lebih dari {FAR_YEARS} tahun lagi memang benar"   # the form's box, far_ok


class BatchFixError(PosError):
    pass


def correct_expiry(session: Session, *, product_id: int, batch_id: int, expiry: date, reason: str,
                   user_id: int, today: date, far_ok: bool = False) -> str:
    """Set the expiry of ``product_id``'s batch to ``expiry`` (a manager only, with a reason; a
    date more than 5 years away only with ``far_ok``, the box ticked, as receiving asks); what was
    done, said."""
    product, batch, reason = _fixing(session, product_id, batch_id, reason, user_id,
                                     "tanggal kedaluwarsa", "tahun salah ketik saat penerimaan")
    if expiry == batch.expiry:
        raise BatchFixError(f"Batch {batch.batch_no} sudah tercatat kedaluwarsa {expiry:%d-%m-%Y}.")
    if beyond(expiry, today) and not far_ok:
        raise BatchFixError(f"Batch {batch.batch_no}: kedaluwarsa {expiry:%d-%m-%Y} lebih dari "
                            f"{FAR_YEARS} tahun lagi: periksa tahunnya. Bila memang benar, centang "
                            f"“{FAR_LABEL}” lalu simpan lagi.")
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


def correct_number(session: Session, *, product_id: int, batch_id: int, batch_no: str, reason: str,
                   user_id: int) -> str:
    """Set the number of ``product_id``'s batch to ``batch_no`` (a manager only, with a reason); what
    was done, said."""
    product, batch, reason = _fixing(session, product_id, batch_id, reason, user_id, "nomor",
                                     "salah ketik dari faktur")
    new = stock.batch_number(batch_no)
    if not new:
        raise BatchFixError("Tulis nomor batch yang benar.")
    if not stock.names_a_strip(new):
        raise BatchFixError(stock.MARKS_ALONE)
    if len(new) > stock.BATCH_NO_MAX:
        raise BatchFixError(f"Nomor batch paling panjang {stock.BATCH_NO_MAX} karakter.")
    if new == batch.batch_no:
        raise BatchFixError(f"Batch ini sudah bernomor {new}.")
    key = stock.batch_key(new)   # B-77 is B77's strip, as receiving reads it
    other = next((b for b in session.scalars(select(Batch).where(
        Batch.product_id == product.id, Batch.id != batch.id).order_by(Batch.batch_no != new, Batch.id))
        if stock.batch_key(b.batch_no) == key), None)
    if other is not None:
        expiry = f", kedaluwarsa {other.expiry:%d-%m-%Y}" if other.expiry else ""
        alike = f", sama dengan {new} (hanya beda spasi atau tanda baca)" if other.batch_no != new else ""
        raise BatchFixError(f"{product.name} sudah punya batch {other.batch_no} (stok "
                            f"{BaseUnit(product.base_unit).with_unit(other.on_hand)}{expiry}){alike}: "
                            "satu nomor hanya untuk satu batch.")
    old = batch.batch_no
    stock.set_batch_no(session, batch.id, new)
    batch_renamed(session, product.id, old, new)
    approvals.log(session, kind=NUMBER_KIND, what=f"Batch {old} {product.name}", asked_by=user_id,
                  approved_by=user_id, reason=reason, before=f"nomor {old}", after=f"nomor {new}",
                  till_id=None)
    return f"Batch {product.name}: nomor {new} (sebelumnya {old})."


def _fixing(session: Session, product_id: int, batch_id: int, reason: str, user_id: int, what: str,
            example: str) -> tuple[Product, Batch, str]:
    """The product and its batch a manager corrects, and the reason given; refused for anyone else,
    for a batch of another product, or with no reason."""
    require_right(session, user_id, "manage", f"Hanya manajer yang dapat memperbaiki {what} batch.")
    if batch_id is None or session.get(Batch, batch_id) is None:
        raise NotFound("Batch tidak ditemukan.")
    product = checked_product(session, product_id)
    batch = checked_batch(session, product, batch_id)   # "Batch itu bukan milik ..." for another's
    reason = clean(reason or "").strip()[:REASON_MAX]
    if not reason:
        raise BatchFixError(f"Tulis alasannya, misalnya: {example}.")
    return product, batch, reason
