"""What keeps the gerai's records right and safe: the clock, the ledger queue to the
cooperative's hub, the backups (the warnings the home page already had, now with figures), and
the settings kept outside the database (the HET zone, cash rounding)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.backup import record
from pos.clock import to_local, utc_iso
from pos.config import ENV_FILE, setting_line
from pos.health_checks.check import Check, Level
from pos.het.models import CeilingPrice
from pos.het.service import zone_of
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger.outbox import state as ledger_state
from pos.money import format_rupiah
from pos.sales.models import Payment, PaymentMethod, Sale
from pos.shifts.clock_check import SKEW, newest_record, plausible


def clock(session: Session, now: datetime, zone: str) -> Check:
    """The system clock is plausible and not before the newest sale, shift or closed day (the
    same record a new shift and a day's closing are refused behind: ``shifts.clock_check``)."""
    newest = newest_record(session)
    behind = int((newest - now).total_seconds()) if newest and newest > now else 0
    figures = {"now": utc_iso(now, "seconds"), "newest_record": utc_iso(newest, "seconds"),
               "behind_s": behind}
    shown = f"{to_local(now, zone):%d-%m-%Y %H:%M}"
    fix = ("Setel tanggal dan jam: sambungkan ke internet lalu sudo timedatectl set-ntp true, atau "
           "sudo timedatectl set-time 'YYYY-MM-DD HH:MM:SS'. Jika terjadi setiap kali mini-PC "
           "dinyalakan, ganti baterai jam (CMOS) di papan induknya.")
    if not plausible(now):
        return Check("clock", Level.ERROR, "Jam komputer", shown, figures, {},
                     f"Jam komputer menunjukkan {shown}: tanggal itu tidak mungkin benar, "
                     "jadi penjualan tercatat pada hari yang salah.", fix)
    if newest is not None and newest - now > SKEW:
        last = f"{to_local(newest, zone):%d-%m-%Y %H:%M}"
        return Check("clock", Level.ERROR, "Jam komputer", shown, figures, {},
                     f"Jam komputer ({shown}) lebih awal daripada catatan terakhir ({last}): "
                     "penjualan baru akan tercatat pada waktu yang salah.", fix)
    return Check("clock", Level.OK, "Jam komputer", shown, figures)


def ledger(session: Session, now: datetime, config: Mapping) -> Check:
    """Documents waiting for the hub: stuck when the oldest waits too long, or one was refused."""
    state = ledger_state(session)
    oldest = session.scalar(select(func.min(LedgerOutbox.created_at))
                            .where(LedgerOutbox.status == OutboxStatus.PENDING))
    age = max(int((now - oldest).total_seconds()), 0) if oldest else None
    figures = {"queued": state.pending, "rejected": state.rejected, "oldest_age_s": age}
    details = {"last_error": state.last_error} if state.last_error else {}
    summary = f"{state.pending} menunggu, {state.rejected} ditolak" if state.pending or state.rejected \
        else "semua terkirim"
    if state.rejected:
        return Check("ledger", Level.WARN, "Buku besar koperasi", summary, figures, details,
                     f"{state.rejected} dokumen buku besar ditolak hub koperasi.",
                     "Buka Buku besar, lihat galat dokumen yang ditolak, dan hubungi pengurus koperasi.")
    if state.held_at_outlet:   # documents of another outlet code: the outlet's setting, never sent
        return Check("ledger", Level.WARN, "Buku besar koperasi", summary, figures, details,
                     f"Dokumen buku besar tidak dikirim: {_sentence(state.refusal)}",
                     "Kembalikan POS_OUTLET_CODE ke kode gerai yang membuat dokumen itu (dengan "
                     "POS_LEDGER_TOKEN dan POS_LEDGER_SECRET gerai itu di hub), lalu jalankan pos "
                     "ledger push.")
    if state.refused_credentials:   # no waiting for the queue to age: nothing goes until fixed
        refusal = state.refusal     # "(HTTP 401): Gerai atau token tidak dikenal hub."
        return Check("ledger", Level.WARN, "Buku besar koperasi", summary, figures, details,
                     "Hub koperasi menolak kiriman gerai ini" + (" " if refusal.startswith("(") else ": ")
                     + _sentence(refusal),
                     "Periksa POS_OUTLET_CODE, POS_LEDGER_TOKEN dan POS_LEDGER_SECRET (dari pos "
                     "ledger-hub outlet add), jam komputer, dan apakah gerai aktif di hub; lalu "
                     "jalankan pos ledger push.")
    if age is not None and age >= config["LEDGER_STUCK_HOURS"] * 3600:
        hours = age // 3600
        fix = ("Alamat hub belum diatur: isi POS_LEDGER_URL, POS_LEDGER_TOKEN dan POS_LEDGER_SECRET "
               "(dari pos ledger-hub outlet add), lalu jalankan pos ledger push." if not config["LEDGER_URL"]
               else "Periksa sambungan internet, lalu buka Buku besar dan tekan Kirim sekarang "
                    "(atau jalankan pos ledger push).")
        return Check("ledger", Level.WARN, "Buku besar koperasi", summary, figures, details,
                     f"Antrean buku besar macet: {state.pending} dokumen belum terkirim, "
                     f"yang tertua sudah {hours // 24} hari {hours % 24} jam.", fix)
    return Check("ledger", Level.OK, "Buku besar koperasi", summary, figures, details)


def _sentence(text: str) -> str:
    """``text`` ended by one full stop (the hub's message may carry its own)."""
    return text if text.endswith((".", "!", "?")) else text + "."


def backup(instance: str | Path, now: datetime, zone: str) -> Check:
    """The last backup by ``pos backup`` (SQLite or PostgreSQL), as ``backup.record`` has it; one
    dated after now (the clock ran fast when it was made) is a problem, never "just made"."""
    status = record.read(instance)
    age = int((now - status.last_ok).total_seconds()) if status.last_ok else None
    later = record.ahead(status, now)
    figures = {"age_s": None if age is None else max(age, 0), "failed": status.failed_at is not None,
               "ahead_s": int((later - now).total_seconds()) if later else 0}
    found = record.problem(instance, now, zone)
    summary = ("belum dicadangkan sejak dipulihkan" if status.restored_since() else
               "belum pernah" if status.last_ok is None else
               "lebih baru dari jam komputer" if later else record.ago(now, status.last_ok))
    if found:
        return Check("backup", Level.WARN, "Cadangan", summary, figures, {"message": status.message},
                     found[0], found[1])
    return Check("backup", Level.OK, "Cadangan", summary, figures)


def het_zone(session: Session, config: Mapping, instance: str | Path) -> Check:
    """Ceiling prices recorded per zone apply only when ``POS_HET_ZONE`` names one of them: a
    typo or an empty setting leaves SPHP rice at its every-zone ceiling or none."""
    zone = zone_of(config) or ""
    zones = sorted(session.scalars(select(CeilingPrice.zone).where(CeilingPrice.zone.is_not(None))
                                   .distinct()))
    figures = {"zone": zone or None, "zones": zones}
    shown = f"zona {zone}" if zone else "tanpa zona"
    if not zones or zone in zones:
        return Check("het_zone", Level.OK, "Zona HET", shown, figures)
    listed = ", ".join(zones)
    setting = f"POS_HET_ZONE {zone!r}" if zone else "POS_HET_ZONE kosong"
    return Check("het_zone", Level.WARN, "Zona HET", shown, figures, {},
                 f"HET per zona tercatat untuk zona {listed}, tetapi {setting}: HET zona itu tidak "
                 "berlaku di gerai ini, hanya HET untuk semua zona.",
                 f"Isi zona gerai ini ({listed}), mis. {setting_line('HET_ZONE', zones[0], instance)}, "
                 "lalu mulai ulang server.")


def cash_rounding(session: Session, config: Mapping, instance: str | Path) -> Check:
    """``POS_CASH_ROUNDING`` 0 while the newest cash sale was rounded: the setting was lost (a
    restore onto a fresh mini-PC without the gerai's settings file), and the till no longer
    rounds cash to the coins its drawer holds. 0 before any cash sale (a new gerai) is a warning
    too: the till would ask the drawer for change of Rp1-Rp99. A cash sale made unrounded
    (rounding turned off on purpose) ends the warning."""
    coin = config["CASH_ROUNDING"]
    newest = None if coin else session.execute(
        select(Sale.receipt_no, Sale.rounding).join(Payment, Payment.sale_id == Sale.id)
        .where(Payment.method == PaymentMethod.CASH).order_by(Sale.id.desc()).limit(1)).first()
    figures = {"coin": coin, "newest_cash_rounding": newest.rounding if newest else None}
    shown = f"ke {format_rupiah(coin)}" if coin else "mati"
    if coin or (newest is not None and newest.rounding == 0):
        return Check("cash_rounding", Level.OK, "Pembulatan tunai", shown, figures)
    if newest is None:   # a new gerai: not set yet, and nothing sold says it is off on purpose
        return Check("cash_rounding", Level.WARN, "Pembulatan tunai", shown, figures, {},
                     "Pembulatan tunai mati (POS_CASH_ROUNDING 0): kasir akan meminta laci memberi "
                     "kembalian Rp1 sampai Rp99, padahal koin terkecil di laci biasanya Rp100.",
                     f"Isi {setting_line('CASH_ROUNDING', 100, instance)} (koin terkecil untuk "
                     "kembalian), lalu mulai ulang server. Bila gerai memang tidak membulatkan, "
                     "peringatan ini hilang setelah penjualan tunai pertama.")
    return Check("cash_rounding", Level.WARN, "Pembulatan tunai", shown, figures, {},
                 f"Pembulatan tunai mati (POS_CASH_ROUNDING 0), padahal penjualan tunai terakhir "
                 f"({newest.receipt_no}) dibulatkan. Setelan gerai di luar basis data ({ENV_FILE} atau "
                 f"{Path(instance) / 'pos.cfg'}) mungkin hilang, mis. setelah pos restore ke mini-PC baru.",
                 "Pulihkan salinan berkas setelan gerai bila ada, atau isi "
                 f"{setting_line('CASH_ROUNDING', 100, instance)} (koin terkecil untuk kembalian), lalu "
                 "mulai ulang server. Bila pembulatan memang sengaja dimatikan, peringatan ini hilang "
                 "setelah penjualan tunai berikutnya.")
