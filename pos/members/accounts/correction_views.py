"""Koreksi kasbon (views): on the member's kartu piutang a manager takes kasbon off that will
not be paid (a write-off) or adds kasbon never recorded, with the reason; the form and the
message after it say which accounts the day's journal moves (``corrections.booking``)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, request, url_for

from pos.auth.access import requires
from pos.clock import utcnow
from pos.db import transaction
from pos.errors import PosError, typed
from pos.members.accounts import corrections, credit
from pos.money import format_rupiah
from pos.web import business_today, go, int_field, rupiah_field

bp = Blueprint("kasbon_correction", __name__)
WAYS = {"kurangi": -1, "tambah": 1}


@bp.app_template_global("kasbon_correction_accounts")
def correction_accounts() -> dict[str, tuple[str, str]]:
    """The accounts a Koreksi kasbon moves (``POS_LEDGER_ACCOUNTS``), for the form's hint."""
    return corrections.accounts(current_app.config["LEDGER_ACCOUNTS"])


@bp.post("/kasbon/anggota/<int:member_id>/koreksi")
@requires("manage")
def correct(member_id: int):
    """Take kasbon off (``arah=kurangi``) or add it (``tambah``), with its reason, on today's
    business day; refused with the reason and nothing changed when a field is wrong."""
    way = WAYS.get(request.form.get("arah", ""))
    if way is None:
        raise PosError("Koreksi kasbon: pilih arahnya, kurangi (hapus piutang) atau tambah.")
    amount = rupiah_field("jumlah", "Jumlah koreksi", maximum=credit.MAX_LIMIT)
    if not amount:
        raise PosError("Jumlah koreksi kasbon harus lebih dari Rp0.")
    note = typed(request.form.get("alasan"), 200, "Alasan koreksi")
    if not note:
        raise PosError("Tulis alasan koreksi kasbon.")
    seen = int_field("saldo", "Kasbon saat halaman dibuka", high=credit.MAX_LIMIT * 100)
    day = business_today()
    with transaction() as session:
        balance = corrections.correct(session, member_id=member_id, amount=way * amount,
                                      user_id=g.staff.id, note=note, business_date=day, now=utcnow(),
                                      seen_balance=seen)
    booked = corrections.booking(current_app.config["LEDGER_ACCOUNTS"], way * amount)
    flash(f"Koreksi kasbon disimpan; kasbon sekarang {format_rupiah(balance)}. Jurnal hari {day:%d-%m-%Y} "
          f"(dikirim saat Tutup hari): {booked}.", "ok")
    return go(url_for("accounts.statement", member_id=member_id))
