"""The member list as a file (CSV or XLSX, read and written by the catalog's ``spreadsheets``):
every row checked first, then all rows saved or none.

Columns: nomor, nama, nik, telepon, kartu, tanggal_masuk (dd-mm-yyyy or
YYYY-MM-DD), status (aktif / nonaktif), and optionally alamat and batas_kasbon (the kasbon
limit, set as on the member page by the importing manager: ``limit_column``).  A row whose
nomor exists updates that member; any other creates one (nama needed; a blank
join date is today, a blank status aktif).  For an existing member an empty cell
keeps what is stored.  Problems are reported as "Baris N: ...", numbered as in
the spreadsheet.  A phone, new for its member, that another active member (or an
earlier row) has is reported too, unless the clerk confirmed it (``phones``).  A card or
number, new for its member, that is a product's barcode or SKU is refused, naming the product,
and so is one that is another member's number or card as the till reads it, or a card that
is another member's card in other letters (in the register or in the file: ``code_clashes``),
naming the member.  A new number the same in capitals as another member's old one in small
letters is refused too (the hub reads both as one: ``history``).
The export holds the full NIK: it is for the cooperative's own books.  The
caller's transaction makes an import all or nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.inventory.catalog import codes
from pos.inventory.catalog.spreadsheets import Hint, ImportErrors, Row, in_row_order
from pos.members import join_date, limit_column, phones
from pos.members.fields import clean_each, clean_number
from pos.members.models import Member

COLUMNS = ["nomor", "nama", "nik", "telepon", "kartu", "tanggal_masuk", "status"]
IMPORT_COLUMNS = [*COLUMNS, "alamat", limit_column.COLUMN]
KEY = "nomor"
FIELD_OF = {"nama": "name", "nik": "nik", "telepon": "phone", "kartu": "card_barcode",
            "tanggal_masuk": "joined_on", "status": "status", "alamat": "address"}
Progress = Callable[[int, int], None] | None


def export_rows(session: Session) -> list[dict]:
    """Every member in file form, by number (full NIK; dates dd-mm-yyyy; the kasbon limit blank
    when none was ever set)."""
    limits = limit_column.stored(session)
    return [{"nomor": m.number, "nama": m.name, "nik": m.nik, "telepon": m.phone,
             "kartu": m.card_barcode, "tanggal_masuk": m.joined_on.strftime("%d-%m-%Y"),
             "status": m.status, "alamat": m.address, "batas_kasbon": limits.get(m.id, "")}
            for m in session.scalars(select(Member).order_by(Member.number))]


def _today(today: date | None) -> date:
    """The outlet's business date the caller gives (views and commands: in the outlet's zone,
    ``POS_TIMEZONE``); without one, the default zone's (tests)."""
    return today or business_date(utcnow(), DefaultConfig.TIMEZONE)


class _Seen:
    """Who holds each number, NIK and card in the database, and in the file so far; the active
    members' phones, each member's own, and the phones of the file's rows so far; the products
    holding one of the file's cards or numbers (the till would find them first); every member's
    number and card (in capitals, as the till reads a number) once the file is saved."""

    def __init__(self, session: Session, cards: set[str], in_file: dict[str, tuple[str, str | None]]):
        members = session.execute(select(Member.number, Member.nik, Member.card_barcode,
                                         Member.phone, Member.name, Member.id, Member.joined_on)).all()
        self.session, self.joined = session, {m.number: (m.id, m.joined_on) for m in members}
        self.numbers = {m.number for m in members}
        # a number in small letters from before (``number_case``) is the same number to the hub
        self.capitals = {m.number.upper(): m.number for m in members if m.number != m.number.upper()}
        self.phone_of = {m.number: m.phone for m in members}
        self.name_of = {m.number: m.name for m in members}
        self.phones = phones.holders(session)
        self.file_phones: dict[str, dict[str, str]] = {}
        self.owners = {"nik": {m.nik: m.number for m in members if m.nik},
                       "card_barcode": {m.card_barcode: m.number for m in members if m.card_barcode}}
        self.goods = {"card_barcode": codes.products_holding(session, cards),
                      "number": codes.products_holding(session, in_file, any_case=True)}
        self.in_file: dict[str, dict[str, int]] = {"number": {}, "nik": {}, "card_barcode": {}}
        # after the import: each member's name and card (a row's card replaces the stored one)
        named = {m.number: (m.name, m.card_barcode) for m in members}
        for number, (name, card) in in_file.items():
            stored = named.get(number, ("", None))
            named[number] = (name or stored[0], card or stored[1])
        self.named = {number: name for number, (name, _) in named.items()}
        self.cards_upper: dict[str, list[tuple[str, str]]] = {}   # capitals -> (number, card)
        for number, (_, card) in sorted(named.items()):
            if card:
                self.cards_upper.setdefault(card.upper(), []).append((number, card))

    def member_holding(self, field: str, value: str, number: str) -> str | None:
        """The other member the till would find too for the card or number ``value`` of member
        ``number``, or whose card a card ``value`` is in other letters, in words
        (``codes.member_holds``), or None (the very same card is reported as held twice)."""
        if field == "card_barcode":
            capitals = value.upper()
            holders = [(capitals, "number")] if capitals in self.named else []
            holders += [(n, "card_barcode") for n, card in self.cards_upper.get(capitals, [])
                        if card != value]
        else:
            holders = [(n, "card_barcode") for n, _ in self.cards_upper.get(value, [])]
        other = next(((n, kind) for n, kind in holders if n != number), None)
        return codes.member_holds(other[1], other[0], self.named[other[0]]) if other else None


def _number(row: Row) -> str | None:
    """The row's member number as stored, or None when it is not one (reported later)."""
    try:
        return clean_number(row.get(KEY, ""))
    except PosError:
        return None


def _values(row: Row, today: date) -> tuple[dict, list[str]]:
    """The row's right cells as stored values (checked against the register and the file even
    when another cell is wrong), and the problems found."""
    form = {FIELD_OF[c]: t for c, t in row.items() if c in FIELD_OF and (t or "").strip()}
    values, errors = clean_each(form, today)
    return values, list(errors.values())


def _problems(row: Row, seen: _Seen, today: date) -> tuple[list[str], str | None]:
    """The row's problems, and the warning of its phone when shared (``_shared_phone``)."""
    problems = ["lebih banyak kolom daripada judul."] if row.get("_extra") else []
    try:
        number = clean_number(row.get(KEY, ""))
    except PosError as error:
        return problems + [error.message], None
    if number in seen.in_file["number"]:
        problems.append(f"nomor {number} sudah ada di baris {seen.in_file['number'][number]}.")
    seen.in_file["number"].setdefault(number, row["_line"])
    values, found = _values(row, today)
    problems += found + limit_column.problems(row)
    if (joined := values.get("joined_on")) and (held := seen.joined.get(number)) and joined != held[1] \
            and (late := join_date.too_late(seen.session, held[0], joined)):
        problems.append(late)   # months already paid would fall before it (join_date)
    if number not in seen.numbers and not (row.get("nama") or "").strip():
        problems.append("nama wajib diisi untuk anggota baru.")
    if number not in seen.numbers and number in seen.capitals:
        held = seen.capitals[number]
        problems.append(f"nomor {number} sudah dipakai anggota {held} ({seen.name_of[held]}).")
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
    # only a code new to its member: one held twice from before never blocks the other cells
    card = values.get("card_barcode")
    for field, label, value, kept in (
            ("number", "nomor", number, number in seen.numbers),
            ("card_barcode", "kartu", card, seen.owners["card_barcode"].get(card) == number)):
        if kept or not value:
            continue
        if held := seen.goods[field].get(value) or seen.member_holding(field, value, number):
            problems.append(f"{label} {value} sudah dipakai sebagai {held}.")
    return problems, _shared_phone(row, number, values.get("phone"), seen)


def _shared_phone(row: Row, number: str, phone: str | None, seen: _Seen) -> str | None:
    """The warning of a row whose phone, new for its member, other active members (or earlier
    rows of the file) have (``phones``); None otherwise."""
    if not phone or phone == seen.phone_of.get(number):
        return None
    name = " ".join((row.get("nama") or "").split()) or seen.name_of.get(number, "")
    sharing = {**seen.phones.get(phone, {}), **seen.file_phones.get(phone, {})}
    sharing.pop(number, None)
    seen.file_phones.setdefault(phone, {})[number] = name
    if not sharing:
        return None
    return f"nomor HP {phone} sudah dipakai anggota {phones.named(sorted(sharing.items()))}."


SHARED_HINT = Hint("Nomor HP yang sama boleh dipakai bersama (misalnya satu keluarga), tetapi kasir "
                   "lalu harus memilih anggotanya: bila memang begitu, unggah lagi dengan centang "
                   "“Nomor HP boleh dipakai bersama” (perintah: pos members import --shared-phone-ok).")


def check(session: Session, rows: list[Row], progress: Progress = None, *,
          today: date | None = None) -> tuple[list[str], list[str]]:
    """(every problem of every row, every shared-phone warning), each as "Baris N: ..."."""
    cards = {(r.get("kartu") or "").strip() for r in rows} - {""}
    in_file = {n: (" ".join((r.get("nama") or "").split()), (r.get("kartu") or "").strip() or None)
               for r in rows if (n := _number(r))}
    seen = _Seen(session, cards, in_file)   # the file's numbers: (name, card)
    errors, shared, total, today = [], [], len(rows), _today(today)
    for done, row in enumerate(rows, start=1):
        problems, warning = _problems(row, seen, today)
        errors += [f"Baris {row['_line']}: {problem}" for problem in problems]
        if warning:
            shared.append(f"Baris {row['_line']}: {warning}")
        if progress and (done % 250 == 0 or done == total):
            progress(done, total)
    return errors, shared


def validate(session: Session, rows: list[Row], progress: Progress = None, *,
             shared_phone_ok: bool = False, today: date | None = None) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good.
    A shared phone is one unless ``shared_phone_ok`` (the clerk confirmed the warning)."""
    errors, shared = check(session, rows, progress, today=today)
    return _said(errors, shared, shared_phone_ok)


def _said(errors: list[str], shared: list[str], shared_phone_ok: bool) -> list[str]:
    """What refuses the file: its problems, and its shared phones unless confirmed, in row order,
    the hint last."""
    return errors if shared_phone_ok or not shared else [*in_row_order([*errors, *shared]), SHARED_HINT]


class MemberFile:
    """The ``rules`` ``import_jobs`` runs for the Anggota upload, with the clerk's answer to
    the shared-phone warning and the outlet's business date."""

    IMPORT_COLUMNS, KEY = IMPORT_COLUMNS, KEY

    def __init__(self, shared_phone_ok: bool = False, today: date | None = None):
        self.shared_phone_ok, self.today = shared_phone_ok, today

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        return validate(session, rows, progress, shared_phone_ok=self.shared_phone_ok, today=self.today)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict:
        return import_rows(session, rows, user_id, progress, shared_phone_ok=self.shared_phone_ok,
                           today=self.today)


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None, *, shared_phone_ok: bool = False,
                today: date | None = None) -> dict:
    """Create or update every row, or raise ``ImportErrors`` (the caller then rolls back); the
    summary's ``shared_phones`` (when any) lists the shared phones the clerk confirmed.  Kasbon
    limits are set by ``user_id``, who needs the manage right when the file sets any."""
    errors, shared = check(session, rows, today=today)
    errors = _said(in_row_order([*errors, *limit_column.refused(session, rows, user_id)]), shared,
                   shared_phone_ok)
    if errors:
        raise ImportErrors(errors)
    today, total = _today(today), len(rows)
    members = {m.number: m for m in session.scalars(select(Member))}
    limits, new_limits = limit_column.stored(session), []
    summary = {"total": total, "created": 0, "updated": 0, "unchanged": 0}
    if shared:
        summary["shared_phones"] = shared
    for done, row in enumerate(rows, start=1):
        number = clean_number(row[KEY])
        values, _ = _values(row, today)
        member, limit = members.get(number), limit_column.cell(row)
        if member is None:
            values.setdefault("joined_on", today)
            member = Member(number=number, **values)
            session.add(member)
            summary["created"] += 1
        else:
            changed = [f for f, v in values.items() if getattr(member, f) != v]
            for field in changed:
                setattr(member, field, values[field])
            limit = None if limit == limits.get(member.id, 0) else limit
            summary["updated" if changed or limit is not None else "unchanged"] += 1
        if limit is not None:
            new_limits.append((member, limit))
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
    session.flush()
    for member, limit in new_limits:   # after the members, so a new one has its id
        limit_column.save(session, member.id, limit, user_id, today)
    return summary
