"""The register's fields as typed on the form or in a file: each checked and turned into the
value stored, with one Indonesian message per fault (no database: uniqueness is in ``register``).
"""
from __future__ import annotations

import re
from datetime import date

from pos.errors import PosError
from pos.inventory.catalog.barcodes import BarcodeProblem, validate_scan
from pos.members.nik import NikError, check_nik
from pos.members.service import normalize_phone

FIELDS = ("number", "name", "nik", "phone", "card_barcode", "joined_on", "address")
LABELS = {"number": "Nomor anggota", "name": "Nama", "nik": "NIK", "phone": "Nomor HP",
          "card_barcode": "Kartu", "joined_on": "Tanggal masuk", "address": "Alamat",
          "status": "Status"}
STATUSES = {"aktif": True, "nonaktif": False}
FIRST_YEAR = 1945
_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9./-]{0,31}")  # ASCII only
_DATE_DMY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class FieldErrors(PosError):
    """Faults by field (``errors``: field -> message); nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("Belum tersimpan: " + " ".join(errors.values()))
        self.errors = errors


def clean_number(text: str) -> str:
    number = " ".join((text or "").split()).upper()
    if not number:
        raise PosError("Nomor anggota wajib diisi.")
    if not _NUMBER.fullmatch(number):
        raise PosError("Nomor anggota 1-32 huruf A-Z, angka, titik, garis miring atau tanda hubung, "
                       "diawali huruf atau angka.")
    return number


def clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise PosError("Nama wajib diisi.")
    if len(name) > 120:
        raise PosError("Nama paling panjang 120 huruf.")
    return name


def clean_nik(text: str) -> str | None:
    return check_nik(text) if (text or "").strip() else None


def clean_phone(text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("8") and text.isascii() and text.isdigit():
        text = "0" + text   # a spreadsheet that took the number for a number dropped the 0
    phone = normalize_phone(text)
    if phone is None:
        raise PosError("Nomor HP tidak dikenali; tulis nomor seluler seperti 0812-3456-7890 atau "
                       "+62 812 3456 7890.")
    return phone


def clean_card(text: str) -> str | None:
    card = (text or "").strip()
    if not card:
        return None
    try:
        code = validate_scan(card)
    except BarcodeProblem as problem:
        # typed, scanned or read from a file: "Pindai ulang" said nothing to an import's row
        said = str(problem).replace(" Pindai ulang.", " Periksa kode kartunya.")
        raise PosError(f"Kartu: {said}") from None
    if code != card or len(code) > 32:
        raise PosError("Kartu: kode tidak sah (tanpa spasi, paling panjang 32 huruf).")
    return code


def parse_join_date(text: str, today: date) -> date:
    """``15-11-2026``, ``15/11/2026`` or ``2026-11-15``: a real date from 1945 up to today."""
    raw = (text or "").strip()
    if match := _DATE_DMY.fullmatch(raw):
        day, month, year = map(int, match.groups())
    elif match := _DATE_ISO.fullmatch(raw):
        year, month, day = map(int, match.groups())
    else:
        raise PosError("Tanggal masuk tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.")
    try:
        value = date(year, month, day)
    except ValueError:
        raise PosError(f"Tanggal masuk {day:02d}-{month:02d}-{year:04d} tidak ada di kalender.") \
            from None
    if value.year < FIRST_YEAR or value > today:
        raise PosError(f"Tanggal masuk harus antara {FIRST_YEAR} dan hari ini "
                       f"({today:%d-%m-%Y}).")
    return value


def clean_address(text: str) -> str | None:
    address = " ".join((text or "").split())
    if len(address) > 200:
        raise PosError("Alamat paling panjang 200 huruf.")
    return address or None


def clean_status(text: str) -> bool:
    status = (text or "").strip().lower()
    if status not in STATUSES:
        raise PosError("Status harus aktif atau nonaktif.")
    return STATUSES[status]


def clean_all(form: dict[str, str], today: date) -> dict:
    """Every given field as stored; ``FieldErrors`` with every fault at once.

    A blank join date is today; a blank status is aktif."""
    values, errors = clean_each(form, today)
    if errors:
        raise FieldErrors(errors)
    return values


def clean_each(form: dict[str, str], today: date) -> tuple[dict, dict[str, str]]:
    """The fields that are right, as stored, and the fault of each that is not: a form with a
    wrong phone still has its number checked against the register, so every mistake shows at once."""
    cleaners = {"number": clean_number, "name": clean_name, "nik": clean_nik, "phone": clean_phone,
                "card_barcode": clean_card, "address": clean_address, "status": clean_status,
                "joined_on": lambda t: parse_join_date(t, today) if (t or "").strip() else today}
    values, errors = {}, {}
    for field, cleaner in cleaners.items():
        if field not in form:
            continue
        if field == "status" and not (form[field] or "").strip():
            continue
        try:
            values[field] = cleaner(form[field])
        except (PosError, NikError) as error:
            errors[field] = error.message
    if "status" in values:
        values["active"] = values.pop("status")
    return values, errors
