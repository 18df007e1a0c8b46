"""Suppliers a delivery comes from (Bulog, distributor pupuk, PBF, UMKM, ...), and the error
every receiving service raises."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.inventory.receiving.models import Supplier, SupplierKind

_PHONE = re.compile(r"^\+?[0-9 -]{6,20}$")


class ReceivingError(PosError):
    pass


class NotDraft(ReceivingError):
    """A change or a posting on a receipt that is no longer a draft (posted from another screen):
    the page reloads (``PosError.reload``) and shows it posted, with the message."""
    reload = True


def create_supplier(session: Session, name: str, kind: SupplierKind | str,
                    phone: str | None = None) -> int:
    """A new supplier (Bulog, pupuk distributor, PBF, UMKM ...); names are unique."""
    name = " ".join((name or "").split())
    phone = (phone or "").strip() or None
    if not 2 <= len(name) <= 100:
        raise ReceivingError("Nama pemasok 2 sampai 100 huruf.")
    if not kind:
        raise ReceivingError("Pilih jenis pemasok (Bulog, distributor pupuk, PBF, UMKM, lainnya).")
    try:
        kind = SupplierKind(kind)
    except ValueError:
        raise ReceivingError("Jenis pemasok tidak dikenal.") from None
    if phone is not None and not _PHONE.match(phone):
        raise ReceivingError("Nomor telepon pemasok hanya angka (6 sampai 20).")
    taken = session.scalars(select(Supplier.name)).all()
    if any(other.lower() == name.lower() for other in taken):
        raise ReceivingError(f"Pemasok “{name}” sudah terdaftar.")
    supplier = Supplier(name=name, kind=kind, phone=phone)
    session.add(supplier)
    session.flush()
    return supplier.id
