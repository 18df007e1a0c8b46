"""What stock counts and adjustments share: the goods and batch checks, the below-zero
rule and the approver rule.

Below zero.  A batch never goes below zero, nor does a product whose policy blocks
negative stock.  A write-off (pemusnahan) never takes *any* product below zero,
whatever its policy: goods that are not there cannot be destroyed.  A product that
may be sold below zero may also be adjusted or counted below zero.  The rule is
checked when a request is made (counting the other decreases still waiting) and
again, against the stock of that moment, when it is approved; the stock update
itself is guarded in SQL (``stock.apply``), so a sale in between cannot slip past.

Approver.  A manager or admin who did not make what is approved (the one rule in
``auth.service.require_right``), unless the outlet allows self-approval
(``POS_SELF_APPROVAL``, for an outlet with one manager); such an approval is
recorded as a self-approval and shown on the screens.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.service import require_right
from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product, StockPolicy
from pos.inventory.models import Batch
from pos.units import BaseUnit


class AdjustmentError(PosError):
    pass


def approver(session: Session, user_id: int, made_by: set[int | None], allow_self: bool,
             refusal: str = "Hanya manajer yang boleh menyetujui atau menolak.",
             own: str = "Pengajuan ini Anda buat sendiri") -> bool:
    """Check the approver; True when it is a (permitted) self-approval."""
    user = require_right(session, user_id, "manage", refusal, made_by=made_by, allow_self=allow_self,
                         own=own)
    return user.id in made_by


def require_manager(session: Session, user_id: int) -> None:
    """The user must be an active manager or admin (rejecting needs no second person)."""
    require_right(session, user_id, "manage", "Hanya manajer yang boleh menyetujui atau menolak.")


def checked_product(session: Session, product_id: int | None) -> Product:
    product = session.get(Product, product_id) if product_id else None
    if product is None:
        raise AdjustmentError("Barang tidak ditemukan. Pindai atau cari ulang barangnya.")
    return product


def checked_batch(session: Session, product: Product, batch_id: int | None) -> Batch | None:
    """The batch of ``product`` named by ``batch_id``: required exactly for batch-tracked goods."""
    if not product.batch_tracked:
        if batch_id is not None:
            raise AdjustmentError(f"{product.name} tidak dicatat per batch.")
        return None
    if batch_id is None:
        raise AdjustmentError(f"{product.name} dicatat per batch: pilih batchnya.")
    batch = session.get(Batch, batch_id)
    if batch is None or batch.product_id != product.id:
        raise AdjustmentError(f"Batch itu bukan milik {product.name}. Pilih ulang batchnya.")
    return batch


# A count above this (1 t, 1.000 l, 10.000 pcs) and 10x what the system holds is asked about: a count
# typed in grams, a barcode in the box. The clerk confirms a true one (a first count of goods on hand).
TYPO_ABOVE = {BaseUnit.PCS: 10_000, BaseUnit.GRAM: 1_000_000, BaseUnit.ML: 1_000_000}


class UnlikelyCount(PosError):
    """A count far above what the system holds: saved only once the clerk confirms that amount."""
    def __init__(self, message: str, counted: int, unit: BaseUnit):
        super().__init__(message)
        self.counted, self.unit = counted, unit


def refuse_unlikely(unit: BaseUnit, counted: int, expected: int, sure: int | None) -> None:
    """``UnlikelyCount`` for a count far above ``expected`` unless ``sure`` confirms that very count."""
    if counted > TYPO_ABOVE[unit] and counted > 10 * max(expected, 0) and sure != counted:
        raise UnlikelyCount(f"Jumlah dihitung {unit.with_unit(counted)} jauh di atas stok tercatat "
                            f"{unit.with_unit(expected)}: periksa ketikannya (harga atau barcode?). "
                            "Bila benar, centang konfirmasinya lalu simpan lagi.", counted, unit)


def product_batches(session: Session, product_id: int) -> list[stock.BatchStock]:
    """Every batch of the product, empty ones too (a count may find goods in them)."""
    rows = session.execute(
        select(Batch.id, Batch.batch_no, Batch.expiry, Batch.on_hand)
        .where(Batch.product_id == product_id)
        .order_by(Batch.expiry.is_(None), Batch.expiry, Batch.id))
    return [stock.BatchStock(*row) for row in rows]


def guarded(policy: StockPolicy, batch_id: int | None, writeoff: bool = False) -> bool:
    """May this change not take the stock below zero (see the module's rule)?"""
    return batch_id is not None or writeoff or policy is StockPolicy.BLOCK


def shortfall(session: Session, product: Product, batch_id: int | None, qty: int, *,
              writeoff: bool = False, waiting: int = 0) -> int | None:
    """What is held now, when adding ``qty`` (after ``waiting``, other decreases not yet
    approved) would take guarded stock below zero; ``None`` when the change may go ahead."""
    if qty >= 0 or not guarded(product.stock_policy, batch_id, writeoff):
        return None
    have = stock.held(session, product.id, batch_id)
    return have if have + waiting + qty < 0 else None


def stock_move(product: Product, qty: int, batch_id: int | None, writeoff: bool = False, *,
               unit_cost: int) -> stock.Move:
    """The movement, guarded in SQL exactly where the below-zero rule applies, valued at
    ``unit_cost`` (the day's journal books it so)."""
    return stock.Move(product.id, qty, guarded(product.stock_policy, batch_id, writeoff), product.name,
                      batch_id, unit_cost)


def what(product: Product, batch_no: str | None) -> str:
    return f"{product.name} batch {batch_no}" if batch_no else product.name


def amount(product: Product, qty: int) -> str:
    """``qty`` base units as people read them: ``3 pcs``, ``9,945 kg``."""
    unit = BaseUnit(product.base_unit)
    return unit.with_unit(qty)
