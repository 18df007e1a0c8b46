"""Outlet settings a manager changes on screen: read, change (logged), the static QRIS, PKP.

``put`` records every change (who, when, the old and the new value) in the same
transaction, and a value that did not change writes nothing.  The static QRIS is
checked with ``pos.payments.qris`` before it is stored, so the till can always
make a dynamic QR from a stored one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import utcnow
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.money import format_rupiah
from pos.payments import qris
from pos.settings.models import OutletSetting, OutletSettingChange
from pos.sql_direct import Direct

QRIS_STATIC = "qris_static"
PKP = "pkp"  # "true" / "false": does the outlet collect PPN (PKP)? Absent: POS_PKP decides.
KEYS = frozenset({QRIS_STATIC, PKP})
LABELS = {QRIS_STATIC: "QRIS statis", PKP: "Status PKP"}  # as the change log names them
MAX_VALUE = 512  # a QRIS payload is at most a few hundred characters


@dataclass(frozen=True)
class Change:
    key: str
    old_value: str | None
    new_value: str | None
    user_id: int | None
    user_name: str | None
    changed_at: datetime


_settings_t = OutletSetting.__table__
# Built once: the till reads PKP on every scan, and building the statement and running it
# through the ORM cost several times the primary-key read itself.
_GET = Direct(select(_settings_t.c.value).where(_settings_t.c.key == bindparam("key")))


def get(session: Session, key: str) -> str | None:
    """The stored value of ``key``, or None when it was never set (or was cleared)."""
    session.flush()  # a change made earlier in this session counts (a no-op when none)
    return _GET.scalar(session.connection(), {"key": key})


def put(session: Session, key: str, value: str | None, user_id: int | None,
        was: str | None = None) -> bool:
    """Store ``value`` (None clears it) and log the change; False when nothing changed.  With
    nothing stored, the log's "before" is ``was``: what was in force (the configuration's)."""
    if key not in KEYS:
        raise PosError(f"Pengaturan {key!r} tidak dikenal.")
    if value is not None and len(value) > MAX_VALUE:
        raise PosError(f"Nilai pengaturan terlalu panjang (maksimal {MAX_VALUE} karakter).")
    row = session.get(OutletSetting, key, with_for_update=True)
    old = row.value if row is not None else None
    if old == value:
        return False
    old = old if row is not None else was
    if value is None:
        session.delete(row)
    elif row is None:
        session.add(OutletSetting(key=key, value=value, updated_by=user_id, updated_at=utcnow()))
    else:
        row.value, row.updated_by, row.updated_at = value, user_id, utcnow()
    session.add(OutletSettingChange(key=key, old_value=old, new_value=value, user_id=user_id,
                                    changed_at=utcnow()))
    session.flush()
    return True


def put_qris_static(session: Session, payload: str, user_id: int | None) -> bool:
    """Check and store the outlet's static QRIS (empty text clears it); a bad one changes nothing.
    The CRC (tag 63, last) is stored in capitals as the standard writes it (``qris.parse`` takes
    ``747e`` too), so the same QRIS is the same text: saving it again, in either case, is no
    change, also against one stored as typed before."""
    payload = payload.strip()
    if not payload:
        return put(session, QRIS_STATIC, None, user_id)
    parsed = qris.parse(payload)
    if parsed.amount is not None or parsed.is_dynamic:
        raise qris.QrisError("Ini QRIS dinamis (sudah bernominal); tempelkan QRIS statis merchant.")
    if parsed.get("53") != "360" or parsed.get("58") != "ID":
        raise qris.QrisError(f"QRIS ini bukan untuk Rupiah di Indonesia (mata uang {parsed.get('53')}, "
                             f"negara {parsed.get('58')}); yang diharapkan 360 dan ID.")
    if not (parsed.merchant_name or "").strip():  # tag 59 is mandatory: the till shows it
        raise qris.QrisError("QRIS ini tidak punya nama merchant (tag 59); tempelkan QRIS statis "
                             "yang dicetak bank atau penyedia QRIS.")
    payload = payload[:-4] + payload[-4:].upper()   # parsed: the last four are tag 63's value
    stored = get(session, QRIS_STATIC)
    if stored is not None and stored[:-4] + stored[-4:].upper() == payload:
        return False
    return put(session, QRIS_STATIC, payload, user_id)


NO_QRIS = "QRIS belum diatur: manajer mengisi QRIS statis gerai di Pengaturan."


def qris_static(session: Session, config: Mapping) -> str | None:
    """The static QRIS from the Pengaturan screen, else ``POS_QRIS_STATIC``, else None."""
    stored = get(session, QRIS_STATIC)
    if stored:
        return stored
    configured = str(config.get("QRIS_STATIC") or "").strip()
    return configured or None


def pkp(session: Session, config: Mapping) -> bool:
    """Is the outlet PKP (collects PPN) now: the stored setting, else ``POS_PKP`` (default no).

    One primary-key read, so the till reads it on every request and a change made on the
    Pengaturan screen or by ``pos init --pkp`` applies to the next sale.
    """
    stored = get(session, PKP)
    if stored is not None:
        return stored == "true"
    return config.get("PKP") is True or str(config.get("PKP")).lower() == "true"


def pkp_source(session: Session) -> str:
    """Where the outlet's PKP status comes from, for the screen."""
    return "Pengaturan" if get(session, PKP) is not None else "POS_PKP"


def put_pkp(session: Session, value: str | bool, user_id: int | None,
            config: Mapping | None = None) -> bool:
    """Store whether the outlet is PKP (logged); anything but true/false changes nothing.
    The first one stored is logged against what ``config`` (``POS_PKP``) had in force: Tidak ->
    Ya, not (kosong) -> Ya.

    Sales from then on are priced with it; past sales keep the tax they stored.
    """
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value not in ("true", "false"):
        raise PosError("Status PKP tidak sah: pilih ya atau tidak.", 400)
    was = None if config is None else ("true" if pkp(session, config) else "false")
    return put(session, PKP, value, user_id, was)


def changes(session: Session, key: str | None = None, limit: int = 20) -> list[Change]:
    """The latest changes, newest first (of one ``key`` when given)."""
    query = (select(OutletSettingChange, User.full_name)
             .outerjoin(User, User.id == OutletSettingChange.user_id)
             .order_by(OutletSettingChange.id.desc()).limit(limit))
    if key is not None:
        query = query.where(OutletSettingChange.key == key)
    return [Change(c.key, c.old_value, c.new_value, c.user_id, name, c.changed_at)
            for c, name in session.execute(query)]


PAPER = {32: "kertas 58 mm", 48: "kertas 80 mm"}


def outlet_facts(config: Mapping) -> list[tuple[str, str, str]]:
    """The outlet's settings that only its configuration changes, as (label, text, key) for the
    screen: the key is the one to write in pos.cfg (``POS_`` + key in the environment), so a
    manager checks each against the paper at hand. PKP is not one: Pengaturan's own form sets
    it, ``pkp_source`` says from where."""
    rounding = int(config.get("CASH_ROUNDING") or 0)
    columns = int(config.get("RECEIPT_COLUMNS") or 0)
    paper = f" ({PAPER[columns]})" if columns in PAPER else ""
    void = config.get("VOID_APPROVAL_ABOVE", DefaultConfig.VOID_APPROVAL_ABOVE)

    def text(key: str, empty: str = "(kosong)") -> str:
        return str(config.get(key) or "").strip() or empty

    return [
        ("Nama gerai", text("OUTLET_NAME"), "OUTLET_NAME"),
        ("Kode gerai", text("OUTLET_CODE"), "OUTLET_CODE"),
        ("Alamat", text("OUTLET_ADDRESS"), "OUTLET_ADDRESS"),
        ("NPWP", text("OUTLET_NPWP"), "OUTLET_NPWP"),
        ("Zona waktu", text("TIMEZONE"), "TIMEZONE"),
        ("Zona HET", text("HET_ZONE", "(kosong: hanya HET semua zona)"), "HET_ZONE"),
        ("Pembulatan tunai", format_rupiah(rounding) if rounding else "Tidak ada", "CASH_ROUNDING"),
        ("Lebar kertas struk", f"{columns} karakter{paper}", "RECEIPT_COLUMNS"),
        ("Catatan kaki struk", text("RECEIPT_FOOTER"), "RECEIPT_FOOTER"),
        ("QRIS statis", "Ada" if config.get("QRIS_STATIC") else "Tidak ada", "QRIS_STATIC"),
        ("Buka laci tanpa penjualan", "Kasir sendiri (tanpa PIN manajer)"
         if config.get("CASHIER_OPENS_DRAWER") is True else "Dengan PIN manajer", "CASHIER_OPENS_DRAWER"),
        ("Hapus baris atau kosongkan keranjang", "Tanpa PIN manajer" if void is None else
         f"Di atas {format_rupiah(void)} dengan PIN manajer", "VOID_APPROVAL_ABOVE"),
    ]


def brief(key: str, value: str | None) -> str:
    """A stored value as the change logs show it (Pengaturan's and the audit log): a QRIS by
    its merchant and CRC, PKP as Ya/Tidak."""
    if value is None:
        return "(kosong)"
    if key == PKP:
        return {"true": "Ya", "false": "Tidak"}.get(value, value)
    try:
        parsed = qris.parse(value)
    except qris.QrisError:
        return value if len(value) <= 24 else value[:24] + "…"
    return f"{parsed.merchant_name or 'QRIS'} (CRC {parsed.get('63')})"
