"""The member list as a file (CSV or XLSX, read and written by the catalog's ``spreadsheets``):
every row checked first, then all rows saved or none.

Columns: nomor, nama, nik, telepon, kartu, tanggal_masuk (dd-mm-yyyy or
YYYY-MM-DD), status (aktif / nonaktif), and optionally alamat.  A row whose
nomor exists updates that member; any other creates one (nama needed; a blank
join date is today, a blank status aktif).  For an existing member an empty cell
keeps what is stored.  Problems are reported as "Baris N: ...", numbered as in
the spreadsheet.  The export holds the full NIK: it is for the cooperative's own
books.  The caller's transaction makes an import all or nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.catalog.spreadsheets import ImportErrors, Row
from pos.members.fields import FieldErrors, clean_all, clean_number
from pos.members.models import Member

COLUMNS = ["nomor", "nama", "nik", "telepon", "kartu", "tanggal_masuk", "status"]
IMPORT_COLUMNS = [*COLUMNS, "alamat"]
KEY = "nomor"
FIELD_OF = {"nama": "name", "nik": "nik", "telepon": "phone", "kartu": "card_barcode",
            "tanggal_masuk": "joined_on", "status": "status", "alamat": "address"}
Progress = Callable[[int, int], None] | None


def export_rows(session: Session) -> list[dict]:
    """Every member in file form, by number (full NIK; dates dd-mm-yyyy)."""
    return [{"nomor": m.number, "nama": m.name, "nik": m.nik, "telepon": m.phone,
             "kartu": m.card_barcode, "tanggal_masuk": m.joined_on.strftime("%d-%m-%Y"),
             "status": m.status, "alamat": m.address}
            for m in session.scalars(select(Member).order_by(Member.number))]


def _today() -> date:
    return business_date(utcnow(), DefaultConfig.TIMEZONE)


class _Seen:
    """Who holds each number, NIK and card in the database, and in the file so far."""

    def __init__(self, session: Session, cards: set[str]):
        members = session.execute(select(Member.number, Member.nik, Member.card_barcode)).all()
        self.numbers = {m.number for m in members}
        self.owners = {"nik": {m.nik: m.number for m in members if m.nik},
                       "card_barcode": {m.card_barcode: m.number for m in members if m.card_barcode}}
        self.goods = set(session.scalars(select(ProductBarcode.code)
                                         .where(ProductBarcode.code.in_(cards)))) \
            | set(session.scalars(select(Product.sku).where(Product.sku.in_(cards))))
        self.in_file: dict[str, dict[str, int]] = {"number": {}, "nik": {}, "card_barcode": {}}


def _values(row: Row, today: date) -> tuple[dict, list[str]]:
    """The row's filled cells as stored values, and the problems found."""
    form = {FIELD_OF[c]: t for c, t in row.items() if c in FIELD_OF and (t or "").strip()}
    try:
        return clean_all(form, today), []
    except FieldErrors as error:
        return {}, list(error.errors.values())


def _problems(row: Row, seen: _Seen, today: date) -> list[str]:
    problems = ["lebih banyak kolom daripada judul."] if row.get("_extra") else []
    try:
        number = clean_number(row.get(KEY, ""))
    except PosError as error:
        return problems + [error.message]
    if number in seen.in_file["number"]:
        problems.append(f"nomor {number} sudah ada di baris {seen.in_file['number'][number]}.")
    seen.in_file["number"].setdefault(number, row["_line"])
    values, found = _values(row, today)
    problems += found
    if number not in seen.numbers and not (row.get("nama") or "").strip():
        problems.append("nama wajib diisi untuk anggota baru.")
    for field, label in (("nik", "NIK"), ("card_barcode", "kartu")):
        value = values.get(field)
        if value is None:
            continue
        owner = seen.owners[field].get(value, number)
        if value in seen.in_file[field]:
            problems.append(f"{label} {value} juga ada di baris {seen.in_file[field][value]}.")
        elif owner != number:
            problems.append(f"{label} {value} sudah dipakai anggota {owner}.")
        seen.in_file[field].setdefault(value, row["_line"])
    if values.get("card_barcode") in seen.goods:
        problems.append(f"kartu {values['card_barcode']} sudah dipakai sebagai barcode atau SKU barang.")
    return problems


def validate(session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good."""
    cards = {(r.get("kartu") or "").strip() for r in rows} - {""}
    seen, errors, total, today = _Seen(session, cards), [], len(rows), _today()
    for done, row in enumerate(rows, start=1):
        errors += [f"Baris {row['_line']}: {problem}" for problem in _problems(row, seen, today)]
        if progress and (done % 250 == 0 or done == total):
            progress(done, total)
    return errors


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None) -> dict[str, int]:
    """Create or update every row, or raise ``ImportErrors`` (the caller then rolls back)."""
    errors = validate(session, rows)
    if errors:
        raise ImportErrors(errors)
    today, total = _today(), len(rows)
    members = {m.number: m for m in session.scalars(select(Member))}
    summary = {"total": total, "created": 0, "updated": 0, "unchanged": 0}
    for done, row in enumerate(rows, start=1):
        number = clean_number(row[KEY])
        values, _ = _values(row, today)
        member = members.get(number)
        if member is None:
            values.setdefault("joined_on", today)
            session.add(Member(number=number, **values))
            summary["created"] += 1
        else:
            changed = [f for f, v in values.items() if getattr(member, f) != v]
            for field in changed:
                setattr(member, field, values[field])
            summary["updated" if changed else "unchanged"] += 1
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
    session.flush()
    return summary
