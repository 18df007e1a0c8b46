"""Member numbers are stored in capitals.

The till reads a typed number in capitals (``service.find``, on the number's unique index), and
every writer stores it so: ``fields.clean_number`` for the form, the member file and ``pos
members import``; the demo's ``AGT-0001``. A number in small letters, from an old import or a fix
by hand in the database, is never found at the till (or finds the member whose number its
capitals are), and the member file, which reads numbers in capitals too, cannot update it.
Revision 0032 wrote every such number in capitals except one whose capitals another member has
(two members would share a number: which one changes is the manager's choice); ``small_letters``
lists those and any made since, for ``pos doctor``, each with what to do.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pos.members.code_clashes import Pair
from pos.members.history import recorded_in
from pos.members.models import Member


def small_letters(session: Session) -> list[Pair]:
    """Every member number not in capitals (as the database reads them), by number; each with
    the other member whose number is the same in capitals, if any."""
    member, other = aliased(Member), aliased(Member)
    rows = session.execute(
        select(member.number, member.name, other.number, other.name, member.id, other.id)
        .outerjoin(other, (func.upper(other.number) == func.upper(member.number))
                   & (other.id != member.id))
        .where(member.number != func.upper(member.number))
        .order_by(member.number, other.number))
    found: dict[str, Pair] = {}
    for number, name, other_number, other_name, member_id, other_id in rows:
        if number in found:   # the first other member, if several
            continue
        kept = (bool(recorded_in(session, member_id)),
                other_id is not None and bool(recorded_in(session, other_id)))
        found[number] = _described(number, name, other_number, other_name, kept)
    return sorted(found.values(), key=lambda pair: pair.code)


def _described(number: str, name: str, other_number: str | None, other_name: str | None,
               kept: tuple[bool, bool] = (False, False)) -> Pair:
    """The pair's problem and fix; ``kept``: whether this member's and the other's numbers have
    reached the books (``history``), so cannot be changed."""
    capitals = number.upper()
    read_as = f"Nomor anggota {number} ({name}) tidak dalam huruf besar: kasir membacanya {capitals}"
    if other_number is None:
        return Pair(number, f"{read_as}, sehingga anggota ini tidak ditemukan dengan nomornya.",
                    f"Buka anggota {number} di halaman Anggota lalu Simpan: nomornya disimpan "
                    f"sebagai {capitals}.")
    if other_number == capitals:
        problem = (f"{read_as}, nomor anggota {other_number} ({other_name}), sehingga kasir "
                   f"mendapat {other_name}, bukan {name}.")
    else:
        problem = (f"{read_as}, seperti nomor anggota {other_number} ({other_name}), sehingga "
                   "keduanya tidak ditemukan dengan nomornya.")
    if not kept[0]:
        fix = (f"Ubah Nomor anggota {number} di halaman Anggota menjadi nomor yang belum dipakai "
               f"(bukan {capitals}).")
    elif not kept[1]:
        fix = (f"Nomor {number} sudah tercatat di transaksi dan tidak dapat diubah, nomor "
               f"{other_number} ({other_name}) belum: ubah nomor {other_number} menjadi nomor yang "
               f"belum dipakai, lalu buka anggota {number} dan Simpan (nomornya disimpan sebagai "
               f"{capitals}).")
    else:
        fix = (f"Kedua nomor sudah tercatat di transaksi, jadi tidak dapat diubah di sini, dan "
               f"hub buku besar menghitung SHU keduanya pada satu nomor {capitals}. Beri tahu "
               "pengurus koperasi agar SHU kedua anggota dipisahkan saat dibagikan.")
    return Pair(number, problem, fix)
