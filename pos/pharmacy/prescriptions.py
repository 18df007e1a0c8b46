"""A prescription typed at the till for an obat keras (pure): doctor, date, number, and the
apoteker who approved it.

``read`` checks what the dialog sent: every field filled and none longer than its column
(refused, never cut), the date neither in the future nor older than ``RX_MAX_AGE_DAYS``;
``label`` is how the cart shows it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pos.errors import PosError, typed

_DR = re.compile(r"^dr\.?\s+", re.IGNORECASE)
_TITLED = re.compile(r"^(drg|prof)\b", re.IGNORECASE)   # a dentist, a professor: their own title


class PrescriptionError(PosError):
    """A prescription that cannot be taken: nothing changes."""


@dataclass(frozen=True)
class Prescription:
    doctor: str
    rx_date: date
    number: str
    pharmacist_id: int | None = None

    def columns(self) -> dict:
        """The cart line's columns that hold it."""
        return {"rx_doctor": self.doctor, "rx_date": self.rx_date, "rx_number": self.number,
                "pharmacist_id": self.pharmacist_id}


def _text(value: str | None, limit: int, what: str, field: str) -> str:
    """The field with its spaces collapsed; longer than its column holds is refused, never cut."""
    try:
        return typed(" ".join((value or "").split()), limit, what, PrescriptionError)
    except PrescriptionError as problem:
        raise PrescriptionError(problem.message, field=field) from None


def read(doctor: str | None, rx_date: date | None, number: str | None, *, today: date,
         max_age_days: int) -> Prescription:
    """The prescription the dialog sent, or ``PrescriptionError`` saying what is wrong and
    naming the field refused (``field``: the first of them when several are missing)."""
    doctor = _text(_DR.sub("", " ".join((doctor or "").split())), 100, "Nama dokter", "rx_doctor")
    number = _text(number, 40, "Nomor resep", "rx_number")
    missing = [(label, field) for label, field, value in (
        ("nama dokter", "rx_doctor", doctor), ("tanggal resep", "rx_date", rx_date),
        ("nomor resep", "rx_number", number)) if not value]
    if missing:
        raise PrescriptionError("Isi " + ", ".join(label for label, _ in missing) + ".",
                                field=missing[0][1])
    if rx_date > today:
        raise PrescriptionError(f"Tanggal resep {rx_date:%d-%m-%Y} belum tiba.", field="rx_date")
    if rx_date < today - timedelta(days=max_age_days):
        raise PrescriptionError(f"Resep tanggal {rx_date:%d-%m-%Y} sudah lebih dari "
                                f"{max_age_days} hari: minta resep baru.", field="rx_date")
    return Prescription(doctor, rx_date, number)


def doctor_named(doctor: str) -> str:
    """The doctor as the receipt and the register write them: ``dr. Sari`` (the ``dr.`` typed
    is taken off when read, ``read``), but ``drg. Sari Wulandari, Sp.KG`` as typed (it was
    written ``dr. drg. Sari``)."""
    return doctor if _TITLED.match(doctor or "") else f"dr. {doctor}"


def label(number: str, doctor: str | None, pharmacist: str | None) -> str:
    """``Resep No. 12/XI · dr. Sari · disetujui apoteker Rina`` (the cart's line)."""
    parts = [f"Resep No. {number}"] + ([doctor_named(doctor)] if doctor else [])
    return " · ".join(parts + ([f"disetujui apoteker {pharmacist}"] if pharmacist else []))
