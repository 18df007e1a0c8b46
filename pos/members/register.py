"""The member register: list, create, edit, deactivate and reactivate (services).

A session and plain values in; ``FieldErrors`` (field -> message) or ``PosError``
out, before anything is written.  Uniqueness is checked here so the form can
say which field clashes; the unique keys in the database stay the last word
when two managers save at the same moment (a 409 "try again").  A new or changed card or
number that is a product's barcode or SKU is refused too, naming the product (the till would
find the product: ``catalog.codes``), and so is one that is another member's card or number
as the till reads it (``code_clashes``: it would find both and ask), or a card that is another
member's card in other letters (no one could tell them apart); one the member already has
never blocks other fields.
A phone another active member has is a warning the clerk confirms (``phones``), not a clash.
The number of a member with anything recorded (a sale, savings, kasbon) never changes but in
letters' case, as the SHU is summed by number (``history``); no member is ever deleted.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.inventory.catalog import codes
from pos.members import code_clashes, history, join_date, phones
from pos.members.fields import LABELS, FieldErrors, clean_each
from pos.members.models import Member

UNIQUE = ("number", "nik", "card_barcode")
GOODS_CODES = ("card_barcode", "number")  # the till finds these after products: never a product's


def list_page(session: Session, page: int, size: int) -> tuple[list[Member], int]:
    """One page of the whole register by number (nonaktif too), and how many members there are."""
    total = session.scalar(select(func.count()).select_from(Member)) or 0
    rows = session.scalars(select(Member).order_by(Member.number)
                           .offset((page - 1) * size).limit(size))
    return list(rows), total


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    return member


def clashes(session: Session, values: dict, member_id: int | None,
            present: Member | None = None) -> dict[str, str]:
    """Fields whose value another member (or, for a card or number, a product, or another
    member as the other kind of code) already has. A card or number the member ``present``
    already has is not held against them: a code held twice from before (``pos doctor`` lists
    it) never blocks saving the member's other fields."""
    errors = {}
    for field in UNIQUE:
        value = values.get(field)
        if value is None:
            continue
        owner = session.execute(select(Member.number, Member.name).where(
            _same(field, value, present), Member.id != (member_id or 0))).first()
        if owner is not None:  # named, as the other refusals name theirs ("Nomor … AGT-0002 (Budi)")
            errors[field] = f"{LABELS[field]} {value} sudah dipakai anggota {owner.number} ({owner.name})."
    for field in GOODS_CODES:
        value = values.get(field)
        if not value or field in errors or (present is not None and getattr(present, field) == value):
            continue
        held = product_holding(session, field, value) \
            or code_clashes.other_holder(session, field, value, member_id)
        if held:
            errors[field] = f"{LABELS[field]} {value} sudah dipakai sebagai {held}."
    return errors


def _same(field: str, value: str, present: Member | None):
    """Who else holds ``value``: a new number also when another's is the same in capitals (an
    old ``agt-0005``): the hub sums the SHU by number in capitals, so the two would be one.  A
    member's own number only put in capitals (``pos doctor``'s fix) is checked as it is."""
    if field == "number" and (present is None or present.number.upper() != value.upper()):
        return func.upper(Member.number) == value.upper()
    return getattr(Member, field) == value


def product_holding(session: Session, field: str, value: str) -> str | None:
    """The product a scan of the card or number ``value`` would find instead of the member (the
    till tries products first; a number typed in any case), in words; None when none would."""
    return codes.product_holding(session, value, any_case=field == "number")


def create_member(session: Session, form: dict[str, str], today: date, *,
                  shared_phone_ok: bool = False) -> Member:
    """A new member from the form's text; the number and name are required. A phone another
    active member has needs ``shared_phone_ok`` (``phones``)."""
    values = _checked(session, {"joined_on": "", **form}, None, today, required=("number", "name"),
                      shared_phone_ok=shared_phone_ok)
    member = Member(**values)
    session.add(member)
    session.flush()
    return member


def update_member(session: Session, member_id: int, form: dict[str, str], today: date, *,
                  shared_phone_ok: bool = False) -> list[str]:
    """Change the given fields; the names of the fields that changed. A new phone another
    active member has needs ``shared_phone_ok`` (``phones``); a new number, a member with
    nothing recorded yet (``history``)."""
    member = get_member(session, member_id)
    if "joined_on" in form and not form["joined_on"].strip():
        form = {f: v for f, v in form.items() if f != "joined_on"}  # blank: kept as it was
    values = _checked(session, form, member_id, today, required=(), present=member,
                      shared_phone_ok=shared_phone_ok)
    changed = [f for f, v in values.items() if getattr(member, f) != v]
    for field in changed:
        setattr(member, field, values[field])
    session.flush()
    return changed


def _checked(session: Session, form: dict[str, str], member_id: int | None, today: date,
             required: tuple[str, ...], *, present: Member | None = None,
             shared_phone_ok: bool = False) -> dict:
    values, errors = clean_each(form, today)  # the right fields are checked against the register too
    errors.update({f: f"{LABELS[f]} wajib diisi." for f in required
                   if f not in form and f not in errors})
    errors.update({f: m for f, m in clashes(session, values, member_id, present).items()
                   if f not in errors})
    if present is not None and "number" in values \
            and (locked := history.number_locked(session, present.id, present.number, values["number"])):
        errors["number"] = locked   # it reached the books: the SHU is summed by number (history)
    if present is not None and "joined_on" in values and "joined_on" not in errors \
            and values["joined_on"] != present.joined_on \
            and (late := join_date.too_late(session, present.id, values["joined_on"])):
        errors["joined_on"] = late  # months already paid would fall before it (join_date)
    phone = values.get("phone")
    if phone and phone != (present.phone if present else None) and not shared_phone_ok:
        sharing = phones.others(session, phone, member_id)
        if sharing:
            errors[phones.WARNING] = phones.warning(phone, sharing)
    if errors:
        raise FieldErrors(errors)
    return values


def set_active(session: Session, member_id: int, active: bool) -> Member:
    """Deactivate (no member price, no kasbon) or reactivate; the member keeps every record."""
    member = get_member(session, member_id)
    member.active = active
    session.flush()
    return member
